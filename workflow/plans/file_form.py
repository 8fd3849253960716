"""A loaded plan written back as a plan file, and moved to next year: how next year's plan
starts from this year's.

A loaded plan keeps its checked, normalised definition (every time made concrete). Writing it
back undoes what checking added: deadlines tied to a milestone become "so many days before the
milestone" again, a month alone a month, and what equals the plan's defaults is left out, so
the file reads as a person would write it and loading it gives the same plan."""

from __future__ import annotations

import re
from datetime import date, datetime

from workflow.plans.schema import DEFAULT_REMINDERS, PLAN_SETTINGS

_UNIT_FIELDS = ("code", "name", "short_name", "aliases", "kind", "head_title", "holder", "example")
_GROUP_FIELDS = ("code", "name", "short_name", "aliases", "members", "members_later", "note")
_ROLES = ("lead", "coordinating", "directs", "in_charge", "takes_part")


def file_form(definition: dict) -> dict:
    """The plan file (format 2) of a normalised definition."""
    milestones = {m["code"]: m for m in definition.get("milestones", [])}
    defaults = definition["defaults"]
    plan = {k: v for k, v in definition["plan"].items() if v not in (None, "", [])}
    plan["period"] = dict(definition["plan"]["period"])
    data = {
        "format": 2,
        "organisation": dict(definition["organisation"]),
        "plan": plan,
        "milestones": [
            _kept(m, ("code", "name", "date", "time", "note")) for m in milestones.values()
        ],
        "defaults": _defaults(defaults),
        "units": [_kept(u, _UNIT_FIELDS) for u in definition["units"] if not u["is_group"]],
        "groups": [_kept(u, _GROUP_FIELDS) for u in definition["units"] if u["is_group"]],
        "sections": [dict(s) for s in definition["sections"]],
        "responsibilities": [],
        "phases": [],
        "targets": [_target(t) for t in definition["targets"]],
        "annexes": [dict(a) for a in definition.get("annexes", [])],
    }
    for item in definition["responsibilities"]:
        own = {
            "report_due": item["report_due"]
            if item["report_due"] != defaults["report_due"]
            else None,
            "reminders": item["reminders"] if item["reminders"] != defaults["reminders"] else None,
        }
        roles = {role: item[role] for role in _ROLES if item[role] or role == "lead"}
        common = {"ref": item["ref"], "section": item["section"]}
        if item["kind"] == "phase":
            details = item["details"]
            phase = common | {"quarter": details["quarter"], "title": item["title"]}
            phase |= {k: details[k] for k in ("goal", "content", "forms") if details.get(k)}
            data["phases"].append(_kept(phase | roles | own | _extras(item), None))
        else:
            duty = common | {"title": item["title"], "text": item["text"]} | roles
            duty["cadence"] = _cadence(item["cadence"], milestones)
            data["responsibilities"].append(_kept(duty | own | _extras(item), None))
    return {key: value for key, value in data.items() if value != []}


def _defaults(defaults: dict) -> dict:
    """The plan's defaults, less those equal to the standard ones (the due day is always
    written: it is what a reader looks for first)."""
    kept = {"report_due": defaults["report_due"]}
    if defaults["reminders"] != DEFAULT_REMINDERS:
        kept["reminders"] = defaults["reminders"]
    for name, standard in PLAN_SETTINGS.items():
        if defaults.get(name, standard) != standard:
            kept[name] = defaults[name]
    return kept


def _kept(item: dict, fields: tuple[str, ...] | None) -> dict:
    """``item`` without what is empty or false (the file's defaults)."""
    keys = fields or tuple(item)
    return {k: item[k] for k in keys if k in item and item[k] not in (None, "", [], {}, False)}


def _extras(item: dict) -> dict:
    return {"result": item["result"], "note": item["note"]}


def _target(target: dict) -> dict:
    kept = {"ref": target["ref"], "title": target["title"], "text": target["text"]}
    if target["target"] is not None:
        kept |= {"figure": target["target"], "comparator": target["comparator"]}
    kept |= {"unit": target["unit"], "measure": target["measure"]}
    return kept | _kept(target, ("baseline", "milestones", "at_risk_within", "reported_in", "note"))


