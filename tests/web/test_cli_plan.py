"""The command line: checking, showing and loading plans, opening and listing tasks, users.

Messages are in Vietnamese by default, so tests assert on files, lines, fields, codes and data,
and compare prose with the app's own translation of the message.
"""

import json
import re
from pathlib import Path

import pytest
from flask_babel import gettext
from sqlalchemy import text
from sqlmodel import select

from tests.conftest import Q1_CONTRIBUTIONS, Q1_DUTIES, Q1_TASKS, SMALL_PLAN, real_now
from workflow.accounts.models import User
from workflow.accounts.operations import add_user
from workflow.accounts.passwords import check_password
from workflow.accounts.tokens import user_for_token
from workflow.organisations.models import Organisation, Unit
from workflow.organisations.queries import find_organisation
from workflow.plans.models import Plan, Responsibility
from workflow.tasks.models import Task, TaskEventRecord
from workflow.tasks.operations import start_task
from workflow.tasks.states import TaskKind

VALID = SMALL_PLAN.read_text(encoding="utf-8")
PROBLEM_LINE = re.compile(r"^(?P<file>.+?):(?P<line>\d+): (?P<field>\S+): (?P<message>.+)$")
PLAN_TABLES = (
    "organisation",
    "plan",
    "unit",
    "unit_membership",
    "section",
    "responsibility",
    "responsibility_unit",
    "target",
    "target_responsibility",
    "task",
    "task_event",
)
PASSWORD = "mat-khau-an-toan"
# The whole of responsibility VI.2.1 (quarterly, led by UBND), to drop it from an edited plan.
VI_2_1 = VALID[VALID.index("  - ref: VI.2.1\n") : VALID.index("  - ref: VI.4.1\n")]


def edited(*edits: tuple[str, str]) -> str:
    """The valid test plan with each ``old`` text (which must occur once) replaced."""
    result = VALID
    for old, new in edits:
        assert result.count(old) == 1, f"{old!r} should occur once in the test plan"
        result = result.replace(old, new)
    return result


def write_plan(tmp_path: Path, content: str, name: str = "plan.yaml") -> str:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return str(path)


def translated(app, message: str, **params) -> str:
    """``message`` as the command line says it, in the app's language."""
    with app.app_context():
        return gettext(message, **params)


def invoke(runner, *args: str, **kwargs):
    return runner.invoke(args=list(args), **kwargs)


def ok(runner, *args: str, **kwargs):
    """Run a command that must succeed."""
    result = invoke(runner, *args, **kwargs)
    assert result.exit_code == 0, (result.stdout, result.stderr, result.exception)
    return result


def add_leader(runner, *more: str, password: str = PASSWORD):
    """``user add lanhdao`` as a leader, with ``more`` options, the password on stdin."""
    options = ["--role", "leader", "--email", "ld@example.vn", *more, "--password-stdin"]
    return invoke(runner, "user", "add", "lanhdao", *options, input=password + "\n")


def snapshot(session) -> dict[str, list[tuple]]:
    """Every row of the tables a plan file writes, in a stable order."""
    rows = {
        table: [tuple(row) for row in session.execute(text(f"SELECT * FROM {table} ORDER BY 1, 2"))]
        for table in PLAN_TABLES
    }
    session.rollback()
    return rows


def tasks_json(runner, *args: str) -> list[dict]:
    return json.loads(ok(runner, "tasks", "list", "--json", *args).stdout)


@pytest.fixture
def loaded(runner):
    """The small test plan, loaded through the command line."""
    ok(runner, "plan", "load", str(SMALL_PLAN))


@pytest.fixture
def opened(runner, loaded):
    """2026-Q1 of the small plan, opened through the command line."""
    ok(runner, "tasks", "open", "--quarter", "2026-Q1")


def unit_head(session, unit_code: str, username: str = "truong") -> User:
    user = add_user(
        session,
        find_organisation(session),
        username,
        "unit_head",
        f"{username}@example.vn",
        PASSWORD,
        unit_code=unit_code,
        now=real_now(),
    )
    session.commit()
    return user


