"""Generate runner/schemas/aws_taggable.json: the AWS resource types whose provider schema has a top-level
`tags` argument, the scope of "resource that supports tags" (runner/engine/corrections.py).

The list is read from the prebuilt CDK for Terraform bindings of the provider, which are generated from
the provider's schema (`terraform providers schema -json`): each resource class documents its Terraform
type, and its config interface lists exactly the resource's top-level arguments. No registry of providers
is needed, only the bindings' wheel:

    pip download --no-deps cdktf-cdktf-provider-aws==19.65.1 -d /tmp/cdktf     # hashicorp/aws 5.99.1
    python tests/source_corpus/gen_taggable.py /tmp/cdktf/cdktf_cdktf_provider_aws-19.65.1-py3-none-any.whl
"""

from __future__ import annotations

import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TARGET = REPO / "runner" / "schemas" / "aws_taggable.json"
_RESOURCE = re.compile(r"providers/hashicorp/aws/([0-9.]+)/docs/resources/\w+ (aws_\w+)\}")


def assembly(wheel: Path) -> dict:
    with zipfile.ZipFile(wheel) as z:
        inner = next(n for n in z.namelist() if n.endswith(".jsii.tgz"))
        with tarfile.open(fileobj=io.BytesIO(z.read(inner))) as tar:
            member = next(m for m in tar.getmembers() if m.name.endswith("/.jsii"))
            handle = tar.extractfile(member)
            assert handle is not None
            return json.load(handle)


def taggable(types: dict) -> tuple[str, list[str], int]:
    found: set[str] = set()
    versions: set[str] = set()
    total = 0
    for t in types.values():
        if t.get("base") != "cdktf.TerraformResource":
            continue
        m = _RESOURCE.search((t.get("docs") or {}).get("summary", ""))
        config = next((p["type"].get("fqn") for p in (t.get("initializer") or {}).get("parameters", [])
                       if p["name"] == "config"), None)
        if not m or not config:
            continue
        total += 1
        versions.add(m.group(1))
        if any(p["name"] == "tags" for p in types[config].get("properties", [])):
            found.add(m.group(2))
    assert len(versions) == 1, versions
    return versions.pop(), sorted(found), total


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    version, names, total = taggable(assembly(Path(argv[1]))["types"])
    doc = {"provider": f"hashicorp/aws {version}",
           "generated_by": "tests/source_corpus/gen_taggable.py from the provider's prebuilt CDK for Terraform bindings",
           "resource_types": total, "taggable": names}
    TARGET.write_text(json.dumps(doc, indent=0) + "\n", encoding="utf-8")
    print(f"{TARGET.relative_to(REPO)}: {len(names)} of {total} resource types have a top-level tags argument "
          f"(hashicorp/aws {version})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
