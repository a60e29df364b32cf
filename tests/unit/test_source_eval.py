"""runner.source evaluator and functions: values, unknowns, operators, for expressions, built-in functions."""

from __future__ import annotations

import pytest

from runner.source.evaluator import Scope, evaluate
from runner.source.hcl import parse_expression
from runner.source.values import UNKNOWN, EvalError, TSet, convert


def ev(text: str, **names: object) -> object:
    def resolve(name: str) -> object:
        raise EvalError(f"unknown name {name}")

    return evaluate(parse_expression(text), Scope(resolve, names=dict(names)))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("1 + 2 * 3", 7),
        ("10 / 4", 2.5),
        ("7 % 3", 1),
        ("-2 + 1", -1),
        ("3 >= 2 && !(1 == 2)", True),
        ('1 == "1"', False),
        ('"a" != "b"', True),
        ("true ? 1 : 2", 1),
        ("[1, 2] == [1, 2]", True),
        ('{ a = 1, "b" = 2 }', {"a": 1, "b": 2}),
        ("[for x in [1, 2, 3] : x * 2 if x > 1]", [4, 6]),
        ("{ for k, v in { a = 1, b = 2 } : v => k }", {"1": "a", "2": "b"}),
        ('{ for s in ["a", "bb", "cc"] : length(s) => s... }', {"1": ["a"], "2": ["bb", "cc"]}),
        ('[{ n = "a" }, { n = "b" }][*].n', ["a", "b"]),
    ],
)
def test_expressions(text: str, expected: object) -> None:
    assert ev(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ('format("%s-%03d-%.2f-%v", "app", 7, 3.14159, true)', "app-007-3.14-true"),
        ('join(",", formatlist("%s=%s", ["a", "b"], ["1", "2"]))', "a=1,b=2"),
        ('replace("v1.2.3", "/[.]/", "_")', "v1_2_3"),
        ('title("hello world")', "Hello World"),
        ("merge({ a = 1 }, { a = 2, b = 3 })", {"a": 2, "b": 3}),
        ('lookup({ a = 1 }, "z", 0)', 0),
        ('element(["p", "q", "r"], 4)', "q"),
        ('flatten([["x"], [], ["y", ["z"]]])', ["x", "y", "z"]),
        ('coalesce("", "b")', "b"),
        ('try(tomap({ a = 1 }).b, "dflt")', "dflt"),
        ("can(local_missing)", False),
        ('jsonencode({ b = [1, 2], a = "x<y" })', '{"a":"x\\u003cy","b":[1,2]}'),
        ('cidrsubnet("10.0.0.0/16", 8, 7)', "10.0.7.0/24"),
        ('cidrhost("10.1.2.0/24", 5)', "10.1.2.5"),
        ('cidrsubnet("fd00:fd12:3456:7890::/56", 16, 162)', "fd00:fd12:3456:7800:a200::/72"),
        ('cidrsubnets("10.1.0.0/16", 4, 4, 8)', ["10.1.0.0/20", "10.1.16.0/20", "10.1.32.0/24"]),
        ('toset(["b", "a", "b"])', ["a", "b"]),
        ('urlencode("a b&c")', "a+b%26c"),
        ("sum([1, 2, 3.5])", 6.5),
        ('upper(lower("AbC"))', "ABC"),
        ('length(split(",", "a,b,c"))', 3),
        ("range(3)", [0, 1, 2]),
    ],
)
def test_functions(text: str, expected: object) -> None:
    assert ev(text) == expected


def test_unknown_propagates_but_structure_survives() -> None:
    assert ev('"x-${u}"', u=UNKNOWN) is UNKNOWN
    assert ev("length([u, 1])", u=UNKNOWN) == 2
    assert ev("merge({ a = u }, { b = 1 })", u=UNKNOWN) == {"a": UNKNOWN, "b": 1}
    assert ev("u ? 1 : 1", u=UNKNOWN) == 1
    assert ev("u ? 1 : 2", u=UNKNOWN) is UNKNOWN
    assert ev("false && u", u=UNKNOWN) is False
    assert ev("jsonencode({ a = u })", u=UNKNOWN) is UNKNOWN
    assert ev("timestamp()") is UNKNOWN


@pytest.mark.parametrize("text", ["[1][5]", "{ a = 1 }.b", '1 + "x"', "nosuchfn(1)", "null.a", '"x${[1]}"'])
def test_errors_are_eval_errors(text: str) -> None:
    with pytest.raises(EvalError):
        ev(text)


def test_type_conversion_like_terraform() -> None:
    assert convert({"a": 1, "b": True}, ("map", "string")) == {"a": "1", "b": "true"}
    assert convert("3", "number") == 3
    assert isinstance(convert(["b", "a"], ("set", "string")), TSet)
    obj = ("object", {"size": ("string", False, None), "n": ("number", True, 2)})
    assert convert({"size": "s"}, obj) == {"size": "s", "n": 2}
    with pytest.raises(EvalError):
        convert({}, obj)
