"""Reading a plan file: shape, cross-references and period checks, then the normalised plan.

Every problem found is reported at once with its file, line and field, and nothing is returned
unless the whole file is right, so a half-correct plan can never be loaded."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pydantic import ValidationError

from workflow.i18n import N_
from workflow.periods import Quarter
from workflow.plans.cadences import CadenceReader
from workflow.plans.models import RESPONSIBILITY_ROLES
from workflow.plans.schema import SHAPE_MESSAGES, DueRuleDef, PlanFileDef
from workflow.plans.yaml_reader import LocatedYaml, YamlSyntaxError, read_yaml


@dataclass
class PlanProblem:
    """One mistake in a plan file, located; ``message`` is a msgid with ``%(name)s`` params."""

    file: str
    line: int
    field: str
    message: str
    params: dict = field(default_factory=dict)

    def text(self, gettext: Callable[[str], str] = str) -> str:
        """The message in the reader's language."""
        text = gettext(self.message)
        return text % self.params if self.params else text

    def format(self, gettext: Callable[[str], str] = str) -> str:
        """``FILE:LINE: field: message`` in the reader's language."""
        return f"{self.file}:{self.line}: {self.field}: {self.text(gettext)}"


class PlanInvalid(Exception):
    """The plan file has mistakes; nothing of it may be loaded."""

    def __init__(self, problems: list[PlanProblem]) -> None:
        super().__init__("\n".join(problem.format() for problem in problems))
        self.problems = problems


