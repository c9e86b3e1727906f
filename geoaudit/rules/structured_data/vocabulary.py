"""Structured-data page rules on the schema.org vocabulary: types it defines, properties each
type has, values of the kind each property expects (SD006-SD008)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from geoaudit.extract.structured import walk
from geoaudit.facts import Site
from geoaudit.facts.entities import entity_label
from geoaudit.models import PageModel
from geoaudit.rules import Problem, page_rule
from geoaudit.rules.structured_data import has_entities, reported_issues
from geoaudit.vocab.schemaorg import vocabulary

VOCABULARY = "schema.org vocabulary"
IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".avif", ".ico", ".bmp")
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$")
# ISO 8601's reduced precision for a date: a year, or a year and month ("foundingDate": "2002")
_ISO_YEAR_OR_MONTH = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


@page_rule(
    "SD006",
    name="sd-unknown-type",
    title="Structured data uses a type schema.org does not define",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def unknown_type(page: PageModel, site: Site) -> Iterator[Problem]:
    """An entity's `@type` is not a schema.org type (checked against the pinned schema.org
    release geoaudit ships): a typo, wrong case, or an invented type.

    Why it matters: consumers skip entities of unknown types, so everything they say is lost.

    How to fix: use the exact schema.org type name; the finding suggests the closest one.

    Pass: `"@type": "BlogPosting"`. Fail: `"@type": "Blogposting"` or `"@type": "Company"`.
    """
    vocab = vocabulary()
    for entity in walk(page.structured.entities):
        for entity_type in entity["types"]:
            if not vocab.is_type(entity_type):
                hint = vocab.suggest_type(entity_type)
                tip = f"; did you mean '{hint}'?" if hint else ""
                yield Problem(
                    f"type '{entity_type}' is not in schema.org {vocab.release}{tip}",
                    type=entity_type,
                )


# schema.org Actions' input and output annotations: `query-input` on a SearchAction says how
# its `query` is filled (https://schema.org/docs/actions.html, Google's sitelinks search box).
ANNOTATION = re.compile(r"(.+)-(input|output)")


def _annotated(prop: str) -> str:
    """The property an Action annotation (`query-input`) describes, else `prop` itself."""
    match = ANNOTATION.fullmatch(prop)
    return match.group(1) if match else prop


@page_rule(
    "SD007",
    name="sd-unknown-property",
    title="Structured data uses a property its type lacks",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def unknown_property(page: PageModel, site: Site) -> Iterator[Problem]:
    """A property is not defined by schema.org for the entity's type (or any type it inherits
    from): a typo such as `sameas`, a property of another type, or an invented one. Properties
    schema.org has superseded are reported with their replacement. An Action's `-input` and
    `-output` annotations (`query-input`) are read as the property they annotate.

    Why it matters: consumers ignore unknown properties; the value is lost.

    How to fix: use the property the finding suggests, or move the value to a property the type
    defines.

    Pass: `"sameAs": [...]` on an Organization. Fail: `"sameas": [...]` or a Person's
    `"headline"`.
    """
    vocab = vocabulary()
    for entity in walk(page.structured.entities):
        known = [t for t in entity["types"] if vocab.is_type(t)]
        if not known:
            continue
        for prop in entity["props"]:
            label = entity_label(entity)
            if prop in vocab.superseded:
                yield Problem(
                    f"{label}: '{prop}' is superseded by '{vocab.superseded[prop]}'",
                    type=label,
                    property=prop,
                )
            elif not vocab.defines(known, _annotated(prop)):
                hint = vocab.suggest_property(prop, known)
                tip = f"; did you mean '{hint}'?" if hint else ""
                yield Problem(
                    f"{label}: '{prop}' is not a property of {label}{tip}",
                    type=label,
                    property=prop,
                )


def _is_url(value: str) -> bool:
    parts = urlsplit(value.strip())
    return (parts.scheme in ("http", "https") and bool(parts.netloc)) or value.startswith("/")


def _is_iso_date(value: str) -> bool:
    if _ISO_YEAR_OR_MONTH.match(value.strip()):
        return True
    if not _ISO.match(value.strip()):
        return False
    try:
        datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _value_problems(
    entity: dict[str, Any], syntax: str, judged: set[tuple[int, str]]
) -> Iterator[Problem]:
    """The entity's values of the wrong kind. An empty string where the tier rules (SD003-SD005)
    expect the property is theirs to report ("'name' is empty"), once."""
    vocab = vocabulary()
    label = entity_label(entity)
    for prop, items in entity["props"].items():
        ranges = set(vocab.ranges(prop))
        for value in items:
            if not isinstance(value, str):
                continue
            shown = value if len(value) <= 60 else value[:59] + "…"
            if not value.strip():
                if (id(entity), prop) in judged:
                    continue
                yield Problem(
                    f"{label}: '{prop}' is an empty string: consumers read no value",
                    type=label,
                    property=prop,
                )
            elif "URL" in ranges and "Text" not in ranges and not _is_url(value):
                yield Problem(
                    f"{label}: '{prop}' should be a URL, not '{shown}'", type=label, property=prop
                )
            elif "URL" in ranges and syntax == "microdata" and value.startswith("/"):
                # Microdata resolves a URL only in href and src: a path in `content` (or in
                # text) stays the string it is.
                yield Problem(
                    f"{label}: '{prop}' is the relative path '{shown}' in a text attribute, "
                    "which microdata does not resolve; give it as an absolute URL or in a "
                    "<link href>",
                    type=label,
                    property=prop,
                )
            elif ranges and ranges <= {"Date", "DateTime"} and not _is_iso_date(value):
                yield Problem(
                    f"{label}: '{prop}' should be an ISO 8601 date, not '{shown}'",
                    type=label,
                    property=prop,
                )
            elif (
                prop == "logo"
                and _is_url(value)
                and not urlsplit(value).path.lower().endswith(IMAGE_EXTENSIONS)
            ):
                yield Problem(
                    f"{label}: 'logo' should be an image URL, not '{shown}'",
                    type=label,
                    property=prop,
                )


@page_rule(
    "SD008",
    name="sd-value-kind",
    title="Structured-data value of the wrong kind",
    severity="warning",
    category="structured_data",
    applies=has_entities,
    tier=VOCABULARY,
)
def value_kind(page: PageModel, site: Site) -> Iterator[Problem]:
    """A value does not have the kind schema.org expects for the property: a `url` or `sameAs`
    that is not a URL, a `datePublished` that is not an ISO 8601 date, a `logo` that is not an
    image URL, an empty string (`"price": ""`), a microdata URL written as a path in a
    `content` attribute (`<meta itemprop="image" content="/a.gif">`: microdata resolves
    paths in `href` and `src` only).

    Why it matters: consumers drop values they cannot read: a date written "March 3rd" or a
    URL without its scheme is as good as absent.

    How to fix: write URLs absolute with `https://`, dates as `2026-03-03` or
    `2026-03-03T09:00:00+00:00`, and point `logo` at an image file (or an ImageObject).

    Pass: `"datePublished": "2026-03-03"`. Fail: `"datePublished": "3 March 2026"`.
    """
    judged = {(issue.entity, issue.property) for issue in reported_issues(page)}
    for top in page.structured.entities:
        for entity in walk([top]):
            yield from _value_problems(entity, top.get("syntax", ""), judged)
