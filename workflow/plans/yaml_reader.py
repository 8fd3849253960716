"""YAML reading for plan files: plain data plus the line of every key, and no YAML 1.1 surprises.

PyYAML follows YAML 1.1, where ``17:00`` is the number 1020, ``no`` is False and ``2026-02-30``
crashes the parser. Plan files are read with the YAML 1.2 core scalars instead: dates and times
stay text and are checked by the schema, where a mistake gets a located, readable error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from workflow.i18n import N_
from workflow.stored_text import unstorable

# YAML 1.1 tags that YAML 1.2 dropped: timestamps, and "=" as the "value" key.
_DROPPED = ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value")
_CORE_SCALARS = {
    "tag:yaml.org,2002:bool": re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    "tag:yaml.org,2002:int": re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$"),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:[0-9]*\.[0-9]+|[0-9]+\.[0-9]*)(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+[eE][-+]?[0-9]+"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}


# What a plan file may hold: a real plan nests a few levels and repeats a text with an alias
# now and then; a file past these is an attack (a "billion laughs" of nested aliases takes
# gigabytes once expanded) or a mistake, refused before it costs anything.
MAX_CHARACTERS = 2 * 1024 * 1024
MAX_DEPTH = 64
MAX_EXPANDED_NODES = 200_000  # the file's nodes with every alias counted as what it repeats


class PlanYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars (no timestamps, no sexagesimal numbers, no
    yes/no), bounded in depth and in what its aliases expand to."""

    def __init__(self, stream) -> None:
        super().__init__(stream)
        self._weights: dict[int, int] = {}  # node id: the nodes it stands for, expanded
        self._open: set[str] = set()  # anchors of the collections being composed
        self._depth = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            if event.anchor in self._open:
                raise YamlSyntaxError(event.start_mark.line + 1, RECURSIVE_ALIAS)
            return super().compose_node(parent, index)
        mark = self.peek_event().start_mark
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise YamlSyntaxError(mark.line + 1, TOO_DEEP, {"depth": MAX_DEPTH})
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        weight = 1 + sum(self._weights.get(id(child), 1) for child in _children(node))
        if weight > MAX_EXPANDED_NODES:
            raise YamlSyntaxError(mark.line + 1, TOO_LARGE_EXPANDED)
        self._weights[id(node)] = weight
        return node

    def compose_sequence_node(self, anchor):
        return self._composing(super().compose_sequence_node, anchor)

    def compose_mapping_node(self, anchor):
        return self._composing(super().compose_mapping_node, anchor)

    def _composing(self, compose, anchor):
        """Compose a collection, known as open while its items are read (an alias to it from
        inside would make a file without end)."""
        if anchor is None:
            return compose(anchor)
        self._open.add(anchor)
        try:
            return compose(anchor)
        finally:
            self._open.discard(anchor)


PlanYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, _CORE_SCALARS.get(tag, regexp)) for tag, regexp in resolvers if tag not in _DROPPED
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    """The text is not YAML; ``line`` is 1-based, ``message`` a msgid (``%(name)s`` params)."""

    def __init__(self, line: int, message: str, params: dict | None = None) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.params = params or {}


# PyYAML's words for a syntax error, and what a person editing a plan is told instead.
SYNTAX_PROBLEMS = (
    ("found character '\\t'", N_("not valid YAML: a tab is used; indent with spaces only")),
    ("expected ',' or '}'", N_("not valid YAML: the { opened here is not closed with }")),
    ("expected ',' or ']'", N_("not valid YAML: the [ opened here is not closed with ]")),
    ("could not find expected ':'", N_("not valid YAML: a ':' is missing after a field name")),
    (
        "mapping values are not allowed here",
        N_("not valid YAML: a ':' where none may be; put a text holding ': ' in quotes"),
    ),
    ("found undefined alias", N_("not valid YAML: a *name refers to no &name")),
    ("found unknown escape character", N_("not valid YAML: an unknown \\ escape in quotes")),
    ("expected <block end>", N_("not valid YAML: the indentation does not match the lines above")),
    ("expected <block mapping key>", N_("not valid YAML: the indentation does not match")),
)
TOO_LONG = N_("not valid YAML: a plan file may be at most %(mb)s MB")
RECURSIVE_ALIAS = N_("not valid YAML: a *name refers to the list or fields it is inside")
TOO_DEEP = N_("not valid YAML: nested more than %(depth)s levels deep")
TOO_LARGE_EXPANDED = N_("not valid YAML: its *names repeat too much text (more than a plan holds)")
UNREADABLE_CHARACTER = N_(
    "not valid YAML: a character that a text file cannot hold (a control character)"
)
UNCLOSED_QUOTE = N_("not valid YAML: the quote opened on this line is not closed on it")
SYNTAX_ERROR = N_("not valid YAML: the text cannot be read as a plan file here")


