"""Structured data: schema.org and OpenGraph, extracted with extruct from the shared lxml tree,
normalised into one entity list per page.

Each JSON-LD script is parsed on its own, strictly first: a block that strict consumers (Google
among them) would drop is reported with its parse error, then salvaged where possible (CDATA
wrappers, HTML comments, JS comments, a trailing `;`, HTML-escaped quotes, raw control
characters, several objects concatenated). Microdata and RDFa come from extruct; RDFa runs only
on pages with RDFa attributes, and only on pages of bounded size: through rdflib it costs about
fifty times JSON-LD and microdata.

An entity is a dict: `{"types": [...], "syntax": "json-ld"|"microdata"|"rdfa", "id": ...,
"props": {name: [values]}}`, where a value is a string, a number, a nested entity, or
`{"ref": id}` for a reference to another entity of the page (resolved by the checks).
"""

from __future__ import annotations

import contextlib
import html
import json
import re
from typing import Any

import jstyleson
from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from extruct.rdfa import RDFaExtractor
from extruct.utils import parse_xmldom_html
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import html as lxml_html

from geoaudit.models import StructuredData

MAX_ERROR_CHARS = 200
MAX_BLOCK_CHARS = 1_000_000
MAX_ENTITIES = 500
# Entities nested deeper than this are not read (and the page says so): 250 levels once made
# the whole page's data vanish in a RecursionError.
MAX_NESTING = 32
MAX_RDFA_HTML_BYTES = 1_000_000
SCHEMA_PREFIXES = ("https://schema.org/", "http://schema.org/", "schema:")
SECONDARY_ORGANIZATION_PROPERTIES = (
    "worksFor",
    "affiliation",
    "memberOf",
    "brand",
    "parentOrganization",
    "subOrganization",
    "department",
    "alumniOf",
    "manufacturer",
    # a credential's or award's issuer (a roofer's "BBB A+" recognizedBy Better Business
    # Bureau), a sponsor or funder
    "recognizedBy",
    "issuedBy",
    "sponsor",
    "funder",
)
NOT_RDFA_PROPERTY = re.compile(r"^(og|fb|article|book|profile|music|video|twitter|al):", re.I)
_CDATA = re.compile(r"^\s*(//\s*)?<!\[CDATA\[|(//\s*)?\]\]>\s*$", re.MULTILINE)
_HTML_COMMENT = re.compile(r"^\s*<!--|-->\s*$", re.MULTILINE)


def _short(iri: Any) -> str | None:
    """`https://schema.org/Person`, `schema:Person` and `Person` all name `Person`; other
    vocabularies' IRIs name nothing schema.org checks know."""
    if not isinstance(iri, str) or not iri:
        return None
    for prefix in SCHEMA_PREFIXES:
        if iri.startswith(prefix):
            return iri[len(prefix) :] or None
    return None if ":" in iri or "/" in iri else iri


