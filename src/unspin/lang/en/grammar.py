"""Closed-class words the detectors read structure by: articles, copulas, linkers, clause
openers, the auxiliaries between a speaker and the verb, and verbs that need an object."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

ARTICLES = ("the", "a", "an")
# what opens a noun phrase before its head ("his barrister", "the company's spokesman")
NP_OPENERS = ("the", "a", "an", "his", "her", "their", "its")
# what makes the next word a noun ("the claim", "this claim"), not a verb
NOUN_MARKERS = ("the", "a", "an", "his", "her", "its", "their", "this")
# prepositions after a person noun that name whom it belongs to ("a spokesman for the firm")
OF_PREPOSITIONS = ("at", "of", "for", "from", "with")
# forms of "be" before a passive participle ("it is thought", "was said to")
BE_FORMS = ("is", "was", "were", "are", "been", "be")
PASSIVE_BE = ("was", "were", "been", "being", "is", "are", "be")
COPULAS = words("be is are was were been being become became feel felt seem seemed")
# words between a speaker and a speech verb ("Mr X also said", "he had earlier told")
SPEAKER_FILLERS = ("also", "had", "has", "have", "then", "later", "further", "himself", "herself", "again",
                   "once", "today", "yesterday", "would", "will", "could", "was", "were", "is")
ONLY = ("only",)  # an "-ly" word that is no adverb of manner
# clause openers that carry no content of their own
LINKERS = words("""
although though whereas because however nevertheless yet unless whether despite meanwhile instead
""")
CONTRASTS = words("but while whereas although though yet")
COORDINATORS = ("but", "and")
# words a clause starts at (claims are judged clause by clause)
CLAUSE_OPENERS = words("""
that which who whom because while although though whereas but and after before since until
unless if
""")
# a clause that limits what precedes it ('..., although there has been a bigger one')
CONCESSIVES = frozenset(["although", "though", "except", "unless", "but", "however"])
# verbs that need an object: a line ending on one stops mid-sentence ("Biden also called")
TRANSITIVE_VERBS = words("""said told called made gave took put got asked described named found
says tells calls makes gives takes puts gets asks describes names finds include includes""")
# possessives that make the next noun someone acting for that person ("his barrister")
PERSONAL_POSSESSIVES = ("his", "her", "their")

# ---- sentence splitting and quotation speakers (unspin.segment)
# capitalised words a sentence typically opens with: a full stop before one ends a sentence
SENTENCE_OPENERS = words("""
The A An He She It They We I You This That These Those There Here But And Or So Yet
    In On At For From With By As After Before When While If Although Though Because Since
    His Her Their Its Our My Your Some Many Most All No Not One Two Three Both Each Other
    Another Mr Mrs Ms Meanwhile However Yesterday Today Tonight Last Next Then Now What Why
    How Where Who Officials Police It's That's""")

# lower-case words that may sit inside a speaker's noun phrase ('head of the unit')
NAME_LINK_WORDS = words("of for and at in on from with to the")
