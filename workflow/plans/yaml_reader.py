"""YAML reading for plan files: plain data plus the line of every key, and no YAML 1.1 surprises.

PyYAML follows YAML 1.1, where ``17:00`` is the number 1020, ``no`` is False and ``2026-02-30``
crashes the parser. Plan files are read with the YAML 1.2 core scalars instead: dates and times
stay text and are checked by the schema, where a mistake gets a located, readable error."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

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


class PlanYamlLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core scalars: no timestamps, no sexagesimal numbers, no yes/no."""


PlanYamlLoader.yaml_implicit_resolvers = {
    first: [
        (tag, _CORE_SCALARS.get(tag, regexp)) for tag, regexp in resolvers if tag not in _DROPPED
    ]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class YamlSyntaxError(Exception):
    """The text is not YAML; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


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
    """Parse ``text``; raises ``YamlSyntaxError`` with the line of the first syntax error."""
    loader = PlanYamlLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as error:
        # An unclosed bracket is found where the file ends: point at where it was opened.
        opened = (error.context or "").startswith("while parsing a flow")
        mark = (error.context_mark if opened else None) or error.problem_mark or error.context_mark
        line = min(mark.line + 1 if mark else 1, max(text.count("\n") + 1, 1))
        raise YamlSyntaxError(line, error.problem or str(error)) from None
    except yaml.YAMLError as error:
        raise YamlSyntaxError(1, str(error)) from None
    finally:
        loader.dispose()
    located = LocatedYaml(data)
    if node is not None:
        _index(node, (), located)
    return located


def _index(node: yaml.Node, path: tuple, located: LocatedYaml) -> None:
    located.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key_node, value_node in node.value:
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
