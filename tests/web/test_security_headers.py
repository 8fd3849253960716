"""Every response tells the browser to keep the page to itself: no script but the site's, no
framing, no sniffing, no leaking addresses, no shared caching of downloads, HTTPS once seen."""

from __future__ import annotations

import re

import pytest

PAGES = ["/login", "/", "/plan", "/inbox/", "/settings/notifications"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_forbids_inline_script_and_framing(sign_in, make_user, path):
    client = sign_in(make_user("unit_head", "UBND"))
    response = client.get(path)
    policy = dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # no 'unsafe-inline', no other site
    assert "'unsafe-inline'" not in policy["default-src"]
    assert policy["frame-ancestors"] == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "<script" not in response.text and not re.search(r"\bon[a-z]+=", response.text)


def test_hsts_only_over_https(client, ward):
    assert "Strict-Transport-Security" not in client.get("/login").headers
    secure = client.get("/login", base_url="https://giaoviec.example.vn")
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_the_approve_and_return_forms_cannot_be_framed(sign_in, make_user, open_tasks):
    open_tasks("2026-Q1")
    review = sign_in(make_user("reviewer")).get("/review/")
    assert review.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in review.headers["Content-Security-Policy"]