def _cadence(cadence: dict, milestones: dict[str, dict]) -> object:
    kind = cadence["kind"]
    if kind == "quarterly":
        return "quarterly"
    if kind == "once":
        return {"kind": "once", "due": _moment(cadence, "", milestones)}
    if kind == "span":
        start = _moment(cadence, "start_", milestones, "start")
        return {"kind": "span", "start": start, "end": _moment(cadence, "end_", milestones, "end")}
    if kind == "phases":
        return {"kind": "phases", "phases": [_phase(p, milestones) for p in cadence["phases"]]}
    return dict(cadence)


def _phase(phase: dict, milestones: dict[str, dict]) -> dict:
    if phase.get("quarter"):
        return {"name": phase["name"], "quarter": phase["quarter"]}
    due = _moment(phase, "", milestones)
    if phase.get("start"):
        return {"name": phase["name"], "start": phase["start"], "end": due}
    return {"name": phase["name"], "due": due}


def _moment(values: dict, prefix: str, milestones: dict[str, dict], key: str = "due") -> object:
    """A normalised time written as the plan would write it: a milestone and its days, a
    month, or the date (and time) itself."""
    text = values[key]
    code = values.get(f"{prefix}milestone")
    if code in milestones:
        milestone = milestones[code]
        days = (date.fromisoformat(text[:10]) - date.fromisoformat(milestone["date"])).days
        moment = {"milestone": code}
        moment |= {"days_before": -days} if days < 0 else {"days_after": days} if days else {}
        if len(text) > 10 and text[11:] != (milestone.get("time") or ""):
            moment["time"] = text[11:]
        return moment
    if values.get(f"{prefix}approximate"):
        return text[:7]
    return text


# Next year's plan


_YEAR_IN_TEXT = re.compile(r"\b((?:19|20)\d{2})\b")


def next_year(data: dict, years: int = 1) -> dict:
    """A plan file moved ``years`` on: its code and title, period, milestones and every
    deadline; its number and issue date cleared (the new plan gets its own)."""
    moved = {**data, "plan": dict(data["plan"])}
    plan = moved["plan"]
    plan["code"] = _YEAR_IN_TEXT.sub(lambda m: str(int(m.group(1)) + years), plan["code"], 1)
    if plan["code"] == data["plan"]["code"]:
        plan["code"] = f"{plan['code']}-{int(data['plan']['period']['start'][:4]) + years}"
    plan["title"] = re.sub(
        r"\b(năm\s+)((?:19|20)\d{2})\b",
        lambda m: f"{m.group(1)}{int(m.group(2)) + years}",
        plan["title"],
    )
    plan["period"] = {k: _shift(v, years) for k, v in plan["period"].items()}
    for key in ("number", "issued_on"):
        plan.pop(key, None)
    moved["milestones"] = [
        m | {"date": _shift(m["date"], years)} for m in data.get("milestones", [])
    ]
    moved["responsibilities"] = [
        r | {"cadence": _shift(r["cadence"], years)} for r in data.get("responsibilities", [])
    ]
    moved["phases"] = [p | {"quarter": _shift(p["quarter"], years)} for p in data.get("phases", [])]
    return {k: v for k, v in moved.items() if v != []}


_TIME_TEXT = re.compile(r"^((?:19|20)\d{2})(-\d{2}(?:-\d{2}(?:T\d{2}:\d{2})?)?|-Q[1-4])$")


def _shift(value: object, years: int) -> object:
    """Every date, month or quarter in ``value`` moved ``years`` on (29 February to the 28th)."""
    if isinstance(value, dict):
        return {k: _shift(v, years) for k, v in value.items()}
    if isinstance(value, list):
        return [_shift(v, years) for v in value]
    if not isinstance(value, str) or not (match := _TIME_TEXT.match(value)):
        return value
    year, rest = int(match.group(1)) + years, match.group(2)
    if rest.startswith("-Q") or len(rest) == 3:
        return f"{year}{rest}"
    day = date.fromisoformat(value[:10])
    moved = (
        day.replace(year=year, day=28)
        if (day.month, day.day) == (2, 29)
        else day.replace(year=year)
    )
    if len(value) > 10:
        return datetime.combine(moved, datetime.fromisoformat(value).time()).isoformat(
            timespec="minutes"
        )
    return moved.isoformat()
