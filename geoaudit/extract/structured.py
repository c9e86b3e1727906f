"""Structured data: schema.org and OpenGraph, extracted with extruct from the shared lxml tree.

Each JSON-LD script is parsed on its own, strictly first, so that one broken block is reported
with its parse error while the others still count, and what extruct's lenient parser can salvage
from it is kept. RDFa runs only on pages that carry RDFa attributes: through
rdflib it costs about fifty times JSON-LD and microdata.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

from extruct.jsonld import JsonLdExtractor
from extruct.opengraph import OpenGraphExtractor
from extruct.w3cmicrodata import MicrodataExtractor
from lxml import html as lxml_html

from geoaudit.models import StructuredData

MAX_ERROR_CHARS = 200


def structured_data(doc: lxml_html.HtmlElement, base_url: str) -> StructuredData:
    data = StructuredData()
    jsonld = JsonLdExtractor()
    for n, script in enumerate(doc.xpath('//script[@type="application/ld+json"]'), start=1):
        try:
            json.loads(script.text_content(), strict=False)
        except ValueError as exc:
            # Strict consumers (Google among them) drop the block; report it, then salvage
            # what extruct's lenient parser can read.
            data.errors.append(f"JSON-LD block {n}: {_short(exc)}")
        # Unsalvageable blocks are dropped: the strict error above already says why.
        with contextlib.suppress(Exception):
            data.jsonld.extend(jsonld.extract_items(script, base_url=base_url))
    try:
        data.microdata = MicrodataExtractor().extract_items(doc, base_url=base_url)
    except Exception as exc:
        data.errors.append(f"microdata: {_short(exc)}")
    try:
        for item in OpenGraphExtractor().extract_items(doc, base_url=base_url):
            for key, value in item.get("properties", []):
                data.opengraph.setdefault(key, value)
    except Exception as exc:
        data.errors.append(f"OpenGraph: {_short(exc)}")
    data.types = sorted(set(entity_types(data.jsonld)) | set(entity_types(data.microdata)))
    return data


def entity_types(items: list[Any]) -> list[str]:
    """Every schema.org type named in a list of entities, nested ones and `@graph` included."""
    found: list[str] = []
    stack: list[Any] = list(items)
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict):
            for key in ("@type", "type"):
                value = node.get(key)
                for t in value if isinstance(value, list) else [value]:
                    if isinstance(t, str) and t:
                        found.append(t.rsplit("/", 1)[-1])
            stack.extend(v for k, v in node.items() if isinstance(v, dict | list))
    return found


def _short(exc: Exception) -> str:
    text = f"{type(exc).__name__}: {exc}"
    return text if len(text) <= MAX_ERROR_CHARS else text[: MAX_ERROR_CHARS - 1] + "…"
