"""Derive the compact schema.org table geoaudit ships from a schema.org release.

    python scripts/derive_schemaorg.py ../shared/data/schemaorg-30.0/schemaorg-current-https.jsonld 30.0

writes geoaudit/data/schemaorg.json: each type with its parents, each property with the types
it is defined for (domainIncludes) and the types its values take (rangeIncludes), properties
superseded by others, and enumeration members with their enumeration. Those are facts of the
vocabulary; comments and examples are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "geoaudit" / "data" / "schemaorg.json"


def ids(value: object) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return sorted(
        item["@id"].removeprefix("schema:")
        for item in items
        if isinstance(item, dict) and str(item.get("@id", "")).startswith("schema:")
    )


def derive(source: Path, release: str) -> dict[str, object]:
    graph = json.loads(source.read_text(encoding="utf-8"))["@graph"]
    types: dict[str, list[str]] = {}
    properties: dict[str, dict[str, list[str]]] = {}
    superseded: dict[str, str] = {}
    members: dict[str, list[str]] = {}
    for node in graph:
        node_id = str(node.get("@id", ""))
        if not node_id.startswith("schema:"):
            continue
        name = node_id.removeprefix("schema:")
        kinds = node["@type"] if isinstance(node["@type"], list) else [node["@type"]]
        if "rdfs:Class" in kinds:
            types[name] = ids(node.get("rdfs:subClassOf", []))
        elif "rdf:Property" in kinds:
            properties[name] = {
                "domains": ids(node.get("schema:domainIncludes", [])),
                "ranges": ids(node.get("schema:rangeIncludes", [])),
            }
        else:
            members[name] = sorted(k.removeprefix("schema:") for k in kinds
                                   if k.startswith("schema:"))
        if "schema:supersededBy" in node:
            replacement = ids(node["schema:supersededBy"])
            if replacement:
                superseded[name] = replacement[0]
    return {
        "release": release,
        "types": dict(sorted(types.items())),
        "properties": dict(sorted(properties.items())),
        "superseded": dict(sorted(superseded.items())),
        "members": dict(sorted(members.items())),
    }


def main() -> None:
    source, release = Path(sys.argv[1]), sys.argv[2]
    table = derive(source, release)
    OUT.write_text(json.dumps(table, separators=(",", ":"), sort_keys=True) + "\n")
    print(f"{OUT}: schema.org {release}, {len(table['types'])} types, "
          f"{len(table['properties'])} properties, {len(table['members'])} enumeration members")


if __name__ == "__main__":
    main()
