"""How English news copy attributes a quotation: the patterns that find "X said", "said X",
"told by X", "according to X" and "X: ...", and the words that tell a speaker from the rest.

Patterns are built from the word lists of this package (speech verbs, roles, titles), each
group 1 the speaker as written.
"""

from __future__ import annotations

import re

from unspin.lang.en.lexicon import words
from unspin.lang.en.people import (
    GIVEN_NAME_TITLES,
    KIN_GENDER,
    NAME_PARTICLES,
    PERSON_TITLES,
    PLURAL_ROLES,
    SPEAKER_ROLES,
)
from unspin.lang.en.speech import INVERTED_QUOTE_VERBS, PASSIVE_QUOTE_VERBS, QUESTION_VERBS, QUOTE_VERBS

VERBS = "|".join(QUOTE_VERBS)
NAME_WORD = r"(?:[A-Z][\w'’\-]*\.?|" + "|".join(NAME_PARTICLES) + ")"
# a name: capitalised words, particles allowed inside
NAME = rf"[A-Z][\w'’\-]*\.?(?:\s+{NAME_WORD})*"
# a role noun phrase: "the spokesman", "his barrister", "the Chinese foreign ministry's representative"
ROLE_NP = (r"(?:[Tt]he|[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Ii]ts)\s+(?:[\w'’\-]+\s+){0,4}?"
           r"(?i:" + "|".join(sorted(SPEAKER_ROLES, key=len, reverse=True)) + r")s?\b")
PLURAL_ROLE = "(?:" + "|".join(PLURAL_ROLES) + ")"
SUBJECT = rf"(?:{ROLE_NP}|{PLURAL_ROLE}|{NAME}|[Hh]e|[Ss]he|[Tt]hey)"
# words between a speaker and the verb ("Mrs Ferrier had", "he later")
AUX = r"(?:\s+(?:himself|herself|themselves|had|has|have|also|then|later|allegedly|previously|" \
      r"again|once|yesterday|today|simply|quickly|repeatedly|further|flatly))*"
# "Mr Browne said", "Mr Paton's secretary, Ms X, told": speaker (1), possessed noun (2), asides (3)
FORWARD = re.compile(rf"(?<![\w'’])({SUBJECT})((?:'s|’s)\s+[a-z]+)?"  # "Mr Paton's secretary"
                     rf"((?:\s*,[^,;:\"“”]{{1,90}}){{0,3}}),?{AUX}\s+(?:{VERBS})\b")
# "..., said Mr Browne." : the inverted speaker closes the clause ("asked Cobb:" names the addressee)
INVERTED = re.compile(rf"\b(?:{'|'.join(INVERTED_QUOTE_VERBS)})\s+({ROLE_NP}|{NAME})(?=\s*(?:[,.;!?—]|$))")
PASSIVE = re.compile(rf"\b(?:{'|'.join(PASSIVE_QUOTE_VERBS)})\s+by\s+({SUBJECT})((?:'s|’s)\s+[a-z]+)?")
ACCORDING = re.compile(rf"\b[Aa]ccording to\s+({SUBJECT})")
# "The magistrate: “It's not for me ...”" (a quotation marked "—" in the narration)
COLON = re.compile(rf"(?:^|(?<=[.!?]\s))\s*({ROLE_NP}|{NAME})\s*:\s*—")
# the subject of a clause ("..., and Smith went"): what a pronoun most likely points back to
CLAUSE_SUBJECT = re.compile(rf"(?:^|[,;:]\s+|\b(?:and|but|then|when|while)\s+)({NAME})\s+([a-z]+)")
QUESTION = re.compile(r"\b(?:" + "|".join(QUESTION_VERBS) + r")\b")
# a person named with a title ("Mr Kathy-Ann Smith"): the name words
TITLED_NAME = re.compile(r"\b(?:" + "|".join(PERSON_TITLES) + r")\.?\s+"
                         r"((?:[A-Z][\w'’\-]+\s+)*[A-Z][\w'’\-]+)")
# "his wife " / "Mrs " before a given name: the kin word (1) or the title (2)
GIVEN_PREFIX = re.compile(rf"\b(?:({'|'.join(k for k, g in KIN_GENDER.items() if g)}),?[ \t]+|"
                          rf"({'|'.join(GIVEN_NAME_TITLES)})\.?[ \t]+)", re.IGNORECASE)

# the word after a clause subject that is no verb ("Smith of Leeds", "Smith and Jones")
NOT_VERBS = words("""of in on at for to from with by and or the a an who which that whose as
than into near""")
# first words of a subject that are no name ("When Smith said", "Sentencing Hobbs, ...")
NOT_NAMES = words("""the a an this that it in on at as when while after before during but and
if however also asked speaking jailing sentencing passing explaining pleading describing
appealing giving outside inside although despite yesterday today later earlier within without
among between under over through across against around behind beyond since until unless because
though whilst once""")
# words after which a capitalised name is an object, not a speaker ("staff who worked for Mrs Price")
OBJECT_BEFORE = words("""for of to by with from against about on in at into onto upon than
like between among toward towards told asked informed thanked accused urged called named saw heard met
visited sued attacked blamed praised criticised criticized described""")
# what may open a sentence before its speaker ("In court, his barrister said ...")
LEAD_OPENERS = frozenset(["in", "at", "during", "under", "on", "later", "earlier", "yesterday", "today",
                          "and", "but", "however", "giving"])
