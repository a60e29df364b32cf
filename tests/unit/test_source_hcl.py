"""runner.source.hcl: HCL text to expression trees, templates and heredocs, syntax errors with file:line."""

from __future__ import annotations

import pytest

from runner.errors import PlanError
from runner.source.evaluator import Scope, evaluate
from runner.source.hcl import Block, parse_expression, parse_file


def value(text: str, names: dict | None = None) -> object:
    return evaluate(parse_expression(text), Scope(lambda n: (_ for _ in ()).throw(KeyError(n)), names=names))


def test_blocks_labels_and_lines() -> None:
    body = parse_file("main.tf", '\n\nresource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n')
    (block,) = body.blocks
    assert isinstance(block, Block)
    assert (block.type, block.labels, block.line, block.file) == (
        "resource",
        ("aws_s3_bucket", "b"),
        3,
        "main.tf",
    )
    assert block.body.attributes["bucket"].line == 4


@pytest.mark.parametrize(
    "text, line",
    [
        ('resource "a" "b" {\n  x = \n}\n', 2),
        ('resource "a" "b" {\n  x = "unterminated\n}\n', 2),
        ("locals {\n  a = 1\n  b = [1, 2\n}\n", 4),
        ('resource "a" "b" {\n', 2),
    ],
)
def test_syntax_errors_name_file_and_line(text: str, line: int) -> None:
    with pytest.raises(PlanError) as err:
        parse_file("bad.tf", text)
    assert err.value.where == f"bad.tf:{line}"
    assert "HCL syntax error" in err.value.message


def test_duplicate_attribute_is_an_error() -> None:
    with pytest.raises(PlanError, match="defined twice"):
        parse_file("dup.tf", "locals {\n  a = 1\n  a = 2\n}\n")


def test_strip_markers_trim_only_the_adjacent_token() -> None:
    # matches terraform 1.11: `~}` removes the rest of its line, not the next line's indentation
    assert value('"A%{ for e in ["x","y"] ~}  ${e}  %{~ endfor }B"') == "AxyB"
    text = parse_file(
        "t.tf", "locals {\n  d = <<EOT\nL1\n  %{~ if true ~}\n  yes\n  %{~ endif ~}\nL2\nEOT\n}\n"
    )
    assert evaluate(text.blocks[0].body.attributes["d"].expr, Scope(lambda n: None)) == "L1\n  yes\nL2\n"


def test_flush_heredoc_trims_line_start_tokens_only() -> None:
    src = (
        'locals {\n  a = <<-EOT\n    Hello\n    %{ for e in ["x","y"] ~}\n    env: ${e}\n'
        "    %{ endfor ~}\n  EOT\n}\n"
    )
    attr = parse_file("t.tf", src).blocks[0].body.attributes["a"]
    assert evaluate(attr.expr, Scope(lambda n: None)) == "Hello\n    env: x\n    env: y\n"


def test_escapes_and_literal_interpolation_markers() -> None:
    assert value('"a \\"q\\" $${x} %%{y}"') == 'a "q" ${x} %{y}'
    assert value('"caf\\u00e9\\n"') == "café\n"


def test_single_interpolation_keeps_the_value_type() -> None:
    assert value('"${x}"', {"x": [1, 2]}) == [1, 2]
    assert value('"n=${x}"', {"x": 2}) == "n=2"
