"""The draft pages: upload a plan's document, check the draft beside it, correct it item by
item, publish it or discard it; next year's plan from this year's. As the administrator and
Ban Xây dựng Đảng see them."""

import io
import re

import pytest
from sqlmodel import select

from tests.conftest import ROOT, csrf, real_now
from workflow.plans.drafts import start_draft
from workflow.plans.models import Plan, PlanDraft

SEED = ROOT / "docs" / "seed" / "000_7684f10bc084db47.txt"
TABLE_PLAN = ROOT / "tests" / "plans" / "documents" / "tan-lap-cchc-2026.docx"


@pytest.fixture
def admin_browser(make_user, sign_in):
    return sign_in(make_user("admin"))


def upload(browser, path=SEED, name=None):
    page = browser.get("/plans/drafts/").text
    return browser.post(
        "/plans/drafts/",
        data={"csrf_token": csrf(page), "file": (io.BytesIO(path.read_bytes()), name or path.name)},
        content_type="multipart/form-data",
    )


def the_draft(session) -> PlanDraft:
    """The one draft, as stored now (read and let go: SQLite holds one writer)."""
    session.expire_all()
    row = session.exec(select(PlanDraft)).one()
    session.expunge(row)
    session.rollback()
    return row


def form_fields(page: str, action: str) -> dict:
    """The fields a browser would send with the form posting to ``action``, as shown."""
    start = page.index(f'action="{action}"')
    form = page[start : page.index("</form>", start)]
    fields = {}
    for tag in re.findall(r"<(?:input|select|textarea)[^>]*>", form):
        name = re.search(r'name="([^"]+)"', tag)
        if not name:
            continue
        if tag.startswith("<input"):
            kind = re.search(r'type="([^"]+)"', tag)
            if kind and kind.group(1) == "checkbox":
                if "checked" in tag:
                    fields.setdefault(name.group(1), []).append(
                        re.search(r'value="([^"]*)"', tag).group(1)
                    )
                continue
            value = re.search(r'value="([^"]*)"', tag)
            fields[name.group(1)] = value.group(1) if value else ""
        elif tag.startswith("<select"):
            after = form[form.index(tag) :]
            options = re.findall(r"<option([^>]*)>", after[: after.index("</select>")])
            values = [(re.search(r'value="([^"]*)"', o).group(1), "selected" in o) for o in options]
            chosen = [value for value, selected in values if selected] or [v for v, _ in values[:1]]
            fields[name.group(1)] = chosen[0] if chosen else ""
        else:
            after = form[form.index(tag) + len(tag) :]
            fields[name.group(1)] = after[: after.index("</textarea>")].strip("\r\n")
    return fields


def test_uploading_the_seed_drafts_it_and_shows_it_beside_its_source(session, admin_browser):
    response = upload(admin_browser)
    assert response.status_code == 303
    draft = the_draft(session)
    assert response.headers["Location"].endswith(f"/plans/drafts/{draft.id}")
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    # the source, with the sentences items came from marked by their refs
    assert '<li id="src-266" value="266" class="used">' not in page  # a label, not an item
    assert re.search(
        r'<li id="src-441" value="441" class="used"><span class="refs">VI.1.1</span>', page
    )
    # each responsibility with its sentence
    assert "<mark>Tham mưu Đảng ủy Phường ban hành các văn bản lãnh đạo" in page
    # the points to check, Vietnamese
    assert "Kế hoạch không giao đơn vị cho giai đoạn này: mục VI.1.2" in page
    assert "Cần xem" in page or "Đã xem" in page


def test_a_file_that_is_not_a_plan_is_refused_with_the_reason_and_nothing_is_kept(
    session, admin_browser, tmp_path
):
    doc = tmp_path / "cu.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    response = upload(admin_browser, doc, "ke-hoach.docx")
    assert response.status_code == 422
    assert "Đây là tệp Word 97-2003 (.doc)" in response.text
    assert session.exec(select(PlanDraft)).first() is None
    session.rollback()


def test_a_wrong_file_type_is_refused_by_the_form(session, admin_browser, tmp_path):
    sheet = tmp_path / "bang.xlsx"
    sheet.write_bytes(b"PK\x03\x04")
    response = upload(admin_browser, sheet)
    assert response.status_code == 422
    assert "Văn bản kế hoạch là tệp .docx, .htm, .txt hoặc .pdf" in response.text


