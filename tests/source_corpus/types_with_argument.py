"""Which AWS resource types have an argument of a given name, at any depth (top level or inside a block)?

A guardrail that starts with "Given I have resource that supports X defined" selects every type in which
a key X occurs anywhere, so a `When its type metadata is ...` filter after it matters only where another
type has X too: then a pass fixture with such a resource shows the filter (OS-004's aws_cloudsearch_domain,
API-008's aws_iot_domain_configuration); where no other type has X, the filter cannot change a verdict and
the guardrail leaves it out. This prints the answer from the provider's prebuilt CDK for Terraform
bindings, generated from its schema, the same wheel tests/source_corpus/gen_taggable.py reads:

    pip download --no-deps cdktf-cdktf-provider-aws==19.65.1 -d /tmp/cdktf     # hashicorp/aws 5.99.1
    python tests/source_corpus/types_with_argument.py /tmp/cdktf/cdktf_cdktf_provider_aws-19.65.1-py3-none-any.whl \\
        encrypt_at_rest visibility_config
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from gen_taggable import _RESOURCE, assembly  # noqa: E402

_ANCHOR = re.compile(r"#([a-z0-9_]+) ")


def _name(prop: dict[str, Any]) -> str:
    """The Terraform name of a bindings property (its docs link ends in #<name>)."""
    docs = prop.get("docs") or {}
    m = _ANCHOR.search(f"{docs.get('summary', '')} {docs.get('remarks', '')}")
    return m.group(1) if m else re.sub(r"([A-Z])", lambda c: "_" + c.group(1).lower(), prop["name"])


def _struct_fqns(ref: Any) -> list[str]:
    if not isinstance(ref, dict):
        return []
    out = [ref["fqn"]] if "fqn" in ref else []
    out += _struct_fqns((ref.get("collection") or {}).get("elementtype"))
    for member in (ref.get("union") or {}).get("types", []):
        out += _struct_fqns(member)
    return out


def argument_paths(types: dict[str, Any], fqn: str, prefix: str = "", depth: int = 0) -> list[str]:
    """Every argument path (`block.attr`) of a config interface, nested blocks included."""
    out: list[str] = []
    for prop in types.get(fqn, {}).get("properties", []):
        path = prefix + _name(prop)
        out.append(path)
        for inner in _struct_fqns(prop.get("type")):
            if depth < 8 and inner != fqn and types.get(inner, {}).get("kind") == "interface":
                out += argument_paths(types, inner, path + ".", depth + 1)
    return out


def index(types: dict[str, Any]) -> tuple[str, dict[str, list[str]]]:
    """(provider version, resource type -> argument paths)."""
    versions: set[str] = set()
    out: dict[str, list[str]] = {}
    for t in types.values():
        if t.get("base") != "cdktf.TerraformResource":
            continue
        m = _RESOURCE.search((t.get("docs") or {}).get("summary", ""))
        config = next((p["type"].get("fqn") for p in (t.get("initializer") or {}).get("parameters", [])
                       if p["name"] == "config"), None)
        if m and config:
            versions.add(m.group(1))
            out[m.group(2)] = argument_paths(types, config)
    return ", ".join(sorted(versions)), out


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    version, paths = index(assembly(Path(argv[1]))["types"])
    print(f"hashicorp/aws {version}: {len(paths)} resource types")
    for name in argv[2:]:
        found = {t: [p for p in ps if p.split(".")[-1] == name] for t, ps in sorted(paths.items())}
        found = {t: ps for t, ps in found.items() if ps}
        print(f"{name}: {len(found)} types")
        for t, ps in found.items():
            print(f"  {t}: {', '.join(ps)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
