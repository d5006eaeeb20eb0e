"""English word forms: irregular inflections, the suffixes the stemmers take off, contractions
and the affixes that make a known word out of another (``unspin.text`` applies them)."""

from __future__ import annotations

# inflected and derived forms no suffix rule reaches, with the base they stem to
IRREGULAR: dict[str, str] = {
    "was": "be", "were": "be", "is": "be", "are": "be", "been": "be", "being": "be", "am": "be",
    "had": "have", "has": "have", "having": "have", "did": "do", "does": "do", "done": "do",
    "said": "say", "says": "say", "told": "tell", "found": "find", "took": "take", "taken": "take",
    "gave": "give", "given": "give", "went": "go", "gone": "go", "ran": "run", "stole": "steal",
    "stolen": "steal", "made": "make", "paid": "pay", "left": "leave", "held": "hold", "led": "lead",
    "brought": "bring", "bought": "buy", "sold": "sell", "caught": "catch", "thought": "think",
    "knew": "know", "known": "know", "saw": "see", "seen": "see", "met": "meet", "won": "win",
    "lost": "lose", "began": "begin", "begun": "begin", "wrote": "write", "written": "write",
    "kept": "keep", "felt": "feel", "fell": "fall", "fallen": "fall", "drove": "drive",
    "driven": "drive", "spent": "spend", "sent": "send", "struck": "strike", "hit": "hit",
    "men": "man", "women": "woman", "children": "child", "people": "person", "lives": "life",
    "wives": "wife", "feet": "foot", "teeth": "tooth", "mice": "mouse", "geese": "goose",
    "better": "good", "best": "good", "worse": "bad", "worst": "bad", "dying": "die", "died": "die",
    "lying": "lie", "drank": "drink", "drunk": "drink", "ate": "eat", "eaten": "eat",
    "fled": "flee", "shot": "shoot", "rose": "rise", "risen": "rise", "grew": "grow", "sought": "seek",
}
VOWELS = frozenset("aeiouy")

# (suffix, replacement), the first that fits is taken: inflections and the common derivations,
# so injured/injuries, agreed/agreeing and conviction/convicted meet
SUFFIXES: tuple[tuple[str, str], ...] = (
    ("ational", "ate"), ("ization", "ize"), ("isation", "ize"), ("iveness", "ive"),
    ("fulness", "ful"), ("ousness", "ous"), ("ements", ""), ("ement", ""),
    ("ments", ""), ("ment", ""), ("ations", "ate"), ("ation", "ate"),
    ("itions", ""), ("ition", ""), ("ions", ""), ("ion", ""), ("ness", ""),
    ("ingly", ""), ("edly", ""), ("ities", ""), ("ity", ""), ("ically", "ic"),
    ("ily", "y"), ("ly", ""), ("ings", ""), ("ing", ""), ("ied", "y"), ("ies", "y"),
    ("ed", ""), ("es", ""), ("s", ""))
NOT_PLURAL_S = ("ss", "us", "is")  # a final s that is no plural: "glass", "bus", "crisis"
ES_PLURALS = ("ses", "xes", "zes", "ches", "shes")  # plurals that take "es", not just "s"
KEEP_DOUBLE = "lsz"  # final doubled consonants a stem keeps ("fell", "miss", "buzz")

# the light stem quotation matching compares by: these endings only
LIGHT_SUFFIXES = ("ing", "ed", "es", "s", "ly")

# contractions written out, as quotation matching compares them
CONTRACTIONS: dict[str, list[str]] = {
    "won't": ["will", "not"], "can't": ["can", "not"], "cannot": ["can", "not"],
    "shan't": ["shall", "not"], "ain't": ["is", "not"], "let's": ["let", "us"],
}
CONTRACTION_SUFFIXES = {"n't": "not", "'re": "are", "'m": "am", "'ve": "have", "'ll": "will", "'d": "would"}
NT_ROOTS = {"wo": "will", "ca": "can", "sha": "shall"}  # "wo|n't", "ca|n't", "sha|n't"
# words whose "'s" is "is" ("he's", "that's"), not a possessive
S_IS_WORDS = frozenset(["he", "she", "it", "that", "there", "what", "who", "here", "where", "how"])

# a known stem with one of these makes a word ("assetless", "depersonalised")
AFFIX_PREFIXES = ("counter", "inter", "under", "super", "micro", "multi", "over", "anti", "semi",
                  "post", "self", "non", "mis", "dis", "pre", "sub", "out", "un", "re", "de")
AFFIX_SUFFIXES = ("ectomy", "otomy", "ology", "ologist", "itis", "osis",
                  "isation", "ization", "ations", "ation", "ings", "ing", "ers", "er", "ish", "less",
                  "ness", "able", "ible", "ised", "ized", "ise", "ize", "ed", "es", "s", "ly")
# prefixes that negate the word they are put on ("insufficient" -> "sufficient")
NEGATIVE_PREFIXES = ("un", "in", "im", "il", "ir", "dis", "non")
# the letters a typing slip may put in, take out or swap ("colision" for "collision")
ALPHABET = "abcdefghijklmnopqrstuvwxyz"
# the endings of the participles a heading does not end on ("Fire crews called", "Looking")
PARTICIPLE_ENDINGS = ("ed", "ing")

# the suffixes sentence alignment's crude stemmer takes off, the first that fits (unspin.align)
ALIGN_SUFFIXES = ("ations", "ation", "ings", "ing", "edly", "ed", "ies", "es", "ly", "s")
