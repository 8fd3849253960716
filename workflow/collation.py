"""Sorting Vietnamese text the same way on SQLite and PostgreSQL."""

from __future__ import annotations

import unicodedata

# Sorting: the rows are one per unit, already aggregated; sorting them here makes Vietnamese
# names sort the same way on SQLite and PostgreSQL, whatever the database's collation.


def text_key(text: str) -> tuple[str, str]:
    """Sort Vietnamese text without regard to accents and case first (Đ sorts as D)."""
    plain = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    return plain.encode("ascii", "ignore").decode().casefold(), text
