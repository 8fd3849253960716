"""What every template may use: state and deadline labels, the current locale, and what the
signed-in user may open (``may``, for menus) and how many notifications they have not read."""

from __future__ import annotations

from flask import Flask
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_login import current_user

from web.database import db_session
from workflow.outbox.inbox import unread_count
from workflow.periods import Quarter
from workflow.permissions import may
from workflow.plans.goals import amount_text, goal_text
from workflow.tasks.deadlines import DeadlineStatus, deadline_status
from workflow.tasks.states import TaskState


def state_label(state: str) -> str:
    """The untranslated label of a state; templates pass it through ``_``."""
    return TaskState(state).label


def quarter_name(period: str) -> str:
    """A task's period as people write it: ``IV/2026`` (templates add "Quý")."""
    return Quarter.parse(period).roman


def deadline(task, now):
    return deadline_status(task.state, task.due_at, task.first_reported_at, now)


def tone(state: str, status: DeadlineStatus) -> str:
    """The colour a Vietnamese office expects: green completed on time, orange completed late,
    red overdue, purple waiting for the reviewer, grey not started, blue in progress."""
    return STATUS_TONES.get(status) or ("grey" if state == TaskState.ASSIGNED else "blue")


STATUS_TONES = {
    DeadlineStatus.COMPLETED_ON_TIME: "green",
    DeadlineStatus.COMPLETED_LATE: "orange",
    DeadlineStatus.OPEN_OVERDUE: "red",
    DeadlineStatus.AWAITING_REVIEW: "purple",
}


def goal(target) -> str:
    """A target's goal in the reader's language: ``≥ 1.500 lượt``."""
    return goal_text(target.comparator, target.figure, target.unit_of_measure, str(get_locale()))


def amount(value, unit: str) -> str:
    """A reported figure with its unit, in the reader's language: ``92,5%``."""
    return amount_text(value, unit, str(get_locale()))


def unread_notifications() -> int:
    """The signed-in person's unread notifications, for the menu (one small query)."""
    return unread_count(db_session(), current_user.user)


def init_app(app: Flask) -> None:
    app.jinja_env.globals.update(
        state_label=state_label,
        quarter_name=quarter_name,
        deadline=deadline,
        format_date=format_date,
        format_datetime=format_datetime,
        format_decimal=format_decimal,
        current_locale=lambda: str(get_locale()),
        tone=tone,
        may=may,
        goal=goal,
        amount=amount,
        unread_notifications=unread_notifications,
    )
