"""The plan files shipped with Giao Việc, checked against the documents they encode.

The expected numbers are read off the Việt Hưng plan itself (seed/000_7684f10bc084db47.txt):
section VI gives Ban Xây dựng Đảng 6 duties, UBND 6, Ủy ban MTTQ and the political-social
organisations 4, the party organisations 5 and Ban Biên tập 4; section III.1 names the lead and
coordinating units of four mechanisms; section IV has one orientation per quarter; section I.2
states the targets.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from workflow.plans.checks import parse_plan, read_plan

ROOT = Path(__file__).resolve().parents[3]
VIET_HUNG = ROOT / "definitions" / "viet-hung-2026-nq57.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "chuyen-doi-so-2026.yaml"

# The plan's `source` (seed/000_....txt) is kept under docs/ for this check.
SOURCE_ROOT = ROOT / "docs"

VI_LEADS = {
    "VI.1": (6, ["BXDD"]),
    "VI.2": (6, ["UBND"]),
    "VI.3": (4, ["MTTQ", "CTXH"]),
    "VI.4": (5, ["TCD"]),
    "VI.5": (4, ["BBT"]),
}
VI_REFS = [
    f"{section}.{n}" for section, (count, _) in VI_LEADS.items() for n in range(1, count + 1)
]

MECHANISMS = {
    "III.1.1": (["UBND"], ["BXDD", "MTTQ", "CTXH", "TCD"]),
    "III.1.2": (["UBND"], ["TGV57", "TCD"]),
    "III.1.3": (["UBND"], ["TGV57", "TCD"]),
    "III.1.4": (["BBT"], ["TGV57", "MTTQ", "CTXH"]),
}

PHASE_TITLES = {
    "IV.1": "Giai đoạn quán triệt, thống nhất nhận thức, tạo nền tảng triển khai",
    "IV.2": "Giai đoạn tuyên truyền triển khai thể chế, cơ chế, chính sách và chuyển đổi số",
    "IV.3": "Giai đoạn lan tỏa kết quả bước đầu, mô hình hay, cách làm hiệu quả",
    "IV.4": "Giai đoạn tổng kết, đánh giá, định hướng giai đoạn tiếp theo",
}

SIX_MONTHS_AND_YEAR = {
    "kind": "phases",
    "phases": [
        {"name": "Sơ kết 6 tháng", "due": None, "quarter": "2026-Q2"},
        {"name": "Tổng kết năm", "due": None, "quarter": "2026-Q4"},
    ],
}
FIRST_QUARTER = {"kind": "quarters", "quarters": ["2026-Q1"]}


@cache
def viet_hung() -> dict:
    return read_plan(VIET_HUNG)


def responsibility(ref: str) -> dict:
    return next(r for r in viet_hung()["responsibilities"] if r["ref"] == ref)


def target(ref: str) -> dict:
    return next(t for t in viet_hung()["targets"] if t["ref"] == ref)


def unit(code: str) -> dict:
    return next(u for u in viet_hung()["units"] if u["code"] == code)


def squeezed(text: str) -> str:
    """The text without any whitespace, so that line wraps cannot hide a difference."""
    return "".join(text.split())


# The plan as a whole


def test_viet_hung_plan_header():
    """Does the plan file name the organisation, issuer, period and signer as the document does?"""
    plan = viet_hung()
    assert plan["organisation"] == {
        "code": "DU-VIET-HUNG",
        "name": "Đảng bộ phường Việt Hưng",
        "kind": "party",
        "place": "Việt Hưng",
    }
    info = plan["plan"]
    assert info["code"] == "VH-2026-NQ57"
    assert info["number"] is None
    assert info["symbol"] == "KH/ĐU"
    assert info["issued_on"] is None
    assert info["title"].startswith("Thông tin, truyền thông triển khai Kế hoạch hành động")
    assert info["title"].endswith("trên địa bàn phường Việt Hưng năm 2026")
    assert "\n" not in info["title"]
    assert info["issuing_body"] == "Ban Thường vụ Đảng ủy Phường"
    assert info["period"] == {"start": "2026-01-01", "end": "2026-12-31"}
    assert info["source"] == "seed/000_7684f10bc084db47.txt"
    assert len(info["based_on"]) == 1
    assert "22-KH/BTGDVTU" in info["based_on"][0]
    assert info["signer"] == {
        "on_behalf": "T/M BAN THƯỜNG VỤ",
        "title": "PHÓ BÍ THƯ THƯỜNG TRỰC",
        "name": "Lê Đức Toàn",
    }


def test_viet_hung_recipients():
    """Are the nine "Nơi nhận" entries listed as written, without their trailing punctuation?"""
    recipients = viet_hung()["plan"]["recipients"]
    assert len(recipients) == 9
    assert recipients[0] == "Ban Tuyên giáo và Dân vận Thành ủy"
    assert recipients[-1] == "Lưu VT"
    assert not [r for r in recipients if r.endswith((",", ".", ";"))]


def test_viet_hung_defaults():
    """Is a quarter's report due on the 15th of its last month at 17:00, with the set reminders?"""
    defaults = viet_hung()["defaults"]
    assert defaults["report_due"] == {"month": 3, "day": 15, "time": "17:00"}
    assert defaults["reminders"] == {
        "before_days": [14, 7, 3, 1, 0],
        "overdue_after_days": 1,
        "overdue_every_days": 7,
        "escalate_after_days": 7,
    }


