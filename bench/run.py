"""The benchmark of a deployment at scale: a ward, a city or the whole country on one database.

    python bench/run.py --scale ward|city|national --db sqlite|postgres [--json FILE]

Generates data of the real plan's shape and loads it through the project's bulk path
(``workflow.db.bulk``): the Việt Hưng plan, its group of Party cells grown by six cells so a
commune owes about 600 tasks a year with its contributions (2 million for the country's 3,321
communes), four quarters, about three events a task, the states a year brings (about 40%
reviewed, 20% reported, 15% in progress, 20% assigned, 5% returned, some overdue). Then it
measures what the issue's targets name and prints a table and JSON. It asserts
nothing: the figures are for the README and for comparing runs. Keys it cannot measure yet are
printed as null with the reason, never invented.

The first commune is loaded through the services (``load_plan``, ``open_quarter``) and is the
template; every other commune is a copy of its rows with its own ids, written by the bulk path.
PostgreSQL runs in a database of its own (``giaoviec_bench_<pid>``), created and dropped here.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402
from serving import http_ratio  # noqa: E402
from sqlalchemy import Column, MetaData, Table, select, text  # noqa: E402
from sqlmodel import Session  # noqa: E402
from writes import smtp_ratio, transition_ratio  # noqa: E402

import workflow.db.schema  # noqa: E402,F401  (every table)
from notifications.rules import (  # noqa: E402
    Person,
    TaskFacts,
    due_items,
    event_notices,
    notice_key,
    notice_rule,
)
from notifications.sweep import NOTICE_LOOKBACK, load_steps, load_users, person_of  # noqa: E402
from workflow.accountability.rollup import rollup  # noqa: E402
from workflow.accounts.models import User  # noqa: E402
from workflow.accounts.operations import add_user  # noqa: E402
from workflow.accounts.tokens import issue_token  # noqa: E402
from workflow.clock import Clock  # noqa: E402
from workflow.db.bulk import copy_rows, finish, vacuum  # noqa: E402
from workflow.db.engine import make_engine, statements_sent  # noqa: E402
from workflow.db.migrate import upgrade  # noqa: E402
from workflow.db.schema import metadata  # noqa: E402
from workflow.organisations.models import Organisation, Unit  # noqa: E402
from workflow.organisations.tree import Level, add_level, place_under  # noqa: E402
from workflow.periods import Quarter  # noqa: E402
from workflow.plans.checks import read_plan  # noqa: E402
from workflow.plans.models import Plan  # noqa: E402
from workflow.plans.opening import open_quarter  # noqa: E402
from workflow.plans.schema import reminder_rules  # noqa: E402
from workflow.plans.store import load_plan  # noqa: E402
from workflow.working_days import WorkingCalendar  # noqa: E402

PLAN = ROOT / "definitions" / "viet-hung-2026-nq57.yaml"
YEAR = 2026
NOW = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)  # mid Q4: three quarters past, one under way
YESTERDAY = date(2026, 11, 19)  # the last sweep before NOW's
CALENDAR = WorkingCalendar()
PASSWORD = "bench-password"
# (cities or provinces, communes): a ward alone; a city of 126 communes; the country's 3,321
# communes under 34 provinces and cities.
SCALES = {"ward": (0, 1), "city": (1, 126), "national": (34, 3321)}
CELLS = 6  # cells added to the group of Party cells: about 600 tasks a commune a year
STATES = [
    ("reviewed", 40),
    ("reported", 20),
    ("in_progress", 15),
    ("assigned", 20),
    ("returned", 5),
]
PAGE_REQUESTS = 40


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=list(SCALES), default="ward")
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--json", dest="json_file")
    parser.add_argument(
        "--keep", action="store_true", help="keep the generated database and print its URL"
    )
    args = parser.parse_args()
    random.seed(57)
    with database(args.db, args.keep) as url:
        figures = run(url, args.scale)
    figures["scale"], figures["db"] = args.scale, args.db
    figures["measured_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    figures["machine"] = f"{os.cpu_count()} cores, {platform_memory()}"
    print_table(figures)
    if args.json_file:
        Path(args.json_file).write_text(json.dumps(figures, ensure_ascii=False, indent=2))


class database:
    """A fresh database for one run: a SQLite file, or a PostgreSQL database dropped after."""

    def __init__(self, kind: str, keep: bool = False) -> None:
        self.kind, self.keep = kind, keep

    def __enter__(self) -> str:
        if self.kind == "sqlite":
            self.folder = tempfile.mkdtemp()
            self.url = f"sqlite:///{self.folder}/bench.db"
            return self.url
        self.name = f"giaoviec_bench_{os.getpid()}"
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{self.name}"')
        self.url = f"postgresql://postgres@127.0.0.1/{self.name}"
        return self.url

    def __exit__(self, *exc) -> None:
        if self.keep:
            print(f"kept: GIAOVIEC_DATABASE_URL={self.url}")
            return
        if self.kind == "sqlite":
            shutil.rmtree(self.folder)
            return
        with psycopg.connect("host=127.0.0.1 user=postgres dbname=postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(url: str, scale: str) -> dict:
    engine = make_engine(url)
    upgrade(engine)
    figures: dict = {}
    started = time.perf_counter()
    template = build_template(engine)
    client, token = web_client(url, template)
    figures["queries_ward_page_small"] = statements(client, template["page"])
    branches, communes = SCALES[scale]
    large = scale != "ward"
    load_seconds, rows = grow(engine, template, branches, communes, large)
    figures["generate_and_load_s"] = round(time.perf_counter() - started, 1)
    figures["bulk_load_s"] = round(load_seconds, 1)
    figures["tasks"], figures["events"] = rows["task"], rows["task_event"]
    figures["communes"] = communes
    figures["load_ratio_vs_copy"] = load_ratio(engine, template)
    figures["queries_ward_page_large"] = statements(client, template["page"])
    page = timings(lambda: client.get(template["page"]))
    api = timings(lambda: client.get(template["api"], headers={"Authorization": f"Bearer {token}"}))
    figures["ward_page_p50_ms"], figures["ward_page_p95_ms"] = page
    figures["api_p50_ms"], figures["api_p95_ms"] = api
    figures["api_ratio"] = round(page[1] / api[1], 2) if api[1] else None
    if large:
        large_client, _token = web_client(url, template, "bench.leader.large.0")
        large_page = timings(lambda: large_client.get(template["page"]))
        figures["large_org_page_p50_ms"], figures["large_org_page_p95_ms"] = large_page
        figures["queries_large_org_page"] = statements(large_client, template["page"])
    figures.update(rollups(engine, template, scale))
    figures.update(sweep(url))
    figures.update(transition_ratio(engine, NOW))
    figures.update(smtp_ratio(engine, template["leader_id"], NOW))
    figures.update(http_ratio(url, template["page"], "bench.leader", PASSWORD))
    for key, why in NOT_YET.items():
        if key not in figures:
            figures[key] = None
            figures.setdefault("not_measured", {})[key] = why
    engine.dispose()
    return figures


NOT_YET = {"large_org_page_p95_ms": "the ward scale has no organisation of 100,000 tasks"}


def build_template(engine) -> dict:
    """The first commune, through the services: the plan with its cells' group grown, the four
    quarters opened, a leader to sign in and the levels above with their overseers."""
    definition = read_plan(PLAN)
    cells = next(dict(unit) for unit in definition["units"] if unit["code"] == "CB-KDC1")
    for number in range(3, 3 + CELLS):
        definition["units"].append(
            cells | {"code": f"CB-KDC{number}", "name": f"Chi bộ Khu dân cư số {number}"}
        )
    for group in definition["units"]:
        if group["is_group"] and "CB-KDC1" in group["members"]:
            group["members"] += [f"CB-KDC{n}" for n in range(3, 3 + CELLS)]
    began = Clock.at(datetime(2026, 1, 1, 1, 0, tzinfo=UTC))
    with Session(engine) as session:
        plan = load_plan(session, definition, began).plan
        ward = session.get(Organisation, plan.organisation_id)
        for number in range(1, 5):
            open_quarter(session, ward, Quarter(YEAR, number), began)
        leader = add_user(
            session, ward, "bench.leader", "leader", "l@bench.vn", PASSWORD, now=began.now()
        )
        token = issue_token(session, leader, began.now())
        add_user(
            session, ward, "bench.reviewer", "reviewer", "r@bench.vn", PASSWORD, now=began.now()
        )
        for unit in session.scalars(select(Unit).where(Unit.organisation_id == ward.id)):
            if not unit.is_group:
                code = unit.code.lower()
                head = f"bench.{code}"
                add_user(
                    session,
                    ward,
                    head,
                    "unit_head",
                    f"{code}@bench.vn",
                    PASSWORD,
                    unit.code,
                    now=began.now(),
                )
        nation = add_level(session, "BENCH-VN", "Trung ương", Level.NATIONAL)
        city = add_level(session, "BENCH-CITY-0", "Thành phố 0", Level.CITY, nation)
        place_under(session, ward, city)
        overseers = {}
        for organisation in (nation, city):
            overseers[organisation.level] = add_user(
                session,
                organisation,
                f"bench.{organisation.level}",
                "overseer",
                f"{organisation.level}@bench.vn",
                PASSWORD,
                now=began.now(),
            ).id
        session.commit()
        return {
            "ward_id": ward.id,
            "plan_id": plan.id,
            "nation_id": nation.id,
            "city_id": city.id,
            "token": token,
            "leader_id": leader.id,
            "overseers": overseers,
            "page": "/accountability?quarter=2026-Q3",
            "api": "/api/v1/accountability?quarter=2026-Q3",
        }


def web_client(url: str, template: dict, username: str = "bench.leader"):
    from web import create_app
    from web.clock import set_app_clock

    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False})
    set_app_clock(app, Clock.at(NOW))
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": PASSWORD})
    assert response.status_code == 302, response.status_code
    return client, template["token"]


def statements(client, path: str) -> int:
    with statements_sent(client.application.extensions["giaoviec.engine"]) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def timings(request) -> tuple[float, float]:
    """p50 and p95 in ms of ``PAGE_REQUESTS`` requests, after two to warm up."""
    for _ in range(2):
        request()
    times = []
    for _ in range(PAGE_REQUESTS):
        start = time.perf_counter()
        response = request()
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, response.status_code
    times.sort()
    return round(statistics.median(times), 1), round(times[int(len(times) * 0.95) - 1], 1)


# Generating the other communes


TABLES = (
    "organisation",
    "unit",
    "app_user",
    "unit_membership",
    "plan",
    "responsibility",
    "responsibility_unit",
)


GENERATED = (*TABLES, "task", "task_event", "outbox", "notification_item")


def grow(engine, template: dict, branches: int, communes: int, large: bool) -> tuple[float, dict]:
    """Every commune after the first, and the template's own tasks replaced by generated ones
    with a year's states and events, and with ``large`` one organisation of about 100,000
    tasks; all through ``copy_rows``."""
    tables = metadata.tables
    with engine.begin() as connection:
        model = {name: _rows(connection, tables[name], template) for name in TABLES}
        tasks = _rows(connection, tables["task"], template)
        connection.execute(text("DELETE FROM notification_item"))
        connection.execute(text("DELETE FROM outbox"))
        connection.execute(text("DELETE FROM task_event"))
        connection.execute(text("DELETE FROM task"))
    parents = _branches(engine, template, branches)  # before the ids: it adds organisations
    next_id = {name: _max_id(engine, tables[name]) + 1 for name in GENERATED}
    written = {"task": 0, "task_event": 0, "notification_item": 0}
    started = time.perf_counter()
    batch: dict[str, list[tuple]] = {}
    for index in range(communes):
        parent = parents[index % len(parents)]
        rows = _commune(model, tasks, template, index, parent, next_id)
        for name, items in rows.items():
            batch.setdefault(name, []).extend(items)
        if index % 50 == 49 or index == communes - 1:
            _flush(engine, batch, written)
            batch = {}
    if large:
        _flush(engine, _large_organisation(model, tasks, template, parents[0], next_id), written)
    written["outbox"] = notices_told(engine, next_id)
    with engine.begin() as connection:
        finish(connection, [tables[name] for name in GENERATED])
    vacuum(engine, [tables[name] for name in GENERATED])
    return time.perf_counter() - started, written


def notices_told(engine, next_id: dict) -> int:
    """The notices of the last week's steps that earlier sweeps told (the steps before
    yesterday's): sent messages and their lines, found by the sweep's own rules, a few
    hundred organisations at a time."""
    told_before = NOW - timedelta(days=1)
    with Session(engine) as session:
        organisations = session.scalars(select(Organisation.id).order_by(Organisation.id)).all()
    count = 0
    for start in range(0, len(organisations), 300):
        chunk = organisations[start : start + 300]
        with Session(engine) as session:
            steps = load_steps(
                session, NOW - NOTICE_LOOKBACK, CALENDAR, Plan.organisation_id.in_(chunk)
            )
            steps = [step for step in steps if step.at < told_before]
            users = load_users(session, User.organisation_id.in_(chunk))
        messages, lines = [], []
        for person, facts in event_notices(steps, [person_of(u) for u in users.values()]):
            key, kind = notice_key(person.id, facts), notice_rule(facts).value
            messages.append(
                {
                    "id": next_id["outbox"],
                    "key": key,
                    "kind": kind,
                    "recipient_id": person.id,
                    "to_address": users[person.id].email,
                    "to_name": users[person.id].full_name,
                    "subject": kind,
                    "body_text": kind,
                    "body_html": kind,
                    "message_id": f"<{key}@bench>",
                    "status": "sent",
                    "attempts": 1,
                    "last_error": "",
                    "created_at": facts.at,
                    "next_attempt_at": facts.at,
                    "sent_at": facts.at,
                }
            )
            lines.append(
                {
                    "id": next_id["notification_item"],
                    "key": key,
                    "outbox_id": next_id["outbox"],
                    "recipient_id": person.id,
                    "task_id": facts.task.id,
                    "rule": kind,
                    "on_date": CALENDAR.local_day(facts.at),
                    "created_at": facts.at,
                }
            )
            next_id["outbox"] += 1
            next_id["notification_item"] += 1
        _flush(engine, {"outbox": messages, "notification_item": lines}, {})
        count += len(messages)
    return count


def _rows(connection, table, template) -> list[dict]:
    """The template commune's rows of ``table``."""
    tables, ward, plan = metadata.tables, template["ward_id"], template["plan_id"]
    units = select(tables["unit"].c.id).where(tables["unit"].c.organisation_id == ward)
    responsibilities = select(tables["responsibility"].c.id).where(
        tables["responsibility"].c.plan_id == plan
    )
    where = {
        "organisation": lambda c: c.id == ward,
        "unit": lambda c: c.organisation_id == ward,
        "app_user": lambda c: c.organisation_id == ward,
        "plan": lambda c: c.organisation_id == ward,
        "unit_membership": lambda c: c.group_id.in_(units),
        "responsibility": lambda c: c.plan_id == plan,
        "responsibility_unit": lambda c: c.responsibility_id.in_(responsibilities),
        "task": lambda c: c.plan_id == plan,
    }[table.name](table.c)
    return [dict(row._mapping) for row in connection.execute(select(table).where(where))]


