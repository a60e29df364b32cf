"""The hostile-input corpus: one row per (command, broken input). See hostile_harness.Case for the columns.

Exit codes other than 2 say why in the row. `want` is the line that must name the file and the place.
Rows whose fix belongs to plan-from-source's own limits carry owner="plan-from-source"."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import hostile_inputs as h
from hostile_harness import Case

CASES: list[Case] = []
CHECK = ["--no-cache"]


def add(*cases: Case) -> None:
    CASES.extend(cases)


def esc(text: str) -> str:
    return re.escape(text)


def at(file: str, pointer: str, message: str) -> str:
    """The schema-violation line: `file: /json/pointer: message`."""
    return f"{esc(file)}: {esc(pointer)}: {message}"


# --- plans -------------------------------------------------------------------------------------------

P = "plan.json"


def _rc(i: int = 0) -> str:
    return f"/resource_changes/{i}"


def _pv_res(i: int = 0) -> str:
    return f"/planned_values/root_module/resources/{i}"


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """Set the value at a JSON pointer (creating nothing but the last key)."""
    def apply(doc: dict[str, Any]) -> None:
        parts = [int(p) if p.isdigit() else p for p in path.strip("/").split("/")]
        target: Any = doc
        for part in parts[:-1]:
            target = target[part]
        target[parts[-1]] = value
    return apply


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        parts = [int(p) if p.isdigit() else p for p in path.strip("/").split("/")]
        target: Any = doc
        for part in parts[:-1]:
            target = target[part]
        del target[parts[-1]]
    return apply


def _wrong(path: str, value: Any, expected: str, got: str, base: Callable[[], dict[str, Any]] = h.plan_data,
           file: str = P) -> tuple[str, h.Data, str]:
    slug = path.strip("/").replace("/", ".") + "=" + (type(value).__name__ if not isinstance(value, list) or not value
                                                       else f"list-of-{type(value[0]).__name__}")
    return slug, h.mutate(_set(path, value), base), at(file, path, f"expected {expected}, got {got}")


def _child_module(doc: dict[str, Any]) -> None:
    doc["planned_values"]["root_module"]["child_modules"] = [{"address": "module.m", "resources": []}]


def _with_child(extra: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        _child_module(doc)
        extra(doc)
    return apply


def _with_prior(doc: dict[str, Any]) -> None:
    doc["prior_state"] = {"format_version": "1.0", "terraform_version": "1.6.6",
                          "values": {"root_module": {"resources": []}}}


def _with_outputs(doc: dict[str, Any]) -> None:
    doc["output_changes"] = {"url": {"actions": ["create"], "before": None, "after": "x", "after_unknown": False,
                                     "before_sensitive": False, "after_sensitive": False}}
    doc["planned_values"]["outputs"] = {"url": {"sensitive": False, "value": "x"}}


def _then(*fns: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    def apply(doc: dict[str, Any]) -> None:
        for fn in fns:
            fn(doc)
    return apply


SYNTAX = "(line \\d+ column \\d+|:\\d+:\\d+)"
PLAN_SYNTAX: list[tuple[str, h.Data, str]] = [
    ("empty", b"", f"{esc(P)}: .*empty"),
    ("whitespace-only", b"  \n\t\n  ", f"{esc(P)}: .*empty"),
    ("nul-bytes", b"\x00" * 64, f"{esc(P)}: .*(not JSON|binary|NUL|invalid JSON)"),
    ("truncated-half", lambda: h.plan_text()[: len(h.plan_text()) // 2], f"{esc(P)}: truncated JSON.*{SYNTAX}"),
    ("truncated-brace", "{", f"{esc(P)}: truncated JSON.*{SYNTAX}"),
    ("truncated-in-string", '{"format_version": "1.', f"{esc(P)}: truncated JSON.*{SYNTAX}"),
    ("binary-random", h.BINARY, f"{esc(P)}: .*(binary|not UTF-8|not JSON)"),
    ("binary-gzip", b"\x1f\x8b\x08\x00" + h.BINARY[:512], f"{esc(P)}: .*(binary|not UTF-8|not JSON)"),
    ("binary-zip-not-a-plan", b"PK\x03\x04" + h.BINARY[:512], f"{esc(P)}: .*terraform show"),
    ("bom-then-garbage", h.BOM + b"not json at all", f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("bom-twice", lambda: h.BOM + h.BOM + h.plan_text().encode(), f"{esc(P)}: .*(byte order mark|invalid JSON).*{SYNTAX}"),
    ("utf16", lambda: h.plan_text().encode("utf-16"), f"{esc(P)}: .*(UTF-16|not UTF-8)"),
    ("utf32", lambda: h.plan_text().encode("utf-32"), f"{esc(P)}: .*(UTF-32|not UTF-8)"),
    ("invalid-utf8", h.INVALID_UTF8, f"{esc(P)}: .*not UTF-8.*{SYNTAX}"),
    ("latin1-value", lambda: h.plan_text().replace('"data"', '"caf\u00e9"', 1).encode("latin-1"),
     f"{esc(P)}: .*not UTF-8.*{SYNTAX}"),
    ("overlong-utf8", b'{"format_version": "1.2", "x": "\xc0\xaf"}', f"{esc(P)}: .*not UTF-8.*{SYNTAX}"),
    ("nan", h.splice('"bucket": "data"', '"bucket": NaN'), f"{esc(P)}: .*NaN.*{SYNTAX}"),
    ("infinity", h.splice('"bucket": "data"', '"bucket": Infinity'), f"{esc(P)}: .*Infinity.*{SYNTAX}"),
    ("minus-infinity", h.splice('"bucket": "data"', '"bucket": -Infinity'), f"{esc(P)}: .*Infinity.*{SYNTAX}"),
    ("duplicate-top-key", h.splice("{\n", '{\n  "resource_changes": [],\n'),
     f"{esc(P)}: top level: duplicate key .resource_changes."),
    ("duplicate-nested-key", h.splice('"bucket": "logs"', '"bucket": "logs", "bucket": "other"'),
     at(P, _pv_res(1) + "/values", "duplicate key .bucket.")),
    ("trailing-garbage", lambda: h.plan_text() + "garbage", f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("two-documents", lambda: h.plan_text() * 2, f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("line-comment", lambda: "// a plan\n" + h.plan_text(), f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("python-repr", lambda: repr(h.plan_data()), f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("yaml-not-json", "format_version: '1.2'\nterraform_version: 1.6.6\n", f"{esc(P)}: invalid JSON.*{SYNTAX}"),
    ("hcl-not-json", 'resource "aws_s3_bucket" "x" {\n  bucket = "x"\n}\n', f"{esc(P)}: invalid JSON.*{SYNTAX}"),
]

NOT_A_PLAN = "(top level: expected an object|not a Terraform plan)"
PLAN_SHAPE: list[tuple[str, h.Data, str]] = [
    ("top-array", "[]", f"{esc(P)}: {NOT_A_PLAN}"),
    ("top-number", "42", f"{esc(P)}: {NOT_A_PLAN}"),
    ("top-string", '"plan"', f"{esc(P)}: {NOT_A_PLAN}"),
    ("top-null", "null", f"{esc(P)}: {NOT_A_PLAN}"),
    ("top-true", "true", f"{esc(P)}: {NOT_A_PLAN}"),
    ("empty-object", "{}", f"{esc(P)}: .*format_version"),
    ("no-terraform-version", h.mutate(_drop("/terraform_version")), f"{esc(P)}: .*terraform_version"),
    ("no-planned-values", h.mutate(_drop("/planned_values")), f"{esc(P)}: .*planned_values"),
    ("no-configuration", h.mutate(_drop("/configuration")), f"{esc(P)}: .*configuration"),
    ("format-version-2.0", h.mutate(_set("/format_version", "2.0")),
     at(P, "/format_version", "unsupported .*2\\.0")),
    ("format-version-9.9", h.mutate(_set("/format_version", "9.9")), at(P, "/format_version", "unsupported .*9\\.9")),
    ("format-version-garbage", h.mutate(_set("/format_version", "abc")),
     at(P, "/format_version", "unsupported .*abc")),
    ("format-version-empty", h.mutate(_set("/format_version", "")), f"{esc(P)}: .*format_version"),
    _wrong("/format_version", 1.2, "a string", "a number"),
    _wrong("/terraform_version", 1, "a string", "a number"),
    _wrong("/terraform_version", ["1.6.6"], "a string", "an array"),
]

PLAN_TYPES: list[tuple[str, h.Data, str]] = [
    _wrong("/resource_changes", 5, "an array", "a number"),
    _wrong("/resource_changes", "x", "an array", "a string"),
    _wrong("/resource_changes", {"a": 1}, "an array", "an object"),
    ("resource_changes=list-of-str", h.mutate(_set("/resource_changes", ["aws_s3_bucket.data"])),
     at(P, _rc(), "expected an object, got a string")),
    ("resource_changes=list-of-int", h.mutate(_set("/resource_changes", [1, 2])),
     at(P, _rc(), "expected an object, got a number")),
    ("resource_changes=list-with-null", h.mutate(_set("/resource_changes/1", None)),
     at(P, _rc(1), "expected an object, got null")),
    ("resource_changes=list-of-list", h.mutate(_set("/resource_changes", [[]])),
     at(P, _rc(), "expected an object, got an array")),
    _wrong(_rc(1) + "/change", "create", "an object", "a string"),
    _wrong(_rc(1) + "/change", ["create"], "an object", "an array"),
    _wrong(_rc(1) + "/change", 7, "an object", "a number"),
    _wrong(_rc(1) + "/change", None, "an object", "null"),
    ("change-missing", h.mutate(_drop(_rc(1) + "/change")), at(P, _rc(1), "missing required key .change.")),
    _wrong(_rc(0) + "/change/actions", "create", "an array", "a string"),
    ("change.actions=list-of-int", h.mutate(_set(_rc(0) + "/change/actions", [1])),
     at(P, _rc(0) + "/change/actions/0", "expected a string, got a number")),
    _wrong(_rc(0) + "/change/actions", {"create": True}, "an array", "an object"),
    _wrong(_rc(0) + "/change/after", "bucket", "an object or null", "a string"),
    _wrong(_rc(0) + "/change/after", [1, 2], "an object or null", "an array"),
    _wrong(_rc(0) + "/change/after_unknown", "id", "an object or a boolean", "a string"),
    _wrong(_rc(0) + "/change/after_sensitive", "yes", "an object or a boolean", "a string"),
    _wrong(_rc(1) + "/address", ["aws_s3_bucket", "logs"], "a string", "an array"),
    _wrong(_rc(1) + "/address", 17, "a string", "a number"),
    _wrong(_rc(1) + "/address", None, "a string", "null"),
    ("address-missing", h.mutate(_drop(_rc(1) + "/address")), at(P, _rc(1), "missing required key .address.")),
    _wrong(_rc(0) + "/type", 3, "a string", "a number"),
    _wrong(_rc(0) + "/name", ["data"], "a string", "an array"),
    ("mode=bogus", h.mutate(_set(_rc(0) + "/mode", "bogus")), at(P, _rc(0) + "/mode", "expected one of .*got .bogus.")),
    _wrong(_rc(0) + "/mode", 1, "a string", "a number"),
    _wrong(_rc(0) + "/index", {"k": 1}, "a string or an integer", "an object"),
    _wrong("/planned_values", "x", "an object", "a string"),
    _wrong("/planned_values", [], "an object", "an array"),
    _wrong("/planned_values/root_module", "root", "an object", "a string"),
    _wrong("/planned_values/root_module", [], "an object", "an array"),
    _wrong("/planned_values/root_module/resources", 5, "an array", "a number"),
    _wrong("/planned_values/root_module/resources", "x", "an array", "a string"),
    ("resources=list-of-str", h.mutate(_set("/planned_values/root_module/resources", ["aws_s3_bucket.data"])),
     at(P, _pv_res(), "expected an object, got a string")),
    ("resources=list-with-null", h.mutate(_set(_pv_res(1), None)), at(P, _pv_res(1), "expected an object, got null")),
    _wrong(_pv_res(0) + "/address", ["x"], "a string", "an array"),
    _wrong(_pv_res(0) + "/values", "bucket", "an object", "a string"),
    _wrong(_pv_res(0) + "/values", [1], "an object", "an array"),
    _wrong(_pv_res(0) + "/type", 9, "a string", "a number"),
    _wrong(_pv_res(0) + "/sensitive_values", "yes", "an object or a boolean", "a string"),
    _wrong("/planned_values/root_module/child_modules", 5, "an array", "a number"),
    _wrong("/planned_values/root_module/child_modules", "module.m", "an array", "a string"),
    ("child_modules=list-of-str", h.mutate(_set("/planned_values/root_module/child_modules", ["module.m"])),
     at(P, "/planned_values/root_module/child_modules/0", "expected an object, got a string")),
    ("child_modules.0.resources=int",
     h.mutate(_with_child(_set("/planned_values/root_module/child_modules/0/resources", 5))),
     at(P, "/planned_values/root_module/child_modules/0/resources", "expected an array, got a number")),
    ("child_modules.0.child_modules=int",
     h.mutate(_with_child(_set("/planned_values/root_module/child_modules/0/child_modules", 5))),
     at(P, "/planned_values/root_module/child_modules/0/child_modules", "expected an array, got a number")),
    _wrong("/configuration", "x", "an object", "a string"),
    _wrong("/configuration", [], "an object", "an array"),
    _wrong("/configuration/root_module", "root", "an object", "a string"),
    _wrong("/configuration/root_module/resources", 5, "an array", "a number"),
    _wrong("/configuration/root_module/module_calls", [], "an object", "an array"),
    _wrong("/configuration/root_module/variables", [], "an object", "an array"),
    _wrong("/configuration/root_module/outputs", [], "an object", "an array"),
    _wrong("/configuration/provider_config", [], "an object", "an array"),
    _wrong("/variables", [], "an object", "an array"),
    _wrong("/variables", "x", "an object", "a string"),
    _wrong("/variables/region", "eu-west-1", "an object", "a string"),
    _wrong("/output_changes", [], "an object", "an array"),
    ("output_changes.url=str", h.mutate(_then(_with_outputs, _set("/output_changes/url", "x"))),
     at(P, "/output_changes/url", "expected an object, got a string")),
    _wrong("/planned_values/outputs", [], "an object", "an array"),
    ("outputs.url=str", h.mutate(_then(_with_outputs, _set("/planned_values/outputs/url", "x"))),
     at(P, "/planned_values/outputs/url", "expected an object, got a string")),
    _wrong("/prior_state", "x", "an object", "a string"),
    _wrong("/prior_state", [], "an object", "an array"),
    ("prior_state.values=list", h.mutate(_then(_with_prior, _set("/prior_state/values", []))),
     at(P, "/prior_state/values", "expected an object, got an array")),
    ("prior_state.values.root_module=int", h.mutate(_then(_with_prior, _set("/prior_state/values/root_module", 1))),
     at(P, "/prior_state/values/root_module", "expected an object, got a number")),
    _wrong("/resource_drift", 5, "an array", "a number"),
    ("resource_drift=list-of-str", h.mutate(_set("/resource_drift", ["x"])),
     at(P, "/resource_drift/0", "expected an object, got a string")),
    _wrong("/relevant_attributes", "x", "an array", "a string"),
    _wrong("/checks", "x", "an array", "a string"),
    _wrong("/values", "x", "an object", "a string", base=h.state_data),
    _wrong("/values/root_module", [], "an object", "an array", base=h.state_data),
    _wrong("/values/root_module/resources", 5, "an array", "a number", base=h.state_data),
    _wrong("/values/outputs", [], "an object", "an array", base=h.state_data),
    ("state-with-planned_values-string", h.mutate(_set("/planned_values", "x"), h.state_data),
     at(P, "/planned_values", "expected an object, got a string")),
]

DEEP = "nested deeper than \\d+"
DIGITS = "more than \\d+ digits"
PLAN_EXTREME: list[tuple[str, h.Data, str]] = [
    ("deep-10000-arrays-in-values", h.splice('"bucket": "data"', '"bucket": ' + h.deep_json(10000)),
     f"{esc(P)}: .*{DEEP}"),
    ("deep-10000-arrays-top", h.deep_json(10000), f"{esc(P)}: .*{DEEP}"),
    ("deep-10000-objects", '{"a":' * 10000 + "1" + "}" * 10000, f"{esc(P)}: .*{DEEP}"),
    ("deep-600-in-values", h.splice('"bucket": "data"', '"bucket": ' + h.deep_json(600)), f"{esc(P)}: .*{DEEP}"),
    ("int-5000-digits", h.splice('"bucket": "data"', '"bucket": ' + h.big_int(5000)),
     f"{esc(P)}: .*{DIGITS}.*{SYNTAX}"),
    ("int-minus-5000-digits", h.splice('"bucket": "data"', '"bucket": -' + h.big_int(5000)),
     f"{esc(P)}: .*{DIGITS}.*{SYNTAX}"),
    ("int-2000-digits", h.splice('"bucket": "data"', '"bucket": ' + h.big_int(2000)),
     f"{esc(P)}: .*{DIGITS}.*{SYNTAX}"),
    ("int-5000-digits-as-key-count", h.splice('"format_version"', '"n": ' + h.big_int(5000) + ', "format_version"'),
     f"{esc(P)}: .*{DIGITS}.*{SYNTAX}"),
]

PLAN_VARIANTS = PLAN_SYNTAX + PLAN_SHAPE + PLAN_TYPES + PLAN_EXTREME


def _tiny_repo(tmp: Path, **override: h.Data | None) -> None:
    files = {k.replace("__", "/").replace("_DOT_", "."): v for k, v in override.items()}
    h.write_repo(tmp, {"features/storage.feature": h.FEATURE, **files})


def check_case(slug: str, data: h.Data, want: str | None, code: int = 2, why: str = "",
               extra: Iterable[str] = ()) -> Case:
    def build(tmp: Path) -> list[str]:
        _tiny_repo(tmp)
        h.write(tmp / P, data)
        return ["check", "--plan", P, "--features", "features", *CHECK, *extra]
    return Case(f"check/plan/{slug}", build, want, code, why)


for slug, data, want in PLAN_VARIANTS:
    add(check_case(slug, data, want))

add(
    check_case("bom-valid", lambda: h.BOM + h.plan_text().encode(), None, 0,
               "a UTF-8 byte order mark is allowed: the plan is read and every guardrail passes"),
    check_case("crlf-valid", lambda: h.plan_text().replace("\n", "\r\n"), None, 0,
               "CRLF line ends are JSON whitespace: the plan is read and every guardrail passes"),
)


def check_path(slug: str, make: Callable[[Path], str], want: str, extra: Iterable[str] = (), code: int = 2,
               why: str = "", **override: h.Data | None) -> Case:
    def build(tmp: Path) -> list[str]:
        _tiny_repo(tmp, **override)
        cache = [] if "--cache-dir" in extra else CHECK
        return ["check", "--plan", make(tmp), "--features", "features", *cache, *extra]
    return Case(f"check/path/{slug}", build, want, code, why)


def _plan_at(rel: str) -> Callable[[Path], str]:
    def make(tmp: Path) -> str:
        h.write(tmp / rel, h.plan_text())
        return rel
    return make


def _big_plan(tmp: Path) -> str:
    data = h.plan_data()
    data["planned_values"]["root_module"]["resources"][0]["values"]["padding"] = "x" * 8192
    h.write(tmp / P, json.dumps(data))
    return P


add(
    check_path("missing", lambda tmp: "nope.json", f"{esc('nope.json')}: .*(no such|not found|does not exist)"),
    check_path("directory", lambda tmp: str((tmp / "plans").mkdir() or "plans"), "plans: .*directory"),
    check_path("symlink-loop", lambda tmp: h.symlink_loop(tmp / P).name, f"{esc(P)}: .*(loop|symbolic link)"),
    check_path("dangling-symlink", lambda tmp: h.dangling(tmp / P).name, f"{esc(P)}: .*(no such|not found|dangling|missing)"),
    check_path("dev-zero", lambda tmp: "/dev/zero", "/dev/zero: .*(not a regular file|larger than|limit)"),
    check_path("dev-null", lambda tmp: "/dev/null", "/dev/null: .*(empty|not a regular file)"),
    check_path("sparse-600MiB", lambda tmp: h.sparse(tmp / P, 600 * 1024 * 1024).name,
               f"{esc(P)}: .*(larger than|limit).*512"),
    check_path("over-flag-limit", _big_plan, f"{esc(P)}: .*(larger than|limit).*(4 ?KiB|4096)",
               extra=["--max-plan-size", "4KiB"]),
    check_path("over-config-limit", _big_plan, f"{esc(P)}: .*(larger than|limit).*(4 ?KiB|4096).*tfguard\\.yaml",
               tfguard_DOT_yaml="limits:\n  plan_size: 4KiB\n"),
    check_path("newline-in-name", lambda tmp: "bad\nname.json", "bad\\\\nname\\.json: .*(no such|not found)"),
    check_path("yaml-file-as-plan", lambda tmp: str(h.write(tmp / "tfguard.yaml", h.CONFIG).name),
               f"{esc('tfguard.yaml')}: invalid JSON"),
    check_path("features-is-a-file", _plan_at(P), "x\\.feature: .*(not a directory|directory)",
               extra=["--features", "x.feature"], x_DOT_feature=h.FEATURE),
    check_path("features-missing", _plan_at(P), "nofeatures: .*(not found|no such|directory)",
               extra=["--features", "nofeatures"]),
    check_path("rules-root-is-a-file", _plan_at(P), "tfguard\\.yaml.*(not a directory)",
               extra=["--rules-root", "tfguard.yaml"], tfguard_DOT_yaml=h.CONFIG),
    check_path("source-is-a-file", _plan_at(P), f"{esc(P)}.*(not a directory)", extra=["--source", P]),
    check_path("cache-dir-is-a-file", _plan_at(P), "cachefile: .*(not a directory|directory)",
               extra=["--cache-dir", "cachefile"], cachefile="x"),
    check_path("only-unknown-id", _plan_at(P), "features.*unknown guardrail id .NOPE-1.", extra=["--only", "NOPE-1"]),
    check_path("workers-zero", _plan_at(P), "--workers.*(at least 1|positive|must be)", extra=["--workers", "0"]),
)


# --- output paths --------------------------------------------------------------------------------------

def out_case(name: str, argv: Callable[[Path], list[str]], want: str, **override: h.Data | None) -> Case:
    def build(tmp: Path) -> list[str]:
        h.write_repo(tmp, h.repo_files(**override))
        return argv(tmp)
    return Case(f"output/{name}", build, want)


REFUSE_DIR = "(is not a directory|not a directory|is a file)"
REFUSE_INPUT = "(is one of the inputs|is an input|would overwrite)"
add(
    out_case("check-report-dir-is-a-file",
             lambda tmp: ["check", "--plan", "plans/web.json", "--report-dir", "taken", *CHECK],
             f"taken: .*{REFUSE_DIR}", taken="not a directory\n"),
    out_case("check-report-dir-holds-the-plan",
             lambda tmp: ["check", "--plan", "out/results.json", "--report-dir", "out", *CHECK],
             f"out/results\\.json: .*{REFUSE_INPUT}", out__results_DOT_json=h.plan_text()),
    out_case("check-report-dir-under-a-file",
             lambda tmp: ["check", "--plan", "plans/web.json", "--report-dir", "taken/sub", *CHECK],
             f"taken(/sub)?: .*{REFUSE_DIR}", taken="x"),
    out_case("report-output-is-a-directory",
             lambda tmp: ["report", "--from", "results.json", "-o", "plans"], "plans: .*(is a directory)",
             results_DOT_json=h.results_text()),
    out_case("report-output-is-the-input",
             lambda tmp: ["report", "--from", "results.json", "--format", "json", "-o", "results.json"],
             f"results\\.json: .*{REFUSE_INPUT}", results_DOT_json=h.results_text()),
    out_case("report-dir-is-a-file",
             lambda tmp: ["report", "--from", "results.json", "--report-dir", "results.json"],
             f"results\\.json: .*({REFUSE_DIR}|{REFUSE_INPUT})", results_DOT_json=h.results_text()),
    out_case("report-dir-holds-the-input",
             lambda tmp: ["report", "--from", "out/results.json", "--report-dir", "out"],
             f"out/results\\.json: .*{REFUSE_INPUT}", out__results_DOT_json=h.results_text()),
    out_case("report-history-is-the-output",
             lambda tmp: ["report", "--from", "results.json", "--format", "html", "--history", "dash.html",
                          "-o", "dash.html"],
             f"dash\\.html: .*{REFUSE_INPUT}", results_DOT_json=h.results_text(), dash_DOT_html="[]"),
    out_case("test-report-is-a-directory",
             lambda tmp: ["test", "--report", "plans"], "plans: .*(is a directory)"),
    out_case("test-report-is-a-feature-file",
             lambda tmp: ["test", "--report", "features/storage.feature"],
             f"features/storage\\.feature: .*{REFUSE_INPUT}"),
)


# --- guardrail feature files -----------------------------------------------------------------------------

F = "features/storage.feature"
FEATURE_LINES = h.FEATURE.splitlines()


def _feature_with(old: str, new: str) -> str:
    assert old in h.FEATURE, old
    return h.FEATURE.replace(old, new, 1)


FEATURE_VARIANTS: list[tuple[str, h.Data, str, str]] = [
    # slug, content, want for check/test (stderr), want for lint (stdout)
    ("binary", h.BINARY, "storage\\.feature(:\\d+)?: .*(binary|not UTF-8)",
     "storage\\.feature.*(binary|not UTF-8)"),
    ("invalid-utf8", lambda: h.FEATURE.encode().replace(b"Tags on", b"Tags \xe9\xff on"),
     "storage\\.feature:2: .*not UTF-8", "storage\\.feature:2: .*not UTF-8"),
    ("nul-byte", lambda: h.FEATURE.replace("Tags on", "Tags\x00 on"), "storage\\.feature:2: .*(NUL|control)",
     "storage\\.feature:2: .*(NUL|control)"),
    ("scenario-typo", lambda: _feature_with("  Scenario:", "  Scenari:"), "storage\\.feature:(5|6|7|8): .*(Scenari|Scenario)",
     "storage\\.feature:(5|6|7|8): .*(Scenari|Scenario)"),
    ("feature-keyword-typo", lambda: _feature_with("Feature:", "Featur:"), "storage\\.feature:1: .*Feature",
     "storage\\.feature:1: .*Feature"),
    ("steps-before-scenario", lambda: h.FEATURE.replace("  @id:S3-001", "  Given I have aws_s3_bucket defined\n  @id:S3-001"),
     "storage\\.feature:4: .*(step|Scenario)", "storage\\.feature:4: .*(step|Scenario)"),
    ("duplicate-id", lambda: h.FEATURE + "\n" + "\n".join(FEATURE_LINES[3:]) + "\n",
     "storage\\.feature:\\d+.*(duplicate guardrail id S3-001|second scenario named)",
     "storage\\.feature:\\d+.*(duplicate guardrail id S3-001|second scenario named)"),
    ("two-ids", lambda: _feature_with("@id:S3-001", "@id:S3-001 @id:S3-002"), "storage\\.feature:\\d+: .*@id",
     "storage\\.feature:\\d+: .*@id"),
    ("bad-deadline", lambda: _feature_with("@severity:high", "@severity:high @deadline:2026-02-30"),
     "storage\\.feature:\\d+: .*deadline", "storage\\.feature:\\d+: .*deadline"),
    ("bad-severity", lambda: _feature_with("@severity:high", "@severity:ultra"), "storage\\.feature:\\d+: .*severity",
     "storage\\.feature:\\d+: .*severity"),
    ("outline-without-examples", lambda: _feature_with("Scenario:", "Scenario Outline:").replace(
        "contain tags", "contain <key>"), "storage\\.feature:\\d+: .*(?i:examples)",
     "storage\\.feature:\\d+: .*(?i:examples)"),
    ("examples-wrong-columns", lambda: _feature_with("Scenario:", "Scenario Outline:").replace(
        "contain tags", "contain <key>") + "\n    Examples:\n      | key |\n      | tags | extra |\n",
     "storage\\.feature:\\d+: .*(column|cells|table)", "storage\\.feature:\\d+: .*(column|cells|table)"),
    ("unterminated-docstring", lambda: h.FEATURE.rstrip("\n") + '\n      """\n      never closed\n',
     "storage\\.feature:\\d+: .*(doc ?string|\"\"\")", "storage\\.feature:\\d+: .*(doc ?string|\"\"\")"),
    ("unknown-step", lambda: _feature_with("Then it must contain tags", "Then it must be a pony"),
     "storage\\.feature:8: .*(step|pony)", "storage\\.feature:8: .*(step|pony)"),
    ("no-scenarios", "Feature: nothing here\n  Only words.\n", "(features|storage\\.feature).*no scenarios",
     "storage\\.feature.*no scenarios"),
    ("empty-file", "", "storage\\.feature(:1)?: .*(empty|no `Feature:`)", "storage\\.feature(:1)?: .*(empty|no `Feature:`)"),
    ("scenario-without-steps", lambda: "\n".join(FEATURE_LINES[:6]) + "\n", "storage\\.feature:5: .*(no steps|step)",
     "storage\\.feature:5: .*(no steps|step)"),
]