def test_viet_hung_sections():
    """Is every numbered heading of the plan listed as a section?"""
    refs = {s["ref"] for s in viet_hung()["sections"]}
    assert refs >= {
        "I", "I.1", "I.2", "I.3", "II", "II.1", "II.2", "III", "III.1", "III.1.1", "III.1.2",
        "III.1.3", "III.1.4", "III.2", "IV", "IV.1", "IV.2", "IV.3", "IV.4", "V", "VI", "VI.1",
        "VI.2", "VI.3", "VI.4", "VI.5",
    }  # fmt: skip
    titles = {s["ref"]: s["title"] for s in viet_hung()["sections"]}
    assert titles["VI"] == "TỔ CHỨC THỰC HIỆN"
    assert titles["VI.3"] == (
        "Ủy ban Mặt trận Tổ quốc Việt Nam Phường và các tổ chức chính trị – xã hội Phường"
    )
    assert titles["III.1.2"] == "Kiểm soát và định hướng thông tin"


# Units and groups


def test_named_units():
    """Are the five bodies the plan names present, with their kinds, and not marked as examples?"""
    expected = {
        "BXDD": ("Ban Xây dựng Đảng Đảng ủy Phường", "party_board"),
        "UBND": ("Ủy ban nhân dân Phường", "government"),
        "MTTQ": ("Ủy ban Mặt trận Tổ quốc Việt Nam Phường", "front"),
        "BBT": ("Ban Biên tập các kênh truyền thông số của Phường", "working_group"),
        "TGV57": ("Tổ giúp việc Ban Chỉ đạo NQ 57 phường Việt Hưng", "working_group"),
    }
    for code, (name, kind) in expected.items():
        assert (unit(code)["name"], unit(code)["kind"]) == (name, kind)
        assert unit(code)["example"] is False
        assert unit(code)["head_title"]


@pytest.mark.parametrize(
    ("group", "members", "kind"),
    [
        ("CTXH", ["DTN", "HLHPN", "HCCB"], "mass_organisation"),
        (
            "TCD",
            ["CB-DDT", "CB-UBND", "CB-CA", "CB-QS", "CB-KDC1", "CB-KDC2"],
            "party_organisation",
        ),
    ],
)
def test_groups_have_example_members(group, members, kind):
    """Does each group hold its example member units, each marked as an example and said so?"""
    assert unit(group)["is_group"] is True
    assert unit(group)["members"] == members
    assert "ví dụ" in unit(group)["note"]
    for code in members:
        assert unit(code)["example"] is True
        assert unit(code)["kind"] == kind


def test_plan_spellings_name_the_units():
    """Can a duty name its units the way the plan spells them instead of by code?"""
    text = VIET_HUNG.read_text(encoding="utf-8")
    as_codes = "coordinating: [BXDD, MTTQ, CTXH, TCD]"
    as_written = (
        "coordinating: [Ban Xây dựng Đảng, Uỷ ban MTTQ, các tổ chức chính trị - xã hội,"
        " các tổ chức đảng trực thuộc Đảng uỷ Phường]"
    )
    assert text.count(as_codes) == 1
    plan = parse_plan(text.replace(as_codes, as_written), str(VIET_HUNG))
    mechanism = next(r for r in plan["responsibilities"] if r["ref"] == "III.1.1")
    assert mechanism["coordinating"] == ["BXDD", "MTTQ", "CTXH", "TCD"]