# plan validate


def test_validating_a_valid_plan_prints_a_summary(app, runner):
    """Does a valid file pass, with a count of what it holds?"""
    result = ok(runner, "plan", "validate", str(SMALL_PLAN))
    summary = translated(
        app,
        "%(path)s: valid: %(units)s units, %(responsibilities)s responsibilities, "
        "%(targets)s targets.",
        path=str(SMALL_PLAN),
        units=5,
        responsibilities=5,
        targets=1,
    )
    first, *notes = result.stdout.strip().splitlines()
    assert first == summary
    # 15/03/2026 is a Sunday, 20/12/2026 too: said once a day, and kept (the plan does not
    # move them)
    assert notes == [
        "Lưu ý: VI.2.1, VI.4.1 có hạn 15/03/2026 17:00, là ngày nghỉ; kế hoạch giữ nguyên hạn này.",
        "Lưu ý: VI.1.5 (Tổng kết năm) có hạn 20/12/2026 11:00, là ngày nghỉ; kế hoạch giữ "
        "nguyên hạn này.",
    ]
    assert result.stderr == ""


def test_validating_a_malformed_plan_prints_located_problems(runner, tmp_path):
    """Is each mistake printed as FILE:LINE: field: message on stderr, with status 1?"""
    path = write_plan(
        tmp_path,
        edited(
            ("    lead: [UBND]\n    coordinating", "    lead: [UBNDX]\n    coordinating"),
            ("    section: VI.4\n", "    section: VI.9\n"),
        ),
    )
    result = invoke(runner, "plan", "validate", path)
    assert result.exit_code == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    problems = [m.groupdict() for m in map(PROBLEM_LINE.match, lines) if m]
    assert [(p["file"], p["line"], p["field"]) for p in problems] == [
        (path, "28", "responsibilities[VI.2.1].lead[1]"),
        (path, "31", "responsibilities[VI.4.1].section"),
    ], result.stderr
    assert "UBNDX" in problems[0]["message"] and "VI.9" in problems[1]["message"]
    assert lines[-1] == "2 lỗi: chưa nạp gì vào hệ thống."
    assert len(lines) == 3


def test_validating_a_missing_file_is_a_usage_error(runner, tmp_path):
    """Is a wrong path refused before anything is read?"""
    result = invoke(runner, "plan", "validate", str(tmp_path / "nowhere.yaml"))
    assert result.exit_code == 2
    assert "nowhere.yaml" in result.stderr


# plan load: all or nothing


def test_loading_a_malformed_plan_loads_nothing(runner, session, tmp_path):
    """When only the cross-references are wrong, does anything of the plan reach the database?"""
    path = write_plan(tmp_path, edited(("reported_in: [VI.4.1]", "reported_in: [VI.4.9]")))
    result = invoke(runner, "plan", "load", path)
    assert result.exit_code == 1
    assert PROBLEM_LINE.match(result.stderr.splitlines()[0]).group("file", "line", "field") == (
        path,
        "55",
        "targets[I.2.4].reported_in[1]",
    )
    for model in (Organisation, Plan, Unit, Responsibility):
        assert session.exec(select(model)).all() == [], model.__name__


# plan show


def test_show_json_prints_the_plan_as_understood(runner):
    """What does Giao Việc make of the file: units resolved to codes, cadences, targets?"""
    result = ok(runner, "plan", "show", str(SMALL_PLAN), "--json")
    plan = json.loads(result.stdout)
    assert {"plan", "units", "responsibilities", "targets"} <= plan.keys()
    assert plan["plan"]["title"] == "Kế hoạch thử nghiệm năm 2026"
    assert [u["code"] for u in plan["units"]] == ["BXDD", "UBND", "CB1", "CB2", "TCD"]
    first = plan["responsibilities"][0]
    assert {k: first[k] for k in ("ref", "title", "lead", "coordinating", "cadence")} == {
        "ref": "VI.2.1",
        "title": "Cung cấp thông tin chính thống",
        "lead": ["UBND"],
        "coordinating": ["BXDD", "TCD"],
        "cadence": {"kind": "quarterly"},
    }
    assert [r["cadence"]["kind"] for r in plan["responsibilities"]] == [
        "quarterly",
        "quarters",
        "phases",
        "once",
        "range",
    ]
    [target] = plan["targets"]
    assert {k: target[k] for k in ("ref", "title", "target", "comparator")} == {
        "ref": "I.2.4",
        "title": "Đảng phí trực tuyến",
        "target": 100,
        "comparator": "=",
    }


