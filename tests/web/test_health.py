"""A load balancer asks ``/healthz`` whether a worker is up: it answers without signing in and
without the database."""

from __future__ import annotations

from workflow.db.engine import statements_sent


def test_healthz_answers_ok_without_a_session_or_the_database(app, client):
    with statements_sent(app.extensions["giaoviec.engine"]) as seen:
        response = client.get("/healthz")
    assert (response.status_code, response.text) == (200, "ok\n")
    assert response.headers["Cache-Control"] == "no-store"
    assert seen == []