@dataclass
class LocatedYaml:
    """The data of a YAML document, the line of each path in it, and its duplicate keys."""

    data: object
    lines: dict[tuple, int] = field(default_factory=dict)
    duplicate_keys: list[tuple[tuple, int]] = field(default_factory=list)

    def line_of(self, path: tuple) -> int:
        """The line of ``path``, or of its nearest ancestor present in the file."""
        for end in range(len(path), -1, -1):
            if path[:end] in self.lines:
                return self.lines[path[:end]]
        return 1


def read_yaml(text: str) -> LocatedYaml:
    """Parse ``text``; raises ``YamlSyntaxError`` with the line of the first syntax error, or
    of where the file goes past what a plan may hold."""
    if len(text) > MAX_CHARACTERS:
        raise YamlSyntaxError(1, TOO_LONG, {"mb": MAX_CHARACTERS >> 20})
    try:
        loader = PlanYamlLoader(text)  # reads the whole text: a NUL is refused here
    except yaml.reader.ReaderError as error:
        line = text.count("\n", 0, error.position) + 1
        raise YamlSyntaxError(line, UNREADABLE_CHARACTER) from None
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        raise _syntax_error(text, error) from None
    except yaml.YAMLError:
        raise YamlSyntaxError(1, SYNTAX_ERROR) from None
    finally:
        loader.dispose()
    located = LocatedYaml(data)
    if node is not None:
        _index(node, (), located)
    return located


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return node.value if isinstance(node, yaml.SequenceNode) else []


def _syntax_error(text: str, error: yaml.MarkedYAMLError) -> YamlSyntaxError:
    """Where a person should look, and what to fix, in their words rather than PyYAML's.

    PyYAML reports a mistake where it noticed it, which is often far below: an unclosed quote
    swallows the lines after it up to the next quote; an unclosed bracket runs to the file's
    end. The start of the quoted text, or of the bracket, is where the fix belongs."""
    last_line = max(text.count("\n") + 1, 1)
    noticed = error.problem_mark or error.context_mark
    quote = _runaway_quote(text, noticed.line + 1 if noticed else last_line)
    if quote is not None:
        return YamlSyntaxError(min(quote, last_line), UNCLOSED_QUOTE)
    problem = error.problem or ""
    opened = (error.context or "").startswith("while parsing a flow")
    mark = (error.context_mark if opened else None) or noticed
    line = min(mark.line + 1 if mark else 1, last_line)
    message = next((said for words, said in SYNTAX_PROBLEMS if words in problem), SYNTAX_ERROR)
    return YamlSyntaxError(line, message)


def _runaway_quote(text: str, error_line: int) -> int | None:
    """The line of the first quoted text that runs over a line end before the error, if one
    does (plan files write long texts with ``>-``, never as quotes over several lines)."""
    try:
        for token in yaml.scan(text, Loader=PlanYamlLoader):
            if token.start_mark.line + 1 > error_line:
                return None
            quoted = isinstance(token, yaml.ScalarToken) and token.style in ('"', "'")
            if quoted and token.end_mark.line > token.start_mark.line:
                return token.start_mark.line + 1
    except yaml.MarkedYAMLError as error:
        if "quoted" in (error.context or "") and error.context_mark is not None:
            return error.context_mark.line + 1
    return None


def _refuse_unstorable(node: yaml.Node) -> None:
    """A text the database cannot store is refused at its line. Only an escape in double
    quotes (``\\0``, ``\\ud800``) writes one: the reader refuses the raw characters."""
    if isinstance(node, yaml.ScalarNode) and (reason := unstorable(node.value)):
        raise YamlSyntaxError(node.start_mark.line + 1, reason)


def _index(node: yaml.Node, path: tuple, located: LocatedYaml) -> None:
    located.lines.setdefault(path, node.start_mark.line + 1)
    _refuse_unstorable(node)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
            _refuse_unstorable(key_node)
            key = key_node.value
            if key in seen:
                located.duplicate_keys.append(((*path, key), key_node.start_mark.line + 1))
                continue
            seen.add(key)
            located.lines[(*path, key)] = key_node.start_mark.line + 1
            _index(value_node, (*path, key), located)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index(item, (*path, index), located)
