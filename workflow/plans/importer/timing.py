"""Times as plans write them, read into the plan format's moments and cadences.

"chậm nhất trước ngày bầu cử 10 ngày", "trước ngày 15/02/2026", "đến 17 giờ 00, ngày
01/02/2026", "trong tháng 3/2026", "dự kiến tháng 11/2025", "Quý I/2026", "từ tháng 12/2025 đến
quý I/2026", "thường xuyên". Only a time that follows a word of time (trước, chậm nhất, hoàn
thành, trong, từ, đến, dự kiến, thời gian) is a deadline: "Nghị quyết số 57-NQ/TW ngày
22/12/2024" is a reference, not a due date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from workflow.collation import fold

_ROMAN_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
DATE = re.compile(
    r"(?:ngày\s*)?(?P<day>\d{1,2})\s*[/.-]\s*(?P<month>\d{1,2})\s*[/.-]\s*(?P<year>(?:19|20)\d{2})"
    r"|ngày\s+(?P<day2>\d{1,2})\s+tháng\s+(?P<month2>\d{1,2})\s+năm\s+(?P<year2>(?:19|20)\d{2})",
    re.IGNORECASE,
)
_SHORT_DATE = re.compile(r"ngày\s+(?P<day>\d{1,2})\s*/\s*(?P<month>\d{1,2})(?![/\d])", re.I)
_MONTH = re.compile(
    r"tháng\s+(?P<month>\d{1,2})\s*(?:/|\s*năm\s+)\s*(?P<year>(?:19|20)\d{2})", re.IGNORECASE
)
QUARTER = re.compile(
    r"quý\s+(?P<quarter>IV|III|II|I|[1-4])\b\s*(?:(?:/|năm)\s*(?P<year>(?:19|20)\d{2}))?",
    re.IGNORECASE,
)
_RECURRING = re.compile(
    r"\b(thường xuyên|định kỳ|hằng quý|hàng quý|hằng tháng|hàng tháng|liên tục|cả năm|trong năm)\b",
    re.IGNORECASE,
)
_DEADLINE_WORDS = (
    r"(?:chậm nhất|hoàn thành|xong|trước|trong|từ|đến|dự kiến|thời gian|thời hạn|vào|hạn)"
)


@dataclass(frozen=True)
class Milestone:
    """A named date of the plan, as the importer found it."""

    code: str
    name: str
    day: date
    time: str | None
    line: int


def parse_date(text: str) -> date | None:
    match = DATE.search(text)
    if not match:
        return None
    day, month, year = (match.group(n) or match.group(n + "2") for n in ("day", "month", "year"))
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        return None


def _time_of(text: str) -> str | None:
    """``17:00`` from "17 giờ 00", "17h00", "17h", "17:00" when it stands before a date."""
    match = re.search(
        r"(?P<hour>\d{1,2})\s*(?:giờ|h|:)\s*(?P<minute>\d{2})?(?:\s*phút)?\s*,?\s*(?:ngày|\d)",
        text,
        re.I,
    )
    if not match or int(match.group("hour")) > 23:
        return None
    return f"{int(match.group('hour')):02d}:{match.group('minute') or '00'}"


def quarter_name(match: re.Match, year: int) -> str:
    return f"{match.group('year') or year}-Q{_ROMAN_QUARTERS[match.group('quarter').lower()]}"


def _moment(text: str, year: int, milestones: list[Milestone]) -> tuple[object, bool] | None:
    """The first moment of ``text``: a milestone reference, a date (and time), a month, or a
    quarter; with whether it is approximate (a month alone)."""
    relative = _relative(text, milestones)
    if relative is not None:
        return relative, False
    found = DATE.search(text)
    month = _MONTH.search(text)
    quarter = QUARTER.search(text)
    candidates = [
        (m.start(), kind, m)
        for kind, m in (("date", found), ("month", month), ("quarter", quarter))
        if m
    ]
    if not candidates:
        short = _SHORT_DATE.search(text)
        if short:
            try:
                return date(
                    year, int(short.group("month")), int(short.group("day"))
                ).isoformat(), False
            except ValueError:
                return None
        return None
    _, kind, match = min(candidates, key=lambda c: c[0])
    if kind == "date":
        day = parse_date(match.group(0))
        if day is None:
            return None
        time = _time_of(text[: match.end()])
        return (f"{day.isoformat()}T{time}" if time else day.isoformat()), False
    if kind == "month":
        return f"{match.group('year')}-{int(match.group('month')):02d}", True
    return quarter_name(match, year), False


def _relative(text: str, milestones: list[Milestone]) -> dict | None:
    """``{milestone: CODE, days_before: N}`` for "trước ngày bầu cử 10 ngày", "chậm nhất 10
    ngày trước ngày bầu cử", "sau ngày … 5 ngày", "ngày bầu cử"."""
    folded = fold(text)
    for milestone in milestones:
        name = fold(milestone.name)
        name = re.sub(r"^ngay ", "", name)
        where = folded.find(name)
        if where < 0:
            continue
        around = folded[max(0, where - 40) : where + len(name) + 25]
        days = re.search(r"(\d{1,3}) ngay", around.replace(name, " ", 1))
        count = int(days.group(1)) if days else 0
        after = re.search(rf"sau (?:ngay |khi )?(?:ket thuc )?{re.escape(name)}", around)
        moment = {"milestone": milestone.code}
        if count:
            moment["days_after" if after else "days_before"] = count
        return moment
    return None


