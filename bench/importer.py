"""How well the importer drafts a plan: each document's draft against the plan a person wrote.

For every pair it prints the responsibilities found, with the right lead, the right coordinating
units and the right deadlines, the tasks it invented, the targets found, and what it got wrong.
Prints figures; asserts nothing (the tests hold the importer to its documents).
Run: python bench/importer.py [DOCUMENT PLAN.yaml]...
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from workflow.plans.checks import parse_plan, read_plan
from workflow.plans.importer import draft_plan
from workflow.plans.importer.scoring import score
from workflow.plans.importer.yaml_writer import draft_yaml

ROOT = Path(__file__).resolve().parent.parent
PAIRS = [
    # The Việt Hưng plan as a text file, against the plan file written by hand from it.
    ("docs/seed/000_7684f10bc084db47.txt", "definitions/viet-hung-2026-nq57.yaml"),
    # A People's Committee plan whose tasks are a table.
    ("tests/plans/documents/tan-lap-cchc-2026.docx",
     "tests/plans/documents/tan-lap-cchc-2026.yaml"),
    # An election committee's plan: an election day, đợt, positions with holders.
    ("tests/plans/documents/tan-lap-bau-cu-2026.docx",
     "tests/plans/documents/tan-lap-bau-cu-2026.yaml"),
]  # fmt: skip


def report(document: Path, reference: Path) -> None:
    started = time.perf_counter()
    draft = draft_plan(document.read_bytes(), document.name)
    text = draft_yaml(draft)
    elapsed = (time.perf_counter() - started) * 1000
    figures = score(parse_plan(text, str(document)), read_plan(reference))
    total = figures.expected

    def line(label: str, count: int, out_of: int = total) -> None:
        share = count / out_of if out_of else 1.0
        print(f"  {label:<42} {count:>3} / {out_of:<3} {share:7.1%}")

    print(f"{document.relative_to(ROOT) if document.is_relative_to(ROOT) else document}")
    print(f"  drafted in {elapsed:.0f} ms; {len(draft.doubts)} points to check "
          f"({sum(d.blocking for d in draft.doubts)} to decide)")  # fmt: skip
    line("responsibilities found", figures.found)
    line("  with the right lead", figures.lead_right)
    line("  with the right coordinating units", figures.coordinating_right)
    line("  with the right deadlines", figures.due_right)
    line("  right in all three", figures.all_right)
    print(f"  {'invented (not in the reference)':<42} {figures.invented:>3}")
    line("targets found", figures.targets_found, figures.targets_expected)
    line("  with the right figure and comparator", figures.figures_right, figures.targets_expected)
    for miss in figures.misses:
        print(f"    - {miss}")


def main(arguments: list[str]) -> None:
    pairs = list(zip(arguments[::2], arguments[1::2], strict=True)) if arguments else PAIRS
    for document, reference in pairs:
        report((ROOT / document).resolve(), (ROOT / reference).resolve())


if __name__ == "__main__":
    main(sys.argv[1:])
