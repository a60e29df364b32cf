"""The expression tree and bodies that runner.source.hcl builds from python-hcl2's parse tree."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# --- expression nodes ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    line: int


@dataclass(frozen=True)
class Lit(Node):
    value: Any


@dataclass(frozen=True)
class Template(Node):
    parts: tuple[Any, ...]  # str | Node (interpolation) | TIf | TFor


@dataclass(frozen=True)
class TIf:
    cond: Node
    then: tuple[Any, ...]
    other: tuple[Any, ...]


@dataclass(frozen=True)
class TFor:
    key: str | None
    value: str
    coll: Node
    body: tuple[Any, ...]


@dataclass(frozen=True)
class TupleExpr(Node):
    items: tuple[Node, ...]


@dataclass(frozen=True)
class ObjectExpr(Node):
    items: tuple[tuple[Node, Node], ...]  # key is Lit(str) for bare identifiers


@dataclass(frozen=True)
class Ref(Node):
    name: str  # a root identifier: var, local, aws_s3_bucket, each, count ...


@dataclass(frozen=True)
class GetAttr(Node):
    obj: Node
    name: str


@dataclass(frozen=True)
class Index(Node):
    obj: Node
    key: Node


@dataclass(frozen=True)
class Splat(Node):
    obj: Node
    ops: tuple[tuple[str, Any], ...]  # ("attr", name) | ("index", Node)


@dataclass(frozen=True)
class Call(Node):
    name: str
    args: tuple[Node, ...]
    expand: bool = False  # last argument followed by `...`


@dataclass(frozen=True)
class Unary(Node):
    op: str
    expr: Node


@dataclass(frozen=True)
class Binary(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Cond(Node):
    cond: Node
    then: Node
    other: Node


@dataclass(frozen=True)
class ForExpr(Node):
    key_var: str | None
    value_var: str
    coll: Node
    value: Node
    key: Node | None = None  # set for object `for`
    cond: Node | None = None
    group: bool = False


@dataclass(frozen=True)
class Paren(Node):
    expr: Node


# --- bodies -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Attribute:
    name: str
    expr: Node
    line: int


@dataclass(frozen=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    file: str
    line: int
    end_line: int = 0  # the line of the closing brace


@dataclass(frozen=True)
class Body:
    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()

    def blocks_of(self, kind: str) -> list[Block]:
        return [b for b in self.blocks if b.type == kind]
