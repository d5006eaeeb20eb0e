"""English word lists shared by the pipeline stages (loaded once, at import).

Each list is a frozenset of lowercase words. Kept short and general: lists tied to one
detector's heuristics still live with that detector until they are moved here (issue 10).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _words_in_order(text: str) -> list[str]:
    return text.split()

# Function words: carry no content of their own, so a rewrite may add or drop them freely.
STOP_WORDS: frozenset[str] = _words("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further had
has have having he her here hers herself him himself his how i if in into is it its itself just
me more most my myself no nor not now of off on once only or other our ours ourselves out over
own same she should so some such than that the their theirs them themselves then there these
they this those through to too under until up very was we were what when where which while who
whom why will with would you your yours yourself yourselves also may might must shall upon
said says say told tell tells according mr mrs ms miss dr sir
""")

# Number words, so that "three" in a rewrite is read as the number the source wrote as 3.
NUMBER_WORDS: dict[str, int] = {
    w: i for i, w in enumerate(_words_in_order("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty"""))
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
     "dozen": 12, "half": 0}

# Words that turn a statement into its negation: a rewrite that adds or drops one flips it.
NEGATIONS: frozenset[str] = _words("""
not no never none nobody nothing neither nor without cannot can't won't don't doesn't didn't
isn't aren't wasn't weren't hasn't haven't hadn't shouldn't wouldn't couldn't denied denies
deny denying
""")

MONTHS: frozenset[str] = _words("""
january february march april may june july august september october november december
""")

# Role nouns a person is named by in news copy, each with its class: two mentions of one
# class may be the same person ("the prosecutor", "counsel for the Crown").
ROLES: dict[str, str] = {
    "judge": "judge", "justice": "judge", "recorder": "judge", "magistrate": "judge",
    "magistrates": "judge", "sheriff": "judge", "coroner": "judge", "bench": "judge",
    "prosecutor": "prosecution", "prosecutors": "prosecution", "prosecuting": "prosecution",
    "prosecution": "prosecution", "crown": "prosecution",
    "defending": "defence", "defence": "defence", "defense": "defence", "mitigating": "defence",
    "counsel": "lawyer", "barrister": "lawyer", "solicitor": "lawyer", "lawyer": "lawyer",
    "lawyers": "lawyer", "advocate": "lawyer", "attorney": "lawyer", "qc": "lawyer",
    "spokesman": "spokesperson", "spokeswoman": "spokesperson", "spokesperson": "spokesperson",
    "representative": "spokesperson",
    "police": "police", "officer": "police", "detective": "police", "inspector": "police",
    "constable": "police", "sergeant": "police", "superintendent": "police",
    "manager": "company", "director": "company", "executive": "company", "chairman": "company",
    "boss": "company", "employer": "company",
    "secretary": "secretary", "witness": "witness", "victim": "victim", "defendant": "defendant",
    "minister": "government", "official": "official", "officials": "official",
    # relatives: a wife, a girlfriend or a son is none of the parties above
    "wife": "family", "husband": "family", "girlfriend": "family", "boyfriend": "family",
    "mother": "family", "father": "family", "son": "family", "daughter": "family",
    "brother": "family", "sister": "family", "fiancee": "family", "fiance": "family",
    "widow": "family", "widower": "family",
}

# Verbs that report speech: the subject of one is the speaker the statement is given to.
REPORTING_VERBS: frozenset[str] = _words("""
said says say told tells added adds explained insisted replied claimed stated argued continued
warned accepted agreed alleged admitted acknowledged asked responded remarked noted declared
concluded commented observed recalled urged maintained retorted conceded emphasised emphasized
stressed announced confirmed denied suggested wrote described believes believed answered
shouted cried pleaded testified revealed disclosed reported praised criticised criticized
accused blamed paid thanked
""")

# Titles written before a name ("Mr Sturt", "Dr Patel"): part of the name a finding points at.
TITLES: frozenset[str] = _words("""
mr mrs ms miss dr sir lord lady dame professor prof rev judge justice det insp sgt pc supt
""")
