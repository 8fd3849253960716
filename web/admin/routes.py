"""Administration pages (being built)."""

from flask import render_template
from flask_login import login_required

from web.admin import bp


@bp.route("/")
@login_required
def users():
    return render_template("admin/users.html")
