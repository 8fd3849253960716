"""The headers every response carries, so a browser keeps the pages to themselves.

The pages run no script at all, so the policy allows none inline or from elsewhere; styles
may be inline (the email previews and the print view carry their own). No page may be framed
(the approve and return forms would otherwise be clickjacked), no file is sniffed into
something else, addresses are not leaked to other sites, and a download stays out of shared
caches. Behind HTTPS, browsers are told to come back only over HTTPS.
"""

from __future__ import annotations

from flask import Flask, Response, request

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)
HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


def _secure(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    if "attachment" in response.headers.get("Content-Disposition", ""):
        response.headers["Cache-Control"] = "private, no-store"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_secure)
