"""The changes a person makes to a plan draft, applied to its data: set an item's fields, add
or remove an item, merge two spellings' units or split one off, confirm a point to check.

What an item refers to follows it: a unit's new code, a merged unit, a duty's new ref change
every list that names them; an item still named elsewhere cannot be removed. A changed item
counts as checked: the points to check on it go. Whether the plan as a whole is right is
``checks``' question, asked when the draft is shown and when it is published."""

from __future__ import annotations

from dataclasses import dataclass, field

from workflow.errors import InvalidInput
from workflow.i18n import N_
from workflow.plans.importer.draft import Draft
from workflow.plans.importer.names import unit_code

ROLES = ("lead", "coordinating", "directs", "in_charge", "takes_part")
COLLECTIONS = ("units", "groups", "milestones", "responsibilities", "phases", "targets", "annexes")
_KEYS = {
    "units": "code",
    "groups": "code",
    "milestones": "code",
    "responsibilities": "ref",
    "phases": "ref",
    "targets": "ref",
}
_PLAN_FIELDS = (
    "title",
    "number",
    "symbol",
    "issuing_body",
    "issued_on",
    "period",
    "due_on_day_off",
    "signer",
)


@dataclass(frozen=True)
class Edit:
    """``action`` (set, add, remove, merge, split, confirm) on the item at ``path``
    (``("plan",)``, ``("units", 2)``, ``("responsibilities",)`` to add one), with ``fields``."""

    action: str
    path: tuple
    fields: dict = field(default_factory=dict)


def apply_edit(draft: Draft, edit: Edit) -> None:
    """Change ``draft`` as ``edit`` says; ``InvalidInput`` when it cannot be done."""
    action, path = edit.action, edit.path
    if action == "confirm":
        _settle(draft, path)
    elif path == ("plan",) and action == "set":
        plan = draft.data["plan"]
        plan.update({k: v for k, v in edit.fields.items() if k in _PLAN_FIELDS})
        _settle(draft, path)
    elif path and path[0] in COLLECTIONS:
        _EDITS[action](draft, path[0], path[1] if len(path) > 1 else None, edit.fields)
    else:
        raise InvalidInput(N_("This change is not possible."))


def _items(draft: Draft, collection: str) -> list[dict]:
    return draft.data.setdefault(collection, [])


def _item(draft: Draft, collection: str, index: int | None) -> dict:
    items = _items(draft, collection)
    if index is None or not 0 <= index < len(items):
        raise InvalidInput(N_("This item is no longer in the draft. Reload the page."))
    return items[index]


def _set(draft: Draft, collection: str, index: int | None, fields: dict) -> None:
    item = _item(draft, collection, index)
    key = _KEYS.get(collection)
    if key and fields.get(key) and fields[key] != item.get(key):
        _check_free(draft, collection, fields[key])
        rename(draft, collection, item[key], fields[key])
    item.clear()
    item.update({k: v for k, v in fields.items() if v not in (None, "", [])})
    _settle(draft, (collection, index))


def _add(draft: Draft, collection: str, index: int | None, fields: dict) -> None:
    key = _KEYS.get(collection)
    if key:
        _check_free(draft, collection, fields.get(key, ""))
    _items(draft, collection).append({k: v for k, v in fields.items() if v not in (None, "", [])})


def _remove(draft: Draft, collection: str, index: int | None, fields: dict) -> None:
    item = _item(draft, collection, index)
    key = _KEYS.get(collection)
    users = _users(draft, collection, item[key]) if key else []
    if users:
        raise InvalidInput(
            N_("%(code)s is still named by %(refs)s: change those first."),
            code=item[key],
            refs=", ".join(users),
        )
    if collection in ("responsibilities", "phases"):
        for target in _items(draft, "targets"):
            target["reported_in"] = [r for r in target.get("reported_in", []) if r != item["ref"]]
    _items(draft, collection).pop(index)
    _forget(draft, collection, index)


def _merge(draft: Draft, collection: str, index: int | None, fields: dict) -> None:
    """Two units that are one: the first's spellings join the second's, and every list that
    named the first names the second."""
    item = _item(draft, collection, index)
    into = fields.get("into")
    kept = next((u for u in _units(draft) if u["code"] == into and u is not item), None)
    if kept is None:
        raise InvalidInput(N_("Choose the unit to merge into."))
    spellings = [item["name"], *item.get("aliases", [])]
    kept["aliases"] = [
        *kept.get("aliases", []),
        *(s for s in spellings if s not in (kept["name"], *kept.get("aliases", []))),
    ]
    rename(draft, collection, item["code"], into)
    _items(draft, collection).pop(index)
    _forget(draft, collection, index)