def test_show_json_keeps_vietnamese_readable(runner):
    """Is Vietnamese printed as letters, not \\u escapes?"""
    result = ok(runner, "plan", "show", str(SMALL_PLAN), "--json")
    assert "Đảng bộ phường Thử Nghiệm" in result.stdout
    assert "\\u" not in result.stdout


def test_show_prints_one_line_per_responsibility_and_target(runner):
    """Without --json, does each responsibility show its ref, title, lead and cadence?"""
    lines = ok(runner, "plan", "show", str(SMALL_PLAN)).stdout.splitlines()
    assert lines[0] == "Kế hoạch thử nghiệm năm 2026"
    assert lines[1].split()[0] == "VI.2.1" and "[UBND]" in lines[1] and "quarterly" in lines[1]
    assert lines[-1].split()[:2] == ["I.2.4", "=100%"]
    assert len(lines) == 1 + 5 + 1


# plan load: idempotent, and edits keep history


def test_loading_the_same_plan_twice_changes_nothing(app, runner, session, opened):
    """Does a second load of an unchanged file say so and leave every row as it was?"""
    before = snapshot(session)
    assert len(before["responsibility"]) == 5 and len(before["responsibility_unit"]) == 7
    result = ok(runner, "plan", "load", str(SMALL_PLAN))
    assert result.stdout.strip() == translated(
        app, "Plan %(code)s is already loaded and unchanged.", code="TN-2026"
    )
    assert snapshot(session) == before


def test_an_edited_plan_updates_in_place_and_keeps_task_history(runner, session, tmp_path, opened):
    """After editing the file, do texts update, a dropped duty retire with its tasks (the lead's
    and the contributions to it) and history intact, and a new duty appear?"""
    task_id = session.exec(
        select(Task.id)
        .join(Responsibility)
        .where(Responsibility.ref == "VI.2.1", Task.kind == TaskKind.DUTY.value)
    ).one()
    start_task(session, unit_head(session, "UBND"), task_id, version=1, now=real_now())
    session.commit()
    added = (
        "  - ref: VI.2.8\n    section: VI.2\n    title: Chuyển đổi số\n"
        "    text: Triển khai chuyển đổi số trong cơ quan.\n    lead: [UBND]\n"
    )
    path = write_plan(
        tmp_path,
        edited(
            ("  title: Kế hoạch thử nghiệm năm 2026\n", "  title: Kế hoạch thử nghiệm (sửa đổi)\n"),
            ("    title: Hội nghị báo cáo viên\n", "    title: Hội nghị báo cáo viên quý I\n"),
            ("    text: Tổ chức hội nghị báo cáo viên.\n", "    text: Tổ chức hội nghị.\n"),
            (VI_2_1, ""),
            ("targets:\n", added + "targets:\n"),
        ),
    )
    ok(runner, "plan", "load", path)

    session.expire_all()
    by_ref = {r.ref: r for r in session.exec(select(Responsibility)).all()}
    assert session.exec(select(Plan.title)).one() == "Kế hoạch thử nghiệm (sửa đổi)"
    assert (by_ref["VI.1.7"].title, by_ref["VI.1.7"].text) == (
        "Hội nghị báo cáo viên quý I",
        "Tổ chức hội nghị.",
    )
    assert by_ref["VI.2.1"].retired is True
    assert by_ref["VI.2.8"].retired is False and by_ref["VI.2.8"].title == "Chuyển đổi số"
    assert [ref for ref, r in by_ref.items() if r.retired] == ["VI.2.1"]
    task = session.get(Task, task_id)
    assert (task.responsibility_id, task.state, task.version) == (
        by_ref["VI.2.1"].id,
        "in_progress",
        2,
    )
    events = session.exec(
        select(TaskEventRecord.event)
        .where(TaskEventRecord.task_id == task_id)
        .order_by(TaskEventRecord.id)
    ).all()
    assert events == ["open", "start"]
    assert len(session.exec(select(Task).where(Task.period == "2026-Q1")).all()) == len(Q1_TASKS)
    kept = session.exec(
        select(Task.kind, Task.state).where(Task.responsibility_id == by_ref["VI.2.1"].id)
    ).all()
    assert sorted(kept) == [("contribution", "assigned")] * 3 + [("duty", "in_progress")]
    session.rollback()