def _max_id(engine, table) -> int:
    if "id" not in table.c:
        return 0
    with engine.connect() as connection:
        return connection.execute(select(text("max(id)")).select_from(table)).scalar() or 0


def _branches(engine, template, branches: int) -> list[int]:
    """The cities or provinces the communes are spread over (the template's city first)."""
    if branches <= 1:
        return [template["city_id"]]
    with Session(engine) as session:
        nation = session.get(Organisation, template["nation_id"])
        ids = [template["city_id"]]
        for number in range(1, branches):
            ids.append(
                add_level(session, f"BENCH-P{number}", f"Tỉnh {number}", Level.PROVINCE, nation).id
            )
        session.commit()
    return ids


def _commune(model, tasks, template, index, parent, next_id) -> dict[str, list]:
    """One commune's rows: a copy of the template's with new ids (the template itself keeps
    its organisation, units and plan, and gets only its generated tasks)."""
    ids: dict[str, dict[int, int]] = {name: {} for name in TABLES}

    def new(name: str, old: int) -> int:
        if index == 0:
            return old
        ids[name][old] = next_id[name]
        next_id[name] += 1
        return ids[name][old]

    rows: dict[str, list] = {}
    if index:
        organisation = model["organisation"][0] | {
            "id": new("organisation", template["ward_id"]),
            "code": f"BENCH-{index:05d}",
            "name": f"Đảng bộ xã {index}",
            "parent_id": parent,
        }
        rows["organisation"] = [organisation]
        rows["unit"] = [
            u | {"id": new("unit", u["id"]), "organisation_id": organisation["id"]}
            for u in model["unit"]
        ]
        rows["app_user"] = [
            u
            | {
                "id": new("app_user", u["id"]),
                "organisation_id": organisation["id"],
                "unit_id": ids["unit"][u["unit_id"]] if u["unit_id"] else None,
                "username": f"{u['username']}.{index}",
            }
            for u in model["app_user"]
        ]
        rows["unit_membership"] = [
            m | {"group_id": ids["unit"][m["group_id"]], "member_id": ids["unit"][m["member_id"]]}
            for m in model["unit_membership"]
        ]
        rows["plan"] = [
            p | {"id": new("plan", p["id"]), "organisation_id": organisation["id"]}
            for p in model["plan"]
        ]
        rows["responsibility"] = [
            r | {"id": new("responsibility", r["id"]), "plan_id": ids["plan"][r["plan_id"]]}
            for r in model["responsibility"]
        ]
        rows["responsibility_unit"] = [
            ru
            | {
                "responsibility_id": ids["responsibility"][ru["responsibility_id"]],
                "unit_id": ids["unit"][ru["unit_id"]],
            }
            for ru in model["responsibility_unit"]
        ]
    rows["task"], rows["task_event"] = [], []
    for task in tasks:
        rows_task, events = _history(task, next_id)
        if index:
            rows_task |= {
                "plan_id": ids["plan"][task["plan_id"]],
                "responsibility_id": ids["responsibility"][task["responsibility_id"]],
                "unit_id": ids["unit"][task["unit_id"]],
            }
        rows["task"].append(rows_task)
        rows["task_event"] += events
    users = rows.get("app_user", model["app_user"])
    rows["notification_item"] = _lines_sent(rows["task"], tasks, users, model, next_id)
    return rows