def feature_case(command: str, slug: str, data: h.Data, want: str) -> Case:
    def build(tmp: Path) -> list[str]:
        h.write_repo(tmp, h.repo_files(**{F: data}))
        if command == "check":
            return ["check", "--plan", "plans/web.json", *CHECK]
        return ["test"]
    if slug == "unknown-step":  # only the engine knows its steps: the guardrail's result is an error row
        return Case(f"{command}/features/{slug}", build, "storage\\.feature:8.*(step|pony)|(step|pony).*storage\\.feature:8", stream="stdout")
    return Case(f"{command}/features/{slug}", build, want)


LINT_WARNS = {"no-scenarios"}


def lint_case(slug: str, data: h.Data, want: str) -> Case:
    def build(tmp: Path) -> list[str]:
        h.write_repo(tmp, {F: data})
        return ["lint"]
    if slug in LINT_WARNS:
        return Case(f"lint/features/{slug}", build, want, 0, "a feature file without scenarios holds no guardrail to "
                    "drop: lint warns (exit 0; --strict fails it)", stream="stdout")
    return Case(f"lint/features/{slug}", build, want, 1, "lint reports problems in the guardrails with exit 1",
                stream="stdout")


for slug, data, want, lint_want in FEATURE_VARIANTS:
    add(feature_case("check", slug, data, want), lint_case(slug, data, lint_want))
    if slug in ("binary", "scenario-typo", "bad-deadline"):
        add(feature_case("test", slug, data, want))


