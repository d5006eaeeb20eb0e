"""English language data, one module per kind, each list loaded once at import.

- ``stop_words``: the stop lists, each documented with the comparison it serves
- ``grammar``: closed-class words (articles, copulas, linkers, clause openers)
- ``morphology``: irregular forms, stemming suffixes, contractions, affixes
- ``numbers``: numbers in words, scales, ordinals, currencies, bounds, quantifiers
- ``dates``: months and days
- ``people``: role nouns (one table, with the views each reader was tuned with), titles,
  relatives, pronouns, person and organisation nouns
- ``speech``: verbs that report speech
- ``negation``, ``modality``: negators; hedges, intensity, frequency, certainty, decisions
- ``antonyms``: opposite outcomes and relations
- ``legal``: custody and the state of a case
- ``abbreviations``: abbreviations, web address endings, place short forms
- ``punctuation``: quotation marks and the one typographic folding table
- ``attribution``, ``patterns``: regular expressions built on English words
- ``page``: page furniture (labels, share bars, bylines, date lines, comment threads) text
  extraction drops
- ``messages``: the words explanations name things by

The names below are the ones shared across the pipeline, importable from ``unspin.lang.en``.
"""

from __future__ import annotations

from unspin.lang.en.dates import MONTHS
from unspin.lang.en.numbers import NUMBER_WORDS
from unspin.lang.en.people import ROLES, SPEAKER_ROLES, TITLES
from unspin.lang.en.speech import REPORTING_VERBS
from unspin.lang.en.stop_words import STOP_WORDS

__all__ = ["MONTHS", "NUMBER_WORDS", "REPORTING_VERBS", "ROLES", "SPEAKER_ROLES", "STOP_WORDS", "TITLES"]
