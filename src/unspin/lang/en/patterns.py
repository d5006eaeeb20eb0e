"""Regular expressions that key on English words, for the detectors that scan text directly."""

from __future__ import annotations

import re

from unspin.lang.en.speech import SPEECH_AFTER

# bylines, sign-offs and wire datelines: never content a candidate can leave out
BYLINE = re.compile(r"^(?:[-—–]\s*)?(?:by|from|reporting by|written by|edited by)\s+[A-Z]", re.I)
SIGNOFF = re.compile(r"contributed to this report|additional reporting|^ends?\.?$|^\(?[a-z]{2,4}\)?$|"
                     r"^(?:photo|picture|image)s?:|all rights reserved|^copyright", re.I)
WIRE_DATELINE = re.compile(r"^[A-Z][A-Z ,.'-]+\s*\((?:AP|Reuters|AFP|PA)\)\s*[-—–]?\s*$")
# lines that credit or introduce rather than report (a heading, a byline, a picture credit)
CREDIT_LINE = re.compile(r"(?i)(by|from|photo|image|source|credit|reporting|additional reporting)\b")

# a little word written twice in any case ("The the"); any other lower-case word written twice,
# but not those English doubles on purpose ("that that", "had had", "told her her coat")
DOUBLED = re.compile(r"\b(?i:(the|a|an|of|to|in|on|at|for|with|from|by|and|or|is|was|are|were)\s+\1)\b|"
                     r"\b(?!(?:that|had|is|do|very|no|so|bye|ha|far|more|much|many|really|long|again|yes|"
                     r"her|now|well|out|round|over|down|up|off|knock|tut|goody|chop|pooh|hush)\s)([a-z]+)\s+\2\b")

# where a source sentence splits into clauses (each judged on its own as a claim)
CLAUSE_BREAK = re.compile(r"[,;:()\"“”]|\s[-–—]\s|\b(?:and|but|while|which|who|that|because|after|before)\b")

# 'from Scotland to Teesside': the two places of a direction
FROM_TO = re.compile(r"\bfrom\s+((?:[A-Z][\w'.-]*\s?){1,4}?)\s*to\s+((?:[A-Z][\w'.-]*\s?){1,4})")
# 'its own internal investigation': the act handed to the sentence's subject
OWN = re.compile(r"\b(its|their|his|her) own ([a-z]+(?: [a-z]+)?)")
# what names an owner before a noun ('their defence', "the court's"); the noun follows
POSSESSOR = r"\b(?:its|their|his|her|my|our|your|\w+'s?) "
# 'all of us', 'both of them': a group the speaker belongs to
ALL_OF_US = re.compile(r"\b(all|each|every one|both) of (us|them|you)\b")

# ---- sentence splitting and quotation speakers (unspin.segment)
# '"Why?" Blinken asked.': an attribution after a quoted question is the same sentence
ATTRIBUTION_TAIL = re.compile(
    rf"(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof|Sir|Lord|Lady|Judge|President|Gov|Sen)\.?\s+)?"
    rf"(?:[A-Z][\w'’.-]*\s+){{1,3}}{SPEECH_AFTER}\b(?P<tail>\W?)"
)

# what follows an apostrophe that elides, not quotes ('the '90s', ''em', ''til')
ELISION = re.compile(r"(?:\d\d?s?|em|tis|twas|til|cause|n|s|round|bout)\b", re.I)

# a passive auxiliary just before a speech verb ('was told'): no attribution
PASSIVE_BEFORE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|get|got)\s+"
    r"(?:(?:\w+ly|today|yesterday|tonight|also|later|then|now|still|never|not|often|once|"
    r"previously|repeatedly|allegedly|reportedly)\s+)?$"
)

# words between a speaker and the verb ('Mr X also', 'he later')
SPEAKER_TRAILING_NOISE = re.compile(
    r"(?:\s+(?:also|later|then|today|yesterday|tonight|previously|had|has|have|would|could|"
    r"will|once|again|earlier|further|simply|just|repeatedly|reportedly|only|still|never|"
    r"subsequently|now|first|finally|formally|publicly|privately|immediately|quickly|"
    r"angrily|calmly|quietly|bluntly|frankly|candidly|himself|herself|themselves|"
    r"(?:on\s+)?(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)))+\s*$"
)

# what ends a speaker's clause after an inverted verb
SUBJECT_AFTER_STOP = re.compile(r"[,.;:!?\x01\n]|\s(?:that|when|as|after|before|who|in|on)\s")

# what opens the complement of a speaker noun phrase ('a spokesman for ...')
NP_COMPLEMENT = re.compile(r"\s(?:for|of|at|from|with|in|on|who|which|that|whose)\s")

# what opens a described speaker ('the judge', "China's spokesman")
SPEAKER_NP_LEAD = re.compile(
    r"(?:(?:the|a|an|his|her|their|its|our|one|another)\s+|"
    r"(?:[A-Z][\w.]*\s+){0,3}[A-Z][\w-]*['’]s\s+)", re.I
)

# a noun phrase at the end of a clause: a described speaker
TRAILING_NP = re.compile(
    r"(?:\b(?:the|a|an)\s+|(?:[A-Z][\w.]*\s+){0,3}[A-Z][\w-]*['’]s\s+)"
    r"(?:[\w'’-]+\s+){0,4}[a-z][\w-]*$"
)

# a title-cased phrase ('Lady of the Manor'): a name quoted, not speech
TITLE_CASE = re.compile(r"^(?:[A-Z0-9][\w'’&.-]*|of|the|and|a|an|in|on|for|to|at|de)"
                         r"(?:\s+(?:[A-Z0-9][\w'’&.-]*|of|the|and|a|an|in|on|for|to|at|de))*$")

# a preposition that links a role to whom it belongs ('head of', 'spokesman at')
OF_LINK = re.compile(r"\s(?:of|from|at)\s")

# a clause ending on a conjunction
AND_END = re.compile(r"(?:^|\s)(?:and|but)\s*$")

# a subject pronoun at the start of a clause
LEAD_PRONOUN = re.compile(r"(he|she|they)\b", re.I)

# 'described as "..." by a judge': the agent of a passive attribution
BY_AGENT = re.compile(r"(?:\s+as)?(?:\s*\x01+)?\s+by\s+")  # 'described as "..." by a judge'

# 'the judge': a role noun named with the definite article
THE_ROLE = re.compile(r"the\s+(\w+)", re.I)