def features_dir_case(command: str, slug: str, make: Callable[[Path], None], want: str, code: int = 2,
                      why: str = "", stream: str = "stderr") -> Case:
    def build(tmp: Path) -> list[str]:
        h.write_repo(tmp, h.repo_files(**{F: None}))
        make(tmp)
        if command == "check":
            return ["check", "--plan", "plans/web.json", *CHECK]
        return [command]
    return Case(f"{command}/features-dir/{slug}", build, want, code, why, stream=stream)


def _feature_dir_loop(tmp: Path) -> None:
    h.write(tmp / F, h.FEATURE)
    os.symlink("..", tmp / "features" / "loop")


def _feature_is_dir(tmp: Path) -> None:
    h.write(tmp / F, h.FEATURE)
    (tmp / "features" / "other.feature").mkdir()


def _feature_dangling(tmp: Path) -> None:
    h.write(tmp / F, h.FEATURE)
    h.dangling(tmp / "features" / "gone.feature")


def _feature_symlink_loop(tmp: Path) -> None:
    h.write(tmp / F, h.FEATURE)
    h.symlink_loop(tmp / "features" / "loop.feature")


LINT_FILE_WHY = "lint reports a feature file it cannot read as an error problem, exit 1"
for command in ("check", "lint", "test"):
    file_level = {"code": 1, "why": LINT_FILE_WHY, "stream": "stdout"} if command == "lint" else {}
    add(
        features_dir_case(command, "missing", lambda tmp: None, "features: .*(not found|no such)"),
        features_dir_case(command, "is-a-file", lambda tmp: h.write(tmp / "features", h.FEATURE) and None,
                          "features: .*(not a directory|not found)"),
        features_dir_case(command, "only-a-directory-named-x.feature", _feature_is_dir,
                          "other\\.feature: .*(is a directory|not a regular file)", **file_level),
        features_dir_case(command, "dangling-feature-symlink", _feature_dangling,
                          "gone\\.feature: .*(no such|not found|dangling|missing|broken)", **file_level),
        features_dir_case(command, "feature-symlink-loop", _feature_symlink_loop,
                          "loop\\.feature(\\.loop)?: .*(loop|symbolic)", **file_level),
    )
