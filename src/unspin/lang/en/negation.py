"""Negation: the words that deny, the words that deny implicitly, and the phrases that only
look like a denial ("nothing but", "not only")."""

from __future__ import annotations

from unspin.lang.en.lexicon import words

NEGATORS = words("""
not no never neither nor none nobody nothing nowhere without cannot
""")
# verbs and adjectives that deny what follows them (compared by stem)
IMPLICIT_NEGATORS = ("fail", "failed", "unable", "lack", "lacked", "absent", "refrain")
# "not only", "not just": no denial
NOT_DENYING_AFTER_NOT = ("only", "just")
# "no longer", "no doubt": no denial
NOT_DENYING_AFTER_NO = ("longer", "doubt")
# a negator that limits or stresses what follows ('nothing but', 'no more than', 'none other
# than'): the word after it, and the word that must follow that one ("" = any)
LIMITING_NEGATORS = ("no", "nothing", "none", "not", "never", "nobody")
LIMIT_AFTER = {"but": ("",), "more": ("than",), "less": ("than",), "fewer": ("than",), "other": ("than",),
               "short": ("of",), "sooner": ("",)}
# quasi-negative quantities: "little risk", "scant evidence", "hardly any chance" deny the noun
QUASI_NEGATORS = words("little scant")
NOT_QUASI_AFTER = ("a", "very", "too", "so")  # "a little risk" is some risk
SCARCELY = ("hardly", "barely", "scarcely")
SCARCELY_ANY = ("any", "anything", "anyone", "ever")
# the nouns a quasi-negative quantity denies (compared by stem)
ABSTRACT_NOUNS = words("""
risk chance danger doubt evidence hope prospect sign indication effect impact difference remorse
interest support attention choice option reason need point sense value help threat likelihood
possibility suggestion proof concern regard sympathy warning progress improvement benefit
""")
# adjectives "un-" negates ("unaware", "unable"): read as a negation
UN_ADJECTIVES = words("""
aware able able fit fair lawful likely willing known happy clear certain necessary safe usual
acceptable reasonable conscious available successful prepared
""")
# litotes: "not exactly a secret" says it is one
LITOTES_AFTER_NOT = ("exactly", "necessarily", "entirely", "quite")
# the negators with the contracted "n't" as a word of its own
NEGATOR_FORMS = NEGATORS | {"n't"}
