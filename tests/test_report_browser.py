"""The HTML report in a real browser: headless Chromium driven by Selenium through Debian's
chromedriver. No console errors, no injected script runs, the page table sorts, filters, pages
and drills down, the llms.txt download works; a 5,000-page report stays small and sorts. The
demo's report fits a 390 px phone, prints every fix it asks for, and draws its charts; each
rule's findings page and download. Screenshots of desktop, phone and print, and the printed PDF,
go to .test-artifacts/."""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import time
import unicodedata
from pathlib import Path

import pytest
from conftest import REPO, need_extra

from geoaudit.models import Finding, PageModel
from geoaudit.report import html as html_report
from geoaudit.report.context import ReportContext
from geoaudit.store import Store

ARTIFACTS = Path(os.environ.get("GEOAUDIT_TEST_ARTIFACTS", REPO / ".test-artifacts"))
HOSTILE = '</script><script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
PAGES = 60


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver_path = shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        webdriver = None
    need_extra("chromium, chromium-driver and selenium",
               bool(chromium and driver_path and webdriver))
    downloads = tmp_path_factory.mktemp("downloads")
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1600"):
        options.add_argument(arg)
    options.binary_location = chromium
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior",
                           {"behavior": "allow", "downloadPath": str(downloads)})
    driver.downloads = downloads
    yield driver
    driver.quit()


def hostile_site(root: Path) -> None:
    """60 pages of growing length, one of them carrying script injections in every place a site
    controls, and a broken link."""
    root.mkdir()
    links = "".join(f'<a href="/p/{n}.html">Page {n}</a> ' for n in range(PAGES))
    (root / "index.html").write_text(
        '<!DOCTYPE html><html lang="en"><head><title>Home</title></head><body><main>'
        f'<h1>Home</h1><p>Index.</p>{links}<a href="/missing.html">gone</a>'
        '<a href="/missing.html?q=&quot;&gt;&lt;script&gt;window.__pwned=5&lt;/script&gt;">x</a>'
        '</main></body></html>')
    (root / "p").mkdir()
    for n in range(PAGES):
        title = HOSTILE if n == 13 else f"Page {n}"
        extra = ""
        if n == 13:
            extra = (f'<meta name="description" content="&quot; onerror=&quot;window.__pwned=3">'
                     '<script type="application/ld+json">{"@type": "Organization", "name": '
                     f'{json.dumps(HOSTILE)}}}</script>')
        words = " ".join(["coffee"] * (5 * n + 3))
        (root / "p" / f"{n}.html").write_text(
            f'<!DOCTYPE html><html lang="en"><head><title>{title}</title>{extra}</head><body>'
            f'<main><h1>{title}</h1><p>{words}.</p><a href="javascript:window.__pwned=4">x</a>'
            '</main></body></html>')
    (root / "llms.txt").write_text(f"# Hostile {HOSTILE}\n\n> Summary.\n\n- [a](javascript:x)\n")


@pytest.fixture(scope="module")
def report(tmp_path_factory, browser):
    from conftest import run_geoaudit

    from geoaudit.devserver import serve_directory

    work = tmp_path_factory.mktemp("hostile")
    hostile_site(work / "site")
    with serve_directory(work / "site") as base:
        result = run_geoaudit(["audit", f"{base}/", "-q", "--no-probe", "-o", str(work / "out")],
                              work)
    assert result.code == 0, result.stderr
    return work / "out"


def console_errors(driver) -> list[dict]:
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def rows(driver) -> list[list[str]]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#page-table tbody tr'))"
        ".map(tr => Array.from(tr.cells).map(td => td.textContent));")


def click(driver, selector: str) -> None:
    driver.execute_script("document.querySelector(arguments[0]).click()", selector)


def column(driver, name: str) -> int:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#page-table th'))"
        ".findIndex(th => th.dataset.key === arguments[0]);", name)


def test_report_loads_without_errors_and_no_injected_script_runs(browser, report):
    browser.get((report / "report.html").as_uri())
    assert console_errors(browser) == []
    assert browser.execute_script("return window.__pwned === undefined")
    # The hostile title is shown as text, in the table and in the drill-down.
    browser.find_element("id", "page-filter").send_keys("p/13.html")
    assert [r[column(browser, "title")] for r in rows(browser)] == [HOSTILE]
    browser.find_element("css selector", "#page-table tbody tr").click()
    assert HOSTILE in browser.find_element("id", "page-detail").text
    assert browser.execute_script("return window.__pwned === undefined")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    browser.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    assert console_errors(browser) == []


