"""Input no page can take, refused at the door with a clear answer instead of a crash deep in.

- A character the database cannot store (NUL, a lone surrogate: ``workflow.stored_text``) in a
  form, a query or a JSON body: the request is refused (400) in the reader's language.
- An id past what the database's integers hold in an address (``/tasks/99999999999``): a
  route's ``<int:...>`` matches only ids the database can have, so it is plainly not found.
"""

from __future__ import annotations

from flask import Flask, request
from werkzeug.routing import IntegerConverter

from workflow.stored_text import refuse_unstorable

MAX_ID = 2**31 - 1  # PostgreSQL's integer; SQLite's is larger, so this bounds both


class DatabaseId(IntegerConverter):
    """``<int:...>`` bounded to the ids a table can hold."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def _refuse_unstorable() -> None:
    body = request.get_json(silent=True) if request.is_json else None
    refuse_unstorable(list(request.args.values()), list(request.form.values()), body)


def init_app(app: Flask) -> None:
    """Before any route is registered: the converter applies to the rules made after it."""
    app.url_map.converters["int"] = DatabaseId
    app.before_request(_refuse_unstorable)
