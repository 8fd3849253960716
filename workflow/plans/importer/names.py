"""Unit names as plans write them: one unit however it is spelt (Ủy / Uỷ, UBND, MTTQ, BCĐ, Ban
XD Đảng, "của", "Phường", a typo), lists of units split into names, and a code for each.

A name's key drops what varies between spellings of one unit: diacritics (so tone marks
placed the old way or mistyped still match), case, dashes, abbreviations (expanded), filler
words and the ward's own name. Two names are one unit when their keys are equal, when one
key is the start of the other ("Ban Biên tập" of "Ban Biên tập các kênh truyền thông số"), or
when they differ by a letter or two; every such merge is shown to a person to confirm."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from workflow.collation import fold

# Abbreviations of bodies, on the folded (unaccented, lower-case) form of a name.
_ABBREVIATIONS = {
    "ubnd": "uy ban nhan dan",
    "hdnd": "hoi dong nhan dan",
    "mttq": "mat tran to quoc",
    "bcd": "ban chi dao",
    "bch": "ban chap hanh",
    "btv": "ban thuong vu",
    "xd": "xay dung",
    "ubkt": "uy ban kiem tra",
    "vp": "van phong",
    "ctxh": "chinh tri xa hoi",
    "lhpn": "lien hiep phu nu",
    "ccb": "cuu chien binh",
    "dtn": "doan thanh nien",
    "tncs": "thanh nien cong san",
    "hcm": "ho chi minh",
    "nq": "nghi quyet",
    "kt-xh": "kinh te xa hoi",
    "vh-xh": "van hoa xa hoi",
    "tdp": "to dan pho",
    "bq": "ban quan ly",
}
_FILLER = {"cua", "phuong", "xa", "thi", "tran", "viet", "nam", "va", "cac", "voi"}
# A list of units is split at " và " only where a new unit starts after it, so that "Ban
# Tuyên giáo và Dân vận" stays one name.
UNIT_STARTS = (
    "ban", "ủy ban", "uỷ ban", "ubnd", "hđnd", "hội", "đoàn", "tổ", "chi bộ", "đảng", "công an",
    "quân sự", "ban chỉ huy", "văn phòng", "trạm", "trường", "phòng", "mặt trận", "mttq",
    "công chức", "cán bộ", "đồng chí", "đ/c", "phó", "chủ tịch", "trưởng", "bí thư", "các",
    "thường trực", "trung tâm", "bộ phận", "tiểu ban", "hợp tác xã", "doanh nghiệp", "cơ quan",
    "đơn vị", "lãnh đạo", "người", "ông", "bà",
)  # fmt: skip


def name_key(name: str, place: str = "") -> str:
    """What stays of a unit's name across its spellings."""
    words = []
    for word in fold(name).split():
        words += _ABBREVIATIONS.get(word, word).split()
    dropped = set(fold(place).split()) | _FILLER
    return " ".join(word for word in words if word not in dropped)


def tidy(name: str) -> str:
    """A name as written, without the list's punctuation around it."""
    name = re.sub(r"\s+", " ", name).strip(" \t.,;:-–")
    return re.sub(r"\s*\((?:nếu có|đơn vị chủ trì)\)$", "", name, flags=re.I)


def split_names(text: str) -> list[str]:
    """The units of a list as a plan writes it ("Ban Xây dựng Đảng, Uỷ ban MTTQ và các tổ chức
    chính trị - xã hội; các tổ chức đảng trực thuộc Đảng uỷ Phường.")."""
    parts = re.split(r"[;,]|\n|\s\+\s", text)
    # "Đồng chí Nguyễn Văn An, Phó Chủ tịch UBND phường": a person and their position, one name.
    merged: list[str] = []
    for part in parts:
        if merged and _PERSON.match(merged[-1].strip()):
            merged[-1] = f"{merged[-1]},{part}"
        else:
            merged.append(part)
    names = []
    for part in merged:
        names += _split_and(part)
    return [name for name in (tidy(n) for n in names) if name]


_PERSON = re.compile(r"^(?:Đồng chí|Đ/c|đồng chí|Ông|Bà)\s+(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*){2,5}$")


def _split_and(part: str) -> list[str]:
    pieces = re.split(r"\s+(?:và|với)\s+", part.strip())
    names = [pieces[0]]
    for piece in pieces[1:]:
        if piece.lower().startswith(UNIT_STARTS):
            names.append(piece)
        else:
            names[-1] = f"{names[-1]} và {piece}"
    return names


def guess_kind(name: str) -> str:
    """The kind of a unit from its name (the person checking the draft can change it)."""
    key = fold(name)
    for pattern, kind in _KINDS:
        if re.search(pattern, key):
            return kind
    return "other"


# The kind of a unit by how its folded name reads, first match wins.
_KINDS = (
    (r"^(dong chi|d/c|ong|ba)\b|^(pho )?(chu tich|bi thu|truong|giam doc)\b|^cong chuc|^can bo",
     "position"),
    (r"^cac (dong chi|to chuc dang|chi bo)|^chi bo|^dang bo bo phan|to chuc (co so )?dang",
     "party_organisation"),
    (r"^(ban thuong vu|thuong truc dang uy|dang uy)", "party_committee"),
    (r"^ban .*\bdang\b|^uy ban kiem tra|^van phong dang uy", "party_board"),
    (r"^(uy ban nhan dan|ubnd|hoi dong nhan dan|van phong hdnd|phong|cong an|ban chi huy quan su"
     r"|quan su|tram|truong|bo phan|dai truyen thanh)\b", "government"),
    (r"mat tran to quoc|mttq", "front"),
    (r"^(doan|hoi)\b|chinh tri xa hoi|ctxh", "mass_organisation"),
    (r"^(to|ban|tieu ban|ban chi dao|ban bien tap)\b", "working_group"),
)  # fmt: skip


