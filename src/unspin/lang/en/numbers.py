"""Numbers written in words, scales, ordinals, currencies and the words around a figure."""

from __future__ import annotations

from unspin.lang.en.lexicon import words, words_in_order

# Number words, so that "three" in a rewrite is read as the number the source wrote as 3.
NUMBER_WORDS: dict[str, int] = {
    w: i for i, w in enumerate(words_in_order("""
zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
sixteen seventeen eighteen nineteen twenty"""))
} | {"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
     "ninety": 90, "hundred": 100, "thousand": 1000, "million": 10**6, "billion": 10**9,
     "dozen": 12, "half": 0}

# the parts a number in words is built of ('twenty-five', 'two hundred and fifty', 'five million')
UNITS = {"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
         "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6,
          "bn": 1e9, "k": 1e3, "dozen": 12}
SCALE_ABBREVIATIONS = ("m", "k", "bn")  # scales written after digits only ('£5m'), never after words
HALF = ("a", "half")  # 'two-and-a-half'
HALF_WORDS = ("-", "a", "half")  # what 'and a half' spans, hyphens and all
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
            "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "twentieth": 20,
            "hundredth": 100}
ORDINAL_SUFFIXES = ("st", "nd", "rd", "th")  # '21st'
CURRENCY_SIGNS = {"£": "GBP", "$": "USD", "€": "EUR"}
CURRENCY_WORDS = {"pounds": "GBP", "pound": "GBP", "dollars": "USD", "dollar": "USD", "euros": "EUR",
                  "euro": "EUR", "pence": "GBP", "p": "GBP"}

# 'one' is mostly a pronoun or determiner: not a count after these ('the one', 'someone')...
ONE_NOT_COUNT_AFTER = words("""
the any no every each this that which someone anyone no-one
""")
# ... or before these ('one of', 'one who')
ONE_NOT_COUNT_BEFORE = ("of", "another", "", "who", "that", "which", ",", ".", "-")
# 'the one year sentence': before a unit of time 'one' is a count even after 'the' ...
TIME_UNITS = words("year years month months week weeks day days hour hours minute minutes decade")
# ... but not after these ('no one day')
ONE_TIME_NOT_COUNT_AFTER = ("no", "any", "every", "each")

# words between a figure and what it counts ('£3,000 for stress', 'five counts of')
UNIT_SKIP = words("for of in the a an his her their its")

# number words a bound phrase may take ('no more than forty')
BOUND_NUMBER_WORDS = words("""
one two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty fifty sixty
seventy eighty ninety hundred thousand million billion dozen
""")
# bounds on a figure: 'no more than 40' (a ceiling) vs 'at least 40' (a floor)
UPPER_BOUNDS = ("no more than", "not more than", "at most", "at the most", "up to", "under", "less than",
                "fewer than", "below", "a maximum of", "maximum of", "no longer than", "not exceeding",
                "no greater than")
LOWER_BOUNDS = ("at least", "more than", "over", "above", "in excess of", "a minimum of", "minimum of",
                "upwards of", "no less than", "no fewer than", "not less than", "at the least", "exceeding")
# words that approximate a figure: "about 14,200" and "roughly 14,200" say the same thing
APPROXIMATORS = words("about around approximately roughly nearly almost some estimated circa")

# level of a quantifier at the head of a noun phrase
QUANTIFIERS = {"few": 1, "some": 2, "several": 2, "various": 2, "multiple": 2, "number": 2, "many": 3,
               "numerous": 3, "most": 4, "majority": 4, "all": 5, "every": 5, "everyone": 5, "everybody": 5}
# quantifiers that are no quantity after these ('at all', 'the most', 'for some time')
QUANTIFIER_IDIOM_HEADS = ("all", "some", "most", "many", "few", "several")
QUANTIFIER_IDIOM_BEFORE = ("at", "the", "in", "for", "a")
# a part of a group vs all of it ('one of the victims' -> 'both of the victims')
SOME_OF = words("one some either several few")
ALL_OF = words("both all each every")
