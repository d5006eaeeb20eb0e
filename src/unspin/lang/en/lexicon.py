"""How the word lists of this package are written: whitespace-separated words in a string."""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of words written as one whitespace-separated string."""
    return frozenset(text.split())


def words_in_order(text: str) -> tuple[str, ...]:
    """The words of a whitespace-separated string, in order (where order matters)."""
    return tuple(text.split())


def groups(text: str) -> tuple[tuple[str, ...], ...]:
    """Groups of words written "a:b:c", whitespace between groups (synonyms, opposites)."""
    return tuple(tuple(item.split(":")) for item in text.split())