def test_a_retired_responsibility_opens_no_new_tasks(runner, session, tmp_path, loaded):
    """Once a duty has left the file, does opening a later quarter still give it tasks?"""
    ok(runner, "plan", "load", write_plan(tmp_path, edited((VI_2_1, ""))))
    ok(runner, "tasks", "open", "--quarter", "2026-Q2")
    refs = {row["ref"] for row in tasks_json(runner, "--quarter", "2026-Q2")}
    assert refs == {"VI.1.5", "VI.2.7"}


# tasks open and list


def test_opening_a_quarter_twice_creates_nothing_the_second_time(app, runner, session, loaded):
    """Is ``tasks open`` idempotent, and does it say how many were already open (the duties and
    the contributions to them alike)?"""
    first = ok(runner, "tasks", "open", "--quarter", "2026-Q1")
    second = ok(runner, "tasks", "open", "--quarter", "2026-Q1")
    message = (
        "%(quarter)s: %(created)s tasks created (%(contributions)s of them contributions of "
        "coordinating units), %(existing)s already open."
    )
    assert first.stdout.strip() == translated(
        app, message, quarter="2026-Q1", created=7, contributions=3, existing=0
    )
    assert second.stdout.strip() == translated(
        app, message, quarter="2026-Q1", created=0, contributions=0, existing=7
    )
    tasks = session.exec(
        select(Task.kind, Responsibility.ref, Unit.code)
        .join(Responsibility)
        .join(Unit, Unit.id == Task.unit_id)
    ).all()
    assert len(tasks) == len(Q1_TASKS)
    assert {(ref, unit) for kind, ref, unit in tasks if kind == "duty"} == Q1_DUTIES
    assert {(ref, unit) for kind, ref, unit in tasks if kind == "contribution"} == Q1_CONTRIBUTIONS


def test_listing_a_quarter_as_json(runner, opened):
    """Which tasks does 2026-Q1 hold, with which fields, in plan order? The contributions of the
    units coordinating VI.2.1 are due five days before UBND's own task, at the same hour."""
    rows = tasks_json(runner, "--quarter", "2026-Q1")
    assert {
        "id",
        "ref",
        "title",
        "kind",
        "unit",
        "quarter",
        "state",
        "due",
        "deadline_status",
        "version",
    } <= rows[0].keys()
    assert [(r["ref"], r["unit"], r["kind"]) for r in rows] == [
        ("VI.2.1", "UBND", "duty"),
        ("VI.2.1", "BXDD", "contribution"),
        ("VI.2.1", "CB1", "contribution"),
        ("VI.2.1", "CB2", "contribution"),
        ("VI.4.1", "CB1", "duty"),
        ("VI.4.1", "CB2", "duty"),
        ("VI.1.7", "BXDD", "duty"),
    ]
    assert {(r["quarter"], r["state"], r["version"]) for r in rows} == {("2026-Q1", "assigned", 1)}
    assert {r["title"] for r in rows[:4]} == {"Cung cấp thông tin chính thống"}
    assert {r["due"][:16] for r in rows[1:4]} == {"2026-03-10T10:00"}  # 17:00 in Hà Nội, in UTC
    assert rows[0]["due"].startswith("2026-03-15T10:00")


