"""Building the emails: one digest per person per run, and the returned-report notice.

Rendered with Flask's Jinja (``notifications/templates``) inside an app context and
``force_locale(user.locale)``, so each person reads the mail in their own language. A message
counts days as of the instant it is delivered (``as_of``: the office's next open instant when it
is queued), with the task pages' count (``workflow.tasks.deadlines.days_left``). Its links carry
the mark of ``notifications.links``, made absolute when it is sent or shown.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from flask import current_app
from flask_babel import force_locale, get_locale, get_translations, gettext, lazy_gettext, ngettext
from jinja2 import Environment, FileSystemLoader

from notifications.links import SETTINGS_LINK, task_link
from notifications.rules import Due, EventFacts, Rule, TaskFacts, is_catch_up, is_digest
from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.tasks.deadlines import days_left, passed
from workflow.working_days import WorkingCalendar

TEMPLATES = Path(__file__).parent / "templates"
SECTION_ORDER = (
    Rule.OPENING,
    Rule.BEFORE,
    Rule.OVERDUE,
    Rule.ESCALATION,
    Rule.REVIEW,
    Rule.EXTENSION_REVIEW,
)
WAITING_RULES = frozenset({Rule.REVIEW, Rule.EXTENSION_REVIEW})  # lines count days waiting


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Group:
    """Lines of a section under one heading: a unit and its heads for escalations; for a unit
    head, their contributions as a coordinating unit after the duties they lead (``title``)."""

    unit: str
    heads: str
    lines: list[dict]
    title: str = ""


@dataclass(frozen=True)
class Section:
    rule: Rule
    title: str
    summary: str  # how the subject counts it
    groups: list[Group]


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def display_name(user: User) -> str:
    return user.full_name or user.username


def render_digest(
    user: User,
    items: list[Due],
    tasks: dict[int, TaskFacts],
    heads: dict[int, list[User]],
    as_of: datetime,
    calendar: WorkingCalendar,
) -> Rendered:
    """The one email ``user`` gets from this run, listing every item in sections."""
    today = calendar.local_day(as_of)
    with force_locale(user.locale or "vi"):
        shown = [tasks[item.task_id] for item in items]
        plans = sorted({f"{task.plan_ref} {task.plan_title}".strip() for task in shown})
        sections = _sections(items, tasks, heads, as_of, calendar, several_plans=len(plans) > 1)
        subject = gettext(
            "[Giao Việc] %(date)s: %(summary)s",
            date=day_text(today),
            summary=", ".join(section.summary for section in sections),
        )
        context = {
            "name": display_name(user),
            "sections": sections,
            "plans": plans,
            "today": day_text(today),
            "why": _why(user, shown[0]),
            "settings_text": _settings_text(user, is_digest(items)),
            "settings_url": SETTINGS_LINK,
        }
        return Rendered(
            subject,
            _render("notifications/digest.txt", context),
            _render("notifications/digest.html", context),
        )


# Each step told at once: the subject of its notice and the sentence it opens with.
NOTICE_WORDS = {
    "return": (
        N_("[Giao Việc] Report returned: %(ref)s %(title)s"),
        N_("On %(date)s %(reviewer)s returned the report on this task and asks for more work:"),
    ),
    "ask_extension": (
        N_("[Giao Việc] Extension asked for: %(ref)s %(title)s"),
        N_(
            "On %(date)s %(name)s asked for a later due date for this task; it waits for your "
            "decision:"
        ),
    ),
    "grant_extension": (
        N_("[Giao Việc] Extension granted: %(ref)s %(title)s"),
        N_("On %(date)s %(name)s granted the extension of this task:"),
    ),
    "refuse_extension": (
        N_("[Giao Việc] Extension refused: %(ref)s %(title)s"),
        N_("On %(date)s %(name)s refused the extension of this task; the due date stays:"),
    ),
    "report": (  # of a contribution, to the heads of the lead unit
        N_("[Giao Việc] Contribution received: %(ref)s %(title)s"),
        N_(
            "On %(date)s %(name)s sent the contribution of %(unit)s to this task, which your "
            "unit leads; take it into your report, or return it for more:"
        ),
    ),
}


def render_notice(
    user: User, facts: EventFacts, as_of: datetime, calendar: WorkingCalendar
) -> Rendered:
    """The notice told at once of a step of a task: to the unit's head, a report that came back
    (with the reason) or their request for an extension decided; to a reviewer, a request
    waiting for a decision; to the lead unit's head, a contribution sent (with its text)."""
    with force_locale(user.locale or "vi"):
        task = facts.task
        when = day_text(calendar.local_day(facts.at))
        subject, intro = NOTICE_WORDS[facts.event]
        names = {
            "date": when,
            "reviewer": facts.actor_name,
            "name": facts.actor_name,
            "unit": task.unit_name,
        }
        subject = gettext(subject, ref=task.ref, title=task.title)
        intro = gettext(intro, **names)
        context = {
            "name": display_name(user),
            "intro": intro,
            "line": _line(task, _status(task, as_of, calendar), unit=True),
            "plan": f"{task.plan_ref} {task.plan_title}".strip(),
            "reason": facts.reason,
            "reason_label": (
                gettext("What was sent:") if facts.event == "report" else gettext("Reason:")
            ),
            "settings_url": SETTINGS_LINK,
        }
        return Rendered(
            subject,
            _render("notifications/notice.txt", context),
            _render("notifications/notice.html", context),
        )


