"""Reading a plan's outline into a draft plan file: what a ward office's kế hoạch says, the
way it says it.

- a heading whose paragraphs carry "Đơn vị chủ trì / thực hiện / phối hợp", "Chỉ đạo",
  "Tham gia", "Thời gian …" and "Kết quả / Sản phẩm": one responsibility;
- a task table (STT | Nội dung | Đơn vị chủ trì | Phối hợp | Thời gian | Sản phẩm): one
  responsibility per row, its group rows (I, II …) sections;
- "Tổ chức thực hiện": a heading per unit or position, a responsibility per bullet; "phối hợp
  với X" names a coordinating unit the plan already knows;
- sections per quarter (Quý I/2026 …) become phases; a đợt with its dates, a responsibility
  in one phase;
- "Mục tiêu cụ thể": a target per figure (100%, trên 90%, không dưới …);
- slogans and lists (khẩu hiệu, phụ lục): annexes, never tasks.

What the document leaves open is decided as the hand-written plans decide it, and each such
decision is a ``Doubt`` for the person who checks the draft."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from workflow.collation import fold
from workflow.i18n import N_
from workflow.plans.importer import front_matter, vocabulary
from workflow.plans.importer.documents import Document, DocumentUnreadable
from workflow.plans.importer.draft import Doubt, Draft, Source
from workflow.plans.importer.names import UNIT_STARTS, UnitBook, split_names
from workflow.plans.importer.outline import Node, Paragraph, outline, paragraphs
from workflow.plans.importer.timing import (
    QUARTER,
    Milestone,
    deadline,
    deadline_in_sentence,
    milestones_in,
    quarter_name,
)
from workflow.plans.importer.vocabulary import ROLES, label_of, split_labels

_DUTY_KEYS = ("ref", "section", "title", "text", *ROLES, "result", "cadence", "note")
_PHASE_KEYS = (
    "ref",
    "section",
    "quarter",
    "title",
    "goal",
    "content",
    "forms",
    *ROLES,
    "result",
    "note",
)
_ORDER = (
    "organisation",
    "plan",
    "milestones",
    "units",
    "groups",
    "responsibilities",
    "phases",
    "targets",
)


def read_draft(document: Document, source_name: str = "") -> Draft:
    """The draft plan file of a document."""
    return _Reader(document, source_name).read()


class _Reader:
    def __init__(self, document: Document, source_name: str) -> None:
        self.source_name = source_name
        self.items = [
            replace(item, text=part)
            for item in paragraphs(document.blocks)
            for part in (
                split_labels(item.text) if item.kind in ("plain", "bullet") else [item.text]
            )
        ]
        self.draft = Draft({}, kind=document.kind)
        self.draft.text = [(p.line, p.text if p.kind == "row" else p.source) for p in self.items]
        self.year = date.today().year
        self.units = UnitBook()
        self.milestones: list[Milestone] = []
        self.sections: list[dict] = []
        self.responsibilities: list[dict] = []
        self.phases: list[dict] = []
        self.targets: list[dict] = []
        self.annexes: list[dict] = []
        self.unowned: list[tuple[dict, tuple]] = []  # phases whose lead is to be guessed

    def read(self) -> Draft:
        head, body, tail = self._split()
        if not any(p.is_heading for p in body) and not any(p.kind == "row" for p in body):
            raise DocumentUnreadable(
                N_(
                    "No plan was found in this document: it has no numbered sections (I., 1., "
                    "1.1.) and no task table. Is it the plan's text?"
                )
            )
        header = front_matter.read_header(head, body, self.year)
        self.year, self.units = header.year, UnitBook(header.place)
        tree = outline(body)
        self.milestones = milestones_in([(p.text, p.line) for p in self.items])
        self.sections = [
            {"ref": node.ref, "title": _heading_title(node.title)}
            for node in tree.walk()
            if node.heading is not None
        ]
        for node in tree.walk():  # the units the organisation section names come first
            if node.heading is not None and vocabulary.ORGANISING.match(node.title):
                self._register_unit_headings(node)
        for node in tree.children:
            self._visit(node)
        self._guess_phase_leads()
        data = {
            "format": 2,
            "organisation": front_matter.organisation(header),
            "plan": self._plan(header, tree, tail),
            "milestones": self._milestones(),
        }
        data["units"], data["groups"] = self._unit_entries()
        data |= {
            "sections": self.sections,
            "responsibilities": [_ordered(r, _DUTY_KEYS) for r in self.responsibilities],
            "phases": [_ordered(p, _PHASE_KEYS) for p in self.phases],
            "targets": self.targets,
            "annexes": self.annexes,
        }
        self.draft.data = {k: v for k, v in data.items() if v or k == "units"}
        self._doubt(
            ("organisation",),
            N_(
                "The organisation was composed from \u201c%(body)s\u201d and the place "
                "\u201c%(place)s\u201d: check its name and kind."
            ),
            body=header.issuing_body,
            place=header.place or "?",
        )
        self.draft.doubts.sort(key=lambda d: (not d.blocking, _path_order(d.path)))
        return self.draft

    def _split(self) -> tuple[list[Paragraph], list[Paragraph], list[Paragraph]]:
        """The header (up to the first Roman or numbered heading), the body, and the closing
        from "Nơi nhận" or the signature on; the closing request ("… đề nghị các cơ quan, đơn vị
        …") belongs to neither."""
        first = next((i for i, p in enumerate(self.items) if p.kind in ("roman", "number")), 0)
        end = next(
            (
                index
                for index in range(first, len(self.items))
                if any(front_matter.CLOSING.match(t) for t in self.items[index].cells or ())
                or front_matter.CLOSING.match(self.items[index].text)
            ),
            len(self.items),
        )
        tail = self.items[end:]
        while end > first and self.items[end - 1].kind == "plain":
            if not re.search(r"\bđề nghị\b|\byêu cầu\b", self.items[end - 1].text):
                break
            end -= 1
        return self.items[:first], self.items[first:end], tail

    def _source(self, path: tuple, line: int, quote: str) -> None:
        self.draft.sources[path] = Source(line, quote)

    def _doubt(self, path: tuple, message: str, blocking: bool = False, **params) -> None:
        self.draft.doubts.append(Doubt(path, message, params, blocking))

    # -- the plan's own fields --------------------------------------------------------------
    def _plan(self, header: front_matter.Header, tree: Node, tail: list[Paragraph]) -> dict:
        signer, recipients = front_matter.read_closing(tail)
        plan = {
            "code": front_matter.plan_code(header),
            "number": header.number,
            "symbol": header.symbol,
            "title": header.title or self.source_name or "Kế hoạch",
            "issuing_body": header.issuing_body,
            "issued_on": header.issued_on.isoformat() if header.issued_on else None,
            "period": self._period(header, tree),
            "source": self.source_name,
            "based_on": [front_matter.reference_text(text) for text, _ in header.references],
            "signer": signer,
            "recipients": recipients,
        }
        for index, (text, line) in enumerate(header.references):
            self._source(("plan", "based_on", index), line, text)
        if not header.has_title_line:
            self._doubt(
                ("plan", "title"),
                N_("The document has no \u201cKẾ HOẠCH\u201d line: check the title."),
            )
        if header.number is None:
            self._doubt(
                ("plan", "number"),
                N_(
                    "The document has no \u201cSố …\u201d line: fill in the number from the "
                    "signed copy."
                ),
            )
        if not header.issuing_body:
            self._doubt(
                ("plan", "issuing_body"),
                N_("The issuing body was not found: write it in."),
                blocking=True,
            )
        return plan

    def _period(self, header: front_matter.Header, tree: Node) -> dict:
        said = next(
            (
                (match["value"], node.heading.line)
                for node in tree.walk()
                if node.heading is not None and (match := vocabulary.PERIOD.match(node.title))
            ),
            ("", 0),
        )
        start, end, exact = front_matter.period_of(said[0], header)
        if said[0]:
            self._source(("plan", "period"), said[1], said[0])
        if not exact:
            self._doubt(
                ("plan", "period"),
                N_(
                    "The plan's period was read as %(start)s to %(end)s: check it against the "
                    "document."
                ),
                start=start.strftime("%d/%m/%Y"),
                end=end.strftime("%d/%m/%Y"),
            )
        return {"start": start.isoformat(), "end": end.isoformat()}

    def _milestones(self) -> list[dict]:
        for index, milestone in enumerate(self.milestones):
            self._source(("milestones", index), milestone.line, milestone.name)
        return [
            {"code": m.code, "name": m.name, "date": m.day.isoformat()}
            | ({"time": m.time} if m.time else {})
            for m in self.milestones
        ]

    # -- the outline ------------------------------------------------------------------------
    def _visit(self, node: Node) -> None:
        """Read one heading; its sub-headings too, unless it was read as a whole."""
        title = node.title
        if vocabulary.ANNEX.match(title):
            self.annexes.append(_annex(node))
            return
        if vocabulary.ORGANISING.match(title):
            for child in node.children:
                self._unit_duties(child)
            return
        if _quarter_sections(node):
            for child in node.children:
                self._quarter_phase(node, child)
            return
        if vocabulary.TARGETS.match(title) and not _has_roles(node):
            self._targets(node)
        elif _has_roles(node) and not any(_has_roles(child) for child in node.children):
            self._labelled(node)
        elif vocabulary.STAGE.match(title) and node.paragraphs:
            self._stage(node)
        self._table(node)
        for child in node.children:
            self._visit(child)

    def _register_unit_headings(self, node: Node) -> None:
        for child in node.children:
            names = vocabulary.UNIT_HEADING.match(child.title)["names"]
            if _looks_like_units(names):
                self._units_of(names, child.heading.line)
            else:
                self._register_unit_headings(child)

    # -- units ------------------------------------------------------------------------------
    def _units_of(self, text: str, line: int) -> list[str]:
        """The codes of the units a list names, each added to the book if new."""
        codes = []
        for name in split_names(text):
            if not vocabulary.GENERIC_UNIT.match(name):
                code = self.units.add(name, line).code
                codes += [code] if code not in codes else []
        return codes

    def _coordinating_in(self, text: str, lead: list[str]) -> list[str]:
        """Units a duty's sentence says it works with ("phối hợp với UBND Phường"), when the plan
        knows them: a sentence never creates a unit."""
        codes = []
        for match in vocabulary.COORDINATE_WITH.finditer(text):
            for name in split_names(match["names"]):
                unit = self.units.find(name)
                if unit and unit.code not in codes + lead:
                    codes.append(unit.code)
        return codes

    def _unit_entries(self) -> tuple[list[dict], list[dict]]:
        units, groups = [], []
        for unit in self.units.units:
            entry = {"code": unit.code, "name": unit.name}
            entry |= {"aliases": unit.aliases} if unit.aliases else {}
            if unit.is_group:
                groups.append(entry | {"members_later": True})
                path = ("groups", len(groups) - 1)
                self._doubt(
                    path,
                    N_(
                        "The plan does not list the members of \u201c%(name)s\u201d: name them "
                        "on the units page after publishing."
                    ),
                    name=unit.name,
                )
            else:
                units.append(
                    entry | {"kind": unit.kind} | ({"holder": unit.holder} if unit.holder else {})
                )
                path = ("units", len(units) - 1)
            self._source(path, unit.line, unit.spellings[0])
            for spelling in unit.fuzzy:
                self._doubt(
                    path,
                    N_(
                        "\u201c%(spelling)s\u201d was taken as \u201c%(name)s\u201d (the names "
                        "are alike): confirm, or make it a unit of its own."
                    ),
                    spelling=spelling,
                    name=unit.name,
                )
            if len(unit.spellings) > 1 and not unit.fuzzy:
                self._doubt(
                    path,
                    N_("One unit written %(count)s ways (%(names)s): confirm they are one unit."),
                    count=len(unit.spellings),
                    names="; ".join(unit.spellings),
                )
        if not units:
            self._doubt(
                ("units",), N_("No unit was found: add the units of the plan."), blocking=True
            )
        return units, groups

    # -- responsibilities -------------------------------------------------------------------
    def _add(
        self,
        ref: str,
        section: str,
        text: str,
        roles: dict[str, list[str]],
        source: tuple[int, str],
        title: str = "",
        time: tuple[str, int, str] | None = None,
        result: str = "",
    ) -> tuple:
        """One responsibility; its deadline from ``time`` (a label or a table cell: value,
        line, sentence), else from its sentence, else from what it is."""
        path = ("responsibilities", len(self.responsibilities))
        cadence = None
        if time:
            cadence = deadline(time[0], self.year, self.milestones)
            self._source((*path, "cadence"), time[1], time[2])
            if cadence is None:
                self._doubt(
                    (*path, "cadence"),
                    N_("The time \u201c%(time)s\u201d was not understood: set when this is due."),
                    time=time[0],
                )
        cadence = (
            cadence
            or deadline_in_sentence(text, self.year, self.milestones)
            or self._cadence_by_meaning(path, text)
        )
        item = {"ref": ref, "section": section, "title": _short_title(title or text)}
        item |= {"text": text, **{r: c for r, c in roles.items() if c or r == "lead"}}
        item |= ({"result": result} if result else {}) | {"cadence": cadence}
        self.responsibilities.append(item)
        self._source(path, *source)
        if not roles["lead"]:
            self._doubt(
                (*path, "lead"),
                N_("No lead unit was found for %(ref)s: choose who owes it."),
                blocking=True,
                ref=ref,
            )
        return path

    def _cadence_by_meaning(self, path: tuple, text: str) -> dict:
        """What the plan leaves unsaid, read as a secretary would: a mid-year and a year-end
        review fall in the second and the last quarter; making a plan or a first briefing in
        the first; anything else is owed every quarter."""
        folded = fold(text)
        halves = re.search(r"\b(6|sau) thang,? (va |ca )?nam\b", folded)
        if ("so ket" in folded and "tong ket" in folded) or halves:
            self._doubt(
                (*path, "cadence"),
                N_(
                    "The plan does not say when: read as a mid-year review (Q2) and a year-end "
                    "review (Q4)."
                ),
            )
            return {
                "kind": "phases",
                "phases": [
                    {"name": "Sơ kết 6 tháng", "quarter": f"{self.year}-Q2"},
                    {"name": "Tổng kết năm", "quarter": f"{self.year}-Q4"},
                ],
            }
        if "tong ket" in folded:
            self._doubt(
                (*path, "cadence"),
                N_("The plan does not say when: read as due in the last quarter."),
            )
            return {"kind": "quarters", "quarters": [f"{self.year}-Q4"]}
        if re.match(r"^(chu dong )?(xay dung|ban hanh) ke hoach|^(to chuc )?quan triet", folded):
            self._doubt(
                (*path, "cadence"),
                N_("The plan does not say when: read as due once, in the first quarter."),
            )
            return {"kind": "quarters", "quarters": [f"{self.year}-Q1"]}
        return {"kind": "quarterly"}

    def _labelled(self, node: Node) -> None:
        """A heading whose labels say who leads, coordinates, directs or takes part, and when."""
        roles, rest = self._roles_and_rest(node)
        time, result, texts = None, "", []
        for item in rest:
            label = label_of(item.text)
            if label and label[0] == "time":
                time = (label[1], item.line, item.text)
            elif label and label[0] == "result":
                result = label[1].rstrip(" .;")
            else:
                texts.append(item)
        text = _joined(texts) or node.title
        source = (node.heading.line, node.heading.source)
        path = self._add(node.ref, node.ref, text, roles, source, node.title, time, result)
        for item in node.paragraphs:
            label = label_of(item.text)
            if label and label[0] in ROLES:
                self._source((*path, label[0]), item.line, item.text)

    def _roles_and_rest(self, node: Node) -> tuple[dict[str, list[str]], list[Paragraph]]:
        """The units a heading's labels give each role, and its other paragraphs."""
        roles: dict[str, list[str]] = {role: [] for role in ROLES}
        rest = []
        for item in node.paragraphs:
            label = label_of(item.text)
            if label and label[0] in ROLES:
                codes = self._units_of(label[1], item.line)
                roles[label[0]] += [c for c in codes if c not in roles[label[0]]]
            else:
                rest.append(item)
        return roles, rest

    def _unit_duties(self, node: Node) -> None:
        """A unit's heading in "Tổ chức thực hiện": each bullet a duty it leads (or each
        paragraph, when there are no bullets); a duty after the heading's colon too."""
        match = vocabulary.UNIT_HEADING.match(node.title)
        if not _looks_like_units(match["names"]):
            for child in node.children:
                self._unit_duties(child)
            return
        lead = self._units_of(match["names"], node.heading.line)
        duties = [p for p in node.paragraphs if p.kind == "bullet"] or [
            p for p in node.paragraphs if p.kind == "plain" and not label_of(p.text)
        ]
        said = [(match["rest"].strip(), node.heading.line)] if match["rest"] else []
        said += [(p.text, p.line) for p in duties]
        for number, (text, line) in enumerate(said, start=1):
            ref = node.ref if len(said) == 1 else f"{node.ref}.{number}"
            roles = {role: [] for role in ROLES}
            roles |= {"lead": list(lead), "coordinating": self._coordinating_in(text, lead)}
            self._add(ref, node.ref, text, roles, (line, text))
        for child in node.children:
            self._unit_duties(child)

    def _stage(self, node: Node) -> None:
        """A đợt: a responsibility in one phase, from its start to its end."""
        roles, rest = self._roles_and_rest(node)
        text = _joined(rest) or node.title
        source = (node.heading.line, node.heading.source)
        path = self._add(node.ref, node.ref, text, roles, source, node.title)
        name = vocabulary.STAGE.match(node.title)["name"]
        phase = {"name": name[0].upper() + name[1:]}
        when = deadline(node.title, self.year, self.milestones) or {}
        if when.get("kind") == "span":
            phase |= {"start": when["start"], "end": when["end"]}
        elif when.get("kind") == "once":
            phase["due"] = when["due"]
        else:
            phase["quarter"] = f"{self.year}-Q1"
            self._doubt(
                (*path, "cadence"),
                N_("The dates of this phase were not understood: set its start and end."),
            )
        self.responsibilities[-1]["cadence"] = {"kind": "phases", "phases": [phase]}
        if not roles["lead"]:
            self.draft.doubts = [d for d in self.draft.doubts if d.path != (*path, "lead")]
            self.unowned.append((self.responsibilities[-1], path))

    def _quarter_phase(self, parent: Node, node: Node) -> None:
        """A quarter's orientation ("Quý I/2026 – Giai đoạn …"): its goal, content and forms."""
        roles, rest = self._roles_and_rest(node)
        fields: dict[str, list[str]] = {"goal": [], "content": [], "forms": []}
        other = []
        for item in rest:
            label = label_of(item.text)
            if label and label[0] in fields:
                fields[label[0]].append(label[1])
            else:
                other.append(item)
        if not any(fields.values()) and other:
            fields["content"] = [_joined(other)]
        title = re.sub(rf"^{QUARTER.pattern}\s*[-–:]\s*", "", node.title, flags=re.I)
        phase = {
            "ref": node.ref,
            "section": parent.ref,
            "quarter": quarter_name(QUARTER.search(node.title), self.year),
            "title": title or node.title,
            **{k: " ".join(v) for k, v in fields.items() if v},
            **{role: codes for role, codes in roles.items() if codes or role == "lead"},
        }
        self.phases.append(phase)
        path = ("phases", len(self.phases) - 1)
        self._source(path, node.heading.line, node.heading.source)
        if not phase["lead"]:
            self.unowned.append((phase, path))

    def _guess_phase_leads(self) -> None:
        """A phase without a lead goes to the unit whose duty is to plan the work "theo từng
        quý / từng giai đoạn / từng đợt", the other units with duties coordinating."""
        planner = next(
            (
                r
                for r in self.responsibilities
                if r["lead"] and vocabulary.PLANS_PHASES.search(r["text"])
            ),
            None,
        )
        owners: list[str] = []
        for item in self.responsibilities:
            owners += [code for code in item["lead"] if code not in owners]
        for item, path in self.unowned:
            if planner is None:
                self._doubt(
                    (*path, "lead"),
                    N_("The plan gives no unit for this phase: choose who owes it."),
                    blocking=True,
                )
                continue
            item["lead"] = list(planner["lead"])
            item["coordinating"] = [c for c in owners if c not in planner["lead"]]
            self._doubt(
                (*path, "lead"),
                N_(
                    "The plan gives no unit for this phase: %(ref)s asks for work planned by "
                    "quarter or phase, so its unit leads and the others coordinate."
                ),
                ref=planner["ref"],
            )

    def _table(self, node: Node) -> None:
        """A task table under ``node``: a responsibility per row, a section per group row."""
        columns, section = None, node.ref
        for row in (p for p in node.paragraphs if p.kind == "row"):
            if found := vocabulary.table_columns(row.cells):
                columns = found
                continue
            if columns is None:
                continue
            cells = {field: "" for field in columns.values()}
            cells |= {columns[i]: cell.strip() for i, cell in enumerate(row.cells) if i in columns}
            number = cells.get("number", "").rstrip(".")
            if not cells.get("content"):
                continue
            alone = not any(v for k, v in cells.items() if k not in ("number", "content"))
            if alone and re.match(r"^(?:[IVX]+|[A-Z])$", number):  # a group row: "II | Cải cách"
                section = f"{node.ref}.{number}" if node.ref else number
                self._add_section(node.ref, section, cells["content"])
                continue
            number = number or str(len(self.responsibilities) + 1)
            roles = {
                role: self._units_of(cells[role], row.line) if cells.get(role) else []
                for role in ROLES
            }
            lines = [x.strip() for x in cells["content"].split("\n") if x.strip()]
            time = (cells["time"], row.line, cells["time"]) if cells.get("time") else None
            ref = f"{node.ref}.{number}" if node.ref else number
            self._add(
                ref,
                section,
                "\n".join(lines),
                roles,
                (row.line, row.text),
                lines[0],
                time,
                cells.get("result", ""),
            )

    def _add_section(self, parent: str, ref: str, title: str) -> None:
        """A section the document shows as a table's group row, after its parent's others."""
        at = max(
            (
                i
                for i, s in enumerate(self.sections)
                if s["ref"] == parent or s["ref"].startswith(f"{parent}.")
            ),
            default=len(self.sections) - 1,
        )
        self.sections.insert(at + 1, {"ref": ref, "title": title})

    # -- targets ----------------------------------------------------------------------------
    def _targets(self, node: Node) -> None:
        """A target per figure of each bullet; a bullet without a figure is a qualitative
        target (no figure, no unit)."""
        items = [p for p in node.paragraphs if p.kind in ("bullet", "plain")]
        for number, item in enumerate(items, start=1):
            ref = f"{node.ref}.{number}"
            figures = list(vocabulary.FIGURE.finditer(item.text))
            if not figures:
                title = _short_title(item.text)
                self.targets.append(
                    {"ref": ref, "title": title, "text": item.text, "unit": "", "measure": title}
                )
                self._source(("targets", len(self.targets) - 1), item.line, item.text)
            for letter, match in enumerate(figures):
                following = figures[letter + 1] if letter + 1 < len(figures) else None
                measure = _measure(item.text, match, following)
                figure = match["figure"].replace(",", ".")
                comparator = (match["comparator"] or "").lower()
                self.targets.append(
                    {
                        "ref": ref if len(figures) == 1 else f"{ref}.{chr(97 + letter)}",
                        "title": _short_title(measure),
                        "text": item.text,
                        "figure": float(figure) if "." in figure else int(figure),
                        "unit": "%",
                        "comparator": vocabulary.COMPARATORS.get(comparator, "="),
                        "measure": measure,
                    }
                )
                self._source(("targets", len(self.targets) - 1), item.line, item.text)


def _has_roles(node: Node) -> bool:
    return any((label := label_of(p.text)) and label[0] in ROLES for p in node.paragraphs)


def _quarter_sections(node: Node) -> bool:
    return len(node.children) >= 2 and all(
        re.match(rf"^{QUARTER.pattern}", c.title, re.I) for c in node.children
    )


def _looks_like_units(text: str) -> bool:
    return text.strip().lower().startswith(UNIT_STARTS) and len(text) < 200


def _annex(node: Node) -> dict:
    kind = "slogans" if vocabulary.SLOGANS.match(node.title) else "other"
    lines = [p.source for p in node.paragraphs]
    for child in list(node.walk())[1:]:
        lines += [child.heading.source, *(p.source for p in child.paragraphs)]
    return {
        "title": _heading_title(node.title),
        "kind": kind,
        "text": "\n".join(lines) or node.title,
    }


def _joined(items: list[Paragraph]) -> str:
    """A duty's text: bullets one "- " line each, paragraphs one line each."""
    return "\n".join(p.source if p.kind == "bullet" else p.text for p in items).strip()


def _heading_title(title: str) -> str:
    """ "Thời gian thực hiện" of "Thời gian thực hiện: Từ ngày …"."""
    label = re.match(r"^([^:]{2,60}):\s*\S", title)
    return label.group(1) if label else title


def _short_title(text: str, limit: int = 90) -> str:
    """A title for a duty the plan writes as a sentence: its first clause, shortened at a
    comma or a word."""
    first = re.split(r"[;:]\s|\.\s|\n", text.strip(), maxsplit=1)[0].strip(" .;,-")
    if len(first) <= limit:
        return first
    cut = first[:limit]
    comma = cut.rfind(",")
    return (cut[:comma] if comma > limit // 2 else cut[: cut.rfind(" ")]).strip(" ,;") + "…"


def _measure(text: str, match: re.Match, following: re.Match | None) -> str:
    """What a figure measures: the words after it ("100% đảng viên nộp đảng phí") or, when it
    ends the sentence, before it ("Tỷ lệ hồ sơ giải quyết đúng hạn đạt trên 98%")."""
    after = text[match.end() : following.start() if following else len(text)]
    after = re.split(r";", after)[0].strip(" ,.;")
    after = re.sub(r"\s+(và\s+)?(trên|không dưới|dưới|ít nhất|tối thiểu)$", "", after)
    if after:
        return f"Tỷ lệ {after}"
    before = re.split(r";", text[: match.start()])[-1]
    before = re.sub(r"\s+(đạt|là|ở mức|bằng)\s*$", "", before.strip(" ,.;"))
    return before or text


def _ordered(item: dict, keys: tuple[str, ...]) -> dict:
    return {key: item[key] for key in keys if key in item}


def _path_order(path: tuple) -> tuple:
    head = _ORDER.index(path[0]) if path and path[0] in _ORDER else len(_ORDER)
    return (head, *[p if isinstance(p, int) else 0 for p in path[1:]])