def test_listing_filters_by_unit_and_state(runner, session, opened):
    """Do --unit and --state narrow the list? A unit's tasks are its duties and contributions."""
    assert [(r["ref"], r["unit"], r["kind"]) for r in tasks_json(runner, "--unit", "CB1")] == [
        ("VI.2.1", "CB1", "contribution"),
        ("VI.4.1", "CB1", "duty"),
    ]
    assert len(tasks_json(runner, "--state", "assigned")) == len(Q1_TASKS)
    rows = tasks_json(runner, "--unit", "UBND")
    assert [(r["ref"], r["kind"]) for r in rows] == [("VI.2.1", "duty")]
    start_task(
        session, unit_head(session, "UBND"), rows[0]["id"], rows[0]["version"], now=real_now()
    )
    session.commit()
    assert [(r["ref"], r["unit"]) for r in tasks_json(runner, "--state", "assigned")] == [
        ("VI.2.1", "BXDD"),
        ("VI.2.1", "CB1"),
        ("VI.2.1", "CB2"),
        ("VI.4.1", "CB1"),
        ("VI.4.1", "CB2"),
        ("VI.1.7", "BXDD"),
    ]
    [started] = tasks_json(runner, "--state", "in_progress")
    assert (started["ref"], started["unit"], started["version"]) == ("VI.2.1", "UBND", 2)


def test_an_unknown_unit_filter_is_refused(runner, opened):
    """Does --unit with a code that is not in the plan say so, rather than list nothing?"""
    result = invoke(runner, "tasks", "list", "--unit", "CB9")
    assert result.exit_code == 1
    assert "CB9" in result.stderr


def test_after_the_due_day_quarterly_tasks_are_overdue(runner, opened):
    """On 20/03/2026, past the 15/03 report day, are Q1's tasks (and the contributions due
    10/03) overdue and --overdue them all?"""
    rows = tasks_json(runner, "--quarter", "2026-Q1", "--now", "2026-03-20")
    assert {r["deadline_status"] for r in rows} == {"open_overdue"}
    overdue = tasks_json(runner, "--quarter", "2026-Q1", "--overdue", "--now", "2026-03-20")
    assert {(r["ref"], r["unit"]) for r in overdue} == Q1_TASKS
    assert len(overdue) == len(Q1_TASKS)
    assert tasks_json(runner, "--not-overdue", "--now", "2026-03-20") == []


def test_overdue_selects_only_tasks_past_their_own_due_time(runner, opened):
    """On 01/03/2026, is only the conference due 10/02 overdue, and the rest not yet? On 12/03,
    are the contributions to VI.2.1 (due 10/03) overdue too, while UBND's own (15/03) is not?"""
    rows = {
        (r["ref"], r["unit"]): r["deadline_status"]
        for r in tasks_json(runner, "--now", "2026-03-01")
    }
    assert rows[("VI.1.7", "BXDD")] == "open_overdue"
    assert rows[("VI.2.1", "UBND")] == "open_within_deadline"
    assert [r["ref"] for r in tasks_json(runner, "--overdue", "--now", "2026-03-01")] == ["VI.1.7"]
    assert len(tasks_json(runner, "--not-overdue", "--now", "2026-03-01")) == len(Q1_TASKS) - 1
    overdue = tasks_json(runner, "--overdue", "--now", "2026-03-12")
    assert {(r["ref"], r["unit"]) for r in overdue} == Q1_CONTRIBUTIONS | {("VI.1.7", "BXDD")}
    not_overdue = tasks_json(runner, "--not-overdue", "--now", "2026-03-12")
    assert {(r["ref"], r["unit"]) for r in not_overdue} == Q1_DUTIES - {("VI.1.7", "BXDD")}


