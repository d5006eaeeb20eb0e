"""Pairs of opposite outcomes, relations and judgements common in news and court reports.

Each pair is written "a:b"; a multiword side joins its words with "-" ("run-from"). Sides are
compared by stem, so list base forms or the forms news copy uses.
"""

from __future__ import annotations

from unspin.lang.en.lexicon import groups

ANTONYMS: tuple[tuple[str, ...], ...] = groups("""
acquit:convict acquitted:convicted cleared:convicted innocent:guilty guilty:innocent
deny:admit deny:concede deny:accept deny:confirm deny:acknowledge denied:admitted denied:conceded
denied:accepted denied:confirmed denied:acknowledged reject:accept rejected:accepted refuse:agree
refused:agreed refused:granted refuse:grant deny:grant win:lose won:lost victory:defeat
increase:decrease increase:reduce increase:cut rise:fall rose:fell raise:lower higher:lower
more:less more:fewer above:below before:after allow:ban allow:forbid allow:prevent allowed:banned
permit:forbid approve:reject approved:rejected include:exclude succeed:fail success:failure
succeeded:failed support:oppose supported:opposed agree:disagree legal:illegal lawful:unlawful
true:false correct:incorrect right:wrong dismiss:uphold dismissed:upheld overturn:uphold
overturned:upheld quash:uphold quashed:upheld grant:refuse granted:refused pass:fail passed:failed
survive:die survived:died alive:dead
start:stop begin:end rich:poor
strong:weak safe:dangerous safe:unsafe maximum:minimum always:never first:last best:worst
praise:criticise praised:criticised praise:condemn praised:condemned welcome:condemn
welcomed:condemned welcome:criticise welcomed:criticised gain:loss profit:loss junior:senior
minor:major temporary:permanent short-term:long-term short-term:lasting short-term:permanent
acute:chronic voluntary:compulsory public:private accept:decline accepted:declined comply:breach
complied:breached remember:forget confirmed:denied
inside:outside release:detain released:detained released:jailed freed:jailed free:jail
increase:fall expand:shrink open:closed opened:closed arrive:depart arrived:departed
calm:angry happy:unhappy willing:unwilling
able:unable aware:unaware likely:unlikely possible:impossible sufficient:insufficient
adequate:inadequate responsible:irresponsible honest:dishonest
chase:flee chased:fled pursue:flee pursued:fled chase:escape chased:escaped pursue:escape
chase:run-from chase:run-away pursue:run-from pursue:run-away chasing:fleeing pursuing:fleeing
wait:flee waited:fled stay:flee stayed:fled remain:flee remained:fled wait:escape waited:escaped
stay:escape stayed:escaped surrender:flee surrendered:fled wait:run-off waited:run-off
""")
