"""API endpoints (being built)."""

from flask import jsonify

from web.api import bp


@bp.route("/me")
def me():
    return jsonify({})
