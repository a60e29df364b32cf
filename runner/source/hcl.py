"""HCL files to a small expression tree with line numbers.

python-hcl2 (8.x) parses the text (`hcl2.parses_to_tree`, a Lark tree with positions); this module turns
that tree into the nodes below, which the evaluator walks. Heredoc bodies are template-parsed here too.
"""

from __future__ import annotations

import re
from typing import Any

import hcl2
from hcl2.utils import process_escape_sequences
from lark import Token, Tree
from lark.exceptions import LarkError, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from runner.errors import PlanError
from runner.source.hcl_nodes import (  # noqa: F401 - the node types are used from here too
    Attribute,
    Binary,
    Block,
    Body,
    Call,
    Cond,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Node,
    ObjectExpr,
    Paren,
    Ref,
    Splat,
    Template,
    TFor,
    TIf,
    TupleExpr,
    Unary,
)
from runner.source.limits import SourceLimitError, check_depth
from runner.source.templates import (
    TemplateError,
    _assemble,
    _flush,
    _matching_brace,
    _split_lines,
    _strip,
    _template_node,
)

# --- parsing ----------------------------------------------------------------------------------------


def parse_file(path: str, text: str) -> Body:
    """Parse one .tf file; a syntax error raises PlanError naming `path:line`."""
    check_depth(text, path)
    try:
        tree = hcl2.parses_to_tree(text)
    except RecursionError:
        raise SourceLimitError("HCL nests too deeply to parse", where=path) from None
    except UnexpectedInput as exc:
        raise PlanError(f"HCL syntax error: {_describe(exc)}", where=f"{path}:{exc.line}") from None
    except LarkError as exc:
        raise PlanError(f"HCL syntax error: {str(exc).splitlines()[0]}", where=path) from None
    builder = _Builder(path)
    try:
        return builder.body(tree.children[0])
    except RecursionError:
        raise SourceLimitError("HCL nests too deeply to parse", where=path) from None
    except _BuildError as exc:
        raise PlanError(f"HCL syntax error: {exc}", where=f"{path}:{exc.line}") from None


def parse_expression(text: str, where: str = "<expression>", line: int = 1) -> Node:
    """Parse one expression (used for `-var` values and heredoc interpolations)."""
    try:
        tree = hcl2.parses_to_tree(f"__x = {text}\n")
    except LarkError as exc:
        raise PlanError(f"cannot parse expression {text!r}: {_describe(exc)}", where=where) from None
    attrs = _Builder(where, line_offset=line - 1).body(tree.children[0]).attributes
    if "__x" not in attrs:
        raise PlanError(f"cannot parse expression {text!r}", where=where)
    return attrs["__x"].expr


def _describe(exc: Exception) -> str:
    if isinstance(exc, UnexpectedEOF):
        return "unexpected end of file"
    if isinstance(exc, UnexpectedToken):
        tok = exc.token
        shown = "end of line" if tok.type in ("NL_OR_COMMENT", "$END") else repr(str(tok).strip() or str(tok))
        return f"unexpected {shown} at column {exc.column}"
    if isinstance(exc, UnexpectedCharacters):
        return f"unexpected character {exc.char!r} at column {exc.column}"
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


_BuildError = TemplateError  # a tree that cannot be built: message and line


def _line(item: Any) -> int:
    if isinstance(item, Token):
        return item.line or 0
    meta = getattr(item, "meta", None)
    return getattr(meta, "line", 0) or 0 if meta is not None else 0


