"""Quotation marks and the typographic forms a rewrite may swap without changing a word."""

from __future__ import annotations

# The one folding table: each typographic mark to its plain form.
FOLD: dict[str, str] = {"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " ",
                        "`": "'"}
# Its quotation marks and no-break space only (dashes and backticks kept): what garbled-text
# detection folds, where a dash or a backtick is part of the damage it reports.
QUOTE_FOLD: dict[str, str] = {c: FOLD[c] for c in "“”‘’\u00a0"}
# the characters that open or close a quotation
QUOTE_CHARS = "\"'“”‘’`«»"
# what ends a sentence, closes one after its end, or opens one before its first word
TERMINAL = ".!?…:;"
CLOSERS = "\"'”’)]»"
OPENERS = "\"'“‘([«"
