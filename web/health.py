"""``/healthz``: what a load balancer or a process supervisor asks to know a worker is up.

It answers without a session, a template or the database, so it measures the server and the
app's own request handling alone (the benchmark compares the pages to it)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    return "ok\n", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
