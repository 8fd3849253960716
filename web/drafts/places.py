"""Where a point of a draft is, said for a person: "Nhiệm vụ VI.2.1 · Đơn vị chủ trì", with the
anchor of its form on the draft's page. The plan's checks name fields as a plan file does
(``responsibilities[VI.2.1].lead[1]``); the importer's points name paths
(``("responsibilities", 3, "lead")``): both are placed here."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext

from workflow.i18n import N_

ITEMS = {
    "plan": N_("Plan"),
    "organisation": N_("Organisation"),
    "milestones": N_("Milestone"),
    "units": N_("Unit"),
    "groups": N_("Group"),
    "sections": N_("Section"),
    "responsibilities": N_("Responsibility"),
    "phases": N_("Phase"),
    "targets": N_("Target"),
    "annexes": N_("Annex"),
    "defaults": N_("Defaults"),
}
FIELDS = {
    "title": N_("Title"),
    "text": N_("Text"),
    "number": N_("Number"),
    "issuing_body": N_("Issued by"),
    "issued_on": N_("Issued on"),
    "period": N_("Period of the plan"),
    "start": N_("From"),
    "end": N_("To"),
    "lead": N_("Lead"),
    "coordinating": N_("Coordinating"),
    "directs": N_("Directs"),
    "in_charge": N_("In overall charge"),
    "takes_part": N_("Takes part"),
    "cadence": N_("When it is owed"),
    "due": N_("Due"),
    "quarter": N_("Quarter"),
    "quarters": N_("Quarters"),
    "phases": N_("Phases"),
    "section": N_("Section"),
    "code": N_("Code"),
    "name": N_("Name"),
    "kind": N_("Kind"),
    "members": N_("Members"),
    "date": N_("Date"),
    "figure": N_("Figure"),
    "comparator": N_("Target"),
    "reported_in": N_("Reported in"),
    "ref": N_("Ref"),
}


@dataclass(frozen=True)
class Place:
    anchor: str
    label: str


def place_of_path(data: dict, path: tuple) -> Place:
    """The place of an importer's path in the draft's data."""
    if not path:
        return Place("plan", gettext(ITEMS["plan"]))
    collection = path[0]
    item_name = gettext(ITEMS.get(collection, collection))
    if collection in ("plan", "organisation") or len(path) < 2 or not isinstance(path[1], int):
        fields = [p for p in path[1:] if isinstance(p, str)]
        return Place(collection, _with_field(item_name, fields[:1]))
    index = path[1]
    items = data.get(collection, [])
    key = _key(items[index]) if index < len(items) else str(index + 1)
    fields = [p for p in path[2:] if isinstance(p, str)]
    return Place(f"{collection}-{index}", _with_field(f"{item_name} {key}", fields[:1]))


_FIELD = re.compile(r"^(?P<collection>\w+)(?:\[(?P<key>[^\]]+)\])?(?P<rest>.*)$")


def place_of_field(data: dict, field: str) -> Place:
    """The place of a checked plan's field (``responsibilities[VI.2.1].lead[1]``)."""
    match = _FIELD.match(field)
    if match is None or match["collection"] not in ITEMS:
        return Place("plan", field)
    collection, key = match["collection"], match["key"]
    fields = [f for f in re.findall(r"\.(\w+)", match["rest"]) if f in FIELDS][:1]
    item_name = gettext(ITEMS[collection])
    if key is None:
        return Place(collection, _with_field(item_name, fields))
    items = data.get(collection, [])
    index = next((i for i, item in enumerate(items) if _key(item) == key), None)
    if index is None and key.isdigit() and 0 < int(key) <= len(items):
        index = int(key) - 1
    anchor = f"{collection}-{index}" if index is not None else collection
    return Place(anchor, _with_field(f"{item_name} {key}", fields))


def _key(item: dict) -> str:
    return str(item.get("ref") or item.get("code") or item.get("title") or "")


def _with_field(item: str, fields: list[str]) -> str:
    if not fields:
        return item
    return f"{item} · {gettext(FIELDS.get(fields[0], fields[0]))}"
