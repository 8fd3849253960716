"""Sorting and searching Vietnamese text the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import re
import unicodedata

# Sorting: the rows are one per unit, already aggregated; sorting them here makes Vietnamese
# names sort the same way on SQLite and PostgreSQL, whatever the database's collation.


def text_key(text: str) -> tuple[str, str]:
    """Sort Vietnamese text without regard to accents and case first (Đ sorts as D)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return plain.encode("ascii", "ignore").decode().casefold(), text


def fold(text: str) -> str:
    """Lower case, no diacritics, đ as d, dashes and punctuation as spaces: the form in which
    "bao cao" finds "Báo cáo", and "III.1.1" finds "III.1.1"."""
    text = unicodedata.normalize("NFD", text.lower().replace("đ", "d"))
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    return " ".join(re.sub(r"[^a-z0-9/]+", " ", text).split())
