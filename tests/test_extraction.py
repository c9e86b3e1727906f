"""Extraction off the reactor: the worker pool, the rows it hands back, and the CPU accounting
of its stages."""

from __future__ import annotations

import dataclasses
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from geoaudit import timing
from geoaudit.crawl import extraction
from geoaudit.crawl.extraction import WORKER_DIED, ExtractionPool, extract_page
from geoaudit.extract import build_page
from geoaudit.models import FetchRecord, PageModel, to_dict
from geoaudit.store import BULK_FIELDS, PageRow, Store

DEMO_ARTICLE = (
    Path(__file__).resolve().parent.parent
    / "geoaudit/data/demo_site/blog/cold-brew-ratio/index.html"
)
HTML = (
    b"<html lang='en'><head><title>Cold brew</title><meta name='robots' content='nofollow'>"
    b"</head><body><h1>Cold brew</h1><p>Use a 1:8 ratio of coffee to water.</p>"
    b"<a href='/a'>A</a><a href='https://other.example/b'>B</a></body></html>"
)


def fetch(url: str = "https://a.example/x") -> FetchRecord:
    return FetchRecord(url, url, 200, "text/html", "utf-8", {"content-type": "text/html"})


@pytest.fixture
def pool():
    created: list[ExtractionPool] = []

    def make(workers: int = 1) -> ExtractionPool:
        created.append(ExtractionPool(workers))
        return created[-1]

    yield make
    for p in created:
        p.close()


def test_worker_row_is_the_stored_form_of_the_page_built_here():
    body = DEMO_ARTICLE.read_bytes()
    page = build_page(fetch(), body, "utf-8")
    extracted = extract_page(fetch(), body, "utf-8")
    assert extracted.row == PageRow.of(page)
    assert extracted.links == [link.url for link in page.links]
    assert extracted.follow is True
    assert {"parse", "extract", "store"} <= set(extracted.cpu)


def test_nofollow_page_hands_back_its_links_but_not_to_follow():
    extracted = extract_page(fetch(), HTML, "utf-8")
    assert extracted.links == ["https://a.example/a", "https://other.example/b"]
    assert extracted.follow is False
    assert extracted.row.internal_links == ["https://a.example/a"]


def test_pages_are_extracted_in_another_process(pool, monkeypatch):
    def title_is_pid(fetch, body, encoding):
        return PageModel(fetch=fetch, title=str(os.getpid()))

    # Workers fork after this, so they run the patched builder.
    monkeypatch.setattr(extraction, "build_page", title_is_pid)
    workers = pool(2)
    pids = {
        json.loads(
            workers.submit(fetch(f"https://a.example/{n}"), HTML, "utf-8").result(30).row.head
        )["title"]
        for n in range(20)
    }
    assert str(os.getpid()) not in pids
    assert 1 <= len(pids) <= 2


def test_a_dead_worker_costs_its_page_an_error_record_and_the_pool_recovers(pool, monkeypatch):
    real = extraction.build_page

    def dies_on_crash(fetch, body, encoding):
        if fetch.url.endswith("/crash"):
            os._exit(1)  # as a segfault in a parser or the OOM killer would end it
        return real(fetch, body, encoding)

    monkeypatch.setattr(extraction, "build_page", dies_on_crash)
    workers = pool(1)
    dead = workers.submit(fetch("https://a.example/crash"), HTML, "utf-8").result(30)
    assert dead.row.url == "https://a.example/crash"
    assert json.loads(dead.row.head)["parse_error"] == WORKER_DIED
    after = workers.submit(fetch("https://a.example/next"), HTML, "utf-8").result(30)
    assert json.loads(after.row.head)["title"] == "Cold brew"


def test_worker_stage_seconds_count_in_the_breakdown(monkeypatch):
    monkeypatch.setattr(timing, "CPU", defaultdict(float))
    monkeypatch.setattr(timing, "WORKER_CPU", defaultdict(float))
    own_before = timing.breakdown()["total"]
    timing.add_worker({"extract": 2.5, "store": 0.5})
    parts = timing.breakdown()
    assert parts["extract"] == 2.5 and parts["store"] == 0.5
    assert parts["total"] >= round(own_before + 3.0, 2)  # breakdown() rounds to 0.01 s
    # Each is rounded on its own (0.135 rounds up to 0.14, 3.135 down to 3.13), and in floating
    # point 16.72 - 3.0 is 13.7199...: the two may differ by 0.01.
    assert parts["fetch"] <= parts["total"] - 3.0 + 0.01


def test_take_hands_over_a_workers_stage_seconds_once(monkeypatch):
    monkeypatch.setattr(timing, "CPU", defaultdict(float))
    with timing.stage("extract"):
        sum(range(10_000))
    taken = timing.take()
    assert set(taken) == {"extract"} and taken["extract"] >= 0
    assert timing.take() == {}


def test_to_dict_equals_dataclasses_asdict_on_a_real_page():
    page = build_page(fetch(), DEMO_ARTICLE.read_bytes(), "utf-8")
    assert page.text_blocks and page.links and page.structured.entities
    assert to_dict(page) == dataclasses.asdict(page)


def test_pages_load_without_their_bulk_for_passes_that_do_not_read_it(tmp_path):
    page = build_page(fetch(), DEMO_ARTICLE.read_bytes(), "utf-8")
    store = Store.in_dir(tmp_path)
    store.add_page(page)
    full = next(store.iter_pages())
    light = next(store.iter_pages(bulk=False))
    empty = PageModel(fetch=page.fetch)
    for name in BULK_FIELDS:
        assert getattr(full, name) == getattr(page, name)
        assert getattr(light, name) == getattr(empty, name)
    light_fields = {f.name for f in dataclasses.fields(PageModel)} - set(BULK_FIELDS)
    for name in light_fields:
        assert getattr(light, name) == getattr(full, name), name
    store.close()