def test_page_table_sorts_filters_and_paginates(browser, report):
    browser.get((report / "report.html").as_uri())
    total = PAGES + 3  # the pages, home, and two 404s (one with a script in its URL)
    info = browser.find_element("id", "page-info")
    assert info.text == f"1–50 of {total} pages"
    assert len(rows(browser)) == 50
    click(browser, "#page-next")
    assert info.text == f"51–{total} of {total} pages" and len(rows(browser)) == total - 50
    assert browser.find_element("id", "page-next").get_attribute("disabled")

    words = column(browser, "words")
    click(browser, 'th[data-key="words"] button')  # numbers sort largest first
    first = [int(r[words]) for r in rows(browser)]
    pages = json.loads((report / "report.json").read_text())["pages"]
    assert first == sorted(first, reverse=True)
    assert first[0] == max(p["word_count"] for p in pages) > 5 * (PAGES - 1)
    assert info.text.startswith("1–50")
    click(browser, 'th[data-key="words"] button')
    again = [int(r[words]) for r in rows(browser)]
    assert again == sorted(again)
    header = browser.find_element("css selector", 'th[data-key="words"]')
    assert header.get_attribute("aria-sort") == "ascending"

    status = browser.find_element("id", "page-status")
    status.find_element("css selector", 'option[value="4xx"]').click()
    assert [r[column(browser, "status")] for r in rows(browser)] == ["404", "404"]
    status.find_element("css selector", 'option[value="all"]').click()
    browser.find_element("id", "page-filter").send_keys("/p/4")
    found = [r[column(browser, "url")] for r in rows(browser)]
    assert found and all("/p/4" in u for u in found) and len(found) == 11  # 4, 40–49
    assert console_errors(browser) == []


def test_llms_txt_download_and_copy(browser, report):
    browser.get((report / "report.html").as_uri())
    click(browser, "#download-llms")
    target = browser.downloads / "llms.txt"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not target.exists():
        time.sleep(0.1)
    assert target.read_text(encoding="utf-8") == (report / "llms.txt").read_text(encoding="utf-8")
    copy = browser.find_element("id", "copy-llms")
    assert copy.is_displayed()
    copy.click()
    # The label changes when the clipboard's promise settles, not at the click.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and copy.text not in ("Copied", "Select the text to copy"):
        time.sleep(0.05)
    assert copy.text in ("Copied", "Select the text to copy")
    assert console_errors(browser) == []


def synthetic_store(out: Path, pages: int) -> None:
    """A store of `pages` pages with ten findings each, every message distinct: the worst case
    for the report's size, which grows with pages and with findings up to
    MAX_FINDINGS_IN_HTML."""
    from geoaudit.models import FetchRecord

    store = Store.in_dir(out, fresh=True)
    for n in range(pages):
        url = f"https://www.bench.example/section-{n % 7}/article-{n}.html"
        page = PageModel(
            fetch=FetchRecord(url=url, requested_url=url, status=200 if n % 50 else 404,
                              content_type="text/html", depth=1 + n % 4),
            title=f"Article {n}: how to brew coffee at home, step by step",
            meta_description="A guide to brewing coffee at home with a kettle and a scale. " * 2,
            word_count=300 + (n * 37) % 2700,
        )
        store.add_page(page)
        store.add_findings(
            Finding(f"CT00{k % 6 + 1}", "warning" if k % 3 else "error", "content",
                    f"{n * 10 + k} words come before the first answer-like paragraph", url)
            for k in range(10))
    store.close()


def test_5000_page_report_is_small_opens_cleanly_and_sorts(browser, report, tmp_path):
    audited = json.loads((report / "report.json").read_text())
    header = {k: v for k, v in audited.items() if k not in ("pages", "findings")}
    synthetic_store(tmp_path / "big", 5000)
    store = Store.in_dir(tmp_path / "big")
    from geoaudit.rules import load_rules

    path = tmp_path / "big" / "report.html"
    html_report.write(ReportContext(store, header, load_rules(), "# Bench\n"), path)
    store.close()
    size = path.stat().st_size
    print(f"5,000-page report.html: {size:,} bytes")
    assert size < 10_000_000, f"{size} bytes"

    browser.get(path.as_uri())
    assert browser.find_element("id", "page-info").text == "1–50 of 5000 pages"
    words = column(browser, "words")
    click(browser, 'th[data-key="words"] button')
    first = [int(r[words]) for r in rows(browser)]
    assert first == sorted(first, reverse=True) and first[0] == 2999
    assert console_errors(browser) == []


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory, browser):
    from conftest import run_geoaudit

    work = tmp_path_factory.mktemp("demo")
    result = run_geoaudit(["demo", "-q", "-o", str(work / "out")], work)
    assert result.code == 0, result.stderr
    return work / "out"


def full_page_screenshot(driver, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True})
    path = ARTIFACTS / name
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def test_demo_report_fits_a_phone(browser, demo_report):
    """At 390 px the report once laid out 769 px wide, words broken mid-letter: tables become
    cards, so the document is no wider than the viewport, at 390 px and at 360 px."""
    try:
        for width in (390, 360):
            browser.set_window_size(width, 844)
            browser.get((demo_report / "report.html").as_uri())
            inner, scroll = browser.execute_script(
                "return [window.innerWidth, document.documentElement.scrollWidth]")
            wider = browser.execute_script(
                "return Array.from(document.querySelectorAll('main *, header *'))"
                ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
                ".slice(0, 5).map(e => e.tagName + '.' + e.className)")
            assert scroll <= inner, (width, scroll, wider)
            # Cards label their values: no table header is shown.
            assert not browser.execute_script(
                "return Array.from(document.querySelectorAll('table.cards thead'))"
                ".some(t => t.getBoundingClientRect().height > 0)")
        assert full_page_screenshot(browser, "report-phone.png").stat().st_size > 10_000
        assert console_errors(browser) == []
    finally:
        browser.set_window_size(1280, 1600)


