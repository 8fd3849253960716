"""A draft plan: the plan file's data as the importer read it from the document, where each
part came from, and what a person must check before it is published."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a part of the draft came from: the line (or paragraph) and its sentence."""

    line: int
    quote: str


@dataclass(frozen=True)
class Doubt:
    """A point the importer was unsure of; ``message`` is a msgid with ``%(name)s`` params.
    ``blocking`` when the draft cannot be published until a person decides it."""

    path: tuple
    message: str
    params: dict = field(default_factory=dict)
    blocking: bool = False

    def text(self, gettext: Callable[[str], str] = str) -> str:
        message = gettext(self.message)
        return message % self.params if self.params else message


@dataclass
class Draft:
    """``data`` is a format-2 plan file as plain data (what YAML would hold); ``sources`` maps
    a path in it (``("responsibilities", 3)``) to its source; ``text`` is the document's
    paragraphs, for showing the source beside the draft."""

    data: dict
    sources: dict[tuple, Source] = field(default_factory=dict)
    doubts: list[Doubt] = field(default_factory=list)
    text: list[tuple[int, str]] = field(default_factory=list)
    kind: str = ""

    def source_of(self, path: tuple) -> Source | None:
        """The source of ``path`` or of its nearest ancestor that has one."""
        for end in range(len(path), 0, -1):
            if path[:end] in self.sources:
                return self.sources[path[:end]]
        return None

    def doubts_at(self, path: tuple) -> list[Doubt]:
        return [d for d in self.doubts if d.path == path]
