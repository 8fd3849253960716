"""The words plans use to say who does what and when: labels ("Đơn vị chủ trì:"), section
titles ("Tổ chức thực hiện", "Mục tiêu cụ thể", "Khẩu hiệu"), table headers, figures with
their comparators. One place for them, so that a new wording is added once."""

from __future__ import annotations

import re

ROLES = ("lead", "coordinating", "directs", "in_charge", "takes_part")

_LABELS = {
    "lead": r"(?:đơn vị|cơ quan|bộ phận)\s+(?:chủ trì|thực hiện chính|thực hiện|chịu trách "
    r"nhiệm)|chủ trì",
    "coordinating": r"(?:đơn vị|cơ quan|bộ phận)\s+phối hợp|phối hợp",
    "directs": r"lãnh đạo chỉ đạo|(?:đồng chí\s+)?chỉ đạo(?: chung)?",
    "in_charge": r"(?:lãnh đạo\s+)?phụ trách(?: chung)?",
    "takes_part": r"(?:đơn vị|thành phần)\s+tham gia|tham gia",
    "time": r"thời gian(?:\s+(?:thực hiện|hoàn thành|triển khai))?|thời hạn(?:\s+hoàn thành)?"
    r"|tiến độ",
    "result": r"kết quả(?:\s+(?:đầu ra|cần đạt))?|sản phẩm(?:\s+(?:đầu ra|chính))?",
    "goal": r"mục tiêu(?:\s+\w+){0,2}",
    "content": r"nội dung(?:\s+\w+){0,2}",
    "forms": r"hình thức(?:\s+\w+){0,2}",
}
_LABEL = re.compile(
    r"^(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + r")\s*:\s*(?P<value>.*)$",
    re.IGNORECASE,
)


_NEXT_LABEL = re.compile(
    r"(?<=[.;])\s+(?=(?:" + "|".join(_LABELS.values()) + r")\s*:)", re.IGNORECASE
)


def split_labels(text: str) -> list[str]:
    """A paragraph that holds several labels ("Đơn vị chủ trì: UBKT. Đơn vị phối hợp: Văn
    phòng Đảng ủy.") as one text per label; any other paragraph as it is."""
    if not _LABEL.match(text):
        return [text]
    return [part.strip() for part in _NEXT_LABEL.split(text) if part.strip()]


def label_of(text: str) -> tuple[str, str] | None:
    """``("lead", "UBND Phường.")`` for "Đơn vị thực hiện: UBND Phường.", None for a sentence."""
    match = _LABEL.match(text)
    if match is None:
        return None
    field = next(k for k in _LABELS if match.group(k))
    return field, match.group("value").strip()


ORGANISING = re.compile(
    r"^(tổ chức thực hiện|phân công (nhiệm vụ|trách nhiệm|thực hiện)|trách nhiệm (thực hiện|của)"
    r"|nhiệm vụ của các)",
    re.I,
)
TARGETS = re.compile(r"^(mục tiêu cụ thể|chỉ tiêu|các chỉ tiêu)", re.I)
ANNEX = re.compile(r"^(khẩu hiệu|phụ lục|danh mục|tài liệu tham khảo)", re.I)
SLOGANS = re.compile(r"^khẩu hiệu", re.I)
PERIOD = re.compile(r"^thời gian(?: thực hiện)?\s*:\s*(?P<value>.+)$", re.I)
STAGE = re.compile(r"^(?P<name>(?:đợt|giai đoạn)\s+(?:\d+|[IVX]+|một|hai|ba|bốn))\b", re.I)
# A unit's heading in "Tổ chức thực hiện", perhaps a request ("Đề nghị Ủy ban MTTQ ...") and
# perhaps with its duty after a colon.
UNIT_HEADING = re.compile(r"^(?:đề nghị\s+)?(?P<names>.+?)(?:\s*:\s*(?P<rest>.*))?$", re.I | re.S)
# "phối hợp với UBND Phường trong việc ...": the units named, up to where the sentence goes on.
COORDINATE_WITH = re.compile(
    r"phối hợp (?:chặt chẽ )?với\s+(?P<names>.+?)(?=\s+(?:trong|để|về|nhằm|thực hiện|tổ chức"
    r"|triển khai|tuyên truyền|theo)\b|[;.:(]|$)",
    re.I,
)
# "từng quý", "từng giai đoạn", "theo từng đợt": the duty that plans the phases.
PLANS_PHASES = re.compile(r"từng (quý|giai đoạn|đợt)", re.I)
# "các đơn vị liên quan": names no one in particular.
GENERIC_UNIT = re.compile(
    r"^(các\s+)?(đơn vị|cơ quan|ngành)(\s+(liên quan|có liên quan|chức năng))?$", re.I
)

FIGURE = re.compile(
    r"(?P<comparator>không dưới|không thấp hơn|ít nhất|tối thiểu|đạt trên|trên|hơn|dưới|không quá"
    r"|tối đa|không vượt quá)?\s*(?P<figure>\d+(?:[.,]\d+)?)\s*%",
    re.I,
)
COMPARATORS = {
    "không dưới": ">=", "không thấp hơn": ">=", "ít nhất": ">=", "tối thiểu": ">=",
    "trên": ">", "hơn": ">", "đạt trên": ">", "dưới": "<", "không quá": "<=", "tối đa": "<=",
    "không vượt quá": "<=",
}  # fmt: skip

# A task table's header: the column of each field.
_COLUMNS = (
    ("number", r"^(stt|tt|số tt|số thứ tự)$"),
    ("content", r"nội dung|công việc|nhiệm vụ"),
    ("lead", r"chủ trì|thực hiện|chịu trách nhiệm"),
    ("coordinating", r"phối hợp"),
    ("directs", r"chỉ đạo"),
    ("in_charge", r"phụ trách"),
    ("takes_part", r"tham gia"),
    ("time", r"thời gian|thời hạn|tiến độ"),
    ("result", r"sản phẩm|kết quả"),
)


def table_columns(cells: tuple[str, ...]) -> dict[int, str] | None:
    """The field of each column when ``cells`` is a task table's header row, else None."""
    columns: dict[int, str] = {}
    for index, cell in enumerate(cells):
        text = cell.strip().lower()
        for field, pattern in _COLUMNS:
            if field not in columns.values() and re.search(pattern, text):
                columns[index] = field
                break
    if {"content", "lead"} <= set(columns.values()):
        return columns
    return None