# Section VI: who owes what


def test_section_vi_duties_per_owner():
    """How many duties does section VI give each owner: 6, 6, 4, 5 and 4, 25 in all?"""
    counts = Counter(
        r["section"] for r in viet_hung()["responsibilities"] if r["section"].startswith("VI.")
    )
    assert counts == {section: count for section, (count, _) in VI_LEADS.items()}
    assert sum(counts.values()) == 25


def test_section_vi_refs_follow_the_bullets():
    """Is each duty of section VI numbered VI.<owner>.<bullet>, in the order of the plan?"""
    refs = [r["ref"] for r in viet_hung()["responsibilities"] if r["section"].startswith("VI.")]
    assert refs == VI_REFS


@pytest.mark.parametrize("ref", VI_REFS)
def test_section_vi_duty_leads(ref):
    """Does each duty of section VI lead with the unit (or units) the section heading names?"""
    duty = responsibility(ref)
    assert duty["section"] == ref.rsplit(".", 1)[0]
    assert duty["lead"] == VI_LEADS[duty["section"]][1]
    assert duty["kind"] == "duty"


def test_section_vi_coordinating_only_where_a_bullet_says_so():
    """Is a coordinating unit given only to VI.1.4, the one bullet that names whom to work with?"""
    coordinating = {ref: responsibility(ref)["coordinating"] for ref in VI_REFS}
    assert {ref: codes for ref, codes in coordinating.items() if codes} == {"VI.1.4": ["UBND"]}


@pytest.mark.parametrize(
    ("ref", "cadence"),
    [
        ("VI.1.5", SIX_MONTHS_AND_YEAR),
        ("VI.3.4", SIX_MONTHS_AND_YEAR),
        ("VI.3.1", FIRST_QUARTER),
        ("VI.4.1", FIRST_QUARTER),
    ],
)
def test_section_vi_cadence_exceptions(ref, cadence):
    """Are sơ kết/tổng kết duties owed at mid-year and year end, and the planning duties in Q1?"""
    assert responsibility(ref)["cadence"] == cadence
    assert responsibility(ref)["note"]


def test_other_duties_are_quarterly():
    """Is every other duty of sections III.1 and VI owed every quarter?"""
    exceptions = {"VI.1.5", "VI.3.4", "VI.3.1", "VI.4.1"}
    for ref in [*MECHANISMS, *VI_REFS]:
        if ref not in exceptions:
            assert responsibility(ref)["cadence"] == {"kind": "quarterly"}, ref


def test_every_duty_has_a_title_and_a_result():
    """Does every duty and phase carry a short title and an expected result?"""
    for duty in viet_hung()["responsibilities"]:
        assert duty["title"] and len(duty["title"]) < 120, duty["ref"]
        assert duty["result"], duty["ref"]


# Section III.1: the mechanisms


@pytest.mark.parametrize(("ref", "units"), MECHANISMS.items())
def test_mechanism_units(ref, units):
    """Does each mechanism of III.1 lead and coordinate exactly as its "Đơn vị thực hiện" and
    "Đơn vị phối hợp" lines say?"""
    lead, coordinating = units
    mechanism = responsibility(ref)
    assert mechanism["section"] == ref
    assert mechanism["lead"] == lead
    assert mechanism["coordinating"] == coordinating


@pytest.mark.parametrize(("ref", "bullets"), [("III.1.1", 3), ("III.1.2", 4), ("III.1.4", 3)])
def test_mechanism_text_keeps_its_bullets(ref, bullets):
    """Is a mechanism's text its bullets, one "- " line each?"""
    lines = responsibility(ref)["text"].split("\n")
    assert len(lines) == bullets
    assert all(line.startswith("- ") for line in lines)


def test_mechanism_without_bullets():
    """Is III.1.3, a single paragraph in the plan, kept as one paragraph?"""
    text = responsibility("III.1.3")["text"]
    assert text.startswith("Phối hợp với các cơ quan báo chí, cổng thông tin điện tử")
    assert "\n" not in text


# Section IV: one orientation per quarter