LARGE_UNIT_COPIES, LARGE_DUTY_COPIES = 18, 9  # 828 units, about 97,000 tasks


def _large_organisation(model, tasks, template, parent, next_id) -> dict[str, list]:
    """One organisation of about 100,000 tasks: the template's units copied
    ``LARGE_UNIT_COPIES`` times (a head each), and for each copy of the units the plan's
    duties copied ``LARGE_DUTY_COPIES`` times, all in one plan."""
    organisation = model["organisation"][0] | {
        "id": next_id["organisation"],
        "code": "BENCH-LARGE",
        "name": "Đảng bộ lớn",
        "parent_id": parent,
    }
    next_id["organisation"] += 1
    plan = model["plan"][0] | {"id": next_id["plan"], "organisation_id": organisation["id"]}
    next_id["plan"] += 1
    rows = {name: [] for name in ("unit", "app_user", "unit_membership", "responsibility")}
    rows |= {"organisation": [organisation], "plan": [plan], "responsibility_unit": []}
    rows |= {"task": [], "task_event": []}
    template_tasks = []
    for copy in range(LARGE_UNIT_COPIES):
        copied, units = _renumbered(
            model["unit"],
            "unit",
            next_id,
            lambda u, copy=copy: {
                "organisation_id": organisation["id"],
                "code": f"{u['code']}-{copy}",
                "name": f"{u['name']} ({copy + 1})",
            },
        )
        rows["unit"] += copied
        for user in model["app_user"]:
            if user["unit_id"] is None and copy:
                continue  # one leader and one reviewer
            rows["app_user"].append(
                user
                | {
                    "id": next_id["app_user"],
                    "organisation_id": organisation["id"],
                    "unit_id": units[user["unit_id"]] if user["unit_id"] else None,
                    "username": f"{user['username']}.large.{copy}",
                    "email": f"{copy}.{user['email']}",
                }
            )
            next_id["app_user"] += 1
        rows["unit_membership"] += [
            m | {"group_id": units[m["group_id"]], "member_id": units[m["member_id"]]}
            for m in model["unit_membership"]
        ]
        for duty in range(LARGE_DUTY_COPIES):
            copied, duties = _renumbered(
                model["responsibility"],
                "responsibility",
                next_id,
                lambda r, copy=copy, duty=duty: {
                    "plan_id": plan["id"],
                    "ref": f"{r['ref']}.{copy}.{duty}",
                },
            )
            rows["responsibility"] += copied
            rows["responsibility_unit"] += [
                ru
                | {
                    "responsibility_id": duties[ru["responsibility_id"]],
                    "unit_id": units[ru["unit_id"]],
                }
                for ru in model["responsibility_unit"]
            ]
            for task in tasks:
                generated, events = _history(task, next_id)
                rows["task"].append(
                    generated
                    | {
                        "plan_id": plan["id"],
                        "responsibility_id": duties[task["responsibility_id"]],
                        "unit_id": units[task["unit_id"]],
                    }
                )
                rows["task_event"] += events
                template_tasks.append(task)
    rows["notification_item"] = _lines_sent(
        rows["task"], template_tasks, rows["app_user"], model, next_id
    )
    return rows


