"""Long lists a page at a time: which page was asked for, and which rows it holds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def page_number(text: str | None) -> int:
    """The page asked for; anything that is not a page number is the first page."""
    return int(text) if text and text.isascii() and text.isdigit() and 0 < int(text) < 10**6 else 1


@dataclass(frozen=True)
class Page:
    """The rows of one page of a list already read whole (its order decided), and where the
    page stands: a page past the end is the last."""

    rows: Sequence
    page: int
    pages: int
    total: int
    per_page: int

    @property
    def first(self) -> int:
        """The place in the whole list of the page's first row, counted from 1."""
        return (self.page - 1) * self.per_page + 1

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1


def page_within(asked: str | None, total: int, per_page: int) -> tuple[int, int]:
    """The page asked for among a list's pages (past the end, the last one), and how many
    pages the list has."""
    pages = max(1, -(-total // per_page))
    return min(page_number(asked), pages), pages


def page_of(rows: Sequence, asked: str | None, per_page: int) -> Page:
    page, pages = page_within(asked, len(rows), per_page)
    return Page(rows[(page - 1) * per_page : page * per_page], page, pages, len(rows), per_page)
