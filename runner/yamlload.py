"""The one loader of YAML registry files: tfguard.yaml, exclusions/*.yaml, pipeline/workloads/*.yaml and
the self-tests' expected.yaml.

A registry file is plain data a pull request can change, so it is read within bounds (docs/limits.md):
at most `limits.yaml_size` bytes, UTF-8, nesting at most `limits.yaml_depth`, at most `limits.yaml_nodes`
nodes once aliases are expanded (a ten-line "billion laughs" is refused, not expanded), one document,
no key twice in one mapping, safe tags only. Every refusal is a ConfigError whose `where` is `file:line`.

    doc = load_yaml(path)                 # .data, .node (for line numbers), .where
    doc = load_yaml_text(text, where)     # the same checks on text in hand
    text = load_text(path)                # the text, once accepted (before a round-trip edit)"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

import yaml

from runner.errors import ConfigError
from runner.limits import DEFAULT, Limits
from runner.readers import decode_utf8, read_bytes

TIMESTAMP = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class YamlDocument:
    data: Any
    node: yaml.Node | None  # the composed document, for line numbers
    where: str


class _BoundedLoader(yaml.SafeLoader):
    """SafeLoader that bounds nesting while composing and refuses a key given twice in one mapping."""

    max_depth = DEFAULT.yaml_depth
    unique_keys = True

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                mark = self.peek_event().start_mark
                raise yaml.composer.ComposerError(None, None, f"is nested deeper than {self.max_depth} levels", mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        if not self.unique_keys:
            return super().construct_mapping(node, deep=deep)
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            try:
                duplicate = key in seen
            except TypeError:  # an unhashable key: the base class says so with its place
                break
            if duplicate:
                raise yaml.constructor.ConstructorError(None, None, f"key `{key}` appears twice in one mapping",
                                                        key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _TextDatesLoader(_BoundedLoader):
    """Dates stay text, so that 2026-02-30 is a problem the caller reports, not a crash."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def load_yaml(path: str | os.PathLike[str], where: str | None = None, limits: Limits = DEFAULT,
              dates_as_text: bool = False, unique_keys: bool = True) -> YamlDocument:
    """Read and load one registry file within `limits` (see the module docstring). `unique_keys=False`
    leaves a key given twice to the caller, who checks `.node` with its own key paths."""
    where = where or str(path)
    raw = read_bytes(path, limits.yaml_size, where, ConfigError, hint=limits.hint("yaml_size"))
    text = decode_utf8(raw, where, ConfigError, by_line=True)
    return load_yaml_text(text, where, limits, dates_as_text, unique_keys)


def load_text(path: str | os.PathLike[str], where: str | None = None, limits: Limits = DEFAULT) -> str:
    """The text of a registry file once the bounded loader has accepted it: what a round-trip editor
    (ruamel.yaml, for comment-keeping edits) may then load without bounds of its own."""
    where = where or str(path)
    raw = read_bytes(path, limits.yaml_size, where, ConfigError, hint=limits.hint("yaml_size"))
    text = decode_utf8(raw, where, ConfigError, by_line=True)
    load_yaml_text(text, where, limits, dates_as_text=True)
    return text


def load_yaml_text(text: str, where: str, limits: Limits = DEFAULT, dates_as_text: bool = False,
                   unique_keys: bool = True) -> YamlDocument:
    if len(text.encode("utf-8", "surrogatepass")) > limits.yaml_size:
        raise ConfigError(f"is larger than the limit of {limits.yaml_size} bytes", where=where,
                          hint=limits.hint("yaml_size"))
    loader_type = _TextDatesLoader if dates_as_text else _BoundedLoader
    try:
        loader = type("Loader", (loader_type,), {"max_depth": limits.yaml_depth, "unique_keys": unique_keys})(text)
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, other controls)
        line = text.count("\n", 0, exc.position) + 1
        name = "a NUL byte" if exc.character in (0, "\x00") else f"the control character {exc.character!r}"
        raise ConfigError(f"invalid YAML: {name} is not allowed in YAML text", where=f"{where}:{line}") from None
    try:
        node = loader.get_single_node()
        if node is not None:
            _check_expansion(node, limits, where)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        raise _error(exc, where) from None
    except ValueError as exc:  # an explicit !!timestamp or !!int that is no such thing
        raise ConfigError(f"invalid value: {exc}", where=where) from None
    finally:
        loader.dispose()
    return YamlDocument(data, node, where)


def _error(exc: yaml.YAMLError, where: str) -> ConfigError:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = problem if not context or problem.startswith("is nested") else f"{context}: {problem}"
    if not problem.startswith(("is nested", "key `")):
        text = f"invalid YAML: {text}"
    return ConfigError(" ".join(text.split()), where=f"{where}:{mark.line + 1}" if mark else where)


def _check_expansion(root: yaml.Node, limits: Limits, where: str) -> None:
    """Refuse a document whose aliases expand past `limits.yaml_nodes` nodes, naming the anchor at fault
    (the innermost node that alone expands past the limit). Sizes are memoised per node: linear time."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        known = sizes.get(id(node))
        if known is not None:
            return known
        if isinstance(node, yaml.ScalarNode) and node.tag.endswith(":int") and len(node.value) > limits.integer_digits:
            raise ConfigError(f"has an integer of more than {limits.integer_digits} digits",
                              where=f"{where}:{node.start_mark.line + 1}", hint=limits.hint("integer_digits"))
        total = 1
        for child in _children(node):
            total += size(child)
            if total > limits.yaml_nodes:
                total = limits.yaml_nodes + 1  # the rest cannot lower it: stop counting
                break
        sizes[id(node)] = total
        return total

    if size(root) <= limits.yaml_nodes:
        return
    culprit = root
    while True:
        bigger = next((c for c in _children(culprit) if sizes.get(id(c), 0) > limits.yaml_nodes), None)
        if bigger is None:
            break
        culprit = bigger
    raise ConfigError(f"has more than {limits.yaml_nodes} YAML nodes once its aliases are expanded (an alias "
                      "bomb?)", where=f"{where}:{culprit.start_mark.line + 1}",
                      hint=limits.hint("yaml_nodes"))


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []
