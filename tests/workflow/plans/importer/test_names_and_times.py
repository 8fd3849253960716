"""Unit names across their spellings, and times as plans write them."""

import pytest

from workflow.plans.importer.names import UnitBook, guess_kind, position_and_holder, split_names
from workflow.plans.importer.timing import Milestone, deadline, deadline_in_sentence, parse_date

ELECTION = Milestone("BAU-CU", "Ngày bầu cử", parse_date("15/3/2026"), None, 8)


@pytest.mark.parametrize(
    ("first", "other"),
    [
        ("Ủy ban MTTQ Việt Nam Phường", "Uỷ ban Mặt trận Tổ quốc Việt Nam Phường"),
        ("Ủy ban nhân dân Phường", "UBND phường"),
        ("Ban Xây dựng Đảng Đảng ủy Phường", "Ban XD Đảng"),
        ("Tổ giúp việc Ban Chỉ đạo NQ 57 của phường Việt Hưng", "Tổ giúp việc BCĐ NQ 57"),
        ("Các tổ chức chính trị – xã hội Phường", "các tổ chức chính trị - xã hội"),
        ("Công chức Văn hóa - Xã hội", "Công chức Văn hoá – Xã hội"),  # the old tone placement
    ],
)
def test_one_unit_however_the_plan_spells_it(first, other):
    book = UnitBook("Việt Hưng")
    unit = book.add(first)
    assert book.add(other) is unit
    assert unit.spellings == [first[0].upper() + first[1:], other[0].upper() + other[1:]]
    assert unit.fuzzy == []


def test_a_typo_is_merged_by_resemblance_and_marked_for_a_person_to_confirm():
    book = UnitBook("Tân Lập")
    unit = book.add("Công chức Văn hóa - Xã hội")
    assert book.add("Công chức Vănn hóa - Xã hội") is unit
    assert unit.fuzzy == ["Công chức Vănn hóa - Xã hội"]


def test_different_units_stay_apart_and_get_their_usual_codes():
    book = UnitBook("Việt Hưng")
    names = ["Ủy ban nhân dân Phường", "Ủy ban MTTQ Việt Nam Phường", "Ban Xây dựng Đảng",
             "Chủ tịch UBND phường", "Các tổ chức Đảng trực thuộc Đảng ủy Phường",
             "Tổ giúp việc BCĐ NQ 57 phường Việt Hưng", "Công an phường"]  # fmt: skip
    codes = [book.add(name).code for name in names]
    assert codes == ["UBND", "MTTQ", "BXDD", "CTU", "TCD", "TGV57", "CA"]
    assert [u.is_group for u in book.units] == [False] * 4 + [True] + [False] * 2


def test_a_list_of_units_splits_at_commas_and_at_and_only_where_a_unit_starts():
    assert split_names(
        "Ban Xây dựng Đảng, Uỷ ban MTTQ và các tổ chức chính trị - xã hội; Ban Tuyên giáo và "
        "Dân vận Thành ủy; Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường."
    ) == [
        "Ban Xây dựng Đảng",
        "Uỷ ban MTTQ",
        "các tổ chức chính trị - xã hội",
        "Ban Tuyên giáo và Dân vận Thành ủy",
        "Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường",
    ]


@pytest.mark.parametrize(
    ("written", "position", "holder"),
    [
        ("Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường",
         "Phó Chủ tịch UBND phường", "Nguyễn Văn An"),
        ("Trưởng Tiểu ban Tuyên truyền (đồng chí Lê Thị Bình)",
         "Trưởng Tiểu ban Tuyên truyền", "Lê Thị Bình"),
        ("Công chức Văn hóa - Xã hội", "Công chức Văn hóa - Xã hội", ""),
    ],
)  # fmt: skip
def test_a_position_and_its_holder(written, position, holder):
    assert position_and_holder(written) == (position, holder)
    assert guess_kind(position) == "position"


@pytest.mark.parametrize(
    ("said", "cadence"),
    [
        ("Thường xuyên", {"kind": "quarterly"}),
        ("Quý II/2026", {"kind": "quarters", "quarters": ["2026-Q2"]}),
        ("Quý I, II/2026", {"kind": "quarters", "quarters": ["2026-Q1", "2026-Q2"]}),
        ("Trước ngày 30/6/2026", {"kind": "once", "due": "2026-06-30"}),
        ("ngày 15 tháng 10 năm 2026", {"kind": "once", "due": "2026-10-15"}),
        ("17 giờ 00, ngày 15/10/2026", {"kind": "once", "due": "2026-10-15T17:00"}),
        ("trong tháng 3/2026", {"kind": "once", "due": "2026-03"}),
        ("Dự kiến tháng 11/2025", {"kind": "once", "due": "2025-11"}),
        ("Từ tháng 12/2025 đến quý I/2026", {"kind": "span", "start": "2025-12", "end": "2026-Q1"}),
        ("từ ngày 05/01/2026 đến 17 giờ 00, ngày 14/3/2026",
         {"kind": "span", "start": "2026-01-05", "end": "2026-03-14T17:00"}),
        ("chậm nhất trước ngày bầu cử 20 ngày",
         {"kind": "once", "due": {"milestone": "BAU-CU", "days_before": 20}}),
        ("chậm nhất 10 ngày trước ngày bầu cử",
         {"kind": "once", "due": {"milestone": "BAU-CU", "days_before": 10}}),
        ("sau ngày bầu cử 5 ngày",
         {"kind": "once", "due": {"milestone": "BAU-CU", "days_after": 5}}),
        ("Ngày bầu cử", {"kind": "once", "due": {"milestone": "BAU-CU"}}),
        ("Theo chỉ đạo của cấp trên", None),
    ],
)  # fmt: skip
def test_a_time_as_the_plan_writes_it(said, cadence):
    assert deadline(said, 2026, [ELECTION]) == cadence


def test_in_a_sentence_only_a_time_after_a_word_of_time_is_a_deadline():
    """The date of a resolution cited in a duty is not its deadline."""
    cited = "Quán triệt Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị."
    assert deadline_in_sentence(cited, 2026, []) is None
    due = "Phân công nhiệm vụ cho các thành viên, hoàn thành trước ngày 10/01/2026."
    assert deadline_in_sentence(due, 2026, []) == {"kind": "once", "due": "2026-01-10"}