def test_a_bad_quarter_is_refused_with_a_message(runner, loaded):
    """Does --quarter 2026-Q9 stop the command with a message naming the option?"""
    for command in ("list", "open"):
        result = invoke(runner, "tasks", command, "--quarter", "2026-Q9")
        assert result.exit_code != 0
        assert "--quarter" in result.stderr
        assert result.stdout == ""


def test_a_bad_now_is_refused_with_a_message(runner, loaded):
    """Does --now with something that is not a date stop the command?"""
    result = invoke(runner, "tasks", "list", "--now", "31/03/2026")
    assert result.exit_code != 0
    assert "--now" in result.stderr


# user add and token


def test_adding_a_unit_head_with_a_password_on_stdin(runner, session, loaded):
    """Can a unit head be created from a script, password piped in, and then sign in?"""
    result = ok(
        runner,
        "user",
        "add",
        "truong-cb1",
        "--role",
        "unit_head",
        "--unit",
        "CB1",
        "--email",
        "truong.cb1@example.vn",
        "--full-name",
        "Nguyễn Văn A",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert "truong-cb1" in result.stdout
    user = check_password(session, "truong-cb1", PASSWORD)
    assert user is not None
    assert (user.role, session.get(Unit, user.unit_id).code, user.full_name) == (
        "unit_head",
        "CB1",
        "Nguyễn Văn A",
    )


def test_an_unknown_role_is_refused(runner, session, loaded):
    """Is --role king refused (a usage error, status 2) with a message naming --role?"""
    result = invoke(
        runner,
        "user",
        "add",
        "vua",
        "--role",
        "king",
        "--email",
        "vua@example.vn",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 2
    assert "--role" in result.stderr
    assert session.exec(select(User)).all() == []


def test_a_unit_head_without_a_unit_is_refused(runner, session, loaded):
    """Is a unit head with no --unit refused with a message, and no user created?"""
    result = invoke(
        runner,
        "user",
        "add",
        "truong",
        "--role",
        "unit_head",
        "--email",
        "t@example.vn",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert result.stderr.strip() != ""
    assert session.exec(select(User)).all() == []


def test_a_unit_head_of_an_unknown_unit_is_refused(runner, session, loaded):
    """Is --unit CB9 (not in the plan) refused, naming the unit?"""
    result = invoke(
        runner,
        "user",
        "add",
        "truong",
        "--role",
        "unit_head",
        "--unit",
        "CB9",
        "--email",
        "t@example.vn",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 1
    assert "CB9" in result.stderr
    assert session.exec(select(User)).all() == []


def test_a_short_password_is_refused(runner, session, loaded):
    """Is a password under 8 characters refused, and no user created?"""
    result = add_leader(runner, password="ngan")
    assert result.exit_code == 1
    assert "8" in result.stderr
    assert session.exec(select(User)).all() == []


def test_a_name_typed_on_a_terminal_that_is_not_utf8_is_refused(runner, session, loaded):
    """A byte that is not UTF-8 reaches Python as a lone surrogate (\\udcff), which no
    database stores: refused with a message, no user created, no traceback."""
    result = add_leader(runner, "--full-name", "Trần \udcff Bình")
    assert result.exit_code == 1 and result.exception.__class__ is SystemExit
    assert "U+D800" in result.stderr
    assert session.exec(select(User)).all() == []


def test_a_token_printed_for_a_user_identifies_that_user(runner, session, loaded):
    """Does ``user token NAME`` print a token that the API will accept as that user?"""
    assert add_leader(runner).exit_code == 0
    token = ok(runner, "user", "token", "lanhdao").stdout.strip()
    assert len(token) >= 32 and "\n" not in token
    user = user_for_token(session, token, real_now())
    assert user is not None and user.username == "lanhdao"
    assert user_for_token(session, token + "x", real_now()) is None
    session.rollback()


def test_a_token_for_an_unknown_user_is_refused(runner, loaded):
    """Does ``user token`` for a name nobody has fail with a message?"""
    result = invoke(runner, "user", "token", "ai-do")
    assert result.exit_code == 1
    assert "ai-do" in result.stderr
    assert result.stdout == ""
