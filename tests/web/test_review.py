"""The review queue page: Ban Xây dựng Đảng approves or returns reports, one or many at once."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from sqlmodel import func, select

from tests.conftest import PDF, csrf, real_now
from workflow.plans.models import Target
from workflow.tasks import operations
from workflow.tasks.evidence import EvidenceStore, Upload
from workflow.tasks.models import TaskEventRecord

STALE = "Người khác vừa thay đổi nhiệm vụ này"


@pytest.fixture
def heads(make_user):
    return {code: make_user("unit_head", code) for code in ("UBND", "CB1", "CB2", "BXDD")}


@pytest.fixture
def report(session, open_tasks, heads, app):
    """Report a Q1 task (started first) through the engine; files land where the app serves
    them from. Returns the task, its transaction ended so the app may write."""
    find = open_tasks("2026-Q1")
    store = EvidenceStore(Path(app.config["UPLOAD_DIR"]), 1 << 20)

    def report(ref, unit, text="Đã thực hiện", files=(), quarter=None, **kwargs):
        task = open_tasks(quarter)(ref, unit) if quarter else find(ref, unit)
        session.refresh(task)
        if task.state in ("assigned", "reviewed"):
            operations.start_task(session, heads[unit], task.id, task.version, now=real_now())
        operations.submit_report(
            session,
            heads[unit],
            task.id,
            task.version,
            text,
            files=[Upload(name, io.BytesIO(content)) for name, content in files],
            store=store,
            now=real_now(),
            **kwargs,
        )
        session.commit()
        return fresh(session, task)

    return report


def fresh(session, task):
    """Re-read the task and end the test's transaction, so the app may write (SQLite)."""
    session.refresh(task)
    session.commit()
    return task


def count_events(session, event):
    count = session.exec(
        select(func.count()).select_from(TaskEventRecord).where(TaskEventRecord.event == event)
    ).one()
    session.commit()
    return count


def decide(client, task, event, version=None, **form):
    page = client.get("/review/").text
    data = {"csrf_token": csrf(page), "version": str(version or task.version), **form}
    return client.post(f"/review/tasks/{task.id}/{event}", data=data)


def approve_selected(client, tasks, **form):
    page = client.get("/review/").text
    data = {
        "csrf_token": csrf(page),
        "task": [f"{task.id}:{version}" for task, version in tasks],
        **form,
    }
    return client.post("/review/approve", data=data)


def ticked(page: str) -> set[int]:
    return {int(m) for m in re.findall(r'name="task" value="(\d+):\d+" checked', page)}


# Who sees what


@pytest.mark.parametrize(
    ("role", "unit", "status", "acts"),
    [
        ("reviewer", None, 200, True),
        ("leader", None, 200, False),
        ("admin", None, 200, False),
        ("unit_head", "BXDD", 403, False),
        ("member", "UBND", 403, False),
    ],
)
def test_the_queue_for_each_role(sign_in, make_user, report, role, unit, status, acts):
    """Who may open the queue, and who gets the buttons and the ticks?"""
    task = report("VI.2.1", "UBND", text="Đã đăng 12 tin bài")
    response = sign_in(make_user(role, unit)).get("/review/")
    assert response.status_code == status
    if status != 200:
        return
    page = response.text
    assert "Đã đăng 12 tin bài" in page
    for form in (
        f'action="/review/tasks/{task.id}/approve"',
        f'action="/review/tasks/{task.id}/return"',
        f'name="task" value="{task.id}:{task.version}"',
        'action="/review/approve"',
    ):
        assert (form in page) is acts


