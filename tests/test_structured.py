"""Structured data: normalised entities across syntaxes, broken JSON-LD reported and salvaged,
bounded cost, and the planted-defects site reporting each defect exactly once."""

from __future__ import annotations

import json
import time

import pytest

from geoaudit.extract import build_page
from geoaudit.facts.entities import entity_issues
from geoaudit.models import FetchRecord

URL = "https://www.example.com/page"


def structured(html: str | bytes):
    fetch = FetchRecord(url=URL, requested_url=URL, status=200, content_type="text/html")
    body = html.encode("utf-8") if isinstance(html, str) else html
    return build_page(fetch, body, "utf-8").structured


def block(text: str) -> str:
    return f'<script type="application/ld+json">{text}</script>'


@pytest.mark.parametrize("text, salvaged", [
    ('{"@type": "Organization", "name": "Acme"};', ["Organization"]),
    ('{"@type": "Organization", // our company\n "name": "Acme"}', ["Organization"]),
    ('/* header */ {"@type": "Organization", "name": "Acme"}', ["Organization"]),
    ('//<![CDATA[\n{"@type": "Organization", "name": "Acme"}\n//]]>', ["Organization"]),
    ('<!--\n{"@type": "Organization", "name": "Acme"}\n-->', ["Organization"]),
    ('{"@type": "Organization", "name": "Acme\tTools\nLtd"}', ["Organization"]),
    ('{&quot;@type&quot;: &quot;Organization&quot;, &quot;name&quot;: &quot;Acme&quot;}',
     ["Organization"]),
    ('{"@type": "Organization", "name": "A"}\n{"@type": "Person", "name": "B"}',
     ["Organization", "Person"]),
    ('{"@type": "Product", "name": "Sunglasses", "offers": {"@type": "Offer"}}}',
     ["Offer", "Product"]),
    ('{"@type": "VideoObject", "name": "Bob\\\'s clip", "path": "C:\\videos\\a.mp4"}', []),
    ('{"@type": "Recipe", "name": "Cake", "recipeInstructions": ["Add "two" eggs"]}', []),
    ('{"@type": "Organization", "name": "Acme",}', ["Organization"]),
    ('[' * 5000 + ']' * 5000, []),
])
def test_broken_jsonld_is_reported_and_salvaged(text, salvaged):
    data = structured(block(text) + block('{"@type": "WebSite", "name": "Acme"}'))
    assert len(data.errors) == 1 and data.errors[0].startswith("JSON-LD block 1: ")
    assert sorted({t for e in data.entities for t in e["types"]} - {"WebSite"}
                  | {t for t in data.types if t != "WebSite"}) == salvaged


@pytest.mark.parametrize("text", [
    "null",
    '{"\\u0040context": "http:\\/\\/schema.org", "\\u0040type": "LocalBusiness", "name": "X"}',
    "[]",
    '{"@graph": []}',
    "{}",
])
def test_valid_oddities_are_no_error(text):
    assert structured(block(text)).errors == []


def test_entities_normalise_jsonld_graph_microdata_and_rdfa():
    html = (block(json.dumps({"@context": "https://schema.org", "@graph": [
        {"@type": "Organization", "@id": "#org", "name": "Acme"},
        {"@type": "BlogPosting", "headline": "H", "author": {"@id": "#ann"},
         "publisher": {"@id": "#org"}},
        {"@type": "Person", "@id": "#ann", "name": "Ann"}]}))
        + '<div itemscope itemtype="https://schema.org/Product"><span itemprop="name">Mug</span>'
        '<div itemprop="offers" itemscope itemtype="http://schema.org/Offer">'
        '<span itemprop="price">9</span></div></div>'
        '<div vocab="https://schema.org/" typeof="Person"><span property="name">Rita</span>'
        '<div property="worksFor" typeof="Organization"><span property="name">Acme</span></div>'
        "</div>")
    data = structured(html)
    summary = [(e["syntax"], e["types"], sorted(e["props"])) for e in data.entities]
    assert summary == [
        ("json-ld", ["Organization"], ["name"]),
        ("json-ld", ["BlogPosting"], ["author", "headline", "publisher"]),
        ("json-ld", ["Person"], ["name"]),
        ("microdata", ["Product"], ["name", "offers"]),
        ("rdfa", ["Person"], ["name", "worksFor"]),
        ("rdfa", ["Organization"], ["name"]),
    ]
    assert data.entities[1]["props"]["author"] == [{"ref": "#ann"}]
    assert data.entities[3]["props"]["offers"][0]["types"] == ["Offer"]
    assert data.entities[5]["nested"] is True
    assert data.entities[4]["props"]["worksFor"] == [{"ref": data.entities[5]["id"]}]
    assert data.types == ["BlogPosting", "Offer", "Organization", "Person", "Product"]