def _renumbered(template_rows, name: str, next_id: dict, change) -> tuple[list[dict], dict]:
    """Copies of ``template_rows`` with the next ids of table ``name`` and the fields
    ``change(row)`` gives, and the new id of each old one."""
    rows, ids = [], {}
    for row in template_rows:
        ids[row["id"]] = next_id[name]
        rows.append(row | {"id": next_id[name]} | change(row))
        next_id[name] += 1
    return rows, ids


def _lines_sent(tasks, template_tasks, users, model, next_id: dict) -> list[dict]:
    """The reminder lines the sweeps up to yesterday recorded for a commune: what the rules
    had due on ``YESTERDAY``, its latest points (the messages themselves are not generated)."""
    reminders = {r["id"]: reminder_rules(r["details"]) for r in model["responsibility"]}
    facts = [
        TaskFacts(
            id=t["id"],
            unit_id=t["unit_id"],
            unit_name="",
            ref="",
            title="",
            plan_ref="",
            plan_title="",
            period=t["period"],
            occurrence_label=t["occurrence_label"],
            due_at=t["due_at"],
            due_day=CALENDAR.local_day(t["due_at"]),
            state=t["state"],
            updated_at=t["updated_at"],
            reminders=reminders[template["responsibility_id"]],
            organisation_id=users[0]["organisation_id"],
            kind=t["kind"],
        )
        for t, template in zip(tasks, template_tasks, strict=True)
    ]
    people = [
        Person(u["id"], u["role"], u["unit_id"], True, u["organisation_id"])
        for u in users
        if u["active"]
    ]
    lines = []
    for line in due_items(facts, people, YESTERDAY, CALENDAR):
        lines.append(
            {
                "id": next_id["notification_item"],
                "key": line.key,
                "outbox_id": None,
                "recipient_id": line.recipient_id,
                "task_id": line.task_id,
                "rule": line.rule.value,
                "on_date": line.on_date,
                "created_at": NOW - timedelta(days=1),
            }
        )
        next_id["notification_item"] += 1
    return lines


