"""What one state transition costs: the shared machine against a Machine built per task.

Prints figures and ratios; asserts nothing (speed is measured here, never in tests).
Run: python bench/transition_cost.py [N]
"""

from __future__ import annotations

import sys
import time
import tracemalloc

from transitions import Machine

from workflow.tasks.machine import TASK_MACHINE, TRANSITIONS, fire
from workflow.tasks.states import TaskEvent, TaskState


class Row:
    def __init__(self) -> None:
        self.state = TaskState.ASSIGNED.value


def per_row_machine(row: Row) -> Machine:
    """What the pitfall looks like: a new Machine decorating each row."""
    return Machine(
        model=row,
        states=[s.value for s in TaskState],
        initial=row.state,
        transitions=[
            {"trigger": e.value, "source": [s.value for s in src], "dest": d.value}
            for e, (src, d) in TRANSITIONS.items()
        ],
        auto_transitions=False,
    )


def measure(label: str, n: int, action) -> float:
    """Time ``n`` calls, then measure the peak memory of ``n`` more (tracemalloc slows them)."""
    started = time.perf_counter()
    for _ in range(n):
        action()
    micro = (time.perf_counter() - started) / n * 1e6
    tracemalloc.start()
    for _ in range(n):
        action()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<44} {micro:9.2f} µs/transition   peak memory {peak / 1024:9.1f} KiB")
    return micro


def service_cost(n: int) -> float:
    """A whole ``start_task``: visibility, permission, compare-and-set, event row, on SQLite."""
    import tempfile
    from pathlib import Path

    from sqlmodel import Session, select

    from workflow.accounts.operations import add_user
    from workflow.clock import Clock
    from workflow.db.engine import make_engine
    from workflow.db.migrate import upgrade
    from workflow.organisations.models import Unit
    from workflow.organisations.queries import find_organisation
    from workflow.periods import Quarter
    from workflow.plans.checks import read_plan
    from workflow.plans.opening import open_quarter
    from workflow.plans.store import load_plan
    from workflow.tasks.models import Task
    from workflow.tasks.operations import start_task

    root = Path(__file__).resolve().parents[1]
    clock = Clock.at("2026-03-02T09:00")
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{folder}/bench.db")
        upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            plan = read_plan(root / "definitions" / "viet-hung-2026-nq57.yaml")
            load_plan(session, plan, clock)
            organisation = find_organisation(session)
            for quarter in ("2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"):
                open_quarter(session, organisation, Quarter.parse(quarter), clock)
            heads = {}
            for unit in session.exec(select(Unit).where(Unit.is_group == False)):  # noqa: E712
                heads[unit.id] = add_user(
                    session,
                    organisation,
                    f"head{unit.id}",
                    "unit_head",
                    f"head{unit.id}@example.vn",
                    "bench-password",
                    unit_code=unit.code,
                    now=clock.now(),
                )
            session.commit()
            tasks = session.exec(select(Task.id, Task.unit_id)).all()[:n]
        started, done = time.perf_counter(), 0
        for task_id, unit_id in tasks:
            with Session(engine) as session:
                start_task(session, heads[unit_id], task_id, 1, now=clock.now())
                session.commit()
                done += 1
        micro = (time.perf_counter() - started) / done * 1e6
        engine.dispose()
    print(
        f"{'start_task service, one transaction (SQLite)':<44} {micro:9.2f} µs/transition"
        f"   ({done} tasks)"
    )
    return micro


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    print(f"{n} tasks, each started (assigned -> in_progress)\n")

    def shared() -> None:
        fire(TaskEvent.START, Row())

    def own_machine() -> None:
        row = Row()
        per_row_machine(row)
        row.start()

    rows = [Row() for _ in range(2 * n)]
    kept = []

    def own_machine_kept() -> None:
        row = rows[len(kept)]
        kept.append(per_row_machine(row))
        row.start()

    shared_cost = measure("shared machine (workflow.machine.fire)", n, shared)
    own_cost = measure("a Machine built per task", n, own_machine)
    measure("a Machine per task, kept alive (memory)", n, own_machine_kept)
    print(f"\nper-task Machine / shared machine: {own_cost / shared_cost:.1f}x slower")
    service = service_cost(n)
    print(f"machine share of a whole service call: {shared_cost / service:.1%}")
    print(f"shared machine object: {TASK_MACHINE!r}")


if __name__ == "__main__":
    main()
