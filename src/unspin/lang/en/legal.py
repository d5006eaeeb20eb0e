"""Court and custody words: what a sentence passed was, and where a defendant now stands."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

# the kind of sentence passed (compared by stem): custody vs a penalty served outside ('given a
# conditional discharge' told as 'jailed for six months')
CUSTODY = words("jail jailed imprison imprisoned imprisonment prison custodial")
NON_CUSTODY = words("""
discharge discharged probation fine fined community suspended suspend costs order
""")
# words before 'jailed' that keep the candidate from jailing anyone ('spared jail', 'could face jail')
NOT_JAILED = words("""
spared spare avoid avoided escape escaped escapes walked not no never face faces faced facing risk
risked could would might may warned threat threatened without than instead
""")
# where a defendant or the case now stands (compared by stem): a two-word sentence on it ('He was
# allowed bail.') matters more than its length says
STATUS = words("""
bail custody remanded remand jailed detained released freed acquitted convicted fined discharged
bailed imprisoned
""")
