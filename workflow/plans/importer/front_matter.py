"""What stands around a plan's sections: the header (issuing body, "Số …/KH-…", place and
date, "KẾ HOẠCH" and its title, "Căn cứ …" and "Thực hiện …"), and the closing ("Nơi nhận", the
signature block). A ward's header is often a two-column table: Party or state on the left,
the motto and the date on the right; the closing is often "Nơi nhận" beside the signature."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from workflow.collation import fold
from workflow.plans.importer.outline import Paragraph
from workflow.plans.importer.timing import parse_date

_MOTTOS = re.compile(
    r"^(đảng cộng sản việt nam|cộng h[òo]à xã hội chủ nghĩa việt nam"
    r"|độc lập\s*[-–]\s*tự do\s*[-–]\s*hạnh phúc|\*+|[-–_]+)$",
    re.I,
)
_NUMBER = re.compile(
    r"^số\s*:?\s*(?P<number>\d+)\s*[-–/]?\s*(?P<symbol>(?:KH|QĐ|CT|HD)[\wĐđ.\-/]*)", re.I
)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^,0-9]{2,40}),\s*ngày\s+(?P<day>\d{1,2})\s+tháng\s+(?P<month>\d{1,2})\s+năm\s+"
    r"(?P<year>\d{4})",
    re.I,
)
# "phường Việt Hưng": the level and the place's name, in capitals as names are written.
_PLACE = re.compile(
    r"\b(?P<level>[Pp]hường|[Xx]ã|[Tt]hị trấn|[Đđ]ặc khu)\s+(?P<place>[A-ZĐÀ-Ỹ][a-zđà-ỹ]*"
    r"(?:\s[A-ZĐÀ-Ỹ][a-zđà-ỹ]*){0,2})"
)
# A reference names a document: "Nghị quyết số 57-NQ/TW", "Kế hoạch số 12/KH-UBBC", "Luật Bầu
# cử"; "Căn cứ tình hình thực tế của địa phương" does not.
_DOCUMENT = re.compile(r"\b(?:số\s*\d+|\d+\s*[-/]\s*[A-ZĐ]{2,}|Luật|Bộ luật|Hiến pháp|Điều lệ)")
# "…, Ban Thường vụ Đảng ủy Phường ban hành Kế hoạch …": who issues the plan.
_ISSUES = re.compile(
    r"(?:^|[,;]\s*)(?P<body>(?:Ban|Ủy ban|Uỷ ban|UBND|Đảng ủy|Đảng uỷ|Thường trực|Hội|Đoàn|Tiểu "
    r"ban)[^,;.]{2,80}?)\s+(?:ban hành|xây dựng|triển khai)\s+[Kk]ế hoạch"
)
CLOSING = re.compile(r"^(nơi nhận|T/M|TM\.|KT\.|TL\.|TUQ\.)", re.I)
_ON_BEHALF = re.compile(r"^(?:T/M|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.)\s")
_SIGNATURE = re.compile(
    r"^(?P<on_behalf>(?:T/M|TM\.?|KT\.?|TL\.?|TUQ\.?|Q\.)\s+\S.*?)\s+"
    r"(?P<title>(?:PHÓ\s+)?(?:BÍ THƯ|CHỦ TỊCH|TRƯỞNG|CHÁNH|GIÁM ĐỐC|TỔ TRƯỞNG|CHỦ NHIỆM)\b.*)$"
)
_ISSUER_KINDS = (
    (r"bầu cử|tiểu ban", "election"),
    (r"mặt trận|mttq", "front"),
    (r"^(đoàn|hội)\b|đoàn thanh niên|hội liên hiệp|hội cựu|hội nông dân", "mass_organisation"),
    (r"ủy ban nhân dân|uỷ ban nhân dân|ubnd", "government"),
    (r"đảng", "party"),
)
_ORGANISATIONS = {
    "party": ("DU", "Đảng bộ {level} {place}"),
    "government": ("UBND", "Ủy ban nhân dân {level} {place}"),
    "front": ("MTTQ", "Ủy ban Mặt trận Tổ quốc Việt Nam {level} {place}"),
    "mass_organisation": ("DT", "{body}"),
    "election": ("UBBC", "Ủy ban bầu cử {level} {place}"),
}


@dataclass
class Header:
    """What a plan's header says; ``None`` or empty where it says nothing."""

    title: str = ""
    has_title_line: bool = False
    number: str | None = None
    symbol: str | None = None
    issued_on: date | None = None
    issuing_body: str = ""
    place: str = ""
    level: str = "phường"
    year: int = 0
    references: list[tuple[str, int]] = field(default_factory=list)  # (paragraph, line)