def test_the_queue_needs_a_signed_in_user(client, ward):
    response = client.get("/review/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_queue_is_in_vietnamese_by_default(sign_in, make_user, report):
    """Does the reviewer see Vietnamese labels without choosing anything?"""
    report("VI.2.1", "UBND")
    page = sign_in(make_user("reviewer")).get("/review/").text
    assert '<html lang="vi">' in page
    for words in ("Duyệt báo cáo", " Duyệt</button>", " Trả lại</button>", "Lý do trả lại", "Hạn"):
        assert words in page


def test_the_report_and_its_evidence_are_shown_inline(session, sign_in, make_user, report):
    """Text, links, files that download, and the target figure, on the queue itself."""
    target = session.exec(select(Target.id).where(Target.ref == "I.2.4")).one()
    report(
        "VI.4.1",
        "CB1",
        text="Đã quán triệt cho toàn chi bộ",
        links=["https://thunghiem.vn/bien-ban"],
        files=[("Biên bản hội nghị.pdf", PDF)],
        figures={target: "96,5"},
    )
    client = sign_in(make_user("reviewer"))
    page = client.get("/review/").text
    assert "Đã quán triệt cho toàn chi bộ" in page
    assert 'href="https://thunghiem.vn/bien-ban"' in page
    assert "Biên bản hội nghị.pdf" in page
    assert "96,5%" in page and "Đảng phí trực tuyến" in page
    assert "(chỉ tiêu: 100%)" in page  # "=" is not written before the figure
    link = re.search(r'href="(/files/\d+)"', page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.data == PDF
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.headers["Cache-Control"] == "private, no-store"  # never in a shared cache
    download.close()


def test_html_in_a_report_or_a_reason_is_shown_as_text(session, sign_in, make_user, report):
    """A report, or an earlier reason, holding a script: shown, never run."""
    reviewer = make_user("reviewer")
    task = report("VI.2.1", "UBND", text="<script>alert(1)</script> Đã đăng tin")
    operations.return_report(
        session, reviewer, task.id, task.version, "<b>Thiếu</b> ảnh", now=real_now()
    )
    session.commit()
    report("VI.2.1", "UBND", text="<script>alert(2)</script> Đã bổ sung")
    page = sign_in(reviewer).get("/review/").text
    assert "&lt;script&gt;alert(2)&lt;/script&gt; Đã bổ sung" in page
    assert "<script>" not in page
    assert "&lt;b&gt;Thiếu&lt;/b&gt; ảnh" in page


def test_a_resubmitted_report_shows_the_last_reason_it_was_returned(
    session, sign_in, make_user, report
):
    reviewer = make_user("reviewer", full_name="Trần Văn Duyệt")
    task = report("VI.2.1", "UBND")
    operations.return_report(
        session, reviewer, task.id, task.version, "Thiếu ảnh hội nghị", now=real_now()
    )
    session.commit()
    report("VI.2.1", "UBND", text="Đã bổ sung ảnh")
    page = sign_in(reviewer).get("/review/").text
    assert "Thiếu ảnh hội nghị" in page and "Trần Văn Duyệt" in page
    assert "Đã bổ sung ảnh" in page


# Filters


@pytest.mark.parametrize(
    ("query", "shown"),
    [
        ("", {"UBND-Q1", "CB1", "BXDD", "UBND-Q2"}),
        ("?quarter=2026-Q1", {"UBND-Q1", "CB1", "BXDD"}),
        ("?quarter=2026-Q2", {"UBND-Q2"}),
        ("?unit=CB1", {"CB1"}),
        ("?section=VI.2", {"UBND-Q1", "UBND-Q2"}),
        ("?section=VI&unit=BXDD", {"BXDD"}),
        ("?quarter=&unit=&section=", {"UBND-Q1", "CB1", "BXDD", "UBND-Q2"}),
    ],
)
def test_the_queue_is_filtered_by_the_query_string(sign_in, make_user, report, query, shown):
    """Quarter, unit and section (with its subsections) narrow the queue."""
    tasks = {
        "UBND-Q1": report("VI.2.1", "UBND"),
        "CB1": report("VI.4.1", "CB1"),
        "BXDD": report("VI.1.7", "BXDD"),
        "UBND-Q2": report("VI.2.1", "UBND", quarter="2026-Q2"),
    }
    page = sign_in(make_user("reviewer")).get(f"/review/{query}").text
    assert {name for name, task in tasks.items() if f'id="task-{task.id}"' in page} == shown


def test_the_chosen_filters_stay_selected(sign_in, make_user, report):
    report("VI.4.1", "CB1")
    page = sign_in(make_user("reviewer")).get("/review/?unit=CB1&section=VI.4").text
    assert '<option value="CB1" selected>' in page
    assert '<option value="VI.4" selected>' in page


def test_a_quarter_that_is_not_one_is_refused_in_vietnamese(sign_in, make_user, ward):
    response = sign_in(make_user("reviewer")).get("/review/?quarter=quy-mot")
    assert response.status_code == 400
    assert "quy-mot không phải là một quý" in response.text


# Approving and returning one report


def test_a_return_without_a_reason_is_refused_and_nothing_changes(
    session, sign_in, make_user, report
):
    task = report("VI.2.1", "UBND")
    client = sign_in(make_user("reviewer"))
    response = decide(client, task, "return", comment="   ")
    assert response.status_code == 422
    assert "Hãy ghi lý do trả lại báo cáo." in response.text
    assert f'id="task-{task.id}"' in response.text  # still in the queue
    version = task.version
    assert fresh(session, task).state == "reported" and task.version == version
    assert count_events(session, "return") == 0


def test_a_return_with_a_reason_sends_the_task_back_and_out_of_the_queue(
    session, sign_in, make_user, report
):
    task = report("VI.2.1", "UBND")
    other = report("VI.4.1", "CB1")
    client = sign_in(make_user("reviewer"))
    response = decide(client, task, "return", comment="Bổ sung ảnh hội nghị")
    assert response.status_code == 303 and response.headers["Location"].startswith("/review/")
    page = client.get("/review/").text
    assert f'id="task-{task.id}"' not in page and f'id="task-{other.id}"' in page
    assert "Đã trả lại báo cáo nhiệm vụ VI.2.1 (Ủy ban nhân dân Phường) để đơn vị bổ sung." in page
    assert fresh(session, task).state == "returned"


def test_approving_one_report_keeps_the_filters(session, sign_in, make_user, report):
    task = report("VI.4.1", "CB1")
    client = sign_in(make_user("reviewer"))
    page = client.get("/review/?unit=CB1").text
    response = client.post(
        f"/review/tasks/{task.id}/approve?unit=CB1",
        data={"csrf_token": csrf(page), "version": str(task.version)},
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/review/?unit=CB1"
    assert fresh(session, task).state == "reviewed"


def test_a_stale_decision_is_refused_and_the_reason_kept(session, sign_in, make_user, report):
    """Another reviewer acted first: is this one told to reload, with the reason still typed?"""
    task = report("VI.2.1", "UBND")
    client = sign_in(make_user("reviewer"))
    page, seen = client.get("/review/").text, task.version
    operations.return_report(
        session, make_user("reviewer"), task.id, task.version, "Thiếu", now=real_now()
    )
    session.commit()
    report("VI.2.1", "UBND", text="Lần hai")
    response = client.post(
        f"/review/tasks/{task.id}/return",
        data={"csrf_token": csrf(page), "version": str(seen), "comment": "Lý do đã gõ"},
    )
    assert response.status_code == 409
    assert STALE in response.text and "Lý do đã gõ" in response.text


def test_a_leader_may_not_decide(session, sign_in, make_user, report):
    task = report("VI.2.1", "UBND")
    response = decide(sign_in(make_user("leader")), task, "approve")
    assert response.status_code == 403
    assert fresh(session, task).state == "reported"


# Approving several at once


def test_the_selected_reports_are_approved_in_one_go(session, sign_in, make_user, report):
    chosen = [report("VI.2.1", "UBND"), report("VI.4.1", "CB1")]
    left = report("VI.1.7", "BXDD")
    client = sign_in(make_user("reviewer"))
    response = approve_selected(client, [(t, t.version) for t in chosen], comment="Đạt")
    assert response.status_code == 303
    page = client.get("/review/").text
    assert [f'id="task-{t.id}"' in page for t in (*chosen, left)] == [False, False, True]
    assert [fresh(session, t).state for t in (*chosen, left)] == ["reviewed"] * 2 + ["reported"]
    assert count_events(session, "approve") == 2


def test_bulk_approval_needs_the_csrf_token(session, sign_in, make_user, report):
    """A forged post from another site approves nothing."""
    task = report("VI.2.1", "UBND")
    client = sign_in(make_user("reviewer"))
    response = client.post("/review/approve", data={"task": f"{task.id}:{task.version}"})
    assert response.status_code == 400
    assert fresh(session, task).state == "reported"


def test_one_stale_report_and_none_is_approved(session, sign_in, make_user, report):
    """Someone returned one of the ticked reports meanwhile: nothing is approved, the reviewer
    is told which task, and the ticks are kept so they can try again."""
    tasks = [report("VI.2.1", "UBND"), report("VI.4.1", "CB1"), report("VI.4.1", "CB2")]
    client = sign_in(make_user("reviewer"))
    selection = [(t, t.version) for t in tasks]
    stale = tasks[1]
    operations.return_report(
        session, make_user("reviewer"), stale.id, stale.version, "Thiếu", now=real_now()
    )
    session.commit()
    response = approve_selected(client, selection)
    assert response.status_code == 409
    message = re.search(r'<div class="flash error"[^>]*>(.*?)</div>', response.text, re.S)
    assert STALE in message.group(1)
    assert "VI.4.1" in message.group(1) and "Chi bộ Khu dân cư số 1" in message.group(1)
    assert ticked(response.text) == {tasks[0].id, tasks[2].id}
    assert count_events(session, "approve") == 0
    assert [fresh(session, t).state for t in tasks] == ["reported", "returned", "reported"]
    retry = approve_selected(client, [(tasks[0], tasks[0].version), (tasks[2], tasks[2].version)])
    assert retry.status_code == 303
    assert count_events(session, "approve") == 2


@pytest.mark.parametrize("values", [[], ["abc"], ["1:x"]])
def test_a_selection_that_is_empty_or_malformed_is_refused(
    session, sign_in, make_user, report, values
):
    task = report("VI.2.1", "UBND")
    client = sign_in(make_user("reviewer"))
    page = client.get("/review/").text
    response = client.post("/review/approve", data={"csrf_token": csrf(page), "task": values})
    assert response.status_code == (422 if not values else 400)
    assert fresh(session, task).state == "reported"


def test_an_admin_may_not_approve_in_bulk(session, sign_in, make_user, report):
    task = report("VI.2.1", "UBND")
    client = sign_in(make_user("admin"))
    page = client.get("/review/").text
    response = client.post(
        "/review/approve",
        data={"csrf_token": csrf(page), "task": f"{task.id}:{task.version}"},
    )
    assert response.status_code == 403
    assert fresh(session, task).state == "reported"


# Working through a long queue


def test_after_a_decision_the_reviewer_is_back_at_the_next_report(sign_in, make_user, report):
    """Approving the first of three reports brings the queue back at the second, not at the
    top of the page; deciding the last brings it back at the one before."""
    first, second, third = (
        report("VI.2.1", "UBND"),
        report("VI.4.1", "CB1"),
        report("VI.4.1", "CB2"),
    )
    client = sign_in(make_user("reviewer"))
    page = client.get("/review/").text
    assert page.index(f'id="task-{first.id}"') < page.index(f'id="task-{second.id}"')
    response = decide(client, first, "approve", following=str(second.id))
    assert response.headers["Location"].endswith(f"/review/#task-{second.id}")
    page = client.get("/review/").text
    assert f'name="following" value="{third.id}"' in page  # on the second's forms
    assert "Đã duyệt báo cáo nhiệm vụ VI.2.1 (Ủy ban nhân dân Phường)." in page


def test_a_refused_decision_names_the_task_at_the_top_and_on_its_card(
    session, sign_in, make_user, report
):
    task = report("VI.4.1", "CB1")
    client = sign_in(make_user("reviewer"))
    response = decide(client, task, "approve", version=task.version - 1)
    assert response.status_code == 409
    message = f"VI.4.1 (Chi bộ Khu dân cư số 1): {STALE}"
    assert response.text.count(message) == 2  # the flash, and the card itself
    card = response.text.split(f'id="task-{task.id}"', 1)[1]
    assert card.index(message) < card.index("</article>")


def test_the_queue_comes_in_pages_that_keep_the_filters(app, sign_in, make_user, report):
    """Two reports a page: three reports make two pages, the oldest first; a page number past
    the end shows the last page, and one that is not a number the first."""
    app.config["REVIEW_PAGE_SIZE"] = 2
    tasks = [report("VI.2.1", "UBND"), report("VI.4.1", "CB1"), report("VI.4.1", "CB2")]
    client = sign_in(make_user("reviewer"))
    shown = lambda page: [t.id for t in tasks if f'id="task-{t.id}"' in page]  # noqa: E731
    first = client.get("/review/?quarter=2026-Q1").text
    assert shown(first) == [tasks[0].id, tasks[1].id]
    assert "Báo cáo chờ duyệt: 3, báo cáo gửi sớm nhất ở trên cùng. Trang 1/2." in first
    assert 'href="/review/?quarter=2026-Q1&amp;page=2"' in first
    assert shown(client.get("/review/?quarter=2026-Q1&page=2").text) == [tasks[2].id]
    assert shown(client.get("/review/?page=99").text) == [tasks[2].id]
    assert shown(client.get("/review/?page=hai").text) == [tasks[0].id, tasks[1].id]


def test_every_report_of_the_page_is_approved_with_one_button(
    app, session, sign_in, make_user, report
):
    """ "Duyệt cả 2 báo cáo trên trang này" approves the page's two reports, not the third."""
    app.config["REVIEW_PAGE_SIZE"] = 2
    tasks = [report("VI.2.1", "UBND"), report("VI.4.1", "CB1"), report("VI.4.1", "CB2")]
    client = sign_in(make_user("reviewer"))
    page = client.get("/review/").text
    assert "Duyệt cả 2 báo cáo trên trang này" in page
    every = re.findall(r'name="every" value="([^"]+)"', page)
    response = client.post(
        "/review/approve", data={"csrf_token": csrf(page), "every": every, "everything": "1"}
    )
    assert response.status_code == 303
    assert [fresh(session, t).state for t in tasks] == ["reviewed", "reviewed", "reported"]


@pytest.mark.parametrize(("words", "refs"), [("quan triet", ["VI.4.1"]), ("THÔNG TIN", ["VI.2.1"])])
def test_the_queue_is_searched_without_accents(sign_in, make_user, report, words, refs):
    report("VI.2.1", "UBND"), report("VI.4.1", "CB1")
    page = sign_in(make_user("reviewer")).get("/review/", query_string={"q": words}).text
    assert re.findall(r'<h2><a href="/tasks/\d+">([^.]+\.\d+\.\d+)\.', page) == refs