def read_plan(path: str | Path) -> dict:
    """Read and check the plan file at ``path``; return the normalised plan."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problem = PlanProblem(str(path), 1, "-", N_("the file is not UTF-8 text"))
        raise PlanInvalid([problem]) from None
    return parse_plan(text, str(path))


def parse_plan(text: str, filename: str = "<plan>") -> dict:
    """Check the text of a plan file; return the normalised plan or raise ``PlanInvalid``."""
    try:
        located = read_yaml(text)
    except YamlSyntaxError as error:
        problem = PlanProblem(filename, error.line, "-", error.message, error.params)
        raise PlanInvalid([problem]) from None
    problems = _Problems(filename, located)
    for path, line in located.duplicate_keys:
        problems.add(path, N_("appears twice"), line=line)
    if not isinstance(located.data, dict):
        problems.add(
            (), N_("the file must be a set of fields (format, organisation, plan, units...)")
        )
        raise PlanInvalid(problems.items)
    try:
        plan = PlanFileDef.model_validate(located.data)
    except ValidationError as error:
        for item in error.errors():
            problems.add_shape_error(item)
        raise PlanInvalid(problems.sorted()) from None
    normalised = _Normaliser(plan, problems).run()
    if problems.items:
        raise PlanInvalid(problems.sorted())
    return normalised


class _Problems:
    """Collects problems, naming fields as a reader would look for them."""

    def __init__(self, filename: str, located: LocatedYaml) -> None:
        self.filename = filename
        self.located = located
        self.items: list[PlanProblem] = []

    def add(self, path: tuple, message: str, params: dict | None = None, line: int | None = None):
        self.items.append(
            PlanProblem(
                self.filename,
                line or self.located.line_of(path),
                self._field(path),
                message,
                params or {},
            )
        )

    def add_shape_error(self, item: dict) -> None:
        path = self._data_path(item["loc"])
        message = SHAPE_MESSAGES.get(item["type"])
        params = {k: _readable(v) for k, v in (item.get("ctx") or {}).items()}
        if message is None:
            message, params = item["msg"], {}
        self.add(path, message, params)

    def sorted(self) -> list[PlanProblem]:
        return sorted(self.items, key=lambda problem: problem.line)

    def _data_path(self, loc: tuple) -> tuple:
        """Drop the names pydantic gives union members (``cadence.once.due`` is ``cadence.due``)."""
        path, node, entered = (), self.located.data, True
        for part in loc:
            if entered and isinstance(node, dict) and part == node.get("kind"):
                entered = False
                continue
            node, path, entered = _child(node, part), (*path, part), True
        return path

    def _field(self, path: tuple) -> str:
        """``responsibilities[VI.2.1].lead`` rather than ``responsibilities.14.lead``."""
        text, node = "", self.located.data
        for part in path:
            if isinstance(part, int):
                item = node[part] if isinstance(node, list) and part < len(node) else None
                name = item.get("ref") or item.get("code") if isinstance(item, dict) else None
                text += f"[{name if isinstance(name, str) else part + 1}]"
                node = item
            else:
                text += f".{part}" if text else str(part)
                node = node.get(part) if isinstance(node, dict) else None
        return text or "-"


def _child(node: object, part: object) -> object:
    """The value at ``part`` of a mapping or list, or None when it is not there."""
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return None


def _readable(value: object) -> object:
    if isinstance(value, str) or not isinstance(value, Iterable):
        return value
    return ", ".join(str(v) for v in value)


class _Normaliser:
    """Resolves unit names to codes and checks what depends on other parts of the file."""

    def __init__(self, plan: PlanFileDef, problems: _Problems) -> None:
        self.plan = plan
        self.problems = problems
        self.start = plan.plan.period.start
        self.end = plan.plan.period.end
        self.names: dict[str, str] = {}  # code, name, short name or alias -> code
        self.group_codes: set[str] = set()
        self.cadences = CadenceReader(self.start, self.end, plan.milestones, problems)

    def run(self) -> dict:
        if self.end < self.start:
            self.problems.add(("plan", "period", "end"), N_("ends before it starts"))
        self._register_units()
        sections = self._sections()
        responsibilities = self._responsibilities(sections)
        targets = self._targets({r["ref"]: r for r in responsibilities})
        p = self.plan.plan
        return {
            "format": self.plan.format,
            "organisation": self.plan.organisation.model_dump(),
            "plan": {
                "code": p.code,
                "number": p.number,
                "symbol": p.symbol,
                "title": p.title,
                "issuing_body": p.issuing_body,
                "issued_on": _iso(p.issued_on),
                "period": {"start": _iso(self.start), "end": _iso(self.end)},
                "source": p.source,
                "based_on": p.based_on,
                "signer": p.signer.model_dump() if p.signer else None,
                "recipients": p.recipients,
                "due_on_day_off": p.due_on_day_off,
            },
            "milestones": [
                {**m.model_dump(), "date": m.date.isoformat(), "time": _hhmm(m.time)}
                for m in self.plan.milestones
            ],
            "defaults": {
                "report_due": _due_rule(self.plan.defaults.report_due),
                "reminders": self.plan.defaults.reminders.model_dump(),
                "extensions_per_task": self.plan.defaults.extensions_per_task,
                "contribution_days_before": self.plan.defaults.contribution_days_before,
            },
            "units": self._units(),
            "sections": sections,
            "responsibilities": responsibilities,
            "targets": targets,
            "annexes": [annex.model_dump() for annex in self.plan.annexes],
        }

    # Units and groups share one namespace of codes, names and aliases.
    def _register_units(self) -> None:
        entries = [("units", i, u) for i, u in enumerate(self.plan.units)]
        entries += [("groups", i, g) for i, g in enumerate(self.plan.groups)]
        codes: set[str] = set()
        for key, index, unit in entries:
            if unit.code in codes:
                self.problems.add(
                    (key, index, "code"), N_("the code %(code)s is used twice"), {"code": unit.code}
                )
            codes.add(unit.code)
        for key, index, unit in entries:
            names = [(("code",), unit.code), (("name",), unit.name)]
            names += [(("short_name",), unit.short_name)] if unit.short_name else []
            names += [(("aliases", n), alias) for n, alias in enumerate(unit.aliases)]
            for where, name in names:
                other = self.names.setdefault(name, unit.code)
                if other != unit.code:
                    self.problems.add(
                        (key, index, *where),
                        N_("%(name)s already names the unit %(other)s"),
                        {"name": name, "other": other},
                    )
        self.group_codes = {g.code for g in self.plan.groups}

    def _units(self) -> list[dict]:
        units = [{**u.model_dump(), "is_group": False, "members": []} for u in self.plan.units]
        for index, group in enumerate(self.plan.groups):
            members = self._resolve(("groups", index, "members"), group.members)
            if not group.members and not group.members_later:
                self.problems.add(
                    ("groups", index, "members"),
                    N_(
                        "a group needs its members, or members_later: true when they are named "
                        "later"
                    ),
                )
            for n, code in enumerate(members):
                if code in self.group_codes:
                    self.problems.add(
                        ("groups", index, "members", n),
                        N_("a group cannot contain another group (%(code)s)"),
                        {"code": code},
                    )
            units.append(
                {
                    "code": group.code,
                    "name": group.name,
                    "short_name": group.short_name,
                    "aliases": group.aliases,
                    "kind": "group",
                    "head_title": "",
                    "holder": "",
                    "example": False,
                    "is_group": True,
                    "members": members,
                    "members_later": group.members_later,
                    "note": group.note,
                }
            )
        return units

    def _resolve(self, path: tuple, names: list[str]) -> list[str]:
        codes: list[str] = []
        for n, name in enumerate(names):
            code = self.names.get(name)
            if code is None:
                self.problems.add(
                    (*path, n), N_("%(name)s is not a unit or group of this plan"), {"name": name}
                )
            elif code in codes:
                self.problems.add((*path, n), N_("%(name)s is listed twice"), {"name": name})
            else:
                codes.append(code)
        return codes

    def _sections(self) -> list[dict]:
        refs: set[str] = set()
        for index, section in enumerate(self.plan.sections):
            if section.ref in refs:
                self.problems.add(
                    ("sections", index, "ref"),
                    N_("the ref %(ref)s is used twice"),
                    {"ref": section.ref},
                )
            refs.add(section.ref)
        return [s.model_dump() for s in self.plan.sections]

    def _responsibilities(self, sections: list[dict]) -> list[dict]:
        known_sections = {s["ref"] for s in sections}
        result, refs = [], set()
        items = [("responsibilities", i, r) for i, r in enumerate(self.plan.responsibilities)]
        items += [("phases", i, p) for i, p in enumerate(self.plan.phases)]
        for key, index, item in items:
            path = (key, index)
            if item.ref in refs:
                self.problems.add(
                    (*path, "ref"), N_("the ref %(ref)s is used twice"), {"ref": item.ref}
                )
            refs.add(item.ref)
            if known_sections and item.section not in known_sections:
                self.problems.add(
                    (*path, "section"),
                    N_("%(ref)s is not a section listed under sections"),
                    {"ref": item.section},
                )
            roles = self._roles(path, item)
            if key == "phases":
                cadence = {"kind": "quarters", "quarters": [item.quarter]}
                self.cadences.check_quarter((*path, "quarter"), item.quarter)
                details = {
                    "quarter": item.quarter,
                    "goal": item.goal,
                    "content": item.content,
                    "forms": item.forms,
                }
                text = "\n\n".join(part for part in (item.goal, item.content, item.forms) if part)
            else:
                cadence = self.cadences.cadence((*path, "cadence"), item.cadence)
                details, text = {}, item.text
            result.append(
                {
                    "ref": item.ref,
                    "section": item.section,
                    "kind": "phase" if key == "phases" else "duty",
                    "title": item.title,
                    "text": text,
                    **roles,
                    "result": item.result,
                    "cadence": cadence,
                    "report_due": _due_rule(
                        _override(self.plan.defaults.report_due, item.report_due)
                    ),
                    "reminders": _override(
                        self.plan.defaults.reminders, item.reminders
                    ).model_dump(),
                    "details": details,
                    "note": item.note,
                }
            )
        return result

    def _roles(self, path: tuple, item) -> dict[str, list[str]]:
        """The units of each role in a duty, as codes; a unit has one role in it at most."""
        roles, seen = {}, {}
        for role in RESPONSIBILITY_ROLES:
            roles[role] = self._resolve((*path, role), getattr(item, role))
            for n, code in enumerate(roles[role]):
                if code in seen:
                    message = (
                        N_("%(code)s already leads this responsibility")
                        if seen[code] == "lead"
                        else N_("%(code)s already has a role in this responsibility")
                    )
                    self.problems.add((*path, role, n), message, {"code": code})
                seen.setdefault(code, role)
        return roles

    def _target_progress(self, path: tuple, target) -> None:
        """What a target's progress is measured against: only for a target with a figure, and
        milestones only for quarters of the plan."""
        if target.figure is None:
            for key in ("baseline", "milestones", "at_risk_within"):
                if getattr(target, key):
                    self.problems.add(
                        (*path, key),
                        N_("a baseline, milestones and an at-risk margin need a figure"),
                    )
            return
        for quarter in target.milestones:
            q = Quarter.parse(quarter)
            if q.last_day < self.start or q.first_day > self.end:
                self.problems.add(
                    (*path, "milestones", quarter),
                    N_("%(quarter)s is outside the plan's period"),
                    {"quarter": quarter},
                )

    def _targets(self, responsibilities: dict[str, dict]) -> list[dict]:
        result, refs = [], set()
        for index, target in enumerate(self.plan.targets):
            path = ("targets", index)
            if target.ref in refs:
                self.problems.add(
                    (*path, "ref"), N_("the ref %(ref)s is used twice"), {"ref": target.ref}
                )
            refs.add(target.ref)
            if (target.figure is None) != (target.comparator is None):
                self.problems.add(
                    path, N_("a figure and a comparator go together: give both or neither")
                )
            self._target_progress(path, target)
            reported_by: list[str] = []
            for n, ref in enumerate(target.reported_in):
                if ref not in responsibilities:
                    self.problems.add(
                        (*path, "reported_in", n),
                        N_("%(ref)s is not a responsibility of this plan"),
                        {"ref": ref},
                    )
                    continue
                reported_by += [c for c in responsibilities[ref]["lead"] if c not in reported_by]
            result.append(
                {
                    "ref": target.ref,
                    "title": target.title,
                    "text": target.text,
                    "target": _number(target.figure),
                    "unit": target.unit,
                    "comparator": target.comparator,
                    "measure": target.measure,
                    "baseline": _number(target.baseline),
                    "milestones": {q: _number(v) for q, v in sorted(target.milestones.items())},
                    "at_risk_within": _number(target.at_risk_within),
                    "reported_in": target.reported_in,
                    "reported_by": reported_by,
                    "note": target.note,
                }
            )
        return result


def _override(defaults, override):
    """The plan's defaults with only the fields a responsibility sets replaced."""
    if override is None:
        return defaults
    return defaults.model_copy(update=override.model_dump(exclude_unset=True))


def _due_rule(rule: DueRuleDef) -> dict:
    return {"month": rule.month, "day": rule.day, "time": rule.time.strftime("%H:%M")}


def _hhmm(value) -> str | None:
    return value.strftime("%H:%M") if value is not None else None


def _iso(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value.isoformat()


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)
