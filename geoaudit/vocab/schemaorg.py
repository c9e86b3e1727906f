"""The schema.org vocabulary geoaudit checks against: a pinned release, shipped as data
(geoaudit/data/schemaorg.json, derived by scripts/derive_schemaorg.py)."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

DATA_TYPES = {
    "Text",
    "URL",
    "Date",
    "DateTime",
    "Time",
    "Number",
    "Integer",
    "Float",
    "Boolean",
    "CssSelectorType",
    "XPathType",
    "PronounceableText",
}


@dataclass
class Vocabulary:
    release: str
    types: dict[str, list[str]]
    properties: dict[str, dict[str, list[str]]]
    superseded: dict[str, str]
    members: dict[str, list[str]]
    _ancestors: dict[str, frozenset[str]] = field(default_factory=dict, repr=False)

    def is_type(self, name: str) -> bool:
        return name in self.types

    def ancestors(self, name: str) -> frozenset[str]:
        """The type and every type it inherits from."""
        if name not in self._ancestors:
            seen, stack = set(), [name]
            while stack:
                current = stack.pop()
                if current not in seen:
                    seen.add(current)
                    stack.extend(self.types.get(current, []))
            self._ancestors[name] = frozenset(seen)
        return self._ancestors[name]

    def is_a(self, name: str, parent: str) -> bool:
        return parent in self.ancestors(name)

    def defines(self, types: list[str], prop: str) -> bool:
        """Whether `prop` is a schema.org property of any of `types` (inheritance included)."""
        definition = self.properties.get(prop)
        if definition is None:
            return False
        domains = set(definition["domains"])
        return any(domains & self.ancestors(t) for t in types if self.is_type(t))

    def ranges(self, prop: str) -> list[str]:
        return self.properties.get(prop, {}).get("ranges", [])

    def suggest_property(self, prop: str, types: list[str]) -> str | None:
        """The property the author probably meant: a case-insensitive match first, then the
        closest spelling among the properties of the entity's types."""
        lowered = prop.lower()
        for candidate in self.properties:
            if candidate.lower() == lowered and self.defines(types, candidate):
                return candidate
        allowed = [p for p in self.properties if self.defines(types, p)]
        close = difflib.get_close_matches(prop, allowed, n=1, cutoff=0.85)
        return close[0] if close else None

    def suggest_type(self, name: str) -> str | None:
        lowered = name.lower()
        for candidate in self.types:
            if candidate.lower() == lowered:
                return candidate
        close = difflib.get_close_matches(name, list(self.types), n=1, cutoff=0.85)
        return close[0] if close else None


@cache
def vocabulary() -> Vocabulary:
    text = (resources.files("geoaudit") / "data" / "schemaorg.json").read_text(encoding="utf-8")
    data = json.loads(text)
    return Vocabulary(
        data["release"], data["types"], data["properties"], data["superseded"], data["members"]
    )


def entity_is(entity: dict[str, Any], parent: str) -> bool:
    """Whether a normalised entity has `parent` among its types or their ancestors."""
    vocab = vocabulary()
    return any(vocab.is_a(t, parent) for t in entity["types"] if vocab.is_type(t))