def pdf_text(data: bytes) -> str:
    from io import BytesIO

    from pypdf import PdfReader

    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)
    # NFKC undoes the PDF's ligatures ("ﬁ"); whitespace is where the lines broke.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def test_demo_report_prints_the_fix_for_every_rule_with_findings(browser, demo_report):
    """Print once kept collapsed rules collapsed: no why, no fix, no pages. The printed PDF
    holds each rule's how-to-fix text and its first finding."""
    need_extra("pypdf", shutil.which("chromium") is not None)
    from geoaudit.rules import doc_sections, load_rules

    browser.get((demo_report / "report.html").as_uri())
    pdf = base64.b64decode(browser.execute_cdp_cmd(
        "Page.printToPDF", {"printBackground": True, "paperWidth": 8.27, "paperHeight": 11.69})
        ["data"])
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report-print.pdf").write_bytes(pdf)
    text = pdf_text(pdf)
    report = json.loads((demo_report / "report.json").read_text())
    rules = load_rules()
    with_findings = sorted({f["rule"] for f in report["findings"]})
    assert len(with_findings) >= 10
    for rule_id in with_findings:
        fix = doc_sections(rules[rule_id].docs)["fix"].replace("`", "")
        assert re.sub(r"\s+", " ", fix) in text, rule_id
        first = next(f for f in report["findings"] if f["rule"] == rule_id)
        assert first["message"][:40] in text, (rule_id, first["message"])
    # Folded parts print open: the passed checks and the pages' dates.
    assert "CT005 " in text or "passed check" in text
    assert "sitemap:lastmod" in text
    browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert full_page_screenshot(browser, "report-print.png").stat().st_size > 10_000
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


CHARTS = ("chart-findings", "chart-content", "chart-freshness", "chart-bots")


def test_demo_report_draws_its_charts(browser, demo_report):
    browser.get((demo_report / "report.html").as_uri())
    for chart in CHARTS:
        shapes, width, label = browser.execute_script(
            "const svg = document.querySelector('#' + arguments[0] + ' svg');"
            "return svg ? [svg.querySelectorAll('rect').length, svg.getBoundingClientRect().width,"
            " svg.getAttribute('aria-label')] : [0, 0, null]", chart)
        assert shapes > 0 and width > 150 and label, chart
    # The bot grid: a row per bot, four cells each.
    bots = json.loads((demo_report / "report.json").read_text())["ai_access"]["bots"]
    cells = browser.execute_script("return document.querySelectorAll('#chart-bots rect').length")
    assert cells == 4 * sum(not b["retired"] for b in bots)
    assert full_page_screenshot(browser, "report-desktop.png").stat().st_size > 50_000
    assert console_errors(browser) == []


def test_each_rule_lists_all_its_pages_with_downloads_and_linking_pages(browser, report):
    """Each rule once showed 50 findings and no export; a broken link did not name the pages
    linking to it; page URLs were not links."""
    browser.get((report / "report.html").as_uri())
    data = json.loads(browser.execute_script(
        "return document.getElementById('finding-data').textContent"))
    rule, found = max(data["rules"].items(), key=lambda item: len(item[1]))
    assert len(found) > 50
    status = browser.find_element(
        "css selector", f'table.findings[data-rule="{rule}"] + .pager span')
    assert status.text == f"1–50 of {len(found)} findings"
    browser.execute_script(
        "document.querySelector(arguments[0]).click()",
        f'table.findings[data-rule="{rule}"] + .pager button:last-child')
    assert status.text == f"51–{len(found)} of {len(found)} findings"
    shown = browser.execute_script(
        "return document.querySelectorAll(arguments[0]).length",
        f'table.findings[data-rule="{rule}"] tbody tr')
    assert shown == len(found) - 50

    target = browser.downloads / f"{rule}-findings.csv"
    click(browser, f'.downloads[data-rule="{rule}"] a[download$=".csv"]')
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not target.exists():
        time.sleep(0.1)
    import csv

    with open(target, newline="", encoding="utf-8") as handle:
        exported = list(csv.DictReader(handle))
    assert len(exported) == len(found)
    assert {r["url"] for r in exported} == {f[0] for f in found}

    broken = browser.execute_script(
        "return Array.from(document.querySelectorAll('table.findings[data-rule=\"AC002\"] tr'))"
        ".filter(tr => tr.textContent.includes('missing.html'))"
        ".map(tr => [tr.querySelector('.linked') && tr.querySelector('.linked').textContent,"
        " tr.querySelector('a').href])")
    assert broken and all(linked and "Linked from" in linked for linked, _ in broken)
    assert all(href.startswith("http://127.0.0.1") for _, href in broken)
    # No link the site planted runs script; every link is http(s), an anchor or a download.
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('a[href]')).map(a => a.href)")
    assert hrefs and all(re.match(r"(https?:|file:.*#|blob:|data:text/plain)", h) for h in hrefs)
    assert console_errors(browser) == []
