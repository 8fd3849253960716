"""The review queue (being built)."""

from flask import render_template
from flask_login import login_required

from web.review import bp


@bp.route("/")
@login_required
def queue():
    return render_template("review/queue.html")
