"""Input no page can take, refused at the door with a clear answer instead of a crash deep in.

- A NUL character in a form, a query or a JSON body: PostgreSQL cannot store it in text, and
  no person means it; the request is refused (400) in the reader's language.
- An id past what the database's integers hold in an address (``/tasks/99999999999``): a
  route's ``<int:...>`` matches only ids the database can have, so it is plainly not found.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from workflow.errors import InvalidInput
from workflow.i18n import N_

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger, so this bounds both


class DatabaseId(IntegerConverter):
    """``<int:...>`` bounded to the ids a table can hold."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False


def _refuse_nul() -> None:
    texts = [*request.args.values(), *request.form.values()]
    body = request.get_json(silent=True) if request.is_json else None
    if any(_holds_nul(text) for text in texts) or _holds_nul(body):
        raise InvalidInput(N_("The text holds a character that cannot be stored (NUL)."))


def init_app(app: Flask) -> None:
    """Before any route is registered: the converter applies to the rules made after it."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(_refuse_nul)