def test_rdfa_runs_only_where_rdfa_attributes_are():
    og_only = structured('<meta property="og:title" content="T"><p property="og:x">y</p>')
    assert og_only.rdfa == [] and og_only.opengraph == {"og:title": "T"}


def test_references_resolve_for_validation():
    html = block(json.dumps({"@graph": [
        {"@type": "Article", "headline": "H", "image": "https://x.example/i.png",
         "datePublished": "2026-01-01", "dateModified": "2026-01-02", "author": {"@id": "#a"}},
        {"@type": "Person", "@id": "#a", "name": "Ann", "url": "https://x.example/ann",
         "jobTitle": "Editor", "worksFor": {"@type": "Organization", "name": "X"}}]}))
    assert entity_issues(structured(html).entities) == []


def test_pathological_pages_stay_bounded():
    huge = block('{"@type": "Thing", "name": "' + "x" * 1_100_000 + '"}')
    assert structured(huge).errors == [
        "JSON-LD block 1: over 1,000,000 characters, skipped"]
    many = "".join(block(f'{{"@type": "Thing", "name": "n{n}"}}') for n in range(2000))
    started = time.perf_counter()
    data = structured(many)
    assert time.perf_counter() - started < 20  # generous: a bound, not a benchmark
    assert len(data.entities) <= 2000
    rdfa_big = ('<div vocab="https://schema.org/" typeof="Person"><span property="name">A'
                "</span></div>" + "<p>filler</p>" * 100_000)
    assert "RDFa: page too large to extract RDFa" in structured(rdfa_big).errors


PLANTED = {
    ("SD007", "/", "Organization", "sameas"),
    ("SD010", None, "Organization", "name"),
    ("SD008", "/blog.html", "BlogPosting", "datePublished"),
    ("SD009", "/blog.html", "BlogPosting", "headline"),
    ("SD005", "/blog.html", "Person", "url"),
    ("SD009", "/faq.html", "Question", "name"),
    ("SD003", "/product.html", "Product", "offers"),
    ("SD002", "/broken.html", None, None),
    ("SD006", "/odd.html", "Blogpost", None),
}


def test_planted_defects_are_each_reported_once_with_type_and_property(site_url, geoaudit_cli):
    base = site_url("schema_defects")
    result = geoaudit_cli("audit", f"{base}/", "-q", "--no-probe")
    assert result.code == 0, result.stderr
    report = result.report()
    found = [
        (f["rule"], f["url"][len(base):] if f["url"] else None, f["type"], f["property"])
        for f in report["findings"] if f["rule"].startswith("SD")
    ]
    assert sorted(found, key=str) == sorted(PLANTED, key=str)  # each once, nothing else
    for finding in report["findings"]:
        if finding["type"] and finding["rule"] != "SD006":
            assert finding["type"] in finding["message"]
        if finding["property"]:
            assert finding["property"] in finding["message"]
    pages = {p["url"][len(base):]: p for p in report["pages"]}
    (entity,) = pages["/blog.html"]["structured_data"]
    assert entity["type"] == "BlogPosting" and entity["syntax"] == "json-ld"
    assert "author" in entity["properties"]
    tiers = sorted((i["tier"], i["property"]) for i in entity["issues"])
    assert tiers == [("GEO best practice", "url"), ("content match", "headline"),
                     ("schema.org vocabulary", "datePublished")]
    conflicts = report["structured_data"]["identity_conflicts"]
    assert conflicts == {"name": ["Defect Co", "Defect Company Ltd"]}
