"""What accountability by unit costs as an organisation grows: time and SQL statements.

Loads the Việt Hưng plan into a SQLite file, then adds synthetic units in steps (each with a
unit head, four of the plan's duties in every quarter of 2026 and a realistic history of
events), and after each step times the dashboard's aggregates and counts the statements they
send. The statements stay the
same in number whatever the size: every figure is a GROUP BY in the database.

Prints figures and ratios; asserts nothing. Run: python bench/accountability.py [UNITS ...]
(default 30 300 3000).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import event, insert
from sqlmodel import Session, select

from workflow.accountability.overview import plan_overview
from workflow.accountability.queries import accountability_by_unit, rates_by_quarter
from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.clock import Clock
from workflow.db.engine import make_engine
from workflow.db.migrate import upgrade
from workflow.organisations.models import Unit
from workflow.organisations.queries import find_organisation
from workflow.periods import Quarter
from workflow.plans.checks import read_plan
from workflow.plans.models import Plan, Responsibility
from workflow.plans.opening import slots_in
from workflow.plans.schedule import PlanTime
from workflow.plans.store import load_plan
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.states import OPENED, TaskState

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "definitions" / "viet-hung-2026-nq57.yaml"
YEAR = 2026
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # mid Q4: three quarters past, one under way
CLOCK = Clock.at(NOW)
QUARTERS = [Quarter(YEAR, number) for number in range(1, 5)]
PER_QUARTER = 4


class StatementCounter:
    """Counts what SQLAlchemy sends to the database (``before_cursor_execute``)."""

    def __init__(self, engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany) -> None:
        if not statement.lstrip().upper().startswith("BEGIN"):
            self.count += 1


class Dataset:
    """Synthetic units of one organisation, each owing the plan's quarterly duties."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.organisation = find_organisation(session)
        self.plan = session.exec(select(Plan)).one()
        self.duties = []  # (responsibility id, quarter, occurrence number, due time)
        for responsibility in session.exec(
            select(Responsibility).where(Responsibility.plan_id == self.plan.id)
        ):
            for quarter in QUARTERS:
                for slot in slots_in(responsibility, quarter, PlanTime.of(self.plan.definition)):
                    due = CLOCK.instant(slot.due.date(), slot.due.time())
                    self.duties.append((responsibility.id, quarter, slot.number, due))
        self.units = 0
        self.tasks = 0
        self.events = 0
        self.next_task_id = 1_000_000
        self.random = random.Random(57)

    def grow_to(self, units: int) -> None:
        """Add units (with one head each, their tasks and events) until there are ``units``."""
        start, self.units = self.units, units
        unit_rows = [
            {
                "organisation_id": self.organisation.id,
                "code": f"BENCH-{n:05d}",
                "name": f"Chi bộ tổ dân phố số {n}",
                "kind": "party_organisation",
                "head_title": "Bí thư Chi bộ",
                "aliases": [],
            }
            for n in range(start, units)
        ]
        self.session.execute(insert(Unit), unit_rows)
        unit_ids = self.session.exec(
            select(Unit.id).where(Unit.code.in_([row["code"] for row in unit_rows]))
        ).all()
        self.session.execute(
            insert(User),
            [
                {
                    "organisation_id": self.organisation.id,
                    "username": f"bench.head.{unit_id}",
                    "full_name": f"Bí thư {unit_id}",
                    "email": f"head{unit_id}@example.vn",
                    "password_hash": "!",
                    "role": Role.UNIT_HEAD.value,
                    "unit_id": unit_id,
                    "active": True,
                    "locale": "vi",
                    "created_at": NOW,
                }
                for unit_id in unit_ids
            ],
        )
        heads = dict(
            self.session.exec(select(User.unit_id, User.id).where(User.unit_id.in_(unit_ids))).all()
        )
        tasks, events = [], []
        for unit_id in unit_ids:
            for duty in self._owed():
                task, history = self._task(unit_id, heads[unit_id], *duty)
                tasks.append(task)
                events.extend(history)
        for chunk in range(0, len(tasks), 20_000):
            self.session.execute(insert(Task), tasks[chunk : chunk + 20_000])
        for chunk in range(0, len(events), 20_000):
            self.session.execute(insert(TaskEventRecord), events[chunk : chunk + 20_000])
        self.session.commit()
        self.tasks += len(tasks)
        self.events += len(events)

    def _owed(self):
        """What one unit owes: ``PER_QUARTER`` of the plan's duties in each quarter, as in the
        design's ward (30 units, 120 tasks a quarter)."""
        for quarter in QUARTERS:
            duties = [duty for duty in self.duties if duty[1] == quarter]
            yield from self.random.sample(duties, min(PER_QUARTER, len(duties)))

    def _task(self, unit_id, head_id, responsibility_id, quarter, occurrence, due_at):
        """One task and its history: most reported on time and approved, some late, some
        returned, some overdue; tasks not yet due mostly still open."""
        self.next_task_id += 1
        task_id, luck = self.next_task_id, self.random.random()
        opened = datetime.combine(quarter.first_day, datetime.min.time(), tzinfo=UTC)
        history = [(opened, None, OPENED, TaskState.ASSIGNED)]
        state, reported = TaskState.ASSIGNED, None
        if (due_at > NOW and luck < 0.7) or luck < 0.06:
            pass  # not started: open, or overdue once the due time has passed
        else:
            history.append((due_at - timedelta(days=20), head_id, "start", TaskState.IN_PROGRESS))
            state = TaskState.IN_PROGRESS
            if luck >= 0.12:
                reported = due_at + (timedelta(days=4) if luck > 0.88 else -timedelta(days=5))
                history.append((reported, head_id, "report", TaskState.REPORTED))
                state = TaskState.REPORTED
                if 0.18 <= luck < 0.28:
                    history.append((reported + timedelta(days=2), None, "return", "returned"))
                    history.append((reported + timedelta(days=4), head_id, "report", "reported"))
                if luck >= 0.18:
                    history.append((reported + timedelta(days=6), None, "approve", "reviewed"))
                    state = TaskState.REVIEWED
        task = {
            "id": task_id,
            "plan_id": self.plan.id,
            "responsibility_id": responsibility_id,
            "unit_id": unit_id,
            "period": str(quarter),
            "occurrence": occurrence,
            "occurrence_label": "",
            "due_at": due_at,
            "state": str(state),
            "version": len(history),
            "created_at": opened,
            "updated_at": history[-1][0],
            "first_reported_at": reported,
            "reviewed_at": history[-1][0] if state == TaskState.REVIEWED else None,
        }
        events = [
            {
                "task_id": task_id,
                "actor_id": actor,
                "at": at,
                "event": name,
                "from_state": None,
                "to_state": str(to_state),
                "comment": "",
            }
            for at, actor, name, to_state in history
        ]
        return task, events


