"""``/inbox``: the list, one message (opening it marks it read), and 'mark all read'."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user, login_required

from notifications.links import text_as_html
from web.actions import perform
from web.clock import app_clock
from web.database import db_session
from web.inbox import bp
from workflow.outbox.inbox import (
    inbox,
    inbox_message,
    inbox_size,
    mark_all_read,
    mark_read,
    message_tasks,
)

PAGE_SIZE = 30


@bp.route("/")
@login_required
def index():
    user, session = current_user.user, db_session()
    page = max(request.args.get("page", 1, type=int), 1)
    total = inbox_size(session, user)
    return render_template(
        "inbox/index.html",
        messages=inbox(session, user, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE),
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
    )


@bp.route("/<int:message_id>")
@login_required
def message(message_id: int):
    """The message as it was written, with links to its tasks and its own links on the address
    the reader uses; opening it marks it read."""
    user, session = current_user.user, db_session()
    found = inbox_message(session, user, message_id)
    perform(mark_read, user, message_id, app_clock().now())
    return render_template(
        "inbox/message.html",
        message=found,
        text=text_as_html(found.body_text, request.url_root),
        tasks=message_tasks(session, user, message_id),
    )


@bp.route("/read", methods=["POST"])
@login_required
def read_all():
    count = perform(mark_all_read, current_user.user, app_clock().now())
    flash(
        ngettext(
            "%(num)s notification marked as read.", "%(num)s notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("inbox.index"), 303)
