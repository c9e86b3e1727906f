"""Content scores: a labelled set of page pairs that differ in one property, each ordered
correctly by its score; signals on real text; no crash on odd pages."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import textstat

from geoaudit.extract import build_page
from geoaudit.extract.signals import flesch
from geoaudit.facts import Site
from geoaudit.models import FetchRecord
from geoaudit.scoring.content import freshness_score, page_content

PAIRS = Path(__file__).parent / "fixtures" / "content"
DEMO = Path(__file__).resolve().parent.parent / "geoaudit" / "data" / "demo_site"
LABELS = tomllib.loads((PAIRS / "pairs.toml").read_text())
SITE = Site(start_url="https://www.example.com/", site_url="https://www.example.com",
            audit_date="2026-11-21T12:00:00+00:00", home_url="https://www.example.com/")


def content_of(html: str | bytes, url: str = "https://www.example.com/blog/post") -> dict:
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    body = html.encode("utf-8") if isinstance(html, str) else html
    return page_content(build_page(fetch, body, "utf-8"), SITE)


def test_the_labelled_set_has_at_least_twenty_pages():
    assert len(list(PAIRS.glob("*_good.html"))) + len(list(PAIRS.glob("*_bad.html"))) >= 20


@pytest.mark.parametrize("name", sorted(LABELS))
def test_each_pair_is_ordered_by_its_score(name):
    dimension = LABELS[name]["dimension"]
    good = content_of((PAIRS / f"{name}_good.html").read_bytes())[dimension]
    bad = content_of((PAIRS / f"{name}_bad.html").read_bytes())[dimension]
    assert good["score"] is not None and bad["score"] is not None, (good, bad)
    assert good["score"] > bad["score"], (good, bad)


def test_signals_explain_the_scores():
    bad = content_of((PAIRS / "answer_direct_vs_filler_bad.html").read_bytes())["answer_first"]
    assert bad["signals"]["filler"] is True
    unsourced = content_of((PAIRS / "attribution_sourced_vs_unsourced_bad.html").read_bytes())
    attribution = unsourced["attribution"]
    assert attribution["claims"] >= 2 and attribution["attributed"] == 0
    assert any(e.startswith("62% of cafés") for e in attribution["unattributed_examples"])
    sourced = content_of((PAIRS / "attribution_sourced_vs_unsourced_good.html").read_bytes())
    # The two statistics differ only in naming their sources; the shared text's claims do not.
    assert sourced["attribution"]["claims"] == attribution["claims"]
    assert sourced["attribution"]["attributed"] == attribution["attributed"] + 2
    fresh = content_of((PAIRS / "freshness_recent_vs_old_good.html").read_bytes())["freshness"]
    assert fresh["date"] == "2026-10-15" and fresh["date_source"] == "json-ld:dateModified"
    assert fresh["age_days"] == 37


@pytest.mark.parametrize("age, expected", [(0, 100), (90, 100), (315, 55), (540, 10),
                                           (635, 5), (730, 0), (5000, 0)])
def test_freshness_curve(age, expected):
    assert freshness_score(age) == expected


def test_evergreen_and_undated_pages():
    home = content_of("<h1>Acme</h1><p>Hi.</p>", "https://www.example.com/")["freshness"]
    assert home["score"] is None and "evergreen" in home["reason"]
    undated_article = content_of('<script type="application/ld+json">{"@type": "Article", '
                                 '"headline": "x"}</script><p>x</p>')
    assert undated_article["freshness"]["score"] == 0
    undated_page = content_of("<p>x</p>")["freshness"]
    assert undated_page["score"] is None and undated_page["reason"]


@pytest.mark.parametrize("html, reason", [
    ("", "no main content"),
    ("<script>var app = {};</script>" * 200, "too little text"),
    ("<html lang='de'><body><h1>Kaffee</h1>" + "<p>Der Kaffee ist heiß und gut. Wir "
     "trinken ihn gern am Morgen mit Milch.</p>" * 20, "language 'de' is not supported"),
    ("<h1>List</h1>" + "<p>item item item item item item</p>" * 40, "no sentence punctuation"),
    # No `lang`, or a template's default `lang="en"`: the letters say the script.
    ("<h1>법률 칼럼</h1>" + "<p>대한민국 법원은 이 사건에서 원고의 청구를 받아들였습니다. 피고는 "
     "항소할 수 있습니다. 변호사와 상담하십시오.</p>" * 30, "not applicable: Korean"),
    ("<html lang='en'><body><h1>日本語</h1>" + "<p>これは日本語の文章です。漢字とひらがなを"
     "使います。</p>" * 40, "not applicable: Japanese"),
])
def test_odd_pages_get_null_with_a_reason(html, reason):
    content = content_of(html)
    nulls = [block.get("reason", "") for block in content.values() if block["score"] is None]
    assert any(reason in r for r in nulls), content


def test_huge_page_stays_fast_enough():
    import time

    html = "<h1>Big</h1>" + "<p>Cold brew takes sixteen hours. It is smooth and sweet.</p>" * 20000
    started = time.perf_counter()
    content = content_of(html)
    assert time.perf_counter() - started < 30  # a bound against runaway cost, not a benchmark
    assert content["readability"]["score"] is not None


@pytest.mark.parametrize("name", ["demo", "plain", "one sentence", "contractions"])
def test_flesch_scores_equal_textstats_own(name):
    """Syllables are counted once per distinct word; the scores must stay textstat's."""
    texts = {
        "demo": "\n".join(
            b.text
            for b in build_page(
                FetchRecord("https://a.example/", "", 200, "text/html"),
                (DEMO / "blog/cold-brew-ratio/index.html").read_bytes(),
                "utf-8",
            ).text_blocks
        ),
        "plain": "The cat sat on the mat. It was warm. The sun shone all day long.",
        "one sentence": "Extraordinarily complicated multisyllabic terminology overwhelms.",
        "contractions": "It's what we'd said: don't grind too fine, or you'll over-extract it!",
    }
    ease, grade = flesch(texts[name])
    assert ease == pytest.approx(textstat.flesch_reading_ease(texts[name]), abs=1e-9)
    assert grade == pytest.approx(textstat.flesch_kincaid_grade(texts[name]), abs=1e-9)