def read_header(head: list[Paragraph], body: list[Paragraph], year: int) -> Header:
    """The header from the paragraphs before the first section (and the preamble, which names
    who issues the plan)."""
    lines = [
        (line.strip(), item.line)
        for item in head
        for text in (item.cells or (item.text,))
        for line in text.split("\n")
        if line.strip()
    ]
    at = next((i for i, (text, _) in enumerate(lines) if re.match(r"^KẾ HOẠCH\b", text)), None)
    header = Header(has_title_line=at is not None, year=year)
    before, after = (lines[:at], lines[at:]) if at is not None else ([], lines)
    issuers = []
    for text, _ in before:
        number, dated = _NUMBER.match(text), _PLACE_DATE.match(text)
        if number:
            header.number, header.symbol = number["number"], number["symbol"]
        elif dated:
            header.issued_on = date(int(dated["year"]), int(dated["month"]), int(dated["day"]))
            header.year = header.issued_on.year
        elif text.isupper() and not _MOTTOS.match(text):
            issuers.append(text)
    title = []
    for index, (text, line) in enumerate(after):
        if index == 0 and at is not None:
            title.append(re.sub(r"^KẾ HOẠCH\s*", "", text))
        elif re.match(r"^(căn cứ|thực hiện)\b", text, re.I):
            if _DOCUMENT.search(text):
                header.references.append((text, line))
        elif not header.references and not re.match(r"^([-–—_*=.]{3,}|(để|nhằm)\b)", text, re.I):
            title.append(text)
    header.title = " ".join(" ".join(title).split())
    years = re.findall(r"\bnăm\s+((?:19|20)\d{2})\b", header.title)
    if years and header.issued_on is None:
        header.year = int(years[-1])
    for text in (header.title, *(t.title() for t, _ in before if t.isupper())):
        place = _PLACE.search(text)
        if place:
            header.level, header.place = place["level"].lower(), place["place"]
            break
    header.issuing_body = _issuing_body(head + body[:3], issuers, header.place)
    return header


def _issuing_body(preamble: list[Paragraph], issuers: list[str], place: str) -> str:
    for item in preamble:
        match = _ISSUES.search(item.text)
        if match:
            return match["body"].strip()
    if not issuers:
        return ""
    text = issuers[-1].lower()
    text = text[:1].upper() + text[1:]
    return re.sub(re.escape(place.lower()), place, text) if place else text


def reference_text(paragraph: str) -> str:
    """A reference as the plan file lists it: without "Căn cứ"/"Thực hiện" and the list's
    punctuation."""
    text = re.sub(r"^(căn cứ|thực hiện)\s+", "", paragraph, flags=re.I).rstrip(" ,;.")
    return text[:1].upper() + text[1:]


def organisation(header: Header) -> dict:
    """The organisation of the plan, composed from its issuing body and its place."""
    body = header.issuing_body
    kind = next((k for pattern, k in _ISSUER_KINDS if re.search(pattern, body, re.I)), "party")
    prefix, pattern = _ORGANISATIONS[kind]
    place = header.place or "?"
    name = pattern.format(level=header.level, place=place, body=body)
    code = f"{prefix}-{'-'.join(fold(place).upper().split())}" if header.place else prefix
    return {"code": code, "name": name, "kind": kind, "place": header.place}


def plan_code(header: Header) -> str:
    """A code for the plan: the place's initials, the year, and the resolution it carries out
    (NQ57) or its number (KH45)."""
    initials = "".join(w[0] for w in fold(header.place).split()).upper() or "KH"
    resolution = re.search(r"Nghị quyết số\s*(\d+)", header.title)
    parts = [initials, str(header.year)]
    if resolution:
        parts.append(f"NQ{resolution.group(1)}")
    elif header.number:
        parts.append(f"KH{header.number}")
    return "-".join(parts)


def read_closing(tail: list[Paragraph]) -> tuple[dict | None, list[str]]:
    """The signer and the recipients, from "Nơi nhận" on."""
    lines: list[str] = []
    recipients: list[str] = []
    for item in tail:
        if item.kind == "row":
            for cell in item.cells:
                if re.match(r"^nơi nhận", cell, re.I):
                    recipients += [_recipient(x) for x in cell.split("\n")[1:]]
                else:
                    lines += [x.strip() for x in cell.split("\n") if x.strip()]
        elif re.match(r"^nơi nhận", item.text, re.I):
            continue
        elif item.kind == "bullet" and not lines:
            recipients.append(_recipient(item.text))
        else:
            lines.append(item.text)
    return _signer(lines), [r for r in recipients if r]


def _recipient(text: str) -> str:
    return re.sub(r"^[-–+•]\s*", "", text.strip()).strip(" ,;.")


def _signer(lines: list[str]) -> dict | None:
    """The signature block: "T/M BAN THƯỜNG VỤ" / "KT. CHỦ TỊCH" (on whose behalf), the
    signer's title, and the name, from separate lines or from one joined line."""
    name = lines[-1] if lines and not lines[-1].isupper() else ""
    upper = [line for line in lines[:-1] if line.isupper()]
    if not name or not upper:
        return None
    behalf = [line for line in upper if _ON_BEHALF.match(line)]
    titles = [line for line in upper if not _ON_BEHALF.match(line)]
    if titles:
        return {"on_behalf": " ".join(behalf), "title": " ".join(titles), "name": name}
    match = _SIGNATURE.match(" ".join(upper))
    if match is None:
        return {"on_behalf": "", "title": " ".join(upper), "name": name}
    return {"on_behalf": match["on_behalf"], "title": match["title"], "name": name}


def period_of(text: str, header: Header) -> tuple[date, date, bool]:
    """The plan's period from "Thời gian thực hiện: …" (or nothing), and whether the document
    gave it exactly; without one, from the issue date (or 1 January) to the year's end."""
    issued = header.issued_on
    start = issued if issued and issued.year == header.year else date(header.year, 1, 1)
    end, exact = date(header.year, 12, 31), False
    span = re.search(r"\btừ\b(?P<start>.*?)\bđến\b(?P<end>.*)", text, re.I)
    dates = [parse_date(part) for part in span.groups()] if span else [None, None]
    if dates[0]:
        start = dates[0]
    if dates[1]:
        end, exact = dates[1], bool(dates[0]) or bool(issued)
    elif year_end := re.search(r"hết năm\s+((?:19|20)\d{2})", text):
        end = date(int(year_end.group(1)), 12, 31)
        exact = bool(dates[0]) or bool(issued and re.search(r"ban hành", text))
    return start, end, exact
