"""``/settings/notifications`` (where every email's settings link points), the one-click
unsubscribe of the digests' headers, and the preview of the next reminders a unit will get."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required

from notifications.preview import reminder_preview
from notifications.rules import ESCALATED_TO, Rule
from notifications.settings import NotificationSettings
from notifications.unsubscribe import unsubscribing_user
from web import csrf
from web.actions import perform
from web.clock import app_clock
from web.database import db_session
from web.errors import FORM_REFUSED
from web.settings import bp
from web.settings.forms import NotificationSettingsForm
from workflow.accounts.operations import save_notification_settings, set_email_digests
from workflow.i18n import N_
from workflow.permissions import Access, may

RULE_LABELS = {
    Rule.OPENING: N_("The quarter's list"),
    Rule.BEFORE: N_("Due soon"),
    Rule.OVERDUE: N_("Overdue"),
    Rule.ESCALATION: N_("Escalation"),
    Rule.REVIEW: N_("Waiting for review"),
    Rule.EXTENSION_REVIEW: N_("Extension request waiting"),
    Rule.RETURNED: N_("Report returned"),
}


@bp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    """Reminder digests on or off, and the language emails are written in."""
    user = current_user.user
    form = NotificationSettingsForm(
        formdata=None if request.method == "GET" else request.form,
        email_digests=user.email_digests,
        locale=user.locale,
    )
    if not form.validate_on_submit():
        status = FORM_REFUSED if form.is_submitted() else 200
        return _render(form), status
    perform(save_notification_settings, user, form.email_digests.data, form.locale.data)
    flash(gettext("Your notification settings were saved."), "success")
    response = redirect(url_for("settings.notifications"), 303)
    response.set_cookie("lang", user.locale, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def _render(form: NotificationSettingsForm):
    user = current_user.user
    return render_template(
        "settings/notifications.html",
        form=form,
        gets_escalations=user.role in ESCALATED_TO,
        may_preview=may(user, Access.REMINDER_PREVIEW),
    )


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
@csrf.exempt
def unsubscribe(token: str):
    """The digests' ``List-Unsubscribe`` link (``notifications.unsubscribe``), no sign-in: the
    signed token says whose it is. A POST (the mail program's one click, or this page's button)
    switches digests off; a GET only asks, since mail scanners follow links."""
    user = unsubscribing_user(db_session(), current_app.config["SECRET_KEY"], token)
    if request.method == "POST":
        perform(set_email_digests, user, False)
    return render_template("settings/unsubscribe.html", user=user, done=request.method == "POST")


@bp.route("/preview")
@login_required
def preview():
    """The reminders the next 30 days' sweeps would send about a unit's tasks (``?unit=``)."""
    unit_id = request.args.get("unit", type=int)
    settings = NotificationSettings.from_config(current_app.config)
    result = reminder_preview(db_session(), current_user.user, unit_id, settings, app_clock().now())
    return render_template(
        "settings/preview.html",
        preview=result,
        rule_labels=RULE_LABELS,
    )