def _split(draft: Draft, collection: str, index: int | None, fields: dict) -> None:
    """A spelling that names another unit: it becomes a unit of its own (the lists that name
    the first unit keep naming it; the person moves what belongs to the new one)."""
    item = _item(draft, collection, index)
    spelling = fields.get("spelling")
    if spelling not in item.get("aliases", []):
        raise InvalidInput(N_("This spelling is no longer one of the unit's."))
    item["aliases"] = [a for a in item["aliases"] if a != spelling]
    if not item["aliases"]:
        del item["aliases"]
    code = unit_code(spelling, {unit["code"] for unit in _units(draft)})
    unit = {"code": code, "name": spelling}
    if collection == "units":
        unit["kind"] = item.get("kind", "other")
    else:
        unit["members_later"] = True
    _items(draft, collection).append(unit)
    _settle(draft, (collection, index))


_EDITS = {"set": _set, "add": _add, "remove": _remove, "merge": _merge, "split": _split}


def _units(draft: Draft) -> list[dict]:
    return _items(draft, "units") + _items(draft, "groups")


# Codes and refs are unique across these collections together.
_NAMESPACES = {
    "units": ("units", "groups"),
    "groups": ("units", "groups"),
    "responsibilities": ("responsibilities", "phases"),
    "phases": ("responsibilities", "phases"),
    "milestones": ("milestones",),
    "targets": ("targets",),
}


def _check_free(draft: Draft, collection: str, value: str) -> None:
    namespace = [item for c in _NAMESPACES[collection] for item in _items(draft, c)]
    key = _KEYS[collection]
    if not value:
        raise InvalidInput(N_("Give it a code."))
    if any(item.get(key) == value for item in namespace):
        raise InvalidInput(N_("%(code)s is already used in this draft."), code=value)


def rename(draft: Draft, collection: str, old: str, new: str) -> None:
    """Every list naming ``old`` names ``new`` instead (once; and in a duty, only in the first
    of its roles: a unit that leads it does not also coordinate it)."""
    if collection in ("units", "groups"):
        for item in _items(draft, "responsibilities") + _items(draft, "phases"):
            seen: set[str] = set()
            for role in ROLES:
                if item.get(role):
                    item[role] = _replaced(item[role], old, new, seen)
                    seen.update(item[role])
        for group in _items(draft, "groups"):
            if group.get("members"):
                group["members"] = _replaced(group["members"], old, new, set())
    elif collection in ("responsibilities", "phases"):
        for target in _items(draft, "targets"):
            if target.get("reported_in"):
                target["reported_in"] = _replaced(target["reported_in"], old, new, set())
    elif collection == "milestones":
        for item in _items(draft, "responsibilities"):
            item["cadence"] = _renamed_milestone(item.get("cadence"), old, new)


def _replaced(values: list[str], old: str, new: str, taken: set[str]) -> list[str]:
    result: list[str] = []
    for value in values:
        value = new if value == old else value
        if value not in result and value not in taken:
            result.append(value)
    return result


def _renamed_milestone(value: object, old: str, new: str) -> object:
    if isinstance(value, dict):
        return {
            k: (new if k == "milestone" and v == old else _renamed_milestone(v, old, new))
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_renamed_milestone(v, old, new) for v in value]
    return value


def _users(draft: Draft, collection: str, code: str) -> list[str]:
    """The refs of the items that name ``code``."""
    if collection in ("units", "groups"):
        duties = _items(draft, "responsibilities") + _items(draft, "phases")
        named = [i["ref"] for i in duties if any(code in (i.get(r) or []) for r in ROLES)]
        named += [g["code"] for g in _items(draft, "groups") if code in g.get("members", [])]
        return named
    if collection == "milestones":
        return [
            item["ref"]
            for item in _items(draft, "responsibilities")
            if _names_milestone(item.get("cadence"), code)
        ]
    return []


def _names_milestone(value: object, code: str) -> bool:
    if isinstance(value, dict):
        return value.get("milestone") == code or any(
            _names_milestone(v, code) for v in value.values()
        )
    if isinstance(value, list):
        return any(_names_milestone(v, code) for v in value)
    return False


def _settle(draft: Draft, path: tuple) -> None:
    """The person has checked ``path``: its points to check (and its parts') go."""
    draft.doubts = [d for d in draft.doubts if d.path[: len(path)] != path]


def _forget(draft: Draft, collection: str, index: int) -> None:
    """An item was removed: its sources and doubts go, the later items' move up one."""

    def moved(path: tuple) -> tuple | None:
        if len(path) < 2 or path[0] != collection or not isinstance(path[1], int):
            return path
        if path[1] == index:
            return None
        return (collection, path[1] - 1, *path[2:]) if path[1] > index else path

    draft.sources = {
        new: source for path, source in draft.sources.items() if (new := moved(path)) is not None
    }
    draft.doubts = [
        type(d)(new, d.message, d.params, d.blocking)
        for d in draft.doubts
        if (new := moved(d.path)) is not None
    ]
