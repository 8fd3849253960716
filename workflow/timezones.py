"""Where "local" is: one setting for the whole program, Asia/Ho_Chi_Minh unless told otherwise."""

from __future__ import annotations

from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
_zone = ZoneInfo(DEFAULT_TIMEZONE)


def local_zone() -> ZoneInfo:
    """The timezone in which dates are shown and due times are computed."""
    return _zone


def set_local_zone(name: str) -> None:
    """Change the local timezone (``GIAOVIEC_TIMEZONE``)."""
    global _zone
    _zone = ZoneInfo(name)