def _sections(items, tasks, heads, as_of, calendar, several_plans: bool) -> list[Section]:
    by_rule: dict[Rule, list[Due]] = {}
    for item in items:
        by_rule.setdefault(item.rule, []).append(item)
    listed_as_new = {item.task_id for item in by_rule.get(Rule.OPENING, [])}
    sections = []
    for rule in SECTION_ORDER:
        chosen = by_rule.get(rule, [])
        if rule in (Rule.BEFORE, Rule.OVERDUE):
            chosen = [item for item in chosen if item.task_id not in listed_as_new]
        if not chosen:
            continue
        chosen.sort(key=lambda item: _order(tasks[item.task_id]))
        groups: dict[int | None, Group] = {}
        for item in chosen:
            task = tasks[item.task_id]
            waiting = rule in WAITING_RULES
            status = _waiting(item.days) if waiting else _status(task, as_of, calendar)
            line = _line(task, status, unit=waiting, several_plans=several_plans)
            if rule is Rule.ESCALATION:
                group = groups.setdefault(task.unit_id, _unit_group(task, heads))
            elif task.is_contribution:
                group = groups.setdefault(-1, Group("", "", [], CONTRIBUTIONS_TITLE))
            else:
                group = groups.setdefault(None, Group("", "", []))
            group.lines.append(line)
        groups = dict(sorted(groups.items(), key=lambda pair: pair[0] == -1))  # duties first
        title = _section_title(rule, chosen, tasks)
        summary = _count_text(rule, chosen, tasks, calendar.local_day(as_of), calendar)
        sections.append(Section(rule, title, summary, list(groups.values())))
    return sections


# The heading of a unit head's contributions within a section, after the duties it leads.
CONTRIBUTIONS_TITLE = lazy_gettext(
    "As a coordinating unit: contributions due to the lead unit before its report"
)


def _order(task: TaskFacts):
    return (task.due_at, task.ref, task.plan_ref)


def _unit_group(task: TaskFacts, heads: dict[int, list[User]]) -> Group:
    """An escalated unit, oldest overdue first, with whom to follow up: its heads."""
    names = ", ".join(display_name(head) for head in heads.get(task.unit_id, []))
    return Group(task.unit_name, names or gettext("no unit head registered"), [])


def _section_title(rule: Rule, items: list[Due], tasks: dict[int, TaskFacts]) -> str:
    if rule is Rule.OPENING:
        task = tasks[items[0].task_id]
        return gettext(
            "What %(unit)s owes in quarter %(quarter)s",
            unit=task.unit_name,
            quarter=Quarter.parse(task.period).roman,
        )
    return {
        Rule.BEFORE: gettext("Due soon"),
        Rule.OVERDUE: gettext("Overdue"),
        Rule.ESCALATION: gettext("Overdue tasks to follow up with the units"),
        Rule.REVIEW: gettext("Reports waiting for your review"),
        Rule.EXTENSION_REVIEW: gettext("Requests for an extension waiting for your decision"),
    }[rule]