add(features_dir_case("check", "directory-symlink-loop", _feature_dir_loop, "features/loop(/features)?: .*(loop|symbolic)"))


# --- YAML registry files -------------------------------------------------------------------------------

BOMB = h.billion_laughs()
BIG_YAML = "workload: web\nexclusions: []\n# " + "x" * (3 * 1024 * 1024) + "\n"
ALIAS_WANT = "(alias|expand|anchor)"
DEPTH_WANT = "(nested|deep)"
SIZE_WANT = "(larger than|limit|too large)"
E = "exclusions/web.yaml"
EW = "exclusions/web\\.yaml"
EPLACE = f"{EW}(:\\d+|, entry \\d+|, key)"


def _exc(old: str, new: str) -> str:
    assert old in h.EXCLUSIONS, old
    return h.EXCLUSIONS.replace(old, new, 1)


def _exc_entry(**changes: Any) -> Callable[[], str]:
    def make() -> str:
        import yaml

        doc = yaml.safe_load(h.EXCLUSIONS)
        doc["exclusions"][0]["created"] = "2026-02-01"
        doc["exclusions"][0]["expires"] = "2026-04-01"
        for key, value in changes.items():
            if value is _DROP:
                del doc["exclusions"][0][key]
            else:
                doc["exclusions"][0][key] = value
        return yaml.safe_dump(doc, sort_keys=False)
    return make


_DROP = object()

EXCLUSION_VARIANTS: list[tuple[str, h.Data, str]] = [
    ("empty", "", f"{EW}: .*empty"),
    ("binary", h.BINARY, f"{EW}: .*(binary|not UTF-8|cannot read)"),
    ("invalid-utf8", lambda: h.EXCLUSIONS.encode().replace(b"landing zone", b"landing \xe9\xff zone"),
     f"{EW}:6: .*not UTF-8"),
    ("nul-byte", lambda: h.EXCLUSIONS.replace("landing zone", "landing\x00zone"), f"{EW}:6: .*(NUL|#x0000|control)"),
    ("billion-laughs", BOMB, f"{EW}:\\d+: .*{ALIAS_WANT}"),
    ("billion-laughs-in-entry", lambda: h.EXCLUSIONS.replace("    reason: The log", "    notes: &a [1]\n    reason: The log")
     .replace("workload: web\n", "workload: web\n" + h.billion_laughs().replace("lol9:", "x-lol9:")),
     f"{EW}:\\d+: .*{ALIAS_WANT}"),
    ("deep-10000", h.deep_yaml(10000), f"{EW}:\\d+: .*{DEPTH_WANT}"),
    ("over-3MiB", BIG_YAML, f"{EW}: .*{SIZE_WANT}"),
    ("duplicate-key", lambda: _exc("    ticket: PLAT-7\n", "    ticket: PLAT-7\n    ticket: PLAT-8\n"),
     f"{EW}:\\d+: .*(twice|duplicate)"),
    ("duplicate-top-key", lambda: h.EXCLUSIONS + "workload: other\n", f"{EW}:\\d+: .*(twice|duplicate)"),
    ("tab-indent", lambda: h.EXCLUSIONS.replace("    guardrail", "\tguardrail"), f"{EW}:\\d+: .*(YAML|tab)"),
    ("unclosed-quote", lambda: _exc("reason: The", 'reason: "The'), f"{EW}:\\d+: .*YAML"),
    ("two-documents", lambda: h.EXCLUSIONS + "---\nworkload: web\nexclusions: []\n", f"{EW}:\\d+: .*(document|YAML)"),
    ("python-tag", lambda: _exc("ticket: PLAT-7", "ticket: !!python/object:os.system ls"), f"{EW}:\\d+: .*(tag|construct)"),
    ("top-level-list", "- workload: web\n", f"{EW}: .*(mapping|object)"),
    ("top-level-scalar", "web\n", f"{EW}: .*(mapping|object)"),
    ("exclusions-a-string", "workload: web\nexclusions: EXC-1\n", f"{EPLACE}.*(exclusions|array|list)"),
    ("exclusions-a-mapping", "workload: web\nexclusions:\n  id: EXC-1\n", f"{EPLACE}.*(exclusions|array|list)"),
    ("entry-a-list", "workload: web\nexclusions:\n  - [EXC-1, S3-001]\n", f"{EPLACE}.*(object|mapping)"),
    ("entry-a-string", "workload: web\nexclusions:\n  - EXC-1\n", f"{EPLACE}.*(object|mapping)"),
    ("expires-a-number", _exc_entry(expires=20260401), f"{EPLACE}.*expires"),
    ("expires-2026-02-30", _exc_entry(expires="2026-02-30"), f"{EPLACE}.*(real date|date)"),
    ("expires-tomorrow", _exc_entry(expires="tomorrow"), f"{EPLACE}.*(date)"),
    ("expires-before-created", _exc_entry(expires="2026-01-01"), f"{EPLACE}.*(not after|before)"),
    ("expires-with-time", lambda: _exc("expires: 2026-04-01", "expires: 2026-04-01 10:00:00"), f"{EPLACE}.*expires"),
    ("expires-5000-digits", lambda: _exc("expires: 2026-04-01", "expires: " + h.big_int(5000)),
     f"({EW}:11: .*digits|{EPLACE}.*expires)"),
    ("id-a-number", _exc_entry(id=7), f"{EPLACE}.*id"),
    ("id-twice", lambda: h.EXCLUSIONS + "\n".join(h.EXCLUSIONS.splitlines()[2:]) + "\n", f"{EPLACE}.*(duplicate|twice|EXC-1)"),
    ("guardrail-unknown", _exc_entry(guardrail="S3-999"), f"{EPLACE}.*S3-999"),
    ("guardrail-a-list", _exc_entry(guardrail=["S3-001"]), f"{EPLACE}.*guardrail"),
    ("resource-a-number", _exc_entry(resource=5), f"{EPLACE}.*resource"),
    ("resource-empty", _exc_entry(resource=""), f"{EPLACE}.*resource"),
    ("resource-open-bracket", _exc_entry(resource="aws_s3_bucket.logs["), f"{EPLACE}.*(pattern|bracket|\\[)"),
    ("resource-unclosed-key", _exc_entry(resource='aws_s3_bucket.logs["a'), f"{EPLACE}.*(pattern|quote|bracket)"),
    ("resource-triple-star", _exc_entry(resource="***"), f"{EPLACE}.*(pattern|\\*)"),
    ("resource-empty-segment", _exc_entry(resource="module..aws_s3_bucket.x"), f"{EPLACE}.*(pattern|segment|empty)"),
    ("resource-spaces", _exc_entry(resource="aws_s3_bucket. logs"), f"{EPLACE}.*(pattern|space)"),
    ("workload-mismatch", lambda: _exc("workload: web", "workload: other"), f"{EPLACE}.*workload"),
    ("reason-missing", _exc_entry(reason=_DROP), f"{EPLACE}.*reason"),
    ("unknown-key", lambda: _exc("reason:", "reasn:"), f"{EPLACE}.*(reasn|unknown key)"),
    ("approved-by-a-list", _exc_entry(approved_by=["alice.sec@example.com"]), f"{EPLACE}.*approved_by"),
    ("allow-broad-a-string", _exc_entry(allow_broad="yes"), f"{EPLACE}.*allow_broad"),
    ("lifetime-too-long", _exc_entry(expires="2027-12-31"), f"{EPLACE}.*(lifetime|90)"),
]


def _exc_dir(tmp: Path) -> None:
    (tmp / E).mkdir(parents=True)


EXCLUSION_PATHS: list[tuple[str, Callable[[Path], Any], str]] = [
    ("is-a-directory", _exc_dir, f"{EW}: .*(directory)"),
    ("symlink-loop", lambda tmp: h.symlink_loop(tmp / E), f"{EW}: .*(loop|symbolic|cannot read)"),
    ("dangling-symlink", lambda tmp: h.dangling(tmp / E), f"{EW}: .*(no such|dangling|missing|not found)"),
]

VALIDATE_WHY = "exclusions validate reports registry problems with exit 1 (its pull request check)"


def registry_case(command: str, family: str, slug: str, files: dict[str, h.Data | None],
                  make: Callable[[Path], Any] | None, argv: list[str], want: str, code: int = 2, why: str = "",
                  stream: str = "stderr", git: bool = False, remote: bool = False, owner: str = "hostile") -> Case:
    def build(tmp: Path) -> list[str]:
        root = tmp / "repo" if remote else tmp
        if git:
            h.write_repo(root, files)
            if make:
                make(root)
            h.git_repo(root, {}, remote=remote)
        else:
            h.write_repo(root, files)
            if make:
                make(root)
        return [a.replace("{repo}", str(root)) for a in argv]
    return Case(f"{command}/{family}/{slug}", build, want, code, why, stream=stream, owner=owner)


