"""Input that no page can take gets a clear answer, never a 500: a NUL or a lone surrogate
anywhere, an id larger
than the database holds, a form without an optional field."""

from __future__ import annotations

import pytest
from flask_login import login_user
from sqlalchemy.exc import IntegrityError

from tests.conftest import csrf
from web.auth.account import Account
from web.database import db_session
from web.errors import render_error
from workflow.accounts.models import User


def test_a_nul_in_the_login_name_is_refused_before_sign_in(client, ward):
    page = client.get("/login").text
    response = client.post(
        "/login", data={"csrf_token": csrf(page), "username": "ad\x00min", "password": "x"}
    )
    assert response.status_code == 400
    assert "ký tự không lưu được (NUL)" in response.text


@pytest.mark.parametrize(
    "path", ["/?q=bao\x00cao", "/review/?q=%00", "/accountability/tasks?unit=U%00BND"]
)
def test_a_nul_in_a_query_is_refused(sign_in, make_user, path):
    client = sign_in(make_user("reviewer"))
    assert client.get(path).status_code == 400


def test_a_nul_in_the_api_body_is_refused_as_json(client, ward):
    """Refused before anything else is read, the signature of the request included."""
    response = client.post("/api/v1/tasks/1/events", json={"event": "start\x00"})
    assert response.status_code == 400 and response.is_json
    assert response.json["error"]["code"] == "invalid_input"


def test_a_lone_surrogate_in_the_api_body_is_refused_as_json(client, ward):
    """JSON's "\\ud800" decodes to a character no database stores (no UTF-8 has it)."""
    response = client.post(
        "/api/v1/tasks/1/events",
        data='{"event": "start", "version": 1, "comment": "Số liệu \\ud800"}',
        content_type="application/json",
    )
    assert response.status_code == 400 and response.is_json
    assert "U+D800" in response.json["error"]["message"]


@pytest.mark.parametrize(
    "path", ["/tasks/2147483648", "/tasks/99999999999999999999", "/inbox/9223372036854775808"]
)
def test_an_id_past_the_databases_integers_is_not_found(sign_in, make_user, path):
    client = sign_in(make_user("unit_head", "UBND"))
    assert client.get(path).status_code == 404


def test_a_new_user_without_the_optional_full_name(sign_in, make_user):
    client = sign_in(make_user("admin"))
    page = client.get("/admin/users/new").text
    response = client.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf(page),
            "username": "moi",
            "email": "moi@example.vn",
            "role": "leader",
            "password": "mat-khau-dai",
        },
    )
    assert response.status_code == 303


def test_an_error_after_a_failed_flush_is_still_answered(app, ward, make_user):
    """A flush that failed leaves the session unusable until rolled back: the error answer
    (which reads the database for the menu) must still come, as JSON for the API."""
    existing = make_user("leader")
    with app.test_request_context("/api/v1/tasks"):
        session = db_session()
        session.add(User(**{**existing.model_dump(), "id": existing.id}))
        with pytest.raises(IntegrityError):
            session.flush()
        body, status = render_error(500, "Hệ thống gặp sự cố")
        assert status == 500 and body.json["error"]["message"] == "Hệ thống gặp sự cố"
    with app.test_request_context("/plan"):
        login_user(Account(existing))  # the page's menu counts their notifications
        session = db_session()
        session.add(User(**{**existing.model_dump(), "id": existing.id}))
        with pytest.raises(IntegrityError):
            session.flush()
        page, status = render_error(500, "Hệ thống gặp sự cố")
        assert status == 500 and "Hệ thống gặp sự cố" in page


def test_a_request_body_past_the_whole_limit_is_refused(app, sign_in, make_user, open_tasks):
    """50 MB for a report and all its files by default; past it, a plain answer."""
    assert app.config["MAX_CONTENT_LENGTH"] == 50 << 20
    app.config["MAX_CONTENT_LENGTH"] = 1 << 20  # the same rule, smaller, to keep the test light
    task = open_tasks("2026-Q1")("VI.2.1", "UBND")
    client = sign_in(make_user("unit_head", "UBND"))
    page = client.get(f"/tasks/{task.id}").text
    response = client.post(
        f"/tasks/{task.id}/report",
        data={"csrf_token": csrf(page), "version": "1", "text": "x" * (1 << 20)},
    )
    assert response.status_code == 413
    assert "50 MB" in response.text  # the configured whole, as the office set it
