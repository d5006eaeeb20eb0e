"""How sure, how strong, how often, how much and how settled a statement is: hedges,
intensifiers, size, frequency, share, decision, belief and knowledge, leaving and refusing."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

# hedging adverbs and modals, matched as written ("alleged" the verb only reports)
HEDGES = words("""
perhaps probably possibly maybe apparently seemingly reportedly allegedly arguably arguable
supposedly presumably likely may might estimated approximately roughly purportedly conceivably
potentially
""")
# verbs that hedge only when they take a clause: "it appears that", "seemed to", "was said to have"
HEDGE_VERBS = words("""
appear appears appeared seem seems seemed said thought believed understood
""")
PASSIVE_HEDGE_VERBS = ("said", "thought", "believed", "understood")  # a hedge after "is"/"was"
HEDGE_VERB_COMPLEMENTS = ("to", "that", "like", "as")  # "it appears that", "seemed to"
NOT_HEDGE_LIKELY_AFTER = ("more", "less", "most")  # "more likely" compares, it does not hedge
# hedges that report a claim as someone's, like an attribution
REPORTING_HEDGES = words("""
allegedly reportedly purportedly supposedly said thought believed understood
""")
MODAL_HEDGES = frozenset(["may", "might"])
# words that keep a statement open: the source's hedge is not dropped while one stands
OPEN_MODALS = ("could", "would", "may", "might", "possibly")

INTENSIFIERS = words("""
very extremely highly absolutely totally completely utterly deeply severely seriously really
truly entirely fully hugely massively enormously exceptionally particularly incredibly strongly
greatly thoroughly
""")
DOWNTONERS = words("""
slightly somewhat fairly rather partly partially mildly moderately marginally barely hardly
scarcely relatively
""")
# size and degree adjectives (compared by stem)
BIG = words("""
large big huge substantial major significant considerable massive enormous vast heavy serious
severe grave extensive immense sizeable sizable hefty great
""")
SMALL = words("""
small modest minor slight little minimal nominal token negligible trivial limited meagre meager
tiny
""")
LITTLE_MORE = ("more", "less")  # "little more than" is a quantity, not a size

# how often: rarely .. always ("occasional lifts" -> "regularly drove"), by level
FREQUENCY: dict[str, int] = {w: lvl for lvl, ws in enumerate(["""
never""", """
rarely seldom occasionally occasional sporadically sporadic infrequently infrequent""", """
sometimes periodically intermittently""", """
often frequently frequent regularly regular repeatedly repeated routinely routine commonly
habitually habitual persistently persistent""", """
constantly constant continually continual always invariably daily nightly"""]) for w in ws.split()}
# a share of the whole: blame split or shared vs full or sole responsibility (compared by stem)
PARTIAL = words("""
split shared share partly partially partial joint jointly half some contributory
""")
TOTAL = words("""
full fully entire entirely whole wholly sole solely complete completely total totally
""")
# a decision still open vs taken (compared by stem)
TENTATIVE = words("""
consider considering considered contemplate contemplating weigh weighing explore exploring mull
mulling debate debating review reviewing
""")
DECIDED = words("""
decide decided resolve resolved determine determined opt opted elect elected choose chose commit
committed
""")
# a settled future ('is set to begin', 'is due to') vs a possibility ('could begin')
SETTLED = words("set due scheduled expected planned")
SETTLED_BEFORE = ("now", "still")  # "is now set to", with the copulas
POSSIBLE = words("could may might")

# how sure: a suspicion or belief vs knowledge ('had suspected' -> 'had known'), by stem
SUPPOSE = words("""
suspect suspected suspicion suspicions believe believed belief think thought assume assumed presume
presumed suppose supposed speculate speculated guess guessed surmise surmised fear feared
""")
# a claim made to someone: told as a discovery, it becomes fact
CLAIM = words("claim claimed allege alleged")
KNOW = words("""
know knew known knowledge aware awareness realise realised realize realized prove proved proven
establish established discover discovered
""")
KNOWN_AS = ("as", "for")  # "known as", "known for": a name or a reputation, not knowledge
# a statement given as certain: 'it was perfectly plain', 'clearly', 'no doubt'
CERTAIN_ADJ = words("plain clear obvious evident certain sure undeniable indisputable beyond")
CERTAIN_ADV = words("""
clearly obviously certainly undoubtedly definitely plainly evidently surely unquestionably undeniably
indisputably doubtless
""")
COPULA_OR_DEGREE = words("is was were be been are perfectly quite absolutely very entirely abundantly")

# leaving a post by choice vs being made to
LEAVE = words("""
retire retired retires retiring retirement resign resigned resigns resigning resignation quit quits
quitting
""")
STEP_DOWN = ("step", "stepped", "stood", "stand")  # ... "down"
FORCE = words("""
forced force compelled pressured pressurised pressurized obliged made pushed sacked sack fired
dismissed ousted axed expelled driven hounded
""")
OUSTED = words("sacked fired dismissed ousted axed expelled")
# 'dismissed the appeal': a verb of ousting with an object is about something else
OBJECT_OPENERS = ("the", "a", "an", "his", "her", "their")

# could not vs would not: inability turned into refusal and back
REFUSE = words("refuse refused refuses refusing decline declined declines declining unwilling")
REFUSAL_OBJECTS = ("to", "any", "an", "a")  # 'refused to', 'declined any'
WILL_NOT = ("wouldn't", "won't")
WILL = ("would", "will")
UNABLE = ("cannot", "couldn't", "can't", "unable", "incapable")
CAN = ("could", "can")