def _listify(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def parse_jsonld(text: str) -> tuple[list[Any], str | None]:
    """(top-level items, parse error) of one JSON-LD block: strict JSON first; on failure the
    error is kept and whatever lenient parsing can salvage is returned."""
    try:
        return _listify(json.loads(text)), None
    except RecursionError:
        return [], "JSON nested too deeply to read"
    except ValueError as exc:
        error = _short_error(exc)
    cleaned = _HTML_COMMENT.sub("", _CDATA.sub("", text)).strip().rstrip(";").strip()
    if "&quot;" in cleaned or "&#34;" in cleaned:
        cleaned = html.unescape(cleaned)
    items: list[Any] = []
    decoder = json.JSONDecoder(strict=False)
    position = 0
    with contextlib.suppress(ValueError, RecursionError):
        while position < len(cleaned):
            item, end = decoder.raw_decode(cleaned, position)
            items.extend(_listify(item))
            position = end
            while position < len(cleaned) and cleaned[position] in " \t\r\n;,":
                position += 1
    if not items:
        with contextlib.suppress(ValueError, RecursionError):
            items = _listify(jstyleson.loads(cleaned, strict=False))
    return items, error


class _Normaliser:
    def __init__(self, syntax: str):
        self.syntax = syntax
        self.count = 0
        self.depth = 0
        self.too_deep = False

    def node(
        self, obj: dict[str, Any], types: list[Any], props: dict[str, Any], node_id: Any = None
    ) -> dict[str, Any]:
        self.count += 1
        entity: dict[str, Any] = {
            "types": [t for t in (_short(x) for x in types) if t],
            "syntax": self.syntax,
            "props": {},
        }
        if isinstance(node_id, str) and node_id:
            entity["id"] = node_id
        self.depth += 1
        try:
            for key, value in props.items():
                name = _short(key)
                if name is None or self.count > MAX_ENTITIES:
                    continue
                entity["props"][name] = [
                    v for v in (self.value(x) for x in _listify(value)) if v is not None
                ]
        finally:
            self.depth -= 1
        return entity

    def value(self, value: Any) -> Any:
        if isinstance(value, dict):
            if self.depth >= MAX_NESTING:
                self.too_deep = True
                return None
            return self.dict_value(value)
        if isinstance(value, str | int | float | bool):
            return value
        return None

    def dict_value(self, value: dict[str, Any]) -> Any:
        raise NotImplementedError


class _JsonLd(_Normaliser):
    def entity(self, obj: dict[str, Any]) -> dict[str, Any]:
        props = {k: v for k, v in obj.items() if not k.startswith("@")}
        return self.node(obj, _listify(obj.get("@type", [])), props, obj.get("@id"))

    def dict_value(self, value: dict[str, Any]) -> Any:
        if "@value" in value:
            return self.value(value["@value"])
        if set(value) == {"@id"}:
            return {"ref": str(value["@id"])}
        return self.entity(value)


class _Microdata(_Normaliser):
    def entity(self, item: dict[str, Any]) -> dict[str, Any]:
        return self.node(
            item, _listify(item.get("type", [])), item.get("properties", {}), item.get("id")
        )

    def dict_value(self, value: dict[str, Any]) -> Any:
        return self.entity(value) if "properties" in value or "type" in value else None


def jsonld_entities(items: list[Any], errors: list[str] | None = None) -> list[dict[str, Any]]:
    normaliser = _JsonLd("json-ld")
    entities = []
    for item in items:
        if not isinstance(item, dict):
            continue
        graph = item.get("@graph")
        for node in _listify(graph) if graph is not None else [item]:
            if isinstance(node, dict) and normaliser.count <= MAX_ENTITIES:
                entities.append(normaliser.entity(node))
    if normaliser.too_deep and errors is not None:
        errors.append(f"JSON-LD: entities nested more than {MAX_NESTING} deep were not read")
    return entities


def microdata_entities(items: list[Any]) -> list[dict[str, Any]]:
    normaliser = _Microdata("microdata")
    return [normaliser.entity(i) for i in items if isinstance(i, dict)][:MAX_ENTITIES]


def rdfa_entities(nodes: list[Any]) -> list[dict[str, Any]]:
    """RDFa nodes with a schema.org type; nodes other nodes point to are marked nested.
    rdflib's random blank-node ids are renumbered in order, so that output is deterministic."""
    nodes = _renumber_blank_nodes(nodes)
    normaliser = _JsonLd("rdfa")
    referenced = {
        ref["@id"]
        for node in nodes
        if isinstance(node, dict)
        for key, values in node.items()
        if not key.startswith("@")
        for ref in _listify(values)
        if isinstance(ref, dict) and set(ref) == {"@id"}
    }
    entities = []
    for node in nodes:
        if not isinstance(node, dict):
            continue
        entity = normaliser.entity(node)
        if entity["types"]:
            if node.get("@id") in referenced:
                entity["nested"] = True
            entities.append(entity)
    return entities[:MAX_ENTITIES]


def _renumber_blank_nodes(nodes: list[Any]) -> list[Any]:
    names: dict[str, str] = {}

    def rename(value: Any) -> Any:
        if isinstance(value, str) and value.startswith("_:"):
            return names.setdefault(value, f"_:b{len(names)}")
        if isinstance(value, list):
            return [rename(v) for v in value]
        if isinstance(value, dict):
            return {k: rename(v) for k, v in value.items()}
        return value

    return [rename(node) for node in nodes]


def has_rdfa(doc: lxml_html.HtmlElement) -> bool:
    """RDFa attributes beyond the OpenGraph-style `<meta property="og:...">`."""
    if doc.xpath("//*[@typeof or @vocab]"):
        return True
    return any(not NOT_RDFA_PROPERTY.match(p) for p in doc.xpath("//body//@property"))


def structured_data(
    doc: lxml_html.HtmlElement, base_url: str, body: bytes = b"", encoding: str | None = None
) -> StructuredData:
    data = StructuredData()
    extractor = JsonLdExtractor()
    for n, script in enumerate(doc.xpath('//script[@type="application/ld+json"]'), start=1):
        text = script.text_content()
        if len(text) > MAX_BLOCK_CHARS:
            data.errors.append(f"JSON-LD block {n}: over {MAX_BLOCK_CHARS:,} characters, skipped")
            continue
        items, error = parse_jsonld(text)
        if error:
            data.errors.append(f"JSON-LD block {n}: {error}")
        if not items and error:
            # extruct's own lenient reading, for shapes the salvage above does not cover
            with contextlib.suppress(Exception):
                items = extractor.extract_items(script, base_url=base_url)
        data.jsonld.extend(items)
    try:
        data.microdata = MicrodataExtractor().extract_items(doc, base_url=base_url)
    except Exception as exc:
        data.errors.append(f"microdata: {_short_error(exc)}")
    if has_rdfa(doc):
        if len(body) > MAX_RDFA_HTML_BYTES:
            data.errors.append("RDFa: page too large to extract RDFa")
        else:
            try:
                # pyRdfa walks a DOM: extruct's XML-DOM tree, parsed only for RDFa pages.
                tree = parse_xmldom_html(body, encoding or "UTF-8")
                data.rdfa = RDFaExtractor().extract_items(tree, base_url=base_url)
            except Exception as exc:
                data.errors.append(f"RDFa: {_short_error(exc)}")
    try:
        for item in OpenGraphExtractor().extract_items(doc, base_url=base_url):
            for key, value in item.get("properties", []):
                data.opengraph.setdefault(key, value)
    except Exception as exc:
        data.errors.append(f"OpenGraph: {_short_error(exc)}")
    data.entities = (
        jsonld_entities(data.jsonld, data.errors)
        + microdata_entities(data.microdata)
        + rdfa_entities(data.rdfa)
    )
    data.types = sorted({t for e in walk(data.entities) for t in e["types"]})
    return data


def walk(entities: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every entity, nested ones included, depth first."""
    out: list[dict[str, Any]] = []
    stack = list(reversed(entities))
    while stack:
        entity = stack.pop()
        out.append(entity)
        for values in reversed(list(entity.get("props", {}).values())):
            stack.extend(v for v in reversed(values) if isinstance(v, dict) and "types" in v)
    return out


def _short_error(exc: BaseException) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"


def secondary_organizations(entities: list[dict[str, Any]]) -> set[int]:
    """Organizations that are someone's employer, affiliation or brand: not the publisher, so
    not held to the publisher's identity expectations."""
    return {
        id(value)
        for entity in walk(entities)
        for prop in SECONDARY_ORGANIZATION_PROPERTIES
        for value in entity["props"].get(prop, [])
        if isinstance(value, dict)
    }