def _history(task: dict, next_id: dict) -> tuple[dict, list[dict]]:
    """A task's state as a year leaves it, and the events that brought it there (about four):
    only what has fallen due by ``NOW`` has been reported or reviewed."""
    task_id = next_id["task"]
    next_id["task"] += 1
    due = task["due_at"]
    opened = task["created_at"]
    state = random.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
    if due > NOW and state in ("reviewed", "returned"):
        state = "reported"
    steps = [("open", None, "assigned", opened)]
    started = min(opened + timedelta(days=10), NOW)
    reported = due + timedelta(days=random.choice([-5, -2, 0, 1, 4]))
    if reported > NOW:  # reported early: some time between starting and now
        reported = started + (NOW - started) * random.random()
    if state != "assigned":
        steps.append(("start", "assigned", "in_progress", started))
    if state in ("reported", "reviewed", "returned"):
        steps.append(("report", "in_progress", "reported", max(reported, started)))
    if state == "reviewed":
        steps.append(
            ("approve", "reported", "reviewed", max(reported, started) + timedelta(days=2))
        )
    if state == "returned":
        steps.append(("return", "reported", "returned", max(reported, started) + timedelta(days=2)))
    events = []
    for event_name, from_state, to_state, at in steps:
        events.append(
            {
                "id": next_id["task_event"],
                "task_id": task_id,
                "actor_id": None,
                "at": min(at, NOW),
                "event": event_name,
                "from_state": from_state,
                "to_state": to_state,
                "comment": "",
            }
        )
        next_id["task_event"] += 1
    first_report = next((at for e, _f, _t, at in steps if e == "report"), None)
    return (
        task
        | {
            "id": task_id,
            "state": state,
            "version": len(steps),
            "updated_at": min(steps[-1][3], NOW),
            "first_reported_at": min(first_report, NOW) if first_report else None,
            "reviewed_at": min(steps[-1][3], NOW) if state == "reviewed" else None,
            "assignee_id": None,
            "last_activity_at": None,  # the steps carry no actor: nobody's activity
            "times_returned": int(state == "returned"),
        },
        events,
    )


