"""The outbox page: every email the program queued, sent or gave up on, for an admin to check.

A message is shown as its recipient reads it (headers decoded, the HTML part in a sandboxed
frame, never into the page itself); a failed one can be queued again.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from notifications.preview import as_sent
from notifications.settings import NotificationSettings
from web.actions import perform
from web.admin import bp
from web.clock import app_clock
from web.database import db_session
from workflow.outbox.models import OutboxStatus
from workflow.outbox.operations import admin_retry
from workflow.outbox.queries import admin_counts, admin_message, admin_messages


class RetryForm(FlaskForm):
    """Only the CSRF token: the message is in the URL."""


@bp.route("/outbox")
@login_required
def outbox():
    """Counts by status, and the newest messages, filtered by ``?status=``."""
    status = request.args.get("status") or None
    if status not in {None, *OutboxStatus}:
        status = None
    session, actor = db_session(), current_user.user
    return render_template(
        "admin/outbox.html",
        counts=admin_counts(session, actor),
        rows=admin_messages(session, actor, status),
        status=status,
        statuses=list(OutboxStatus),
        status_labels={s.value: s.label for s in OutboxStatus},
        retry_form=RetryForm(),
    )


@bp.route("/outbox/<int:message_id>")
@login_required
def outbox_message(message_id: int):
    """One message, as sent."""
    row = admin_message(db_session(), current_user.user, message_id)
    settings = NotificationSettings.from_config(current_app.config)
    return render_template(
        "admin/outbox_message.html",
        row=row,
        sent=as_sent(row, settings.mail, app_clock().now()),
        status=OutboxStatus(row.status),
        retry_form=RetryForm(),
    )


@bp.route("/outbox/<int:message_id>/retry", methods=["POST"])
@login_required
def outbox_retry(message_id: int):
    """Send a failed message again: back in the queue, attempts counted from zero."""
    if perform(admin_retry, current_user.user, message_id, app_clock().now()):
        flash(gettext("The message is queued again; it goes out with the next send."), "success")
    else:
        flash(gettext("Only a failed message can be sent again."), "error")
    return redirect(url_for("admin.outbox_message", message_id=message_id), 303)