def measure(session: Session, counter: StatementCounter, read, repeat: int = 3):
    """Best time of ``repeat`` runs in milliseconds, and the statements of one run."""
    best, statements = float("inf"), 0
    for _ in range(repeat):
        session.commit()  # a fresh transaction, as each request has
        before = counter.count
        started = time.perf_counter()
        read()
        best = min(best, (time.perf_counter() - started) * 1000)
        statements = counter.count - before
    return best, statements


# Whoever reads the plan overview: a leader sees every unit's progress (never saved).
LEADER = User(username="lanhdao", email="", password_hash="!", role="leader", organisation_id=0)


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'bench.db'}")
        upgrade(engine)
        with Session(engine, expire_on_commit=False) as session:
            load_plan(session, read_plan(PLAN), CLOCK)
            session.commit()
            data = Dataset(session)
            counter = StatementCounter(engine)
            org = data.organisation
            reads = {
                "by unit, quarter": lambda: accountability_by_unit(session, org, QUARTERS[2], NOW),
                "by unit, year": lambda: accountability_by_unit(session, org, YEAR, NOW),
                "rates by quarter": lambda: rates_by_quarter(session, org, YEAR, NOW),
                "plan overview": lambda: plan_overview(session, org, NOW, LEADER),
            }
            print(
                f"SQLite, the Việt Hưng plan: each unit owes {PER_QUARTER} of its duties a quarter"
            )
            print(
                f"{'units':>6} {'tasks':>9} {'events':>9}  "
                + "  ".join(f"{name:>22}" for name in reads)
            )
            print(" " * 28 + "  ".join(f"{'ms   (statements)':>22}" for _ in reads))
            first = None
            for size in sizes:
                started = time.perf_counter()
                data.grow_to(size)
                built = time.perf_counter() - started
                results = [measure(session, counter, read) for read in reads.values()]
                first = first or results
                print(
                    f"{data.units:>6} {data.tasks:>9} {data.events:>9}  "
                    + "  ".join(f"{ms:>10.1f} ms ({count:>2} st)" for ms, count in results)
                    + f"   built in {built:.1f} s"
                )
            print()
            print(f"from {sizes[0]} to {sizes[-1]} units (×{sizes[-1] / sizes[0]:.0f} data):")
            for name, (ms0, st0), (ms1, st1) in zip(reads, first, results, strict=True):
                print(
                    f"  {name:<18} time ×{ms1 / ms0:7.1f}   statements {st0} → {st1}"
                    f" ({'constant' if st0 == st1 else 'GROWS'})"
                )
            rows = accountability_by_unit(session, org, YEAR, NOW)
            worst = rows[0]
            print(
                f"\n{len(rows)} units in the year's table; worst: {worst.unit_name} "
                f"({worst.on_time} of {worst.expected} on time, {worst.overdue} overdue)"
            )
        engine.dispose()


if __name__ == "__main__":
    main([int(arg) for arg in sys.argv[1:]] or [30, 300, 3000])