VALIDATE = ["exclusions", "validate"]
for slug, data, want in EXCLUSION_VARIANTS:
    add(registry_case("exclusions-validate", "exclusions", slug, h.repo_files(**{E: data}), None, VALIDATE,
                      want, 1, VALIDATE_WHY, stream="stdout"))
for slug, make, want in EXCLUSION_PATHS:
    add(registry_case("exclusions-validate", "exclusions", slug, h.repo_files(**{E: None}), make, VALIDATE,
                      want, 1, VALIDATE_WHY, stream="stdout"))

LIST_WHY = "exclusions list shows the well-formed entries and warns with a line for each broken one (validate is the gate)"
STATUS_WHY = "status shows what it can and warns with a line for each broken registry file (validate is the gate)"
for slug, data, want in EXCLUSION_VARIANTS:
    if slug in ("binary", "billion-laughs", "deep-10000", "expires-2026-02-30", "resource-open-bracket"):
        add(registry_case("exclusions-list", "exclusions", slug, h.repo_files(**{E: data}), None,
                          ["exclusions", "list"], want, 0, LIST_WHY, stream="both"))
    if slug in ("billion-laughs", "over-3MiB", "expires-a-number"):
        add(registry_case("status", "exclusions", slug, h.repo_files(**{E: data}), None, ["status"],
                          want, 0, STATUS_WHY, stream="both"))
    if slug in ("binary", "billion-laughs-in-entry", "deep-10000", "over-3MiB", "duplicate-key", "expires-2026-02-30",
                "resource-open-bracket", "nul-byte"):
        add(registry_case("check", "exclusions", slug, h.repo_files(**{E: data}), None,
                          ["check", "--plan", "plans/web.json", "--workload", "web", *CHECK], want))
for slug, make, want in EXCLUSION_PATHS:
    add(registry_case("check", "exclusions", slug, h.repo_files(**{E: None}), make,
                      ["check", "--plan", "plans/web.json", "--workload", "web", *CHECK], want))

REQUEST = ["exclusions", "request", "--repo", "{repo}", "--workload", "web", "--guardrail", "S3-001",
           "--resource", "aws_s3_bucket.data", "--reason", "tagged by the landing zone", "--expires", "30d",
           "--requested-by", "dev@example.com", "--dry-run"]
for slug, data, want in EXCLUSION_VARIANTS:
    if slug in ("binary", "billion-laughs", "deep-10000", "over-3MiB", "duplicate-key", "exclusions-a-string"):
        add(registry_case("exclusions-request", "exclusions", slug, h.repo_files(**{E: data}), None, REQUEST,
                          want, git=True, remote=True))


def _request_arg(flag: str, value: str) -> list[str]:
    argv = list(REQUEST)
    argv[argv.index(flag) + 1] = value
    return argv


REQUEST_ARGS: list[tuple[str, list[str], str]] = [
    ("expires-2026-02-30", _request_arg("--expires", "2026-02-30"), "--expires.*(date|2026-02-30)"),
    ("expires-negative", [a for a in REQUEST if a not in ("--expires", "30d")] + ["--expires=-5d"],
     "--expires.*(-5d|future|after)"),
    ("expires-huge", _request_arg("--expires", "999999999d"), "--expires.*(999999999d|lifetime|too far|range)"),
    ("expires-garbage", _request_arg("--expires", "soon"), "--expires.*soon"),
    ("workload-traversal", _request_arg("--workload", "../etc"), "(--workload|workload).*\\.\\./etc"),
    ("workload-slash", _request_arg("--workload", "a/b"), "(--workload|workload).*a/b"),
    ("guardrail-space", _request_arg("--guardrail", "S3 001"), "(--guardrail|guardrail).*S3 001"),
    ("resource-bad-pattern", _request_arg("--resource", "aws_s3_bucket.["), "(--resource|pattern).*aws_s3_bucket\\.\\["),
    ("resource-empty", _request_arg("--resource", ""), "(--resource|resource|pattern)"),
    ("reason-empty", _request_arg("--reason", "  "), "(--reason|reason)"),
    ("id-taken", [*REQUEST, "--id", "EXC-1"], "EXC-1.*(already|used|taken)"),
    ("id-traversal", [*REQUEST, "--id", "../x"], "(--id|id).*\\.\\./x"),
]
for slug, argv, want in REQUEST_ARGS:
    add(registry_case("exclusions-request", "args", slug, h.repo_files(), None, argv, want, git=True, remote=True))


# --- tfguard.yaml ------------------------------------------------------------------------------------------

C = "tfguard.yaml"
CW = "tfguard\\.yaml"
CONFIG_VARIANTS: list[tuple[str, h.Data, str, str]] = [
    # slug, content, want, owner
    ("binary", h.BINARY, f"{CW}: .*(binary|not UTF-8|cannot read)", "hostile"),
    ("invalid-utf8", lambda: h.CONFIG.encode().replace(b"mainline: main", b"mainline: m\xe9\xffin"),
     f"{CW}:6: .*not UTF-8", "hostile"),
    ("billion-laughs", BOMB, f"{CW}:\\d+: .*{ALIAS_WANT}", "hostile"),
    ("deep-10000", h.deep_yaml(10000), f"{CW}:\\d+: .*{DEPTH_WANT}", "hostile"),
    ("over-3MiB", lambda: h.CONFIG + "# " + "x" * (3 * 1024 * 1024) + "\n", f"{CW}: .*{SIZE_WANT}", "hostile"),
    ("duplicate-key", lambda: h.CONFIG + "exclusions:\n  approvers: [mallory@example.com]\n",
     f"{CW}:\\d+: .*(twice|duplicate)", "hostile"),
    ("tab-indent", lambda: h.CONFIG.replace("  mainline", "\tmainline"), f"{CW}:\\d+: .*(YAML|tab)", "hostile"),
    ("top-level-list", "- exclusions\n", f"{CW}(:\\d+)?: .*(mapping|object)", "hostile"),
    ("exclusions-a-list", "exclusions: [a, b]\n", f"{CW}(:\\d+)?: .*exclusions", "hostile"),
    ("deadline-days-a-list", lambda: h.CONFIG.replace("deadline_days: 30", "deadline_days: [30]"),
     f"{CW}(:\\d+)?: .*deadline_days", "config-schema"),
    ("max-lifetime-words", lambda: h.CONFIG.replace("max_lifetime_days: 90", "max_lifetime_days: ninety"),
     f"{CW}(:\\d+)?: .*max_lifetime_days", "config-schema"),
]


def _config_dir(tmp: Path) -> None:
    (tmp / C).mkdir()


CONFIG_PATHS: list[tuple[str, Callable[[Path], Any], str]] = [
    ("is-a-directory", _config_dir, f"{CW}: .*directory"),
    ("symlink-loop", lambda tmp: h.symlink_loop(tmp / C), f"{CW}: .*(loop|symbolic|cannot read)"),
]

CONFIG_COMMANDS: dict[str, tuple[list[str], bool]] = {
    "check": (["check", "--plan", "plans/web.json", *CHECK], False),
    "exclusions-validate": (VALIDATE, False),
    "exclusions-list": (["exclusions", "list"], False),
    "status": (["status"], False),
    "observe": (["observe", "--no-fetch", "--ledger", "none", *CHECK], True),
    "promote": (["promote", "--dry-run", "--self-tests-passed"], True),
}
CONFIG_SAMPLE = {"exclusions-validate": ("binary", "billion-laughs", "duplicate-key", "top-level-list"),
                 "observe": ("billion-laughs", "deep-10000", "max-lifetime-words"), "exclusions-list": ("billion-laughs",),
                 "promote": ("binary", "billion-laughs")}
for slug, data, want, owner in CONFIG_VARIANTS:
    for command, (argv, needs_git) in CONFIG_COMMANDS.items():
        if command in CONFIG_SAMPLE and slug not in CONFIG_SAMPLE[command]:
            continue
        add(registry_case(command, "config", slug, h.repo_files(**{C: data}), None, argv, want, git=needs_git,
                          owner=owner))
for slug, make, want in CONFIG_PATHS:
    for command in ("check", "exclusions-validate", "status"):
        argv, needs_git = CONFIG_COMMANDS[command]
        add(registry_case(command, "config", slug, h.repo_files(**{C: None}), make, argv, want, git=needs_git))


def _enforce_case(slug: str, files: dict[str, h.Data | None], plan: h.Data, want: str,
                  extra: Iterable[str] = ()) -> Case:
    def build(tmp: Path) -> list[str]:
        h.git_repo(tmp / "rules", files)
        h.write(tmp / P, plan)
        return ["enforce", "--rules", str(tmp / "rules"), "--workload", "web", "--plan", P, *CHECK, *extra]
    return Case(f"enforce/{slug}", build, want)


ENFORCE_PLAN_SLUGS = ("empty", "binary-random", "nan", "deep-10000-arrays-in-values", "int-5000-digits",
                      "resource_changes=int", "resource_changes.1.change=str", "format-version-2.0")
for slug, data, want in PLAN_VARIANTS:
    if slug in ENFORCE_PLAN_SLUGS:
        add(_enforce_case(f"plan/{slug}", h.repo_files(), data, want))
for slug, data, want, _owner in CONFIG_VARIANTS:
    if slug in ("binary", "billion-laughs"):
        add(_enforce_case(f"rules-config/{slug}", h.repo_files(**{C: data}), h.plan_text(), want))
for slug, data, want in EXCLUSION_VARIANTS:
    if slug in ("billion-laughs", "expires-2026-02-30"):
        add(_enforce_case(f"rules-exclusions/{slug}", h.repo_files(**{E: data}), h.plan_text(), want))
add(
    Case("enforce/report-dir-is-a-file",
         lambda tmp: (h.git_repo(tmp / "rules", h.repo_files()), h.write(tmp / P, h.plan_text()),
                      h.write(tmp / "taken", "x"))
         and ["enforce", "--rules", str(tmp / "rules"), "--workload", "web", "--plan", P, "--report-dir", "taken",
              *CHECK], f"taken: .*{REFUSE_DIR}"),
    Case("enforce/rules-not-a-repository",
         lambda tmp: (h.write_repo(tmp / "rules", h.repo_files()), h.write(tmp / P, h.plan_text()))
         and ["enforce", "--rules", str(tmp / "rules"), "--workload", "web", "--plan", P, *CHECK],
         "rules.*(not a git|repository|cannot)"),
    Case("enforce/rules-is-a-file",
         lambda tmp: h.write(tmp / P, h.plan_text()) and ["enforce", "--rules", str(tmp / P), "--workload", "web",
                                                          "--plan", P, *CHECK],
         f"{esc(P)}.*(not a git|repository|cannot)"),
)


