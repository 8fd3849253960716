"""Building the emails: one digest per person per run, and the returned-report notice.

Rendered with Flask's Jinja (``notifications/templates``) inside an app context and
``force_locale(user.locale)``, so each person reads the mail in their own language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import force_locale, gettext, ngettext
from jinja2 import FileSystemLoader

from notifications.rules import Due, ReturnFacts, Rule, TaskFacts
from workflow.accounts.models import User
from workflow.periods import Quarter

TEMPLATES = Path(__file__).parent / "templates"
SETTINGS_PATH = "/settings/notifications"
SECTION_ORDER = (Rule.OPENING, Rule.BEFORE, Rule.OVERDUE, Rule.ESCALATION, Rule.REVIEW)


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def task_url(base_url: str, task_id: int) -> str:
    return f"{base_url.rstrip('/')}/tasks/{task_id}"


def settings_url(base_url: str) -> str:
    return base_url.rstrip("/") + SETTINGS_PATH


def day_text(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def display_name(user: User) -> str:
    return user.full_name or user.username


def render_digest(
    user: User,
    items: list[Due],
    tasks: dict[int, TaskFacts],
    heads: dict[int, list[User]],
    today: date,
    base_url: str,
) -> Rendered:
    """The one email ``user`` gets from this run, listing every item in sections."""
    with force_locale(user.locale or "vi"):
        sections = _sections(items, tasks, heads, today, base_url)
        counts = [(rule, len(lines)) for rule, _title, lines in sections]
        subject = gettext(
            "[Giao Việc] %(date)s: %(summary)s",
            date=day_text(today),
            summary=", ".join(_count_text(rule, count) for rule, count in counts),
        )
        context = {
            "name": display_name(user),
            "sections": sections,
            "today": day_text(today),
            "settings_url": settings_url(base_url),
            "digests_on": user.email_digests,
        }
        return Rendered(
            subject,
            _render("notifications/digest.txt", context),
            _render("notifications/digest.html", context),
        )


def render_returned(
    user: User, facts: ReturnFacts, today: date, base_url: str, zone: ZoneInfo
) -> Rendered:
    """The notice a unit head gets at once when a report comes back, with the reason."""
    with force_locale(user.locale or "vi"):
        task = facts.task
        subject = gettext(
            "[Giao Việc] Report returned: %(ref)s %(title)s", ref=task.ref, title=task.title
        )
        context = {
            "name": display_name(user),
            "line": _line(task, today, base_url, _status(Rule.OVERDUE, task, today)),
            "reason": facts.reason,
            "reviewer": facts.reviewer_name,
            "returned_on": day_text(facts.at.astimezone(zone).date()),
            "settings_url": settings_url(base_url),
        }
        return Rendered(
            subject,
            _render("notifications/returned.txt", context),
            _render("notifications/returned.html", context),
        )


def _sections(items, tasks, heads, today, base_url):
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
        chosen.sort(key=lambda item: (tasks[item.task_id].due_at, tasks[item.task_id].ref))
        lines = []
        for item in chosen:
            task = tasks[item.task_id]
            line = _line(task, today, base_url, _status(rule, task, today, item.days))
            if rule is Rule.ESCALATION:
                names = [display_name(head) for head in heads.get(task.unit_id, [])]
                line["heads"] = ", ".join(names) or gettext("no unit head registered")
            lines.append(line)
        sections.append((rule, _section_title(rule, chosen, tasks), lines))
    return sections


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
    }[rule]


def _count_text(rule: Rule, count: int) -> str:
    return {
        Rule.OPENING: ngettext("%(num)s new task", "%(num)s new tasks", count),
        Rule.BEFORE: ngettext("%(num)s task due soon", "%(num)s tasks due soon", count),
        Rule.OVERDUE: ngettext("%(num)s task overdue", "%(num)s tasks overdue", count),
        Rule.ESCALATION: ngettext(
            "%(num)s overdue task to follow up", "%(num)s overdue tasks to follow up", count
        ),
        Rule.REVIEW: ngettext(
            "%(num)s report waiting for review", "%(num)s reports waiting for review", count
        ),
    }[rule]


def _status(rule: Rule, task: TaskFacts, today: date, days: int | None = None) -> str:
    if rule is Rule.REVIEW:
        return ngettext("waiting %(num)s day", "waiting %(num)s days", days)
    left = (task.due_day - today).days
    if left > 0:
        return ngettext("%(num)s day left", "%(num)s days left", left)
    if left == 0:
        return gettext("due today")
    return ngettext("%(num)s day overdue", "%(num)s days overdue", -left)


def _line(task: TaskFacts, today: date, base_url: str, status: str) -> dict:
    return {
        "url": task_url(base_url, task.id),
        "ref": task.ref,
        "title": task.title,
        "occurrence": task.occurrence_label,
        "unit": task.unit_name,
        "plan": f"{task.plan_ref} {task.plan_title}".strip(),
        "due": day_text(task.due_day),
        "status": status,
    }


def _render(name: str, context: dict) -> str:
    environment = current_app.extensions.get("giaoviec.mail_jinja")
    if environment is None:
        environment = current_app.jinja_env.overlay(loader=FileSystemLoader(TEMPLATES))
        current_app.extensions["giaoviec.mail_jinja"] = environment
    return environment.get_template(name).render(**context)