def _attribution(sentence: str):
    fetch = FetchRecord(url="https://example.com/a", requested_url="https://example.com/a",
                        status=200, content_type="text/html")
    html = f"<title>t</title><main><h1>A</h1><p>{sentence}</p></main>"
    return build_page(fetch, html.encode(), "utf-8").signals.attribution


@pytest.mark.parametrize("sentence", [
    "Connect to 192.168.1.1:8080 on port 443.",
    "Install Python 3.11.2 or v2.4 first.",
    "Call +44 20 7946 0958 or (555) 123-4567 today.",
    "John 3:16 is read at 10:30 each week.",
    "In 2024 the office moved to the harbour.",
    "See step 3 and section 4.2 for the details.",
    r"The energy is \(E = mc^2\) in this frame.",
])
def test_numbers_that_claim_nothing_are_not_statistics(sentence):
    assert _attribution(sentence).statistics == 0


@pytest.mark.parametrize("sentence", [
    "Recall drops 40% after a day (Ebbinghaus 1885).",
    "Yudkowsky (2008) put the risk at 90 percent.",
    "Sales rose 40%¹ in the first quarter.",
    "The court in Dobbs v Jackson struck down 46 state laws.",
])
def test_author_year_citations_footnotes_and_cases_are_sources(sentence):
    attribution = _attribution(sentence)
    assert attribution.claims >= 1 and attribution.attributed == attribution.claims


@pytest.mark.parametrize("sentence", [
    "据韩联社报道，超过 4 万名员工将启动为期 18 天的罢工。",
    "日経新聞によると、売上は 40% 増えた。",
    "통계청에 따르면 출생아 수가 12% 줄었다.",
])
def test_according_to_in_chinese_japanese_and_korean_is_a_source(sentence):
    attribution = _attribution(sentence)
    assert attribution.claims >= 1 and attribution.attributed == attribution.claims


def _attribution_of(main: str):
    from geoaudit.extract import build_page

    fetch = FetchRecord(url="https://example.com/a", requested_url="https://example.com/a",
                        status=200, content_type="text/html")
    return build_page(fetch, f"<main><h1>A</h1>{main}</main>".encode(), "utf-8").signals.attribution