_POSITION_HOLDER = re.compile(
    r"^(?:Đồng chí|Đ/c|đồng chí|Ông|Bà)\s+(?P<holder>(?:[A-ZĐÀ-Ỹ][\wÀ-ỹ]*\s*){2,5}?)\s*[,–-]\s*"
    r"(?P<position>.+)$"
)
_HOLDER_AFTER = re.compile(
    r"^(?P<position>.+?)\s*\((?:đồng chí|đ/c|ông|bà)\s+(?P<holder>[^)]+)\)$", re.I
)


def position_and_holder(name: str) -> tuple[str, str]:
    """A position and the name of who holds it, when the plan gives both ("Đồng chí Nguyễn Văn
    An, Phó Chủ tịch UBND phường"; "Trưởng Tiểu ban (đồng chí Lê Thị Bình)")."""
    for pattern in (_POSITION_HOLDER, _HOLDER_AFTER):
        match = pattern.match(name.strip())
        if match:
            return tidy(match.group("position")), tidy(match.group("holder"))
    return name, ""


@dataclass
class Unit:
    """A unit the importer found: its name (the longest spelling), every spelling seen, the
    sentence it was first seen in, and whether it is a group ("các tổ chức ...")."""

    code: str
    name: str
    kind: str
    spellings: list[str] = field(default_factory=list)
    holder: str = ""
    is_group: bool = False
    line: int = 0
    fuzzy: list[str] = field(default_factory=list)  # spellings merged by resemblance alone

    @property
    def aliases(self) -> list[str]:
        return [s for s in self.spellings if s != self.name]


class UnitBook:
    """The units of a draft, found as the document names them; one entry per unit."""

    def __init__(self, place: str = "") -> None:
        self.place = place
        self.units: list[Unit] = []

    def know(self, code: str, names: list[str], is_group: bool = False) -> Unit:
        """A unit known before the document is read (one the organisation already has)."""
        unit = Unit(code, names[0], guess_kind(names[0]), [n for n in names if n], "", is_group)
        self.units.append(unit)
        return unit

    def find(self, name: str) -> Unit | None:
        """The unit this spelling names, if the book has it (no fuzzy matching)."""
        key = name_key(position_and_holder(name)[0], self.place)
        for unit in self.units:
            if any(self._same(key, name_key(s, self.place)) for s in unit.spellings):
                return unit
        return None

    def add(self, name: str, line: int = 0) -> Unit:
        """The unit of ``name``: an existing one (the spelling added) or a new one."""
        position, holder = position_and_holder(tidy(name))
        unit = self.find(position) or self._resemblance(position)
        if unit is None:
            group = bool(re.match(r"^(các|những)\s", position, re.I))
            name = position[0].upper() + position[1:]
            unit = Unit(self._code(name), name, guess_kind(name), [], holder, group, line)
            self.units.append(unit)
        spelling = position[0].upper() + position[1:]
        if spelling not in unit.spellings and spelling.lower() not in {
            s.lower() for s in unit.spellings
        }:
            unit.spellings.append(spelling)
        if len(spelling) > len(unit.name) and not spelling.lower().startswith(("các", "những")):
            unit.name = spelling
        unit.holder = unit.holder or holder
        return unit

    def _same(self, one: str, other: str) -> bool:
        if one == other:
            return True
        short, long = sorted((one, other), key=len)
        return len(short.split()) >= 3 and long.startswith(short + " ")

    def _resemblance(self, name: str) -> Unit | None:
        key = name_key(name, self.place)
        if len(key) < 12:
            return None
        for unit in self.units:
            for spelling in unit.spellings:
                other = name_key(spelling, self.place)
                if difflib.SequenceMatcher(None, key, other).ratio() >= 0.92:
                    unit.fuzzy.append(name)
                    return unit
        return None

    def _code(self, name: str) -> str:
        return unit_code(name, {u.code for u in self.units}, self.place)


def unit_code(name: str, taken: set[str], place: str = "") -> str:
    """A short code from the name's usual abbreviation, else its first initials and any
    number (UBND, MTTQ, BXDD, CTXH, TGV57); a number after it when ``taken`` has it."""
    words = []
    for word in fold(name).split():
        words += _ABBREVIATIONS.get(word, word).split()
    key = " ".join(w for w in words if w not in {"cua", "va", "cac"})
    base = next((code for text, code in _KNOWN_CODES if key.startswith(text)), None)
    if base is None:
        kept = [w for w in key.split() if w not in _FILLER and w not in fold(place).split()]
        letters = "".join(w[0] for w in kept if not w.isdigit())[:3]
        base = (letters + "".join(w for w in kept if w.isdigit())).upper() or "DV"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}{n}", n + 1
    return code


# Usual abbreviations, most specific first: the code of a unit whose folded name holds the text.
_KNOWN_CODES = (
    ("ban xay dung dang", "BXDD"),
    ("uy ban kiem tra", "UBKT"),
    ("van phong dang uy", "VPDU"),
    ("ban chi huy quan su", "BCHQS"),
    ("uy ban mat tran to quoc", "MTTQ"),
    ("mat tran to quoc", "MTTQ"),
    ("hoi dong nhan dan", "HDND"),
    ("uy ban nhan dan", "UBND"),
    ("van phong", "VP"),
    ("to chuc chinh tri xa hoi", "CTXH"),
    ("to chuc dang", "TCD"),
    ("doan thanh nien", "DTN"),
    ("hoi lien hiep phu nu", "HLHPN"),
    ("hoi cuu chien binh", "HCCB"),
    ("hoi nong dan", "HND"),
    ("cong an", "CA"),
    ("ban bien tap", "BBT"),
    ("uy ban bau cu", "UBBC"),
)
