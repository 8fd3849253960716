"""The demo: the Việt Hưng plan with a year of realistic history, for a newcomer to try.

Most tasks are reported on time and approved, some late, some returned and resubmitted, some
still waiting for review, some overdue now; most contributions of the coordinating units are
sent before the lead's report and taken in, some late, a few never. The randomness is seeded,
so every demo is the same."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.operations import add_user, set_role_and_unit
from workflow.accounts.roles import Role
from workflow.clock import Clock
from workflow.demo.levels import demo_levels
from workflow.demo.targets import demo_targets
from workflow.organisations.models import Organisation, Unit
from workflow.periods import Quarter
from workflow.plans.models import Plan
from workflow.plans.opening import open_quarter
from workflow.plans.store import load_plan
from workflow.tasks.assignment import assign_task, save_draft
from workflow.tasks.contributions import lead_tasks_of
from workflow.tasks.extensions import ask_extension, grant_extension, refuse_extension
from workflow.tasks.models import Task
from workflow.tasks.operations import approve_report, return_report, start_task, submit_report
from workflow.tasks.states import TaskKind, TaskState

DEMO_PASSWORD = "giaoviec-demo"
# A cán bộ of UBND, to whom its head gives a task of the current quarter (phân công).
DEMO_MEMBER = "canbo.ubnd"
# The Fatherland Front changes its head on 1 July: its head until then, and the day.
FORMER_HEAD = ("nguyen.mttq", "MTTQ", "Nguyễn Văn Tiền")
HEAD_CHANGE = datetime(2026, 7, 1, 8, 0)
# Invented people for the demo's unit heads: the accountability page names people, not posts.
DEMO_NAMES = (
    "Nguyễn Thị Lan",
    "Trần Văn Hùng",
    "Lê Thị Thu Hà",
    "Phạm Đức Minh",
    "Hoàng Thị Mai",
    "Vũ Văn Nam",
    "Đặng Thị Hương",
    "Bùi Quang Huy",
    "Đỗ Thị Ngọc Anh",
    "Ngô Văn Thắng",
    "Dương Thị Hạnh",
    "Lý Văn Toàn",
    "Phan Thị Bích",
    "Trịnh Văn Khoa",
    "Đinh Thị Yến",
    "Hồ Văn Phúc",
    "Mai Thị Quỳnh",
    "Cao Văn Long",
)


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    unit: str


def prepare_demo(session: Session, definition: dict, clock: Clock) -> list[DemoAccount]:
    """Load the plan, open every quarter up to today's, create the accounts and, the first
    time only, replay the history up to ``clock``'s now. Returns the demo accounts.

    Each step of the history is given the instant it happened; ``clock`` itself is only read,
    so the demo's own clock runs on afterwards."""
    now, today = clock.now(), clock.today()
    plan_start = datetime.fromisoformat(definition["plan"]["period"]["start"]).date()
    began = clock.instant(plan_start, time())  # local midnight of the plan's first day
    plan = load_plan(session, definition, clock.stopped_at(min(began, now))).plan
    organisation = session.get(Organisation, plan.organisation_id)
    quarters, quarter = [], Quarter.of(plan_start)
    while quarter <= Quarter.of(today) and quarter.first_day <= today:
        quarters.append(quarter)
        quarter = quarter.next()
    first_time = session.exec(select(User).where(User.username == "admin")).first() is None
    if first_time:
        _accounts(session, organisation, min(began, now))
    for quarter in quarters:
        # Each quarter opens on its first day (local midnight), as the scheduler would.
        opened = clock.instant(max(quarter.first_day, plan_start), time())
        open_quarter(session, organisation, quarter, clock.stopped_at(opened))
    if first_time:
        _replay(session, organisation, clock)
        _assignment(session, organisation, clock)
        demo_targets(session, organisation, clock)
    above = demo_levels(session, organisation, DEMO_PASSWORD, min(began, now))
    organisations = [organisation.id, *(level.id for level in above)]
    return [
        DemoAccount(u.username, u.role, code or "")
        for u, code in session.exec(
            select(User, Unit.code)
            .outerjoin(Unit, Unit.id == User.unit_id)
            .where(User.organisation_id.in_(organisations))
            .order_by(User.id)
        )
    ]


