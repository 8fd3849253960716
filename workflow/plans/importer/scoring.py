"""How close a draft is to the plan a person wrote from the same document: the importer's
measure of itself, printed by ``bench/importer.py`` and held to by its tests.

Both plans are compared as checked plans (``parse_plan``). A responsibility of the reference
is found when the draft has one with its ref, or failing that with nearly its text. Units are
matched by their spellings (name, short name, aliases), exactly, so the scorer does not share
the importer's own idea of when two names are one unit. A duty's due is right when both plans
schedule it at the same local times."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass, field

from workflow.plans.schedule import PlanTime, schedule


@dataclass
class Score:
    """The figures of one comparison; ``misses`` says what was wrong, item by item."""

    expected: int = 0
    found: int = 0
    lead_right: int = 0
    coordinating_right: int = 0
    due_right: int = 0
    all_right: int = 0
    invented: int = 0
    targets_expected: int = 0
    targets_found: int = 0
    figures_right: int = 0
    misses: list[str] = field(default_factory=list)

    def share(self, count: int) -> float:
        return count / self.expected if self.expected else 1.0


def score(draft: dict, reference: dict) -> Score:
    """Compare two checked plans (``parse_plan`` output): ``draft`` against ``reference``."""
    result = Score(expected=len(reference["responsibilities"]))
    units = _unit_map(draft, reference)
    draft_time, reference_time = PlanTime.of(draft), PlanTime.of(reference)
    matched: set[str] = set()
    by_ref = {item["ref"]: item for item in draft["responsibilities"]}
    for expected in reference["responsibilities"]:
        found = by_ref.get(expected["ref"]) or _by_text(
            expected, draft["responsibilities"], matched
        )
        if found is None or found["ref"] in matched:
            result.misses.append(f"{expected['ref']}: not found")
            continue
        matched.add(found["ref"])
        result.found += 1
        right = []
        for role, counter in (("lead", "lead_right"), ("coordinating", "coordinating_right")):
            drafted = sorted(units.get(code, f"?{code}") for code in found[role])
            ok = drafted == sorted(expected[role])
            right.append(ok)
            setattr(result, counter, getattr(result, counter) + ok)
            if not ok:
                result.misses.append(f"{expected['ref']}: {role} {drafted} != {expected[role]}")
        drafted_dues, expected_dues = _dues(found, draft_time), _dues(expected, reference_time)
        due = drafted_dues == expected_dues
        result.due_right += due
        if not due:
            result.misses.append(f"{expected['ref']}: due {drafted_dues} != {expected_dues}")
        result.all_right += all(right) and due
    result.invented = len([r for r in draft["responsibilities"] if r["ref"] not in matched])
    result.misses += [
        f"{r['ref']}: invented" for r in draft["responsibilities"] if r["ref"] not in matched
    ]
    _score_targets(result, draft["targets"], reference["targets"])
    return result


def _score_targets(result: Score, drafted: list[dict], expected: list[dict]) -> None:
    result.targets_expected = len(expected)
    by_ref = {t["ref"]: t for t in drafted}
    for target in expected:
        found = by_ref.get(target["ref"])
        if found is None:
            result.misses.append(f"target {target['ref']}: not found")
            continue
        result.targets_found += 1
        same = (found["target"], found["comparator"]) == (target["target"], target["comparator"])
        result.figures_right += same
        if not same:
            result.misses.append(
                f"target {target['ref']}: {found['comparator']}{found['target']} != "
                f"{target['comparator']}{target['target']}"
            )


def _unit_map(draft: dict, reference: dict) -> dict[str, str]:
    """Draft unit code -> reference unit code, by a spelling they share."""
    spellings: dict[str, str] = {}
    for unit in reference["units"]:
        for name in _names(unit):
            spellings.setdefault(_plain(name), unit["code"])
    result = {}
    for unit in draft["units"]:
        for name in _names(unit):
            if _plain(name) in spellings:
                result[unit["code"]] = spellings[_plain(name)]
                break
    return result


def _names(unit: dict) -> list[str]:
    return [unit["name"], unit.get("short_name") or "", *unit.get("aliases", [])]


def _plain(name: str) -> str:
    text = unicodedata.normalize("NFC", name).casefold().replace("–", "-")
    return " ".join(text.split())


def _by_text(expected: dict, drafted: list[dict], matched: set[str]) -> dict | None:
    best, ratio = None, 0.8
    for item in drafted:
        if item["ref"] in matched:
            continue
        similar = difflib.SequenceMatcher(None, expected["text"], item["text"]).ratio()
        if similar > ratio:
            best, ratio = item, similar
    return best


def _dues(item: dict, plan: PlanTime) -> list[str]:
    return [
        slot.due.isoformat(timespec="minutes")
        for slot in schedule(item["cadence"], item["report_due"], plan)
    ]