def _trees(t: Tree) -> list[Tree]:
    return [c for c in t.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


class _Builder:
    def __init__(self, path: str, line_offset: int = 0) -> None:
        self.path = path
        self.offset = line_offset

    def ln(self, item: Any) -> int:
        return _line(item) + self.offset

    # bodies
    def body(self, t: Tree) -> Body:
        attrs: dict[str, Attribute] = {}
        blocks: list[Block] = []
        for child in _trees(t):
            if child.data == "attribute":
                name = self.name(child.children[0])
                if name in attrs:
                    raise _BuildError(f"attribute {name!r} is defined twice", self.ln(child))
                attrs[name] = Attribute(name, self.expr(child.children[-1]), self.ln(child))
            elif child.data == "block":
                blocks.append(self.block(child))
        return Body(attrs, tuple(blocks))

    def block(self, t: Tree) -> Block:
        parts = _trees(t)
        kind = self.name(parts[0])
        labels = tuple(self.label(p) for p in parts[1:-1])
        end = getattr(getattr(t, "meta", None), "end_line", 0) or 0
        return Block(kind, labels, self.body(parts[-1]), self.path, self.ln(t), end + self.offset if end else 0)

    def label(self, t: Tree) -> str:
        return self.name(t)

    def name(self, t: Tree | Token) -> str:
        if isinstance(t, Token):
            return str(t)
        if t.data in ("identifier", "keyword", "literal_value"):
            return str(t.children[0])
        if t.data == "string":
            parts = self.template_parts(t)
            return "".join(p for p in parts if isinstance(p, str))
        raise _BuildError(f"unexpected {t.data} where a name was expected", self.ln(t))

    # expressions
    def expr(self, t: Tree | Token) -> Node:
        if isinstance(t, Token):
            raise _BuildError(f"unexpected token {str(t)!r}", self.ln(t))
        kind = t.data
        line = self.ln(t)
        kids = _trees(t)
        if kind == "expr_term":
            if not kids:
                raise _BuildError("empty expression", line)
            inner = self.expr(kids[0])
            has_paren = any(isinstance(c, Token) and c.type == "LPAR" for c in t.children)
            return Paren(line, inner) if has_paren else inner
        if kind == "conditional":
            return Cond(line, self.expr(kids[0]), self.expr(kids[1]), self.expr(kids[2]))
        if kind == "binary_op":
            left = self.expr(kids[0])
            term = kids[1]
            op_tree, right = _trees(term)
            op = str(op_tree.children[0]).strip()
            return Binary(line, op, left, self.expr(right))
        if kind == "unary_op":
            return Unary(line, str(t.children[0]).strip(), self.expr(kids[0]))
        if kind == "int_lit":
            return Lit(line, _int(str(t.children[0]), line))
        if kind == "float_lit":
            return Lit(line, _number(str(t.children[0])))
        if kind == "literal_value":
            word = str(t.children[0])
            return Lit(line, {"true": True, "false": False, "null": None}[word])
        if kind == "string":
            return self.template(t, line)
        if kind in ("heredoc_template", "heredoc_template_trim"):
            return self.heredoc(str(t.children[0]), kind.endswith("trim"), line)
        if kind == "template_string":
            return Lit(line, process_escape_sequences(str(t.children[0])[2:-2]))
        if kind == "identifier":
            return Ref(line, str(t.children[0]))
        if kind == "tuple":
            return TupleExpr(line, tuple(self.expr(k) for k in kids))
        if kind == "object":
            return ObjectExpr(line, tuple(self.object_elem(k) for k in kids))
        if kind == "function_call":
            return self.call(t, line)
        if kind == "get_attr_expr_term":
            return GetAttr(line, self.expr(kids[0]), self.attr_name(kids[1]))
        if kind == "index_expr_term":
            return Index(line, self.expr(kids[0]), self.index_key(kids[1]))
        if kind in ("attr_splat_expr_term", "full_splat_expr_term"):
            return Splat(line, self.expr(kids[0]), self.splat_ops(kids[1]))
        if kind == "for_tuple_expr":
            return self.for_expr(t, line, obj=False)
        if kind == "for_object_expr":
            return self.for_expr(t, line, obj=True)
        raise _BuildError(f"unsupported expression ({kind})", line)

    def attr_name(self, t: Tree) -> str:
        return self.name(_trees(t)[0])

    def index_key(self, t: Tree) -> Node:
        if t.data == "short_index":
            tok = [c for c in t.children if isinstance(c, Token) and c.type == "INT_LITERAL"][0]
            return Lit(self.ln(t), _int(str(tok), self.ln(t)))
        return self.expr(_trees(t)[0])

    def splat_ops(self, t: Tree) -> tuple[tuple[str, Any], ...]:
        ops: list[tuple[str, Any]] = []
        for k in _trees(t):
            if k.data == "get_attr":
                ops.append(("attr", self.attr_name(k)))
            else:
                ops.append(("index", self.index_key(k)))
        return tuple(ops)

    def object_elem(self, t: Tree) -> tuple[Node, Node]:
        key_tree, value_tree = _trees(t)
        key_kids = _trees(key_tree)
        line = self.ln(t)
        if key_kids and key_kids[0].data == "keyword":
            key: Node = Lit(line, str(key_kids[0].children[0]))
        else:
            key = self.expr(key_kids[0])
            if isinstance(key, Ref):  # a bare identifier names the key; parentheses make it an expression
                key = Lit(line, key.name)
            elif isinstance(key, Lit) and key.value is None:
                key = Lit(line, "null")
            elif isinstance(key, Lit) and isinstance(key.value, bool):
                key = Lit(line, "true" if key.value else "false")
        return key, self.expr(value_tree)

    def call(self, t: Tree, line: int) -> Call:
        idents = [c for c in t.children if isinstance(c, Tree) and c.data == "identifier"]
        name = "::".join(str(i.children[0]) for i in idents)
        args_tree = [c for c in t.children if isinstance(c, Tree) and c.data == "arguments"]
        args: tuple[Node, ...] = ()
        expand = False
        if args_tree:
            args = tuple(self.expr(a) for a in _trees(args_tree[0]))
            expand = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in args_tree[0].children)
        return Call(line, name, args, expand)

    def for_expr(self, t: Tree, line: int, obj: bool) -> ForExpr:
        kids = _trees(t)
        intro = kids[0]
        names = [str(i.children[0]) for i in intro.children if isinstance(i, Tree) and i.data == "identifier"]
        coll = [i for i in _trees(intro) if i.data != "identifier"][0]
        key_var, value_var = (names[0], names[1]) if len(names) == 2 else (None, names[0])
        rest = kids[1:]
        cond = None
        if rest and rest[-1].data == "for_cond":
            cond = self.expr(_trees(rest[-1])[0])
            rest = rest[:-1]
        group = any(isinstance(c, Token) and c.type == "ELLIPSIS" for c in t.children)
        if obj:
            return ForExpr(
                line, key_var, value_var, self.expr(coll), self.expr(rest[1]), self.expr(rest[0]), cond, group
            )
        return ForExpr(line, key_var, value_var, self.expr(coll), self.expr(rest[0]), None, cond)

    # templates
    # Literal text is kept as tokens split after each newline, as HCL's scanner does: a strip marker (~)
    # trims only the adjacent token, and `<<-` heredocs trim indentation only from tokens that start a line.
    def template(self, t: Tree, line: int) -> Node:
        return _template_node(_assemble(_strip(self.template_parts(t)), line), line)

    def template_parts(self, t: Tree) -> list[Any]:
        flat: list[Any] = []
        for part in t.children:
            if not isinstance(part, Tree):
                continue
            inner = part.children[0]
            if isinstance(inner, Token):
                if inner.type == "STRING_CHARS":
                    flat += _split_lines(process_escape_sequences(str(inner)))
                elif inner.type in ("ESCAPED_INTERPOLATION", "ESCAPED_DIRECTIVE"):
                    flat.append(str(inner)[1:])
                continue
            flat.append(self.directive(inner))
        return flat

    def directive(self, t: Tree) -> Any:
        kids = _trees(t)
        if t.data == "interpolation":
            return ("interp", self.expr(kids[0]), False, False)
        tokens = [c for c in t.children if isinstance(c, Token)]
        names = [c.type for c in tokens]
        left = len(names) > 1 and names[1] == "STRIP_MARKER"
        right = len(names) > 1 and names[-2] == "STRIP_MARKER" and not (left and len(names) == 3)
        if t.data == "template_if_start":
            return ("if", self.expr(kids[0]), left, right)
        if t.data in ("template_else", "template_endif", "template_endfor"):
            return (t.data.split("_")[1], left, right)
        if t.data == "template_for_start":
            idents = [str(k.children[0]) for k in kids if k.data == "identifier"]
            coll = [k for k in kids if k.data != "identifier"][0]
            key, value = (idents[0], idents[1]) if len(idents) == 2 else (None, idents[0])
            return ("for", key, value, self.expr(coll), left, right)
        raise _BuildError(f"unsupported template directive ({t.data})", self.ln(t))

    def heredoc(self, raw: str, trim: bool, line: int) -> Node:
        first_nl = raw.index("\n")
        lines = raw[first_nl + 1 :].split("\n")
        while lines and not lines[-1].strip():  # the last non-empty line is the closing marker
            lines.pop()
        body_lines = lines[:-1]
        text = "\n".join(body_lines) + ("\n" if body_lines else "")
        flat = _strip(self.scan_template(text, line + 1))
        if trim:
            indents = [len(ln) - len(ln.lstrip(" \t")) for ln in body_lines if ln.strip()]
            flat = _flush(flat, min(indents) if indents else 0)
        return _template_node(_assemble(flat, line), line)

    def scan_template(self, text: str, line: int) -> list[Any]:
        """Split heredoc text into literal tokens, `${...}` interpolations and `%{...}` directives."""
        out: list[Any] = []
        buf: list[str] = []
        i = 0
        while i < len(text):
            two = text[i : i + 2]
            if text[i : i + 3] in ("$${", "%%{"):
                buf.append(text[i + 1 : i + 3])
                i += 3
                continue
            if two in ("${", "%{"):
                end = _matching_brace(text, i + 2)
                if end < 0:
                    raise _BuildError("unterminated template sequence", line + text.count("\n", 0, i))
                at = line + text.count("\n", 0, i)
                if buf:
                    out += _split_lines("".join(buf))
                    buf = []
                out.append(self.heredoc_item(two, text[i + 2 : end], at))
                i = end + 1
                continue
            buf.append(text[i])
            i += 1
        if buf:
            out += _split_lines("".join(buf))
        return out

    def heredoc_item(self, opener: str, inner: str, line: int) -> Any:
        left, right = inner.startswith("~"), inner.endswith("~")
        inner = inner[1 if left else 0 : len(inner) - (1 if right else 0)].strip()
        if opener == "${":
            return ("interp", parse_expression(inner, self.path, line), left, right)
        words = inner.split(None, 1)
        head = words[0] if words else ""
        if head in ("else", "endif", "endfor"):
            return (head, left, right)
        if head == "if" and len(words) == 2:
            return ("if", parse_expression(words[1], self.path, line), left, right)
        match = re.match(r"for\s+(\w+)\s*(?:,\s*(\w+))?\s+in\s+(.+)$", inner, re.DOTALL)
        if match:
            a, b, coll = match.groups()
            key, value = (a, b) if b else (None, a)
            return ("for", key, value, parse_expression(coll, self.path, line), left, right)
        raise _BuildError(f"unsupported template directive %{{{inner}}}", line)


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**63 else value


MAX_NUMBER_DIGITS = 4300  # Python's own bound on int conversion; Terraform's numbers are far smaller


def _int(text: str, line: int) -> int:
    """An integer literal, refused past MAX_NUMBER_DIGITS digits (a clear line, not a ValueError)."""
    digits = text.lstrip("+-")
    if len(digits) > MAX_NUMBER_DIGITS:
        raise _BuildError(f"a number literal of {len(digits)} digits is more than the limit of {MAX_NUMBER_DIGITS}",
                          line)
    return int(text)