def _flush(engine, batch: dict[str, list[dict]], written: dict) -> None:
    tables = metadata.tables
    with engine.begin() as connection:
        for name in GENERATED:
            items = batch.get(name, [])
            if not items:
                continue
            columns = list(items[0])
            count = copy_rows(
                connection, tables[name], columns, (tuple(i[c] for c in columns) for i in items)
            )
            if name in written:
                written[name] += count


def load_ratio(engine, template) -> float | None:
    """The bulk path against a plain COPY (PostgreSQL) or ``executemany`` (SQLite) of the same
    task rows, each into an empty copy of the task table."""
    tables = metadata.tables
    with engine.connect() as connection:
        rows = [tuple(r) for r in connection.execute(select(tables["task"]).limit(50000))]
    columns = [c.name for c in tables["task"].c]
    with engine.begin() as connection:
        connection.execute(text("CREATE TEMP TABLE bench_task AS SELECT * FROM task WHERE 1 = 0"))
        temp = _temp_table(tables["task"])
        start = time.perf_counter()
        copy_rows(connection, temp, columns, iter(rows))
        ours = time.perf_counter() - start
        connection.execute(text("DELETE FROM bench_task"))
        raw = connection.connection.driver_connection
        start = time.perf_counter()
        if engine.dialect.name == "postgresql":
            with raw.cursor().copy(f"COPY bench_task ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" for _ in columns)
            raw.executemany(f"INSERT INTO bench_task VALUES ({marks})", [_plain(r) for r in rows])
        plain = time.perf_counter() - start
    return round(ours / plain, 2) if plain else None


