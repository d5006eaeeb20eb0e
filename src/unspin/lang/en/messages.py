"""The words explanations name things by (findings explain themselves in English)."""

from __future__ import annotations

# what each kind of value is called ("The amount differs: ...")
VALUE_KIND_NAMES = {"num": "number", "money": "amount", "year": "year", "ord": "ordinal", "month": "month",
                    "day": "day"}
# why an omitted source sentence matters, as its explanation says it
OMISSION_REASONS = {"lead": "the lead", "quote": "a direct quotation", "numbers": "figures",
                    "status": "custody, bail or outcome", "qualifier": "its qualification"}