def test_four_quarterly_phases():
    """Does section IV give one phase per quarter, IV.1 to IV.4, each owed in its own quarter?"""
    phases = [r for r in viet_hung()["responsibilities"] if r["kind"] == "phase"]
    assert [p["ref"] for p in phases] == ["IV.1", "IV.2", "IV.3", "IV.4"]
    for n, phase in enumerate(phases, start=1):
        assert phase["section"] == "IV"
        assert phase["cadence"] == {"kind": "quarters", "quarters": [f"2026-Q{n}"]}
        assert phase["details"]["quarter"] == f"2026-Q{n}"
        assert phase["title"] == PHASE_TITLES[phase["ref"]]
        assert phase["lead"] == ["BXDD"]
        assert phase["coordinating"] == ["UBND", "MTTQ", "CTXH", "TCD", "BBT"]
        assert "Ban Xây dựng Đảng" in phase["note"]


@pytest.mark.parametrize("ref", PHASE_TITLES)
def test_phase_paragraphs(ref):
    """Does each phase carry its goal, content and forms as whole paragraphs, without labels?"""
    details = responsibility(ref)["details"]
    for part in ("goal", "content", "forms"):
        assert details[part], part
        assert "\n" not in details[part]
        assert not details[part].startswith(("Mục tiêu", "Nội dung trọng tâm", "Hình thức"))


def test_phase_spot_checks():
    """Do the phases read as the plan does, across its page breaks?"""
    assert responsibility("IV.1")["details"]["goal"].startswith("Tập trung quán triệt sâu sắc")
    assert "cơ chế, chính sách về chuyển đổi số" in responsibility("IV.2")["details"]["goal"]
    assert responsibility("IV.4")["details"]["forms"] == (
        "Xây dựng báo cáo phân tích, tổng hợp phục vụ công tác lãnh đạo, chỉ đạo của Đảng ủy,"
        " UBND Phường."
    )


# Section I.2: the targets


@pytest.mark.parametrize(
    ("ref", "figure", "comparator", "reported_in"),
    [
        ("I.2.1", 100, "=", ["VI.1.6", "VI.4.5"]),
        ("I.2.2", None, None, ["VI.1.6"]),
        ("I.2.3", 100, "=", ["VI.2.2", "VI.5.4"]),
        ("I.2.4.a", 100, "=", ["VI.4.5"]),
        ("I.2.4.b", 100, "=", ["VI.4.5"]),
        ("I.2.4.c", 90, ">", ["VI.2.2"]),
        ("I.2.4.d", 90, ">", ["VI.2.2"]),
        ("I.2.5", None, None, ["VI.5.4"]),
    ],
)
def test_targets(ref, figure, comparator, reported_in):
    """Does each I.2 target carry the plan's figure and comparator, and the duties reporting it?"""
    item = target(ref)
    assert (item["target"], item["comparator"]) == (figure, comparator)
    assert item["reported_in"] == reported_in
    assert item["title"] and item["measure"]
    if figure is not None:
        assert item["unit"] == "%"


def test_target_list_is_complete():
    """Are there exactly eight targets, the four measures of bullet 4 sharing its text and note?"""
    targets = viet_hung()["targets"]
    assert len(targets) == 8
    bullet_4 = [t for t in targets if t["ref"].startswith("I.2.4.")]
    assert len(bullet_4) == 4
    assert len({t["text"] for t in bullet_4}) == 1
    assert all(t["note"] for t in bullet_4)
    assert bullet_4[0]["text"].startswith("Phấn đấu 100% đảng viên nộp đảng phí trực tuyến")
    assert "trên 90% người dân trong độ tuổi lao động" in bullet_4[0]["text"]


def test_targets_report_through_their_duties_owners():
    """Is a target's figure reported by the units leading the duties it is reported in?"""
    assert target("I.2.1")["reported_by"] == ["BXDD", "TCD"]
    assert target("I.2.4.c")["reported_by"] == ["UBND"]


# The texts, as written


def test_every_text_is_present():
    """Does every duty, phase and target carry a non-empty text?"""
    for item in [*viet_hung()["responsibilities"], *viet_hung()["targets"]]:
        assert item["text"].strip(), item["ref"]


def test_no_hard_line_wraps():
    """Are the text file's hard line wraps joined: one line per bullet, no doubled spaces?"""
    single = [*VI_REFS, "III.1.3"]
    for ref in single:
        assert "\n" not in responsibility(ref)["text"], ref
    for item in [*viet_hung()["responsibilities"], *viet_hung()["targets"]]:
        assert "  " not in item["text"], item["ref"]
        assert "- \n" not in item["text"] and " \n" not in item["text"], item["ref"]
    for item in viet_hung()["targets"]:
        assert "\n" not in item["text"], item["ref"]