def _accounts(session: Session, organisation: Organisation, now: datetime) -> None:
    for username, role, name in (
        ("admin", Role.ADMIN, "Quản trị hệ thống"),
        ("lanhdao", Role.LEADER, "Thường trực Đảng ủy"),
        ("bxdd", Role.REVIEWER, "Chuyên viên Ban Xây dựng Đảng"),
    ):
        add_user(
            session,
            organisation,
            username,
            role,
            f"{username}@viethung.example.vn",
            DEMO_PASSWORD,
            full_name=name,
            now=now,
        )
    units = session.exec(
        select(Unit)
        .where(Unit.organisation_id == organisation.id, Unit.is_group == False)  # noqa: E712
        .order_by(Unit.id)
    ).all()
    add_user(
        session,
        organisation,
        DEMO_MEMBER,
        Role.MEMBER,
        f"{DEMO_MEMBER}@viethung.example.vn",
        DEMO_PASSWORD,
        unit_code="UBND",
        full_name="Nguyễn Văn Cán",
        now=now,
    )
    former, former_unit, former_name = FORMER_HEAD
    add_user(
        session,
        organisation,
        former,
        Role.UNIT_HEAD,
        f"{former}@viethung.example.vn",
        DEMO_PASSWORD,
        unit_code=former_unit,
        full_name=former_name,
        now=now,
    )
    for index, unit in enumerate(units):
        username = f"truong.{unit.code.lower()}"
        add_user(
            session,
            organisation,
            username,
            Role.MEMBER if unit.code == former_unit else Role.UNIT_HEAD,
            f"{username}@viethung.example.vn",
            DEMO_PASSWORD,
            unit_code=unit.code,
            full_name=DEMO_NAMES[index % len(DEMO_NAMES)],
            now=now,
        )


def _replay(session: Session, organisation: Organisation, clock: Clock) -> None:
    """Act out each task's history with the services, as the people would have."""
    now = clock.now()
    heads = {u.unit_id: u for u in session.exec(select(User).where(User.role == Role.UNIT_HEAD))}
    reviewer = session.exec(select(User).where(User.role == Role.REVIEWER)).first()
    tasks = session.exec(select(Task).order_by(Task.id)).all()
    extended = {"granted": False, "refused": False}
    change: datetime | None = clock.instant(HEAD_CHANGE.date(), HEAD_CHANGE.time())
    for task in tasks:
        if (
            change is not None
            and change <= now
            and task.period >= str(Quarter.of(HEAD_CHANGE.date()))
        ):
            heads.update(_change_of_head(session, change))
            change = None
        luck = random.Random(task.id).random()
        head = heads.get(task.unit_id)
        if head is None:
            continue
        if task.kind == TaskKind.CONTRIBUTION:
            leads = [heads.get(lead.unit_id) for lead, _ in lead_tasks_of(session, task)]
            _contribution(session, head, next(filter(None, leads), None), task, now, luck)
            continue
        due = task.due_at
        # The current quarter: work under way; past quarters: mostly done.
        if due > now:
            if luck < 0.35:
                _act(now - timedelta(days=3), start_task, session, head, task)
            if luck < 0.15:
                _act(
                    now - timedelta(days=1),
                    submit_report,
                    session,
                    head,
                    task,
                    "Đơn vị đã triển khai, kết quả như sau: đã tổ chức tuyên truyền đầy đủ.",
                )
            continue
        if luck < 0.06:
            continue  # never started: overdue
        _act(due - timedelta(days=20), start_task, session, head, task)
        if luck < 0.12:
            continue  # started, not reported: overdue
        late = luck > 0.88
        if late and not extended["granted"]:
            # Asked three days before the due date for a week more, granted the next day: the
            # report four days after the old date is on time against the new one.
            extended["granted"] = _extension(session, clock, head, reviewer, task, granted=True)
        elif not late and luck >= 0.28 and not extended["refused"]:
            extended["refused"] = _extension(session, clock, head, reviewer, task, granted=False)
        reported = due + timedelta(days=4) if late else due - timedelta(days=5)
        _act(
            reported,
            submit_report,
            session,
            head,
            task,
            "Đã triển khai theo kế hoạch; nội dung và kết quả chi tiết trong báo cáo kèm theo.",
        )
        if 0.12 <= luck < 0.18:
            continue  # waiting for review
        if 0.18 <= luck < 0.28:
            _act(
                reported + timedelta(days=2),
                return_report,
                session,
                reviewer,
                task,
                "Đề nghị bổ sung số liệu cụ thể và hình ảnh minh chứng.",
            )
            _act(
                reported + timedelta(days=4),
                submit_report,
                session,
                head,
                task,
                "Đã bổ sung số liệu và hình ảnh minh chứng theo yêu cầu.",
            )
        _act(reported + timedelta(days=6), approve_report, session, reviewer, task, "")