# --- the workload registry -------------------------------------------------------------------------------

W = "pipeline/workloads/web.yaml"
WW = "pipeline/workloads/web\\.yaml"
WPLACE = f"{WW}(:\\d+|, key)"


def _wl(old: str, new: str) -> str:
    assert old in h.WORKLOAD, old
    return h.WORKLOAD.replace(old, new, 1)


WORKLOAD_VARIANTS: list[tuple[str, h.Data, str]] = [
    ("empty", "", f"{WW}: .*(empty|mapping)"),
    ("binary", h.BINARY, f"{WW}: .*(binary|not UTF-8|cannot read)"),
    ("invalid-utf8", lambda: h.WORKLOAD.encode().replace(b"a web service", b"a w\xe9\xffb service"),
     f"{WW}:2: .*not UTF-8"),
    ("billion-laughs", BOMB, f"{WW}:\\d+: .*{ALIAS_WANT}"),
    ("billion-laughs-in-labels", lambda: h.WORKLOAD + h.billion_laughs().replace("lol", "  lol")
     .replace("  lol0:", "x-lol0:"), f"{WW}:\\d+: .*{ALIAS_WANT}|{WW}:\\d+: .*YAML"),
    ("deep-10000", h.deep_yaml(10000), f"{WW}:\\d+: .*{DEPTH_WANT}"),
    ("over-3MiB", lambda: h.WORKLOAD + "# " + "x" * (3 * 1024 * 1024) + "\n", f"{WW}: .*{SIZE_WANT}"),
    ("duplicate-key", lambda: h.WORKLOAD + "plan: plans/other.json\n", f"{WW}:\\d+: .*(twice|duplicate)"),
    ("top-level-list", "- name: web\n", f"{WW}: .*(mapping|object)"),
    ("owners-a-string", lambda: _wl("owners:\n  - name: Web team\n    contact: web-team@example.com\n",
                                    "owners: web-team@example.com\n"), f"{WPLACE}.*owners"),
    ("notify-an-int", lambda: _wl("notify:\n  - mailto://web-team@example.com\n", "notify: 5\n"), f"{WPLACE}.*notify"),
    ("plan-a-list", lambda: _wl("plan: plans/web.json", "plan: [plans/web.json]"), f"{WPLACE}.*plan"),
    ("labels-a-list", lambda: _wl("labels:\n  team: web\n", "labels: [web]\n"), f"{WPLACE}.*labels"),
    ("name-mismatch", lambda: _wl("name: web", "name: other"), f"{WPLACE}.*(name|other)"),
    ("no-plan-source", lambda: _wl("plan: plans/web.json\n", ""), f"{WW}.*plan source"),
]
WORKLOAD_WHY = "workloads validate reports registry problems with exit 1"
for slug, data, want in WORKLOAD_VARIANTS:
    add(registry_case("workloads-validate", "workloads", slug, h.repo_files(**{W: data}), None,
                      ["workloads", "validate"], want, 1, WORKLOAD_WHY, stream="stdout"))
    if slug in ("billion-laughs", "duplicate-key", "owners-a-string"):
        add(registry_case("observe", "workloads", slug, h.repo_files(**{W: data}), None,
                          ["observe", "--no-fetch", "--ledger", "none", *CHECK], want, stream="stdout", git=True))
    if slug in ("binary", "billion-laughs", "deep-10000", "over-3MiB"):
        add(registry_case("exclusions-validate", "workloads", slug, h.repo_files(**{W: data}), None, VALIDATE,
                          want, 0, "exclusions validate checks the exclusions: a broken workload file is a warning "
                          "here and an error of `tfguard workloads validate`", stream="both"))
        add(registry_case("workloads-list", "workloads", slug, h.repo_files(**{W: data}), None, ["workloads", "list"],
                          want, 0, "workloads list lists the valid workloads and warns about each broken file",
                          stream="both"))


def _wl_plan(target: str) -> Callable[[], str]:
    return lambda: _wl("plan: plans/web.json", f"plan: {target}")


def _plan_loop(root: Path) -> None:
    (root / "plans" / "web.json").unlink()
    h.symlink_loop(root / "plans" / "web.json")


for slug, data, make, want in [
    ("plan-is-dev-zero", _wl_plan("/dev/zero"), None, "/dev/zero: .*(not a regular file|larger than|limit)"),
    ("plan-is-a-directory", _wl_plan("plans"), None, "plans: .*directory"),
    ("plan-symlink-loop", h.WORKLOAD, _plan_loop, "plans/web\\.json: .*(loop|symbolic)"),
]:
    add(registry_case("observe", "workload-plan", slug, h.repo_files(**{W: data}), make,
                      ["observe", "--no-fetch", "--ledger", "none", *CHECK], want, stream="stdout", git=True))

OBSERVE_PLAN_SLUGS = ("binary-random", "duplicate-top-key", "resource_changes.1.change=str", "int-5000-digits")
for slug, data, want in PLAN_VARIANTS:
    if slug in OBSERVE_PLAN_SLUGS:
        add(registry_case("observe", "plan", slug, h.repo_files(**{"plans/web.json": data}), None,
                          ["observe", "--no-fetch", "--ledger", "none", *CHECK],
                          want.replace(esc(P), "plans/web\\.json"), stream="stdout", git=True))
    if slug in ("binary-random", "resource_changes=int", "deep-10000-arrays-in-values"):
        add(registry_case("exclusions-validate", "plan", slug, h.repo_files(**{"plans/web.json": data}), None,
                          [*VALIDATE, "--plan", "web=plans/web.json"], want.replace(esc(P), "plans/web\\.json"), 2))
        add(registry_case("test", "fixture-plan", slug,
                          h.repo_files(**{f"tests/guardrails/{h.GUARDRAIL}/pass/tagged.json": data}), None, ["test"],
                          "pass/tagged\\.json: " + want.split(": ", 1)[1], 1,
                          "a fixture that cannot be read fails its guardrail's self-test", stream="stdout"))
for slug, data, want in EXCLUSION_VARIANTS:
    if slug in ("billion-laughs", "deep-10000"):
        add(registry_case("observe", "exclusions", slug, h.repo_files(**{E: data}), None,
                          ["observe", "--no-fetch", "--ledger", "none", *CHECK], want, stream="stdout", git=True))
add(
    registry_case("observe", "output", "report-dir-is-a-file", h.repo_files(taken="x"), None,
                  ["observe", "--no-fetch", "--ledger", "none", "--report-dir", "taken", *CHECK],
                  f"taken: .*{REFUSE_DIR}", git=True),
    registry_case("observe", "output", "report-dir-holds-a-plan",
                  h.repo_files(**{W: _wl("plan: plans/web.json", "plan: out/results.json"),
                                  "out/results.json": h.plan_text()}), None,
                  ["observe", "--no-fetch", "--ledger", "none", "--report-dir", "out", *CHECK],
                  f"out/results\\.json: .*{REFUSE_INPUT}", git=True),
)

EXPECTED_VARIANTS: list[tuple[str, h.Data, str]] = [
    ("binary", h.BINARY, "expected\\.yaml: .*(binary|not UTF-8|cannot read)"),
    ("billion-laughs", BOMB, f"expected\\.yaml:\\d+: .*{ALIAS_WANT}"),
    ("deep-10000", h.deep_yaml(10000), f"expected\\.yaml:\\d+: .*{DEPTH_WANT}"),
    ("fail-a-list", "fail: [untagged.json]\n", "expected\\.yaml(:\\d+)?: .*fail"),
    ("duplicate-key", "fail:\n  untagged.json: [aws_s3_bucket.logs]\n  untagged.json: []\n",
     "expected\\.yaml:\\d+: .*(twice|duplicate)"),
    ("top-level-list", "- fail\n", "expected\\.yaml: .*(mapping|object)"),
]
for slug, data, want in EXPECTED_VARIANTS:
    add(registry_case("test", "expected", slug, h.repo_files(**{f"tests/guardrails/{h.GUARDRAIL}/expected.yaml": data}),
                      None, ["test"], want, 1, "an expected.yaml that cannot be read fails its guardrail's self-test",
                      stream="stdout"))
add(
    registry_case("test", "fixtures", "missing", h.repo_files(), None, ["test", "--fixtures", "nofixtures"],
                  "nofixtures: .*(not found|no such|directory)"),
    registry_case("test", "fixtures", "is-a-file", h.repo_files(), None, ["test", "--fixtures", "tfguard.yaml"],
                  "tfguard\\.yaml: .*(not a directory|directory)"),
)


def _observation() -> dict[str, Any]:
    return {"schema_version": "1.0", "branch": "feature/x", "commit": "a" * 40, "mainline": "main",
            "mainline_commit": "b" * 40, "new": [h.GUARDRAIL], "changed": [], "removed": [], "digests": {},
            "deadlines": {}, "today": h_today(), "created": "", "features": "features", "digest": "c" * 64,
            "registry_problems": [], "shard": "", "workloads": ["web"]}


def h_today() -> str:
    from hostile_harness import TODAY

    return TODAY


def _observe_results() -> dict[str, Any]:
    doc = h.results_data()
    doc["mode"] = "observe"
    doc["rules_source"] = {"branch": "feature/x", "commit": "a" * 40, "mainline": "main", "mainline_commit": "b" * 40}
    doc["changed_guardrails"] = [h.GUARDRAIL]
    return doc


OBS = "out/observation.json"
OR = "out/results.json"


def _observed() -> dict[str, h.Data | None]:
    """out/ as `tfguard observe` leaves it: observation.json whose digest matches results.json."""
    from runner.workflow.observe import observation_digest

    results = _observe_results()
    obs = {**_observation(), "digest": observation_digest(results, "a" * 40, "b" * 40)}
    return {OBS: json.dumps(obs), OR: json.dumps(results)}

# --- the ledger ----------------------------------------------------------------------------------------------

L = ".tfguard/ledger.json"
LW = "\\.tfguard/ledger\\.json"


def _ledger(**doc: Any) -> str:
    base = {"schema_version": 1, "guardrails": {}, "status": {}, "observed": [], "notifications": {}, "outbox": [],
            "delivered": [], "promotions": [], "updated": ""}
    base.update(doc)
    return json.dumps(base, indent=1)