def _count_text(rule: Rule, items: list[Due], tasks, today: date, calendar) -> str:
    """How the subject counts a section. The quarter's list is "new" only on the day it was
    due: a late one (see ``is_catch_up``) lists tasks opened long ago."""
    count = len(items)
    if rule is Rule.OPENING:
        quarter = Quarter.parse(tasks[items[0].task_id].period).roman
        if any(is_catch_up(item, today, calendar) for item in items):
            return ngettext(
                "%(num)s task of quarter %(quarter)s",
                "%(num)s tasks of quarter %(quarter)s",
                count,
                quarter=quarter,
            )
        return ngettext(
            "%(num)s new task of quarter %(quarter)s",
            "%(num)s new tasks of quarter %(quarter)s",
            count,
            quarter=quarter,
        )
    return {
        Rule.BEFORE: ngettext("%(num)s task due soon", "%(num)s tasks due soon", count),
        Rule.OVERDUE: ngettext("%(num)s task overdue", "%(num)s tasks overdue", count),
        Rule.ESCALATION: ngettext(
            "%(num)s overdue task to follow up", "%(num)s overdue tasks to follow up", count
        ),
        Rule.REVIEW: ngettext(
            "%(num)s report waiting for review", "%(num)s reports waiting for review", count
        ),
        Rule.EXTENSION_REVIEW: ngettext(
            "%(num)s extension request waiting", "%(num)s extension requests waiting", count
        ),
    }[rule]


def _why(user: User, task: TaskFacts) -> str:
    """Why this person gets the mail: their role, since overseers get every unit's tasks."""
    if user.role == Role.UNIT_HEAD:
        return gettext(
            "You get this email as the head of %(unit)s, the unit that carries out these tasks.",
            unit=task.unit_name,
        )
    if user.role == Role.REVIEWER:
        return gettext(
            "You get this email as a reviewer: reports and requests for an extension waiting "
            "for a decision, and escalations of overdue tasks, are sent to every reviewer, "
            "whatever the unit."
        )
    return gettext(
        "You get this email as a leader: escalations of overdue tasks are sent to every "
        "leader, whatever the unit."
    )


def _settings_text(user: User, digest: bool) -> str:
    """How to stop this mail, or that it cannot be stopped."""
    if not user.email_digests:
        return gettext(
            "Your daily reminders are switched off; escalations to leaders and reviewers cannot "
            "be switched off. Notification settings:"
        )
    if not digest:
        return gettext(
            "Escalations of overdue tasks cannot be switched off. Notification settings:"
        )
    if user.role == Role.UNIT_HEAD:
        return gettext("To stop the daily reminders, change your notification settings:")
    return gettext(
        "To stop the daily reminders, change your notification settings; escalations of "
        "overdue tasks cannot be switched off:"
    )


def _status(task: TaskFacts, as_of: datetime, calendar: WorkingCalendar) -> str:
    left = days_left(task.due_at, as_of, calendar.zone)
    if passed(task.due_at, as_of):
        if left == 0:
            due_time = task.due_at.astimezone(calendar.zone).strftime("%H:%M")
            return gettext("overdue since %(time)s today", time=due_time)
        return ngettext("%(num)s day overdue", "%(num)s days overdue", -left)
    if left == 0:
        return gettext("due today")
    return ngettext("%(num)s day left", "%(num)s days left", left)


def _waiting(days: int) -> str:
    return ngettext("waiting %(num)s day", "waiting %(num)s days", days)


def _line(task: TaskFacts, status: str, unit: bool, several_plans: bool = False) -> dict:
    return {
        "url": task_link(task.id),
        "plan_ref": task.plan_ref if several_plans else "",
        "ref": task.ref,
        "title": task.title,
        "contribution": task.is_contribution,
        "occurrence": task.occurrence_label,
        "unit": task.unit_name if unit else "",
        "due": day_text(task.due_day),
        "status": status,
    }


def _render(name: str, context: dict) -> str:
    """One template of the mail's, in the locale in force: each locale has an environment of
    its own with that locale's catalogue installed, instead of Flask-Babel finding it again
    for each string (a third of a digest's rendering, measured over a country's sweep)."""
    locale = str(get_locale())
    environments = current_app.extensions.setdefault("giaoviec.mail_jinja", {})
    if locale not in environments:
        environments[locale] = _mail_environment()
    return environments[locale].get_template(name).render(**context)


def _mail_environment() -> Environment:
    """The app's Jinja environment as the mail templates need it (its filters, globals and
    escaping), on their own folder, with the catalogue of the locale in force."""
    app_environment = current_app.jinja_env
    environment = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=app_environment.autoescape,
        extensions=[type(extension) for extension in app_environment.extensions.values()],
    )
    environment.filters.update(app_environment.filters)
    environment.tests.update(app_environment.tests)
    environment.globals.update(app_environment.globals)
    environment.install_gettext_translations(get_translations(), newstyle=True)
    return environment
