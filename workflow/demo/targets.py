"""The demo's targets: each reporting unit's figure at the end of every quarter gone by, near
what the quarter expected, and one target falling behind, with the explanation the Standing
Committee asked of its unit and the unit's answer waiting for review.

Figures are entered on the targets' pages with the services, early in the next quarter, as the
unit heads would; the randomness is seeded, so every demo is the same."""

from __future__ import annotations

import random
from datetime import time, timedelta
from decimal import Decimal

from sqlmodel import Session, select

from workflow.accounts.models import User
from workflow.accounts.roles import Role
from workflow.clock import Clock
from workflow.organisations.models import Organisation
from workflow.periods import Quarter
from workflow.plans.models import Plan, Target
from workflow.targets.explanations import request_explanation
from workflow.targets.figures import FigureEntry, enter_figure
from workflow.targets.progress import plan_quarters, targets_progress
from workflow.targets.status import expected_by
from workflow.tasks.operations import start_task, submit_report

# The target the ward falls behind on (accounts for public services), and its unit's figures by
# quarter: amber in the second quarter, red in the third.
BEHIND = "I.2.4.c"
BEHIND_FIGURES = (Decimal(63), Decimal(66), Decimal(68))
SOURCES = {
    "I.2.1": "Sổ theo dõi học tập, quán triệt nghị quyết của đơn vị",
    "I.2.3": "Trang thông tin điện tử của Phường, chuyên mục Chuyển đổi số",
    "I.2.4.a": "Báo cáo thu đảng phí trên hệ thống của Đảng ủy Phường",
    "I.2.4.b": "Thống kê tài khoản Sổ tay đảng viên điện tử",
    "I.2.4.c": "Thống kê của Trung tâm Phục vụ hành chính công Phường",
    "I.2.4.d": "Thống kê cài đặt iHanoi do Thành phố cung cấp",
}


def demo_targets(session: Session, organisation: Organisation, clock: Clock) -> None:
    today = clock.today()
    heads = {u.unit_id: u for u in session.exec(select(User).where(User.role == Role.UNIT_HEAD))}
    leader = session.exec(select(User).where(User.role == Role.LEADER)).first()
    for plan in session.exec(select(Plan).where(Plan.organisation_id == organisation.id)):
        quarters = plan_quarters(plan)
        gone = [q for q in quarters if q.last_day < today]
        for progress in targets_progress(session, plan, gone, today):
            target = progress.target
            for standing in progress.quarters:
                entered = standing.quarter.last_day + timedelta(days=5)
                for line in standing.units:
                    head = heads.get(line.unit_id)
                    if head is None or entered > today:
                        continue
                    value = _figure(target, progress.goal, standing.quarter, quarters, line)
                    enter_figure(
                        session,
                        head,
                        target.id,
                        FigureEntry(
                            str(standing.quarter),
                            str(value),
                            source=SOURCES.get(target.ref, "Số liệu của đơn vị"),
                        ),
                        now=clock.instant(entered, time(9, 0)),
                        today=entered,
                    )
        _explanation(session, plan, leader, heads, clock)


def _figure(target: Target, goal, quarter: Quarter, quarters: list[Quarter], line) -> Decimal:
    if target.ref == BEHIND:
        return BEHIND_FIGURES[min(quarters.index(quarter), len(BEHIND_FIGURES) - 1)]
    luck = random.Random(f"{target.ref}/{line.unit_code}/{quarter}")
    expected = expected_by(goal, quarter, quarters)
    value = expected + Decimal(luck.randint(-3, 6))
    return max(min(value, Decimal(100)), Decimal(0)) if goal.is_rate else value


def _explanation(session, plan: Plan, leader: User | None, heads: dict, clock: Clock) -> None:
    """Asked of the unit behind, ten days into the quarter after it fell red; answered a week
    later and waiting for Ban Xây dựng Đảng."""
    target = session.exec(
        select(Target).where(Target.plan_id == plan.id, Target.ref == BEHIND)
    ).first()
    quarters = plan_quarters(plan)
    if target is None or leader is None or len(quarters) < 3:
        return
    missed = quarters[2]
    asked_on = missed.last_day + timedelta(days=10)
    if asked_on + timedelta(days=7) > clock.today():
        return
    (progress,) = targets_progress(session, plan, [missed], asked_on, target_id=target.id)
    line = next((u for u in progress.quarters[0].units if u.unit_id in heads), None)
    if line is None:
        return
    task = request_explanation(
        session,
        leader,
        target.id,
        line.unit_id,
        str(missed),
        asked_on + timedelta(days=15),
        "Quý III/2026 tỷ lệ người dân có tài khoản dịch vụ công mới đạt 68%, thấp hơn nhiều so "
        "với mốc 80%. Đề nghị đơn vị giải trình nguyên nhân và nêu giải pháp khắc phục.",
        clock.stopped_at(clock.instant(asked_on, time(8, 30))),
    )
    head = heads[line.unit_id]
    answered = clock.instant(asked_on + timedelta(days=7), time(15, 0))
    start_task(session, head, task.id, task.version, now=answered - timedelta(days=3))
    session.refresh(task)
    submit_report(
        session,
        head,
        task.id,
        task.version,
        "Nguyên nhân: nhiều người lao động tự do chưa có căn cước điện tử mức 2; lực lượng hỗ "
        "trợ tại tổ dân phố còn mỏng. Giải pháp: tổ chức 12 đợt hỗ trợ tại các tổ dân phố trong "
        "tháng 11, giao chỉ tiêu cho từng tổ; phấn đấu đạt 85% vào cuối Quý IV.",
        now=answered,
    )