LEDGER_VARIANTS: list[tuple[str, h.Data, str]] = [
    ("empty", "", f"{LW}: .*(empty|JSON)"),
    ("garbage", "this is not a ledger\n", f"{LW}: .*JSON.*{SYNTAX}"),
    ("binary", h.BINARY, f"{LW}: .*(binary|not UTF-8|not JSON)"),
    ("truncated", lambda: _ledger()[:40], f"{LW}: .*JSON.*{SYNTAX}"),
    ("a-list", "[]", f"{LW}: .*(object|top level)"),
    ("a-string", '"ledger"', f"{LW}: .*(object|top level)"),
    ("schema-version-words", _ledger(schema_version="one"), f"{LW}: /schema_version: .*"),
    ("schema-version-newer", _ledger(schema_version=99), f"{LW}: .*(newer|schema_version)"),
    ("guardrails-a-list", _ledger(guardrails=[]), f"{LW}: /guardrails: expected an object, got an array"),
    ("guardrail-entry-a-string", _ledger(guardrails={"S3-001": "pending"}),
     f"{LW}: /guardrails/S3-001: expected an object, got a string"),
    ("bad-deadline", _ledger(guardrails={"S3-001": {"state": "pending", "first_observed": "2026-02-01",
                                                     "deadline": "2026-02-30", "digests": []}}),
     f"{LW}: /guardrails/S3-001/deadline: .*(date|2026-02-30)"),
    ("status-a-string", _ledger(status="failing"), f"{LW}: /status: expected an object, got a string"),
    ("status-points-wrong", _ledger(status={"S3-001": {"web": "failed"}}),
     f"{LW}: /status/S3-001/web: expected an array, got a string"),
    ("outbox-an-object", _ledger(outbox={}), f"{LW}: /outbox: expected an array, got an object"),
    ("outbox-entry-a-string", _ledger(outbox=["mail"]), f"{LW}: /outbox/0: expected an object, got a string"),
    ("promotions-a-number", _ledger(promotions=3), f"{LW}: /promotions: expected an array, got a number"),
    ("nan", lambda: _ledger().replace('"updated": ""', '"updated": NaN'), f"{LW}: .*NaN.*{SYNTAX}"),
    ("duplicate-key", lambda: _ledger().replace('"updated": ""', '"updated": "", "outbox": []'),
     f"{LW}: top level: duplicate key .outbox."),
    ("deep-10000", lambda: _ledger().replace('"updated": ""', '"updated": ' + h.deep_json(10000)), f"{LW}: .*{DEEP}"),
    ("int-5000-digits", lambda: _ledger().replace('"updated": ""', '"updated": ' + h.big_int(5000)),
     f"{LW}: .*{DIGITS}"),
]


def _ledger_dir(tmp: Path) -> None:
    (tmp / L).mkdir(parents=True)


LEDGER_PATHS: list[tuple[str, Callable[[Path], Any], str]] = [
    ("is-a-directory", _ledger_dir, f"{LW}: .*directory"),
    ("symlink-loop", lambda tmp: h.symlink_loop(tmp / L), f"{LW}: .*(loop|symbolic)"),
]
for slug, data, want in LEDGER_VARIANTS:
    add(registry_case("status", "ledger", slug, h.repo_files(**{L: data}), None, ["status", "--ledger", "file"], want))
    if slug in ("garbage", "guardrails-a-list", "outbox-entry-a-string"):
        add(registry_case("promote", "ledger", slug, h.repo_files(**{L: data, **_observed()}), None,
                          ["promote", "--dry-run", "--self-tests-passed", "--ledger", "file"], want, git=True))
    if slug in ("outbox-entry-a-string",):
        add(registry_case("observe", "ledger", slug, h.repo_files(**{L: data}), None,
                          ["observe", "--no-fetch", "--ledger", "file", *CHECK], want, git=True))
for slug, make, want in LEDGER_PATHS:
    add(registry_case("status", "ledger", slug, h.repo_files(), make, ["status", "--ledger", "file"], want))
add(
    registry_case("status", "ledger", "ledger-path-is-a-directory", h.repo_files(), lambda tmp: (tmp / "d.json").mkdir(),
                  ["status", "--ledger", "d.json"], "d\\.json: .*directory"),
    registry_case("status", "ledger", "ledger-path-is-binary", h.repo_files(**{"bin/ledger.json": h.BINARY}), None,
                  ["status", "--ledger", "bin/ledger.json"], "bin/ledger\\.json: .*(binary|not UTF-8|JSON)"),
    registry_case("status", "repo", "repo-missing", {}, None, ["status", "--repo", "nowhere"],
                  "nowhere: .*(not a directory|not found|no such)"),
    registry_case("status", "repo", "repo-is-a-file", {"afile": "x"}, None, ["status", "--repo", "afile"],
                  "afile: .*(not a directory)"),
)


# --- report --from -----------------------------------------------------------------------------------------

R = "results.json"
RW = "results\\.json"


def _res(fn: Callable[[dict[str, Any]], Any]) -> Callable[[], str]:
    return h.mutate(fn, h.results_data)


REPORT_VARIANTS: list[tuple[str, h.Data, str]] = [
    ("a-list", "[]", f"{RW}: .*(top level|object).*array"),
    ("a-number", "42", f"{RW}: .*(top level|object).*number"),
    ("a-string", '"results"', f"{RW}: .*(top level|object).*string"),
    ("null", "null", f"{RW}: .*(top level|object).*null"),
    ("binary", h.BINARY, f"{RW}: .*(binary|not UTF-8)"),
    ("empty", "", f"{RW}: .*(empty|JSON)"),
    ("truncated", lambda: h.results_text()[:200], f"{RW}: .*JSON.*{SYNTAX}"),
    ("invalid-utf8", lambda: h.results_text().encode().replace(b"carry tags", b"carry \xe9\xff tags"),
     f"{RW}: .*not UTF-8.*{SYNTAX}"),
    ("nan", lambda: h.results_text().replace('"line": 5', '"line": NaN'), f"{RW}: .*NaN.*{SYNTAX}"),
    ("duplicate-key", lambda: h.results_text().replace('"mode": "check"', '"mode": "check", "mode": "observe"'),
     f"{RW}: top level: duplicate key .mode."),
    ("deep-10000", lambda: h.results_text().replace('"warnings": []', '"warnings": ' + h.deep_json(10000)),
     f"{RW}: .*{DEEP}"),
    ("int-5000-digits", lambda: h.results_text().replace('"line": 5', '"line": ' + h.big_int(5000)),
     f"{RW}: .*{DIGITS}"),
    ("schema-version-2", _res(_set("/schema_version", "2.0")), f"{RW}: .*schema_version.*2\\.0"),
    ("schema-version-missing", _res(_drop("/schema_version")), f"{RW}: .*schema_version"),
    ("results-an-object", _res(_set("/results", {})), at(R, "/results", "expected an array, got an object")),
    ("result-a-string", _res(_set("/results/0", "failed")), at(R, "/results/0", "expected an object, got a string")),
    ("status-bogus", _res(_set("/results/0/status", "bogus")), at(R, "/results/0/status", "expected one of .*bogus")),
    ("findings-an-int", _res(_set("/results/0/findings", 3)), at(R, "/results/0/findings", "expected an array, got a number")),
    ("finding-severity-ultra", _res(_set("/results/0/findings/0/severity", "ultra")),
     at(R, "/results/0/findings/0/severity", "expected one of .*ultra")),
    ("guardrail-without-id", _res(_drop("/guardrails/0/id")), at(R, "/guardrails/0", "missing required key .id.")),
    ("guardrail-line-a-string", _res(_set("/guardrails/0/line", "five")),
     at(R, "/guardrails/0/line", "expected an integer, got a string")),
    ("deadline-2026-02-30", _res(_set("/guardrails/0/deadline", "2026-02-30")),
     at(R, "/guardrails/0/deadline", ".*(date|2026-02-30)")),
    ("workloads-a-string", _res(_set("/workloads", "web")), at(R, "/workloads", "expected an array, got a string")),
    ("a-terraform-plan", h.plan_text, f"{RW}: .*(not a tfguard results|schema_version|missing required)"),
]
for slug, data, want in REPORT_VARIANTS:
    add(registry_case("report", "from", slug, {R: data}, None, ["report", "--from", R], want))
    if slug in ("a-list", "binary", "status-bogus", "results-an-object"):
        add(registry_case("report", "from-html", slug, {R: data}, None,
                        ["report", "--from", R, "--format", "html", "-o", "dash.html"], want))


def _report_dir(tmp: Path) -> None:
    (tmp / R).mkdir()


for slug, make, want in [
    ("directory", _report_dir, f"{RW}: .*directory"),
    ("missing", lambda tmp: None, f"{RW}: .*(no such|not found)"),
    ("symlink-loop", lambda tmp: h.symlink_loop(tmp / R), f"{RW}: .*(loop|symbolic)"),
    ("dangling-symlink", lambda tmp: h.dangling(tmp / R), f"{RW}: .*(no such|not found|dangling|missing)"),
]:
    add(registry_case("report", "from", slug, {}, make, ["report", "--from", R], want))
add(registry_case("report", "from", "dev-zero", {}, None, ["report", "--from", "/dev/zero"],
                  "/dev/zero: .*(not a regular file|larger than|limit)"))

HISTORY_VARIANTS: list[tuple[str, str, h.Data, str]] = [
    ("history", "binary", h.BINARY, "history\\.json: .*(binary|not UTF-8)"),
    ("history", "list-of-strings", '["2026-03-01"]', "history\\.json: /0: expected an object, got a string"),
    ("history", "garbage-lines", '{"date": "2026-03-01"}\nnot json\n', "history\\.json:2: .*JSON"),
    ("history", "deep-10000", h.deep_json(10000), f"history\\.json: .*{DEEP}"),
    ("history", "record-date-a-number", '[{"date": 5, "guardrail": "S3-001", "workload": "web", "status": "failed"}]',
     "history\\.json: /0/date: expected a string, got a number"),
    ("pending", "a-list", "[]", "pending\\.json: .*(object|mapping)"),
    ("pending", "binary", h.BINARY, "pending\\.json: .*(binary|not UTF-8)"),
    ("pending", "deadline-a-number", '{"S3-001": 5}', "pending\\.json: /S3-001: .*(string|date)"),
]
for flag, slug, data, want in HISTORY_VARIANTS:
    add(registry_case("report", flag, slug, {R: h.results_text(), f"{flag}.json": data}, None,
                      ["report", "--from", R, "--format", "html", "-o", "dash.html", f"--{flag}", f"{flag}.json"], want))