def test_correcting_a_unit_saves_it_and_publishing_loads_the_plan(session, admin_browser):
    upload(admin_browser)
    draft = the_draft(session)
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    index = next(i for i, u in enumerate(draft.data["units"]) if u["code"] == "TGV57")
    action = f"/plans/drafts/{draft.id}/units/{index}"
    fields = form_fields(page, action)
    fields[f"units-{index}-name"] = "Tổ giúp việc Ban Chỉ đạo 57 phường Việt Hưng"
    response = admin_browser.post(action, data=fields)
    assert response.status_code == 303, response.text
    assert the_draft(session).data["units"][index]["name"] == (
        "Tổ giúp việc Ban Chỉ đạo 57 phường Việt Hưng"
    )
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    published = admin_browser.post(
        f"/plans/drafts/{draft.id}/publish",
        data=form_fields(page, f"/plans/drafts/{draft.id}/publish"),
    )
    assert published.status_code == 303, published.text
    plan = session.exec(select(Plan).where(Plan.code == "VH-2026-NQ57")).one()
    assert plan.definition["units"][index]["name"] == "Tổ giúp việc Ban Chỉ đạo 57 phường Việt Hưng"
    assert session.exec(select(PlanDraft)).first() is None
    session.rollback()


def test_a_refused_edit_shows_the_form_again_with_what_was_typed(session, admin_browser):
    upload(admin_browser)
    draft = the_draft(session)
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    action = f"/plans/drafts/{draft.id}/plan"
    fields = form_fields(page, action) | {"plan-start": "2026-12-31", "plan-end": "2026-01-01"}
    response = admin_browser.post(action, data=fields)
    assert response.status_code == 422
    assert "Kế hoạch không thể kết thúc trước khi bắt đầu." in response.text
    assert 'value="2026-12-31"' in response.text
    assert the_draft(session).version == 1


def test_a_draft_with_a_mistake_is_not_published_and_says_where(session, admin_browser):
    upload(admin_browser, TABLE_PLAN)
    draft = the_draft(session)
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    action = f"/plans/drafts/{draft.id}/responsibilities/0"
    fields = form_fields(page, action)
    fields.pop("responsibilities-0-lead")
    assert admin_browser.post(action, data=fields).status_code == 303
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    assert (
        '<a href="#responsibilities-0">Nhiệm vụ II.1 · Đơn vị chủ trì</a>: bắt buộc phải có' in page
    )
    response = admin_browser.post(
        f"/plans/drafts/{draft.id}/publish",
        data=form_fields(page, f"/plans/drafts/{draft.id}/publish"),
    )
    assert response.status_code == 422
    assert session.exec(select(Plan).where(Plan.code == "TL-2026-KH45")).first() is None
    assert the_draft(session).id == draft.id


def test_an_edit_on_a_page_someone_else_changed_is_refused(session, admin_browser):
    upload(admin_browser)
    draft = the_draft(session)
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    action = f"/plans/drafts/{draft.id}/plan"
    first = form_fields(page, action) | {"plan-number": "15"}
    assert admin_browser.post(action, data=first).status_code == 303
    second = form_fields(page, action) | {"plan-number": "16"}  # the same page, seen before
    response = admin_browser.post(action, data=second)
    assert response.status_code == 409
    assert "Người khác vừa sửa bản nháp này" in response.text
    assert the_draft(session).data["plan"]["number"] == "15"


def test_a_unit_head_may_not_open_drafts(session, make_user, sign_in):
    admin = make_user("admin")
    draft = start_draft(session, admin, SEED.read_bytes(), SEED.name, real_now())
    session.commit()
    head = sign_in(make_user("unit_head", "UBND"))
    assert head.get("/plans/drafts/").status_code == 403
    assert head.get(f"/plans/drafts/{draft.id}").status_code == 403


def test_next_years_plan_starts_from_this_years(session, ward, admin_browser):
    page = admin_browser.get("/plans/drafts/").text
    response = admin_browser.post("/plans/drafts/copy/TN-2026", data={"csrf_token": csrf(page)})
    assert response.status_code == 303
    draft = the_draft(session)
    assert draft.data["plan"]["code"] == "TN-2027"
    page = admin_browser.get(f"/plans/drafts/{draft.id}").text
    assert "Sao từ TN-2026, mọi ngày lùi sang năm sau" in page
