"""Quotation marks and the typographic forms a rewrite may swap without changing a word."""

from __future__ import annotations

import re

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
# quotation marks and dashes only (no-break space and backtick kept): what word tokens fold (unspin.align)
TOKEN_FOLD: dict[str, str] = {c: FOLD[c] for c in "’‘“”–—"}
# box drawing, quotation marks, dashes and ellipses as ASCII, for terminals that cannot show them (cli)
TERMINAL_ASCII: dict[str, str] = {
    "\u2500": "-", "\u2502": "|", "\u256d": "+", "\u256e": "+", "\u2570": "+", "\u256f": "+", "\u2018": "'",
    "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2026": "...", "\u2013": "-",
    "\u2014": "-", "\u00b7": "-", "\u00a0": " "}
# a quotation: an opening mark at a word's start (a straight single quote only before a letter,
# so "the '90s" opens nothing) to a closing mark at a word's end, within a paragraph's length
# (straight single quotes count: British copy quotes with them)
QUOTATION = re.compile(r"(?<!\w)(?:[\"\u201c\u2018]|'(?=[^\W\d_]))"
                       r"[^\"\u201c\u201d\u2018\u2019]{2,600}?[\"\u201d\u2019'](?!\w)")
