"""Months, days of the week and the words that make 'May' or 'March' a date."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

MONTHS: frozenset[str] = words("""
january february march april may june july august september october november december
""")
DAYS: frozenset[str] = words("monday tuesday wednesday thursday friday saturday sunday")
# 'May' and 'March' are months after one of these ('in May', 'last March')
DATE_CUES = ("in", "last", "next", "of", "early", "late", "mid", "since", "until")
# a month name or its short form, as a regex group (page date lines)
MONTH_PATTERN = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
          r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
