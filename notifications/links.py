"""The links in the emails: written with a mark for the site's address when a message is queued,
made absolute when it is sent or shown, so that mail waiting in the outbox follows a change of
``GIAOVIEC_BASE_URL`` instead of pointing where the site used to be.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

# Chosen so that nothing the program writes contains it by chance; were a person to type it in a
# returned report's reason, it would read as the site's address, which is harmless.
BASE_URL_MARK = "{GIAOVIEC_BASE_URL}"
SETTINGS_LINK = BASE_URL_MARK + "/settings/notifications"


def task_link(task_id: int) -> str:
    return f"{BASE_URL_MARK}/tasks/{task_id}"


def with_base_url(body: str, base_url: str) -> str:
    """``body`` with its links made absolute on ``base_url``."""
    return body.replace(BASE_URL_MARK, base_url.rstrip("/"))


def text_as_html(body: str, base_url: str) -> Markup:
    """A plain-text ``body`` for a page: escaped, its links absolute on ``base_url`` and
    clickable (the mark tells exactly which words are links)."""
    parts = re.split(re.escape(BASE_URL_MARK) + r"(\S*)", body)
    return Markup("").join(
        escape(part) if n % 2 == 0 else _anchor(base_url.rstrip("/") + part)
        for n, part in enumerate(parts)
    )


def _anchor(url: str) -> Markup:
    return Markup('<a href="{0}">{0}</a>').format(url)