def _plain(row: tuple) -> tuple:
    """A row as SQLite's own driver takes it: instants as UTC text, as SQLAlchemy writes them."""
    return tuple(
        v.astimezone(UTC).replace(tzinfo=None).isoformat(sep=" ") if isinstance(v, datetime) else v
        for v in row
    )


def _temp_table(task):
    """The empty copy of the task table, typed as the task table is."""
    return Table("bench_task", MetaData(), *(Column(c.name, c.type) for c in task.c))


def rollups(engine, template, scale: str) -> dict:
    figures = {}
    with Session(engine) as session:
        for level, key in (("city", "city_rollup_ms"), ("national", "national_rollup_ms")):
            viewer = session.get(User, template["overseers"][level])
            times = []
            for _ in range(5):
                start = time.perf_counter()
                rollup(session, viewer, "commune", Quarter(YEAR, 3), NOW)
                times.append((time.perf_counter() - start) * 1000)
            figures[key] = round(statistics.median(times), 1)
    return figures


SWEEP_COMMAND = [sys.executable, "-c", "from web.cli import main; main()", "reminders", "run"]


def sweep(url: str) -> dict:
    """The daily sweep over all the data, dry run, in a process of its own: its time and its
    peak memory (the child's maximum resident set)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    result = subprocess.run(
        [*SWEEP_COMMAND, "--dry-run", "--now", "2026-11-20T10:00"],
        env=os.environ
        | {"GIAOVIEC_DATABASE_URL": url, "GIAOVIEC_SECRET_KEY": "bench", "GIAOVIEC_LOCALE": "en"},
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    if result.returncode != 0:
        return {"sweep_s": None, "sweep_peak_mb": None, "sweep_error": result.stderr[-500:]}
    queued = re.search(r"(\d+) emails would be queued", result.stdout)
    return {
        "sweep_s": round(seconds, 1),
        "sweep_peak_mb": round(max(peak, before) / 1024, 1),
        "sweep_emails": int(queued.group(1)) if queued else None,
    }


def platform_memory() -> str:
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        return f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        return "memory unknown"


def print_table(figures: dict) -> None:
    width = max(len(key) for key in figures)
    for key, value in figures.items():
        if key != "not_measured":
            print(f"{key:<{width}}  {value}")
    for key, why in figures.get("not_measured", {}).items():
        print(f"{key:<{width}}  not measured: {why}")


if __name__ == "__main__":
    main()