def deadline(text: str, year: int, milestones: list[Milestone]) -> dict | None:
    """The cadence a phrase of time gives, or None when it says no time.

    ``text`` is a label's value ("Thời gian hoàn thành: ...") or a duty's sentence; in a
    sentence only a time after a word of time counts."""
    span = re.search(r"\btừ\b(?P<start>.+?)\bđến\b(?:\s*hết)?(?P<end>.+)", text, re.I)
    if span:
        start = _moment(span.group("start"), year, milestones)
        end = _moment(span.group("end"), year, milestones)
        if start and end:
            return {"kind": "span", "start": start[0], "end": end[0]}
    quarters = _quarters(text, year)
    if len(quarters) > 1:
        return {"kind": "quarters", "quarters": quarters}
    moment = _moment(text, year, milestones)
    if moment is None:
        return {"kind": "quarterly"} if _RECURRING.search(text) else None
    value, _ = moment
    if isinstance(value, str) and "-Q" in value:
        return {"kind": "quarters", "quarters": [value]}
    return {"kind": "once", "due": value}


def _quarters(text: str, year: int) -> list[str]:
    """Every quarter named ("Quý I, II/2026", "quý I và quý III năm 2026")."""
    listed = re.search(
        r"quý\s+((?:IV|III|II|I|[1-4])(?:\s*(?:,|và|-)\s*(?:quý\s+)?(?:IV|III|II|I|[1-4]))+)"
        r"\s*(?:(?:/|năm)\s*((?:19|20)\d{2}))?",
        text,
        re.I,
    )
    if not listed:
        return []
    named_year = int(listed.group(2)) if listed.group(2) else year
    numbers = re.findall(r"IV|III|II|I|[1-4]", listed.group(1), re.I)
    return sorted({f"{named_year}-Q{_ROMAN_QUARTERS[n.lower()]}" for n in numbers})


def deadline_in_sentence(text: str, year: int, milestones: list[Milestone]) -> dict | None:
    """A deadline said inside a duty's sentence, only after a word of time."""
    for match in re.finditer(rf"\b{_DEADLINE_WORDS}\b", text, re.I):
        tail = text[match.start() : match.start() + 90]
        found = deadline(tail, year, milestones)
        if found and found["kind"] != "quarterly":
            return found
    return None


_MILESTONE = re.compile(
    r"(?P<name>(?:ngày\s+(?:bầu cử|hội|hiệp thương|khai mạc|tổ chức)[^:,.;()]{0,40})"
    r"|(?:đại hội|hội nghị)[^:,.;()]{3,80}?)"
    r"\s*(?::|\(|là|vào|được tổ chức vào|dự kiến(?: tổ chức)? vào|diễn ra vào)\s*"
    r"(?:[^0-9(]{0,25}?)(?P<date>(?:ngày\s*)?\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*(?:19|20)\d{2}"
    r"|ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+(?:19|20)\d{2})",
    re.IGNORECASE,
)


def milestones_in(paragraphs: list[tuple[str, int]]) -> list[Milestone]:
    """The named dates of a plan ("Ngày bầu cử: Chủ nhật, ngày 15/3/2026"; "Đại hội ... dự
    kiến tổ chức vào ngày 20/5/2026"), each once, with a code from its name."""
    found: list[Milestone] = []
    for text, line in paragraphs:
        for match in _MILESTONE.finditer(text):
            name = re.sub(r"\s+", " ", match.group("name")).strip()
            name = name[0].upper() + name[1:]
            day = parse_date(match.group("date"))
            if day is None or any(fold(m.name) == fold(name) for m in found):
                continue
            before = text[match.start() : match.end() + 30]
            time = _time_of(before[before.find(match.group("date")) - 20 :])
            code = "-".join(fold(name).upper().split())[:40].strip("-")
            found.append(Milestone(code, name, day, time, line))
    return found
