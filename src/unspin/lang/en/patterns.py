"""Regular expressions that key on English words, for the detectors that scan text directly."""

from __future__ import annotations

import re

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
