"""runner/engine/speedups.py and corrections.InstanceIndex answer exactly what the code they replace
answers: terraform-compliance's own helpers, on every fixture plan of the library, parsed by the engine's
real plan parser."""

from __future__ import annotations

import contextlib
import copy
import io
import itertools
import random
import re

import pytest
from helpers import REPO_ROOT

from runner.engine import speedups
from runner.engine.corrections import InstanceIndex, same_module_instance

FIXTURES = sorted((REPO_ROOT / "tests" / "guardrails").glob("*/*/*.json"))
NEEDLES = sorted({m.lower() for f in (REPO_ROOT / "features").glob("*.feature")
                  for m in re.findall(r"resource that supports (\w+)", f.read_text(encoding="utf-8"))}
                 | {"tags", "TAGS", "address", "values", "type", "mode", "bucket", "rule", "enabled", "none_such"})


def _helpers():
    with contextlib.redirect_stdout(io.StringIO()):
        from terraform_compliance.common import helper
        from terraform_compliance.extensions.terraform import TerraformParser
    return helper, TerraformParser


@pytest.fixture(scope="module")
def parsed():
    """Every fixture plan, parsed by terraform-compliance's TerraformParser (as the engine does)."""
    _, parser_class = _helpers()
    out = []
    with contextlib.redirect_stdout(io.StringIO()):
        for path in FIXTURES:
            try:
                out.append((path, parser_class(str(path), parse_it=True)))
            except Exception:  # noqa: BLE001 - a fixture the engine cannot parse is the engine's business
                continue
    assert len(out) > 0.9 * len(FIXTURES)
    return out


def test_find_root_by_key_from_the_index_matches_the_engine_on_every_fixture(parsed):
    helper, _ = _helpers()
    indexed = speedups.indexed_find_root_by_key(helper.find_root_by_key)
    checked = 0
    for path, parser in parsed:
        for needle in NEEDLES:
            for return_key in ("type", None):
                want = set(helper.find_root_by_key(parser.resources_raw, needle, return_key))
                got = indexed(parser.resources_raw, needle, return_key)
                assert set(got) == want and len(got) == len(set(got)), (path, needle, return_key)
                checked += 1
    assert checked > 1000


def test_find_resources_by_type_from_the_index_matches_the_engine_on_every_fixture(parsed):
    helper, parser_class = _helpers()
    original = parser_class.find_resources_by_type
    original = speedups._ORIGINALS.get("find_resources_by_type", original)
    indexed = speedups.indexed_find_resources_by_type(original)
    for path, parser in parsed:
        types = {r.get("type") for r in parser.resources.values()} | {"aws_none_such", "any"}
        for rtype, sensitive in itertools.product(sorted(t for t in types if isinstance(t, str)), (False, True)):
            for asked in (rtype, rtype.upper()):
                match = helper.Match(case_sensitive=sensitive)
                want = original(parser, asked, match)
                got = indexed(parser, asked, match)
                assert [id(r) for r in got] == [id(r) for r in want], (path, asked, sensitive)


def test_the_type_index_follows_a_plan_whose_resources_changed():
    helper, _ = _helpers()

    class Parser:
        def __init__(self):
            self.resources = {"a.x": {"type": "aws_a", "mode": "managed"}}

        def find_resources_by_type(self, resource_type, match):
            return [r for r in self.resources.values()
                    if match.equals(r["type"], resource_type) and r["mode"] == "managed"]

    p = Parser()
    indexed = speedups.indexed_find_resources_by_type(Parser.find_resources_by_type)
    match = helper.Match(case_sensitive=False)
    assert len(indexed(p, "aws_a", match)) == 1
    p.resources["b.y"] = {"type": "aws_a", "mode": "managed"}
    assert len(indexed(p, "aws_a", match)) == 2
    p.resources = {"c.z": {"type": "aws_c", "mode": "data"}}
    assert indexed(p, "aws_c", match) == []
    p.resources = {"d.w": {"type": ["not", "a", "scalar"], "mode": "managed"}}
    with pytest.raises(TypeError):  # as the engine raises
        indexed(p, "aws_c", match)


def test_the_root_index_is_rebuilt_for_another_haystack_and_falls_back_on_odd_shapes():
    helper, _ = _helpers()
    indexed = speedups.indexed_find_root_by_key(helper.find_root_by_key)
    a = {"r1": {"type": "t1", "values": {"Encrypted": True}}, "r2": {"type": "t2", "values": [{"encrypted": 1}]}}
    assert sorted(indexed(a, "encrypted", "type")) == ["t1", "t2"]
    b = {"r3": {"type": "t3", "values": {"other": {"encrypted": None}}}}
    assert indexed(b, "ENCRYPTED", "type") == ["t3"]
    assert indexed(b, "r3") == ["r3"]  # the root key itself, as the engine matches it
    odd = {"r4": {"type": "t4", "values": {1: {"encrypted": True}}}}  # a key that is not a string
    with pytest.raises(AttributeError):  # the engine's own answer
        helper.find_root_by_key(odd, "encrypted", "type")
    with pytest.raises(AttributeError):
        indexed(odd, "encrypted", "type")