def test_code_blocks_state_no_claims_whatever_their_markup():
    """Highlighters write a <div> per line of code: each line was read as prose, so a Google
    Fonts URL and `staleTime: 5 * 60 * 1000` were 'claims without a source'."""
    lines = "".join(f'<div class="ec-line"><div class="code">staleTime: {n} * 60 * 1000,</div>'
                    "</div>" for n in range(5))
    assert _attribution_of(f"<p>Set it up.</p><pre><code>{lines}</code></pre>").claims == 0


def test_a_quotation_after_a_linked_lead_in_is_sourced():
    attribution = _attribution_of(
        '<p>The numbers, <a href="https://variety.com/x">via Variety</a>:</p>'
        "<blockquote><p>The film grossed $1.1 billion in 26 days.</p></blockquote>"
        "<p>Our own take: it made more than $40 million a day.</p>"
    )
    assert attribution.claims == 2 and attribution.attributed == 1


def test_a_step_s_duration_is_no_claim_but_a_lifespan_is():
    """A roofer's post on its own timeline ("6-10 hours", "Days 5-14") was told its
    figures named no source."""
    assert _attribution("Tear-off takes 2-3 hours and we give 24 hours notice.").claims == 0
    assert _attribution("Days 5-14: material ordering and scheduling.").claims == 0
    assert _attribution("Inspection takes about 30-45 minutes on-site.").claims == 0
    assert _attribution("The warranty covers defects for 25-30 years.").claims == 1
    assert _attribution("The film grossed $1.1 billion in 26 days.").claims == 1
    assert _attribution("Our crews logged 10,000 hours and 2.5 hours a job.").claims == 0


def test_a_plain_claim_stays_unattributed():
    attribution = _attribution("Our customers grew 45% and saved $4 million in 2023.")
    assert attribution.claims == 1 and attribution.attributed == 0


def test_each_list_item_ends_a_sentence_for_readability():
    """Bullets without a final stop were joined into one long sentence with what followed:
    Flesch 0.0 on a docs page of short plain bullets."""
    from geoaudit.extract import build_page

    items = "".join(f"<li>Keep each module small and name it for what it does {n}</li>"
                    for n in range(20))
    html = (f"<html lang=en><main><h1>Layers</h1><p>Layers split the code by duty. Each one "
            f"may use the ones below it. None may use the ones above.</p><ul>{items}</ul></main>")
    url = "https://www.example.com/docs/layers"
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    readability = build_page(fetch, html.encode(), "utf-8").signals.readability
    assert readability.applicable
    assert readability.flesch_reading_ease > 60, readability


def _answer_first(html: str, title: str):
    from geoaudit.extract import build_page

    url = "https://example.com/docs/x"
    fetch = FetchRecord(url=url, requested_url=url, status=200, content_type="text/html")
    page = build_page(fetch, f"<title>{title}</title><main>{html}</main>".encode(), "utf-8")
    return page.signals.answer_first


def test_a_generic_h1_takes_its_topic_from_the_title():
    """'Overview' says nothing of the topic: the opening 'Feature-Sliced Design (FSD) is an
    architectural methodology...' was 'no direct answer on the H1's topic'."""
    found = _answer_first(
        "<h1>Overview</h1><p>Feature-Sliced Design (FSD) is an architectural methodology for "
        "scaffolding front-end applications, a set of rules for organising code.</p>"
        + "<p>More words about the layers and slices and segments of the code base.</p>" * 3,
        "Overview | Feature-Sliced Design")
    assert found.words_before_answer == 0


def test_a_metadata_line_is_not_the_opening_and_chinese_topics_match():
    """A news page's '原始标题：…?' line was read as its opening question; Chinese H1s had no
    topic terms at all (single characters were dropped)."""
    found = _answer_first(
        "<h1>三星工会宣布罢工</h1><p>原始标题：Will Samsung workers strike?</p>"
        "<p>三星电子工会宣布，若调解失败，超过四万名员工将从五月二十一日起"
        "罢工十八天，半导体部门将受到直接冲击。</p>"
        + "<p>更多关于谈判进展的背景信息和各方立场的介绍。</p>" * 3,
        "三星工会宣布罢工｜AI资讯解读")
    assert found.declarative and found.first_paragraph.startswith("三星电子工会")
    assert found.words_before_answer == 0