def _change_of_head(session: Session, at: datetime) -> dict[int, User]:
    """The Front's head hands over on 1 July: the former head stays on as a member, and
    ``truong.mttq`` becomes head; the year page credits each with their months."""
    admin = session.exec(select(User).where(User.username == "admin")).one()
    former = session.exec(select(User).where(User.username == FORMER_HEAD[0])).one()
    new = session.exec(
        select(User).where(User.username == f"truong.{FORMER_HEAD[1].lower()}")
    ).one()
    set_role_and_unit(session, admin, former.id, Role.MEMBER, FORMER_HEAD[1], now=at)
    set_role_and_unit(session, admin, new.id, Role.UNIT_HEAD, FORMER_HEAD[1], now=at)
    return {new.unit_id: new}


def _assignment(session: Session, organisation: Organisation, clock: Clock) -> None:
    """UBND's head gives its latest duty still owed to its cán bộ, who starts it and saves a
    draft of the report for the head to send."""
    now = clock.now()
    member = session.exec(select(User).where(User.username == DEMO_MEMBER)).first()
    head = session.exec(select(User).where(User.username == "truong.ubnd")).first()
    owed = session.exec(
        select(Task)
        .where(
            Task.unit_id == member.unit_id,
            Task.kind == TaskKind.DUTY.value,
            Task.state.in_([TaskState.ASSIGNED.value, TaskState.IN_PROGRESS.value]),
        )
        .order_by(Task.due_at.desc(), Task.id)
    ).first()
    if owed is None or head is None:
        return
    assign_task(session, head, owed.id, owed.version, member.username, now=now - timedelta(days=5))
    session.refresh(owed)
    if owed.state == TaskState.ASSIGNED:
        _act(now - timedelta(days=4), start_task, session, member, owed)
        session.refresh(owed)
    save_draft(
        session,
        member,
        owed.id,
        owed.version,
        "Đã rà soát, cập nhật thông tin trên Cổng thông tin điện tử Phường; còn chờ số liệu "
        "của tổ dân phố số 5 để hoàn thiện.",
        now=now - timedelta(days=1),
    )


def _contribution(
    session: Session, head: User, lead_head: User | None, task: Task, now: datetime, luck: float
) -> None:
    """A coordinating unit's contribution: most sent a few days early and taken in by the
    lead's head the next day, some sent late, a few never sent."""
    if task.due_at > now:
        if luck < 0.3:
            _act(now - timedelta(days=2), start_task, session, head, task)
        return
    if luck < 0.08:
        return  # never sent: overdue, against the coordinating unit
    sent = task.due_at + timedelta(days=2) if luck > 0.85 else task.due_at - timedelta(days=3)
    _act(sent - timedelta(days=10), start_task, session, head, task)
    _act(
        sent,
        submit_report,
        session,
        head,
        task,
        "Đơn vị phối hợp đã tuyên truyền trong hội viên, đoàn viên; số liệu gửi kèm để đơn vị "
        "chủ trì tổng hợp.",
    )
    if lead_head is not None:
        _act(sent + timedelta(days=1), approve_report, session, lead_head, task, "")


def _extension(
    session: Session, clock: Clock, head: User, reviewer: User, task: Task, *, granted: bool
) -> bool:
    """A request for a week more (granted) or ten days more (refused), a few days before the
    due date; False when the plan would end before the day asked for."""
    days = 7 if granted else 10
    asked_at = task.due_at - timedelta(days=3 if granted else 8)
    day = clock.local_day(task.due_at) + timedelta(days=days)
    if day > session.get(Plan, task.plan_id).period_end:
        return False
    session.refresh(task)
    ask_extension(
        session,
        head,
        task.id,
        task.version,
        day,
        "Đơn vị đang chờ số liệu tổng hợp từ các tổ dân phố; đề nghị gia hạn để báo cáo đầy đủ."
        if granted
        else "Đơn vị đang tổ chức hội nghị, đề nghị lùi thời hạn báo cáo.",
        clock=clock.stopped_at(asked_at),
    )
    session.refresh(task)
    decided = clock.stopped_at(asked_at + timedelta(days=1))
    if granted:
        grant_extension(session, reviewer, task.id, task.version, clock=decided)
    else:
        refuse_extension(
            session,
            reviewer,
            task.id,
            task.version,
            "Thời hạn theo kế hoạch đủ để thực hiện; đề nghị đơn vị báo cáo đúng hạn.",
            clock=decided,
        )
    return True


def _act(at: datetime, action, session: Session, user: User, task: Task, text: str = ""):
    """One step of the replayed history, at the instant it happened."""
    session.refresh(task)
    action(session, user, task.id, task.version, text, now=at)
