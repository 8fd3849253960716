"""What text the database can store, checked where text comes in (the web app's requests, the
command line's arguments, plan files): refused with a clear answer, not a crash deep in.

Two characters cannot be stored at all: NUL (PostgreSQL's text cannot hold it) and a lone
UTF-16 surrogate (no UTF-8 for it: JSON's ``"\\ud800"`` decodes to one, and so does a command
line argument that is not UTF-8). No person means either. Every other character is kept as
typed; the files written from stored text drop what they cannot hold
(``workflow.reporting.safe_text``).
"""

from __future__ import annotations

import re

from workflow.errors import InvalidInput
from workflow.i18n import N_

_SURROGATE = re.compile("[\ud800-\udfff]")


NUL = N_("The text holds a character that cannot be stored (NUL).")
SURROGATE = N_(
    "The text holds a character that cannot be stored (a lone surrogate, U+D800 to U+DFFF): "
    "was it cut from a longer text?"
)


def unstorable(text: str) -> str | None:
    """Why ``text`` cannot be stored (a msgid), or None when it can."""
    if "\x00" in text:
        return NUL
    return SURROGATE if _SURROGATE.search(text) else None


def refuse_unstorable(*values: object) -> None:
    """Refuse (``InvalidInput``) if any text in ``values`` (or in their lists and dicts, keys
    too) holds a character the database cannot store."""
    for text in _texts(values):
        if reason := unstorable(text):
            raise InvalidInput(reason)


def _texts(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(key)
            yield from _texts(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _texts(item)