def test_json_copy_is_a_deep_copy():
    value = {"a": [1, 2.5, {"b": None, "c": [True, "x"]}], "d": {"e": {"f": "g"}}, "t": (1, 2)}
    copied = speedups.json_copy(value)
    assert copied == copy.deepcopy(value)
    copied["a"][2]["c"].append("y")
    copied["d"]["e"]["f"] = "changed"
    assert value["a"][2]["c"] == [True, "x"] and value["d"]["e"]["f"] == "g"
    cyclic: dict = {"x": []}
    cyclic["x"].append(cyclic)
    again = speedups.json_copy(cyclic)
    assert again["x"][0] is again and again is not cyclic  # deepcopy's answer for a cycle


def test_remove_mounted_resources_matches_the_engine(parsed):
    helper, _ = _helpers()
    for path, parser in parsed:
        stash = list(parser.resources.values())
        want = helper.remove_mounted_resources(stash)
        got = speedups.remove_mounted_resources(stash)
        assert got == want, path
        assert all(g is not s for g, s in zip(got, stash))


def test_addresses_from_the_stash_match_the_engine():
    helper, _ = _helpers()
    rng = random.Random(7)
    for _ in range(200):
        stash = [{"address": f"aws_x.r{rng.randrange(20)}"} if rng.random() < 0.9 else {"other": 1}
                 for _ in range(rng.randrange(60))]
        assert speedups.get_resource_address_list_from_stash(stash) == helper.get_resource_address_list_from_stash(stash)
    odd = [{"address": ["unhashable"]}, {"address": ["unhashable"]}, {"address": "a"}]
    assert speedups.get_resource_address_list_from_stash(odd) == [["unhashable"], "a"]


def _addresses(rng: random.Random) -> list[str]:
    out = []
    for _ in range(rng.randrange(1, 40)):
        chain = []
        for depth in range(rng.randrange(0, 3)):
            name = rng.choice(["a", "b", "t"]) if depth == 0 else rng.choice(["inner", "sse"])
            key = rng.choice(["", "[0]", "[1]", '["x"]', '["y.z"]'])
            chain.append(f"module.{name}{key}")
        out.append(".".join([*chain, f"aws_{rng.choice(['s3_bucket', 'kms_key'])}.this{rng.choice(['', '[0]'])}"]))
    return out


def test_instance_index_pairs_as_same_module_instance_does():
    rng = random.Random(11)
    for _ in range(300):
        targets = _addresses(rng)
        index = InstanceIndex(targets)
        for source in _addresses(rng):
            want = [t for t in targets if same_module_instance(source, t)]
            assert sorted(index.paired(source)) == sorted(want), (source, targets)


def test_install_replaces_the_helpers_where_the_steps_find_them():
    helper, parser_class = _helpers()
    from terraform_compliance.steps.given import i_have_name_section_configured as given

    speedups.install()
    speedups.install()  # idempotent
    assert getattr(given.find_root_by_key, "_tfguard_indexed", False)
    assert getattr(parser_class.find_resources_by_type, "_tfguard_indexed", False)
    assert given.remove_mounted_resources is speedups.remove_mounted_resources
    assert helper.get_resource_address_list_from_stash is speedups.get_resource_address_list_from_stash



def _tree(rng: random.Random, depth: int = 0):
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        return rng.choice([None, True, 0, 1.5, "x", "Enabled", '{"a": 1}', "[1, 2]", "true", " {bad"])
    if roll < 0.65:
        return {rng.choice(["Key", "key", "KEY", "other", "tags", "a"]): _tree(rng, depth + 1)
                for _ in range(rng.randrange(4))}
    return [_tree(rng, depth + 1) for _ in range(rng.randrange(4))]


def test_match_methods_answer_as_the_engines():
    """fast_match on a subclass, compared with the untouched Match on random trees and needles."""
    helper, _ = _helpers()
    class Fast(helper.Match):
        pass

    speedups.fast_match(Fast)
    equals, get, seek = speedups._ORIGINALS["Match"]  # the engine's own, also where install() ran before

    class original(helper.Match):  # noqa: N801 - stands for the engine's Match
        pass

    original.equals, original.get, original.seek_key_in_dict = equals, get, seek

    rng = random.Random(5)
    compared = 0
    for _ in range(400):
        tree = _tree(rng)
        for needle in ("key", "KEY", "tags", "none", 1, True):
            for sensitive in (False, True):
                slow, fast = original(case_sensitive=sensitive), Fast(case_sensitive=sensitive)
                assert fast.seek_key_in_dict(tree, needle) == slow.seek_key_in_dict(tree, needle)
                if isinstance(tree, dict):
                    assert fast.get(tree, needle, "d") == slow.get(tree, needle, "d")
                for other in ("key", "Key", "x", 1, 1.5, True):
                    assert fast.equals(other, needle) == slow.equals(other, needle)
                compared += 1
    assert compared > 1000
    regex = Fast(case_sensitive=False, regex_flag=True)
    assert regex.equals("aws_s3_bucket", "aws_s3_.*") and not regex.equals("aws_kms_key", "aws_s3_.*")
    with pytest.raises(TypeError):
        Fast(case_sensitive=False).equals(("a",), "a")


def test_the_engine_deepcopy_keeps_sharing_as_deepcopy_does():
    shared = {"k": [1, 2]}
    value = {"a": shared, "b": [shared, shared], "t": (shared,)}
    copied = speedups.deepcopy_for_engine(value)
    assert copied == copy.deepcopy(value)
    assert copied["a"] is copied["b"][0] is copied["b"][1] is copied["t"][0]
    assert copied["a"] is not shared