# --- promote --from ------------------------------------------------------------------------------------------

PROMOTE = ["promote", "--dry-run", "--self-tests-passed", "--ledger", "file"]
PROMOTE_VARIANTS: list[tuple[str, dict[str, h.Data | None], str]] = [
    ("observation-garbage", {OBS: "not json", OR: json.dumps(_observe_results())}, "out/observation\\.json: .*JSON"),
    ("observation-binary", {OBS: h.BINARY, OR: json.dumps(_observe_results())},
     "out/observation\\.json: .*(binary|not UTF-8|JSON)"),
    ("observation-a-list", {OBS: "[]", OR: json.dumps(_observe_results())}, "out/observation\\.json: .*(object|top level)"),
    ("observation-new-an-int", {OBS: json.dumps({**_observation(), "new": 5}), OR: json.dumps(_observe_results())},
     "out/observation\\.json: /new: expected an array, got a number"),
    ("observation-schema-9", {OBS: json.dumps({**_observation(), "schema_version": "9.0"}),
                              OR: json.dumps(_observe_results())}, "out/observation\\.json: .*schema_version"),
    ("observation-deep", {OBS: json.dumps(_observation()).replace('"shard": ""', '"shard": ' + h.deep_json(10000)),
                          OR: json.dumps(_observe_results())}, f"out/observation\\.json: .*{DEEP}"),
    ("results-garbage", {OBS: json.dumps(_observation()), OR: "garbage"}, "out/results\\.json: .*JSON"),
    ("results-a-list", {OBS: json.dumps(_observation()), OR: "[]"}, "out/results\\.json: .*(object|top level)"),
    ("results-missing", {OBS: json.dumps(_observation())}, "out/results\\.json: .*(no such|not found|observation)"),
    ("results-of-check", {OR: h.results_text()}, "out/results\\.json: .*observe"),
    ("results-status-bogus", {OBS: json.dumps(_observation()),
                              OR: json.dumps(_observe_results()).replace('"status": "failed"', '"status": "bogus"')},
     "out/results\\.json: /results/0/status: expected one of .*bogus"),
]
for slug, files, want in PROMOTE_VARIANTS:
    add(registry_case("promote", "from", slug, h.repo_files(**files), None, PROMOTE, want, git=True))
add(
    registry_case("promote", "from", "from-missing", h.repo_files(), None, [*PROMOTE, "--from", "nowhere"],
                  "nowhere.*(no such|not found|no observation|directory)", git=True),
    registry_case("promote", "from", "from-is-a-file", h.repo_files(), None, [*PROMOTE, "--from", "tfguard.yaml"],
                  "tfguard\\.yaml.*(not a directory|directory)", git=True),
    registry_case("promote", "from", "observation-is-a-directory", h.repo_files(**{OR: json.dumps(_observe_results())}),
                  lambda tmp: (tmp / "obsdir").mkdir(), [*PROMOTE, "--observation", "obsdir"], "obsdir: .*directory",
                  git=True),
    registry_case("promote", "self-tests", "self-tests-is-a-directory",
                  h.repo_files(**_observed()), lambda tmp: (tmp / "st").mkdir(),
                  ["promote", "--dry-run", "--ledger", "file", "--self-tests", "st"], "st: .*directory", git=True),
)


# --- plan-from-source (its own limits belong to the plan-from-source work) ------------------------------------

TF = 'resource "aws_s3_bucket" "data" {\n  bucket = "data"\n  tags = { owner = "team" }\n}\n'


def _pfs(slug: str, files: dict[str, h.Data], want: str, argv: list[str] | None = None,
         make: Callable[[Path], Any] | None = None, code: int = 2, why: str = "", stream: str = "stderr") -> Case:
    def build(tmp: Path) -> list[str]:
        h.write_repo(tmp, files)
        (tmp / "src").mkdir(exist_ok=True)
        if make:
            make(tmp)
        return argv or ["plan-from-source", "src", "-o", "plan.json"]
    return Case(f"plan-from-source/{slug}", build, want, code, why, stream=stream, owner="plan-from-source")


def _deep_hcl(depth: int) -> str:
    return "locals {\n  x = " + "[" * depth + "1" + "]" * depth + "\n}\n"


SRC = "src/main\\.tf"
USE_X = 'resource "aws_s3_bucket" "b" {\n  bucket = local.x\n}\n'
add(
    _pfs("invalid-hcl", {"src/main.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = \n'}, f"{SRC}:\\d+"),
    _pfs("unclosed-block", {"src/main.tf": 'resource "aws_s3_bucket" "x" {\n'}, f"{SRC}(:\\d+)?: "),
    _pfs("binary-tf", {"src/main.tf": h.BINARY}, f"{SRC}: .*(binary|not UTF-8)"),
    _pfs("invalid-utf8-tf", {"src/main.tf": TF.encode().replace(b'"data"', b'"d\xe9\xffta"', 1)},
         f"{SRC}:\\d+: .*not UTF-8|{SRC}: .*not UTF-8"),
    _pfs("nested-3000", {"src/main.tf": _deep_hcl(3000)}, f"{SRC}(:\\d+)?: .*(nest|deep)"),
    _pfs("nested-3000-objects", {"src/main.tf": "locals {\n  x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n}\n"},
         f"{SRC}(:\\d+)?: .*(nest|deep)"),
    _pfs("count-1e9", {"src/main.tf": 'resource "aws_s3_bucket" "x" {\n  count = 1000000000\n  bucket = "x"\n}\n'},
         f"{SRC}(:\\d+)?: .*(count|instances|limit)"),
    _pfs("for-each-huge-range", {"src/main.tf": 'resource "aws_s3_bucket" "x" {\n  for_each = toset([for i in '
                                 'range(100000000) : tostring(i)])\n  bucket = each.key\n}\n'},
         "(range|for_each|not evaluated)", code=0, stream="both",
         why="range() past 1024 elements cannot be evaluated: the resource is reported not evaluated in every "
             "format (never a pass), as plan-from-source documents"),
    # the renderer evaluates what a resource reads (as terraform plans what it must), so the local is used
    _pfs("format-huge-width", {"src/main.tf": 'locals {\n  x = format("%999999999d", 1)\n}\n' + USE_X},
         f"{SRC}(:\\d+)?: .*(format|width|limit)"),
    _pfs("file-dev-zero", {"src/main.tf": 'locals {\n  x = file("/dev/zero")\n}\n' + USE_X},
         f"({SRC}(:\\d+)?|/dev/zero): .*(file|limit|regular|larger)"),
    _pfs("int-5000-digits", {"src/main.tf": "locals {\n  x = " + h.big_int(5000) + "\n}\n"},
         f"{SRC}(:\\d+)?: .*(digits|number|limit)"),
    _pfs("output-is-a-directory", {"src/main.tf": TF}, "out: .*(directory)",
         argv=["plan-from-source", "src", "-o", "out"], make=lambda tmp: (tmp / "out").mkdir()),
    _pfs("output-is-its-source", {"src/main.tf": TF}, f"{SRC}: .*({REFUSE_INPUT}|would be read as Terraform source)",
         argv=["plan-from-source", "src", "-o", "src/main.tf"]),
    _pfs("output-is-a-var-file", {"src/main.tf": TF, "vars.tfvars.json": '{"a": 1}'},
         f"vars\\.tfvars\\.json: .*({REFUSE_INPUT}|is one of the files plan-from-source reads)",
         argv=["plan-from-source", "src", "--var-file", "vars.tfvars.json", "-o", "vars.tfvars.json"]),
    _pfs("dir-missing", {}, "nosrc: .*(not a directory|not found|no such)",
         argv=["plan-from-source", "nosrc", "-o", "plan.json"]),
    _pfs("dir-is-a-file", {"afile.tf": TF}, "afile\\.tf: .*(not a directory)",
         argv=["plan-from-source", "afile.tf", "-o", "plan.json"]),
    _pfs("no-tf-files", {}, "src: .*(no .*\\.tf|no Terraform|empty)"),
    _pfs("var-file-missing", {"src/main.tf": TF}, "nope\\.tfvars: .*(no such|not found)",
         argv=["plan-from-source", "src", "--var-file", "nope.tfvars", "-o", "plan.json"]),
    _pfs("var-file-binary", {"src/main.tf": TF, "b.tfvars": h.BINARY}, "b\\.tfvars: .*(binary|not UTF-8)",
         argv=["plan-from-source", "src", "--var-file", "b.tfvars", "-o", "plan.json"]),
    _pfs("var-file-json-garbage", {"src/main.tf": TF, "v.tfvars.json": "{nope"}, "v\\.tfvars\\.json(:\\d+)?: .*JSON",
         argv=["plan-from-source", "src", "--var-file", "v.tfvars.json", "-o", "plan.json"]),
    _pfs("var-file-json-deep", {"src/main.tf": TF, "v.tfvars.json": '{"a": ' + h.deep_json(10000) + "}"},
         f"v\\.tfvars\\.json: .*{DEEP}|v\\.tfvars\\.json: .*(nest|deep)",
         argv=["plan-from-source", "src", "--var-file", "v.tfvars.json", "-o", "plan.json"]),
    _pfs("var-bad-syntax", {"src/main.tf": TF}, "-var.*(NAME=VALUE|=)",
         argv=["plan-from-source", "src", "-var", "novalue", "-o", "plan.json"]),
    _pfs("tf-is-a-directory", {"src/main.tf": TF}, "src/other\\.tf: .*directory",
         make=lambda tmp: (tmp / "src" / "other.tf").mkdir()),
    _pfs("tf-symlink-loop", {"src/main.tf": TF}, "src/loop\\.tf: .*(loop|symbolic)",
         make=lambda tmp: h.symlink_loop(tmp / "src" / "loop.tf")),
    _pfs("module-calls-itself", {"src/main.tf": TF + 'module "again" {\n  source = "./"\n}\n'},
         f"{SRC}(:\\d+)?: .*(module|recurs|cycle|itself)"),
    _pfs("module-source-missing", {"src/main.tf": TF + 'module "gone" {\n  source = "./gone"\n}\n'},
         "(gone|module)", code=0, stream="both",
         why="a module whose source is absent is rendered as unknown with a warning, as plan-from-source documents"),
)


def by_name() -> dict[str, Case]:
    found: dict[str, Case] = {}
    for case in CASES:
        if case.name in found:
            raise ValueError(f"two cases named {case.name}")
        found[case.name] = case
    return found
