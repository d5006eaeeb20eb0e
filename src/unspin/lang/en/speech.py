"""Verbs that report speech, and the words around them that change who is speaking."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

# Verbs that report speech: the subject of one is the speaker the statement is given to.
REPORTING_VERBS: frozenset[str] = words("""
said says say told tells added adds explained insisted replied claimed stated argued continued
warned accepted agreed alleged admitted acknowledged asked responded remarked noted declared
concluded commented observed recalled urged maintained retorted conceded emphasised emphasized
stressed announced confirmed denied suggested wrote described believes believed answered
shouted cried pleaded testified revealed disclosed reported praised criticised criticized
accused blamed paid thanked
""")
# the speech verbs a changed name must not be the subject of (findings.facts leaves speakers to
# attribution_change)
SPEECH_VERBS = words("""
say said says tell told add added adds claim claimed claims allege alleged insist insisted argue
argued state stated explain explained describe described accept accepted admit admitted deny
denied suggest suggested ask asked reply replied respond responded warn warned conclude
concluded find found rule ruled acknowledge acknowledged note noted maintain maintained continue
continued confirm confirmed announce announced believe believes believed
""")
# verbs that address someone ('he told Judge X'): their object is spoken to, not speaking
ADDRESS_VERBS = words("tell told tells ask asked asks warn warned urge urged assure assured")
# speech verbs of narrated statements (compared by stem)
SAY_VERBS = words("""
say said says tell told add added claim claimed allege alleged insist insisted argue argued
state stated explain explained accept accepted admit admitted deny denied suggest suggested
reply replied respond responded retort retorted warn warned conclude concluded find found rule
ruled acknowledge acknowledged note noted maintain maintained confirm confirmed announce
announced contend contended submit submitted stress stressed emphasise emphasised emphasize
emphasized describe described hear heard
""")
# a statement made against someone (compared by stem): "accused of" reports, like "said"
ACCUSE = words("accuse accused charged alleged claims")
# a question and its answer (compared by stem): who asked and who answered is not one speaker
QUESTION = words("ask asked question questioned pressed cross-examined")
# the attribution verbs of quotations, in the order a pattern tries them
QUOTE_VERBS = (
    "said", "says", "say", "told", "tells", "added", "adds", "explained", "insisted", "replied", "claimed",
    "stated", "argued", "continued", "went on", "warned", "accepted", "agreed", "alleged", "admitted",
    "acknowledged", "asked", "responded", "remarked", "noted", "declared", "concluded", "commented",
    "observed", "recalled", "urged", "maintained", "retorted", "conceded", "emphasised", "emphasized",
    "stressed", "announced", "confirmed", "denied", "suggested", "wrote", "described", "believes",
    "believed", "hit back", "put it", "answered", "shouted", "cried", "mused", "pleaded", "testified",
    "revealed", "disclosed", "reported", "gave evidence")
# the verbs an inverted attribution closes a quotation with ("..., said Mr Browne.")
INVERTED_QUOTE_VERBS = (
    "said", "says", "added", "adds", "asked", "replied", "continued", "stated", "explained", "insisted",
    "argued", "mused", "remarked", "wrote", "warned", "declared", "noted", "observed", "recalled",
    "responded", "retorted", "concluded")
# verbs that put a question to someone: the next quotation is the answer
QUESTION_VERBS = ("asked", "questioned", "put it to", "pressed")
# "told by X": the agent of these passive verbs is the speaker
PASSIVE_QUOTE_VERBS = ("told", "informed", "warned", "described", "quoted")

# ---- sentence splitting and quotation speakers (unspin.segment)
# speech verbs after a quoted question that keep the attribution in its sentence (a regex group)
SPEECH_AFTER = (
    r"(?:said|says|asked|asks|told|added|adds|replied|explained|continued|insisted|stated|"
    r"responded|argued|shouted|wrote|writes|declared|recalled|warned|noted|conceded|admitted)"
)

# the verbs quotation attribution anchors on (sentence splitting), '_' joining the words of one
ATTRIBUTION_VERBS = """said says say told tells added adds continued continues explained explains stated
    states responded responds replied replies argued argues insisted insists claimed claims asked
    asks warned warns noted notes acknowledged acknowledges admitted admits conceded declared
    declares announced remarked observed commented wrote writes recalled suggested suggests
    confirmed denied retorted urged maintained alleged agreed complained cautioned emphasised
    emphasized stressed concluded described calls called branded criticised criticized accepted
    testified shouted went_on pointed_out answered answers mentioned revealed reiterated repeated
    joked boasted pleaded demanded protested promised vowed predicted disclosed assured quipped
    exclaimed screamed yelled whispered hit_back disagreed objected countered recounted estimated
    believes saying adding telling insisting explaining according_to According_to"""

# verbs that name or label rather than report words ('called it a disgrace')
NAMING_VERBS = words("calls called branded described criticised criticized")

# speech participles that continue a sentence's attribution ('..., saying')
SPEECH_PARTICIPLES = frozenset({"saying", "adding", "telling", "insisting", "explaining"})

# speech verbs that may come before their speaker ('said Mr Browne')
INVERTIBLE_VERBS = words("""said says added adds continued stated explained replied responded asked insisted
    argued warned noted declared remarked observed commented wrote writes recalled
    retorted concluded""")