def test_hyphenated_numbers_survive_the_join():
    """Is "57-NQ/TW", split over two lines in the text file, joined without a space?"""
    assert "Nghị quyết số 57-NQ/TW và Kế hoạch thông tin" in responsibility("VI.1.1")["text"]
    assert "57- NQ" not in "".join(r["text"] for r in viet_hung()["responsibilities"])


@pytest.mark.parametrize(
    ("ref", "start"),
    [
        ("VI.1.1", "Tham mưu Đảng ủy Phường ban hành các văn bản lãnh đạo, chỉ đạo"),
        ("VI.1.4", "Phối hợp với UBND Phường trong việc cung cấp thông tin chính thống"),
        ("VI.2.4", "Chủ trì thành lập, duy trì hoạt động Tổ phản ứng nhanh"),
        ("VI.3.1", "Chủ động xây dựng kế hoạch tuyên truyền, vận động đoàn viên, hội viên"),
        ("VI.4.5", "Định kỳ đánh giá, báo cáo kết quả thực hiện; gắn kết quả triển khai"),
        ("VI.5.4", "Định kỳ đánh giá hiệu quả hoạt động các kênh truyền thông số"),
        ("III.1.2", "- Công tác kiểm soát, định hướng thông tin trên địa bàn phường Việt Hưng"),
    ],
)
def test_text_spot_checks(ref, start):
    """Does the duty's text begin with the plan's own words?"""
    assert responsibility(ref)["text"].startswith(start)


def test_text_spot_check_ends():
    """Do duties end with the plan's own words, page breaks included?"""
    assert responsibility("VI.4.5")["text"].endswith(
        "với công tác đánh giá, xếp loại tổ chức Đảng và đảng viên hằng năm."
    )
    assert responsibility("VI.2.2")["text"].endswith(
        "cải cách hành chính, ứng dụng khoa học – công nghệ."
    )
    assert "chủ động tham mưu, xây dựng nội dung" in responsibility("VI.2.2")["text"]


def test_texts_are_verbatim_from_the_source():
    """Is every text of the plan file found, word for word, in the source document?"""
    name = viet_hung()["plan"]["source"]
    path = SOURCE_ROOT / name
    source = squeezed(path.read_text(encoding="utf-8"))
    plan = viet_hung()
    texts = [r["text"] for r in plan["responsibilities"] if r["kind"] == "duty"]
    texts += [
        r["details"][part]
        for r in plan["responsibilities"]
        if r["kind"] == "phase"
        for part in ("goal", "content", "forms")
    ]
    texts += [t["text"] for t in plan["targets"]]
    texts += [s["title"] for s in plan["sections"]]
    texts += [plan["plan"]["title"], *plan["plan"]["recipients"]]
    missing = [text[:60] for text in texts if squeezed(text) not in source]
    assert missing == []


# The second, example plan


def test_example_plan_validates():
    """Does the example commune plan validate, with a position leading one of its duties?"""
    plan = read_plan(EXAMPLE)
    assert plan["organisation"]["kind"] == "government"
    positions = {u["code"] for u in plan["units"] if u["kind"] == "position"}
    assert positions
    assert any(set(r["lead"]) & positions for r in plan["responsibilities"])


def test_example_plan_shows_every_cadence():
    """Does the example plan use once (date, date-time and milestone), range, span, phases with
    dates and >=?"""
    plan = read_plan(EXAMPLE)
    cadences = [r["cadence"] for r in plan["responsibilities"]]
    kinds = {c["kind"] for c in cadences}
    assert kinds == {"once", "range", "span", "phases", "quarterly", "quarters"}
    assert {"kind": "once", "due": "2026-10-03", "milestone": "NGAY-CDS"} in cadences
    once_dues = [c["due"] for c in cadences if c["kind"] == "once"]
    assert any("T" in due for due in once_dues) and any("T" not in due for due in once_dues)
    phases = [p for c in cadences if c["kind"] == "phases" for p in c["phases"]]
    assert phases and all(p["due"] for p in phases)
    assert ">=" in {t["comparator"] for t in plan["targets"]}
    assert 6 <= len(plan["responsibilities"]) <= 10
