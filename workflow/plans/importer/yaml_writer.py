"""Writing a draft as a plan file a person reads and edits: block style, long texts folded at
100 columns, short lists of codes in brackets, and above each part the sentence of the
document it came from and what to check.

PyYAML's dumper cannot place comments, so this writes the small subset of YAML a plan file
uses; ``read_yaml`` of the output gives back exactly the draft's data (tested)."""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Callable

from workflow.i18n import N_
from workflow.plans.importer.draft import Draft

WIDTH = 100
# Plain scalars that YAML 1.2 would read as something other than text, or that cannot stand
# unquoted.
_NOT_PLAIN = re.compile(
    r"^(?:[-+]?\d[\d_.:eE+-]*|true|false|True|False|TRUE|FALSE|null|Null|NULL|~|yes|no|on|off|"
    r"\.inf|\.nan|=)$|^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: |\s#|[:\s]$|^$"
)


# Where a quote stands: a text file's line, a Word document's paragraph.
_WHERE = {True: N_("line %(number)s"), False: N_("paragraph %(number)s")}


def draft_yaml(draft: Draft, gettext: Callable[[str], str] = str, header: str = "") -> str:
    """The draft as a commented plan file."""
    out: list[str] = [f"# {line}".rstrip() for line in header.splitlines()]
    _Writer(draft, gettext, out).mapping(draft.data, (), 0)
    return "\n".join(out) + "\n"


class _Writer:
    def __init__(self, draft: Draft, gettext, out: list[str]) -> None:
        self.draft = draft
        self.gettext = gettext
        self.out = out

    def comments(self, path: tuple, indent: int) -> None:
        pad = " " * indent
        source = self.draft.sources.get(path)
        if source is not None and path:
            quote = re.sub(r"\s+", " ", source.quote)
            where = self.gettext(_WHERE[self.draft.kind in ("text", "pdf")]) % {
                "number": source.line
            }
            for line in textwrap.wrap(f"«{quote}» ({where})", WIDTH - indent - 2):
                self.out.append(f"{pad}# {line}")
        for doubt in self.draft.doubts_at(path):
            mark = self.gettext(N_("MUST DECIDE") if doubt.blocking else N_("CHECK"))
            lines = textwrap.wrap(f"{mark}: {doubt.text(self.gettext)}", WIDTH - indent - 2)
            self.out += [f"{pad}# {line}" for line in lines]

    def mapping(self, data: dict, path: tuple, indent: int, first_prefix: str = "") -> None:
        pad = " " * indent
        for index, (key, value) in enumerate(data.items()):
            child = (*path, key)
            lead = first_prefix if index == 0 and first_prefix else pad
            if not (index == 0 and first_prefix):
                self.comments(child, indent)
            self.value(f"{lead}{key}:", value, child, indent)

    def value(self, prefix: str, value: object, path: tuple, indent: int) -> None:
        if isinstance(value, dict):
            if not value:
                self.out.append(f"{prefix} {{}}")
                return
            if _flow_mapping(value) and len(prefix) + len(_flow(value)) < WIDTH:
                self.out.append(f"{prefix} {_flow(value)}")
                return
            self.out.append(prefix)
            self.mapping(value, path, indent + 2)
        elif isinstance(value, list):
            if not value:
                self.out.append(f"{prefix} []")
            elif (
                all(isinstance(v, str) and len(v) < 40 for v in value)
                and _is_codes(value)
                and (len(prefix) + len(_flow(value)) < WIDTH)
            ):
                self.out.append(f"{prefix} {_flow(value)}")
            else:
                self.out.append(prefix)
                for n, item in enumerate(value):
                    self.item(item, (*path, n), indent + 2)
        else:
            self.scalar(prefix, value, indent)

    def item(self, value: object, path: tuple, indent: int) -> None:
        pad = " " * indent
        self.comments(path, indent)
        if isinstance(value, dict) and value:
            if _flow_mapping(value) and indent + 2 + len(_flow(value)) < WIDTH:
                self.out.append(f"{pad}- {_flow(value)}")
                return
            first = next(iter(value))
            self.comments((*path, first), indent + 2)
            self.mapping(value, path, indent + 2, first_prefix=f"{pad}- ")
        else:
            self.value(f"{pad}-", value, path, indent) if isinstance(value, list) else self.scalar(
                f"{pad}-", value, indent
            )

    def scalar(self, prefix: str, value: object, indent: int) -> None:
        if value is None:
            self.out.append(f"{prefix} null")
        elif isinstance(value, bool):
            self.out.append(f"{prefix} {'true' if value else 'false'}")
        elif isinstance(value, int | float):
            self.out.append(f"{prefix} {value}")
        else:
            text = str(value)
            if len(prefix) + len(text) + 1 <= WIDTH and "\n" not in text:
                self.out.append(f"{prefix} {_plain(text)}")
            else:
                self.out.append(f"{prefix} >-")
                pad = " " * (indent + 2)
                paragraphs = text.split("\n")
                for n, paragraph in enumerate(paragraphs):
                    if n:
                        self.out.append("")
                    lines = textwrap.wrap(
                        paragraph,
                        WIDTH - indent - 2,
                        break_long_words=False,
                        break_on_hyphens=False,
                    )
                    self.out += [f"{pad}{line}" for line in lines or [""]]


def _is_codes(values: list) -> bool:
    return all(re.match(r"^[A-Za-z0-9][A-Za-z0-9_.\-/]*$", v) for v in values)


def _flow_mapping(value: dict) -> bool:
    return all(
        isinstance(v, int | float | bool) or (isinstance(v, str) and len(v) < 40 and "\n" not in v)
        for v in value.values()
    )


def _flow(value: object) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    flow_special = re.search(r"[,\[\]{}:#?&*!|>'\"%@`]", text)
    return json.dumps(text, ensure_ascii=False) if flow_special else _plain(text)


def _plain(text: str) -> str:
    return json.dumps(text, ensure_ascii=False) if _NOT_PLAIN.search(text) else text
