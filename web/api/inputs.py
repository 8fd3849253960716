"""What API callers send, checked before any service sees it: a malformed request is refused
(400) with a message that says what to send instead, and unknown names are refused rather than
ignored, so that a typo never silently widens a list or drops a reason."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum

from sqlmodel import Session

from web.actions import TaskAction
from web.periods import parse_quarter, parse_year, requested_period
from workflow.errors import InvalidInput, NotFound
from workflow.i18n import N_
from workflow.organisations.models import Organisation
from workflow.organisations.queries import find_unit
from workflow.periods import Period
from workflow.tasks.deadlines import DeadlineStatus
from workflow.tasks.states import TaskEvent, TaskState

FILTERS = ("quarter", "unit", "state", "overdue", "status", "q")
PAGING = ("offset", "limit")
PAGE_SIZE, MAX_PAGE_SIZE = 200, 1000  # tasks in one answer of the task list, by default and at most
BOOLEANS = {"true": True, "1": True, "false": False, "0": False}
EVENT_FIELDS = ("event", "version", "comment", "links", "figures", "due_date", "assignee")
# Fields that go with some events only, and which.
ONLY_WITH = {
    "links": (TaskEvent.REPORT, TaskEvent.SAVE_DRAFT),
    "figures": (TaskEvent.REPORT,),
    "due_date": (TaskEvent.ASK_EXTENSION,),
    "assignee": (TaskEvent.ASSIGN,),
}


def task_filters(args: Mapping[str, str], session: Session, organisation: Organisation) -> dict:
    """The ``list_tasks`` filters named in the query string."""
    _parameters(args, FILTERS + PAGING)
    filters: dict = {}
    if args.get("quarter"):
        filters["quarter"] = parse_quarter(args["quarter"])
    if args.get("unit"):
        try:
            filters["unit"] = find_unit(session, organisation, args["unit"])
        except NotFound as error:
            raise InvalidInput(error.message, **error.params) from None
    if args.get("state"):
        filters["state"] = _choice(
            args["state"], TaskState, N_("Unknown state %(value)s; use one of: %(names)s.")
        )
    if args.get("overdue"):
        if args["overdue"].lower() not in BOOLEANS:
            raise InvalidInput(
                N_("overdue is true or false, not %(value)s."), value=args["overdue"]
            )
        filters["overdue"] = BOOLEANS[args["overdue"].lower()]
    if args.get("status"):
        filters["status"] = _choice(
            args["status"],
            DeadlineStatus,
            N_("Unknown deadline status %(value)s; use one of: %(names)s."),
        )
    filters["search"] = args.get("q", "")
    return filters


def event_request(body: object) -> TaskAction:
    """Read the JSON body; ``None`` stands for a body that is missing or not JSON."""
    if not isinstance(body, dict):
        raise InvalidInput(
            N_('Send a JSON object such as {"event": "start", "version": 1, "comment": ""}.')
        )
    _refuse_unknown(body, EVENT_FIELDS, N_("Unknown field %(name)s; use: %(names)s."))
    if "event" not in body:
        raise InvalidInput(N_("Name the event: one of %(names)s."), names=", ".join(TaskEvent))
    event = _choice(body["event"], TaskEvent, N_("Unknown event %(value)s; use one of: %(names)s."))
    version = body.get("version")
    if type(version) is not int:  # bool is an int to Python, not to a client
        raise InvalidInput(
            N_("version must be the task's version as an integer, as you last read it.")
        )
    for name, events in ONLY_WITH.items():
        if name in body and event not in events:
            raise InvalidInput(
                N_("%(name)s goes with %(events)s only."),
                name=name,
                events=", ".join(events),
            )
    return TaskAction(
        event=event,
        version=version,
        comment=_text(body.get("comment", "")),
        links=_links(body.get("links", [])),
        figures=_figures(body.get("figures", {})),
        due_date=_day(body.get("due_date")),
        assignee=_assignee(body.get("assignee")),
    )


def _assignee(value: object) -> str | None:
    """Whom ``assign`` gives the task to: a user name, or null to take it back."""
    if value is None or (isinstance(value, str) and len(value) <= 64):
        return value or None
    raise InvalidInput(N_("assignee is a member's user name, or null to take the task back."))


def page_request(args: Mapping[str, str]) -> tuple[int, int]:
    """``offset`` (from 0) and ``limit`` (1 to ``MAX_PAGE_SIZE``, ``PAGE_SIZE`` by default)."""
    offset = _whole(args.get("offset") or "0", "offset", 0, None)
    limit = _whole(args.get("limit") or str(PAGE_SIZE), "limit", 1, MAX_PAGE_SIZE)
    return offset, limit


def _whole(text: str, name: str, least: int, most: int | None) -> int:
    value = int(text) if text.isascii() and text.isdigit() and len(text) < 10 else -1
    if value < least or (most is not None and value > most):
        if most is None:
            raise InvalidInput(
                N_("%(name)s is a whole number from %(least)s, not %(value)s."),
                name=name,
                least=least,
                value=text,
            )
        raise InvalidInput(
            N_("%(name)s is a whole number from %(least)s to %(most)s, not %(value)s."),
            name=name,
            least=least,
            most=most,
            value=text,
        )
    return value


def _parameters(args: Mapping[str, str], known: tuple[str, ...]) -> None:
    """Refuse a query parameter not in ``known``, or given empty (``quarter=``): read as
    absent, an empty one would widen the answer as silently as a misspelt one."""
    _refuse_unknown(args, known, N_("Unknown parameter %(name)s; use: %(names)s."))
    empty = sorted(name for name, value in args.items() if value == "")
    if empty:
        raise InvalidInput(N_("%(name)s is empty: give a value or leave it out."), name=empty[0])


def _refuse_unknown(given: Mapping, known: tuple[str, ...], message: str) -> None:
    unknown = sorted(str(name) for name in given if name not in known)
    if unknown:
        raise InvalidInput(message, name=unknown[0], names=", ".join(known))


def _choice(value: object, choices: type[StrEnum], message: str):
    if isinstance(value, str) and value in set(choices):
        return choices(value)
    raise InvalidInput(message, value=str(value), names=", ".join(choices))


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise InvalidInput(N_("comment must be a string."))
    return value


def _day(value: object) -> date | None:
    """The new due date of an extension, ``YYYY-MM-DD``; missing, the engine says so."""
    if value is None:
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            N_("due_date must be a date written YYYY-MM-DD, e.g. 2026-03-31.")
        ) from None


def _links(value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(link, str) for link in value):
        raise InvalidInput(N_("links must be a list of web addresses."))
    return value


def _figures(value: object) -> dict[int, str | int | float]:
    """Target figures by target id: JSON object keys are strings, the service wants ints."""
    if not isinstance(value, dict) or not all(key.isascii() and key.isdigit() for key in value):
        raise InvalidInput(N_("figures must be an object from target ids to numbers."))
    for figure in value.values():
        if isinstance(figure, bool) or not isinstance(figure, str | int | float):
            raise InvalidInput(N_("figures must be an object from target ids to numbers."))
    return {int(key): figure for key, figure in value.items()}


def targets_request(args: Mapping[str, str], today: date) -> tuple[str | None, int]:
    """``plan=CODE`` (the latest plan when none is given) and ``year=2026`` (today's year)."""
    _parameters(args, ("plan", "year"))
    year = parse_year(args["year"]) if args.get("year") else today.year
    return args.get("plan") or None, year


def accountability_period(args: Mapping[str, str], today: date) -> Period:
    """``quarter=2026-Q1`` or ``year=2026``; the quarter of ``today`` when neither is given.
    With ``unit=CODE`` a year is asked for (that unit's year page): ``year``, this one by
    default, and no quarter."""
    _parameters(args, ("quarter", "year", "unit"))
    if args.get("unit") and args.get("quarter"):
        raise InvalidInput(N_("A unit's figures are for a year: give year, not quarter."))
    if args.get("unit"):
        return parse_year(args.get("year") or str(today.year))
    return requested_period(args, today)
