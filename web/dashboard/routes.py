"""Accountability and plan overview (being built)."""

from flask import render_template
from flask_login import login_required

from web.dashboard import bp


@bp.route("/accountability")
@login_required
def accountability():
    return render_template("dashboard/accountability.html")


@bp.route("/plan")
@login_required
def plan_overview():
    return render_template("dashboard/plan.html")
