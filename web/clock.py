"""The app's clock: every request, command and job of one app reads "now" from it.

Set from ``GIAOVIEC_NOW`` (a replayed date that stands still) when the app is created; a command
given ``--now`` and the demo replace it on their own app. No other app, and no later test, sees
the change: nothing here is a process global.
"""

from __future__ import annotations

from flask import Flask, current_app

from workflow.clock import Clock

KEY = "giaoviec.clock"


def init_app(app: Flask) -> None:
    set_app_clock(app, Clock.at(app.config["NOW"] or None, app.config["TIMEZONE"]))


def app_clock(app: Flask | None = None) -> Clock:
    """The clock of ``app`` (the current app by default)."""
    return (app or current_app).extensions[KEY]


def set_app_clock(app: Flask, clock: Clock) -> None:
    app.extensions[KEY] = clock
