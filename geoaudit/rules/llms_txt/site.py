"""llms.txt site rules on the site around the file: /llms.txt missing or served wrong, /llm.txt
redirecting to it, llms-full.txt, the H1 against the site's name, Chrome Lighthouse's verdict,
the site's contact details (LT001, LT030, LT036-LT041)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from geoaudit.facts import Site
from geoaudit.facts.llms_txt import text_beyond
from geoaudit.rules import Problem, site_rule
from geoaudit.sitefiles.llms_txt import site_file_paths


@site_rule(
    "LT001",
    name="llms-txt-missing",
    title="llms.txt is missing",
    severity="warning",
    category="llms_txt",
)
def llms_txt_missing(site: Site) -> Iterator[Problem]:
    """The site serves no `/llms.txt` (nor, for a site under a path such as `/project/`,
    `/project/llms.txt`, which is looked for first).

    Why it matters: llms.txt (llmstxt.org) is a Markdown map of the site for language models:
    its name, a one-line summary and links to the pages that matter, with notes. Agents and
    answer engines that read it find your key pages without guessing from navigation, and
    Chrome Lighthouse reports on it.

    How to fix: start from the `llms.txt` geoaudit generated in the report folder, review it,
    and serve it at `/llms.txt` as text/plain or text/markdown in UTF-8.

    Pass: `/llms.txt` answers 200 with `# Site name`, a `> summary` and link lists.
    Fail: `/llms.txt` answers 404.
    """
    llms = site.file("llms.txt")
    if llms is None or not llms.present:
        detail = "no response" if llms is None or llms.fetch.status is None else llms.fetch.status
        first, *then = site_file_paths(site.start_url, "llms.txt")
        where = f"{first} and {then[0]} are" if then else f"{first} is"
        yield Problem(f"{where} missing ({detail})")


@site_rule(
    "LT030",
    name="llms-txt-served-wrong",
    title="llms.txt served with the wrong type or encoding",
    severity="warning",
    category="llms_txt",
    needs=("llms",),
)
def served_wrong(site: Site) -> Iterator[Problem]:
    """/llms.txt answers 200 but not as `text/plain` or `text/markdown` in UTF-8, or its bytes
    are not valid UTF-8.

    Why it matters: 1.1.1 requires UTF-8 text; an HTML content type (often a CMS page served
    at the URL) tells clients it is not the file, and a wrong charset garbles non-ASCII names.

    How to fix: serve the file as `text/plain; charset=utf-8` or `text/markdown; charset=utf-8`.

    Pass: `Content-Type: text/markdown; charset=utf-8`. Fail: `Content-Type: text/html`.
    """
    llms = site.file("llms.txt")
    if llms is None:
        return
    content_type = llms.fetch.content_type
    if content_type not in ("text/plain", "text/markdown"):
        yield Problem(
            f"served as '{content_type or 'no content type'}', not text/plain or text/markdown",
            url=llms.fetch.url,
        )
    header = llms.fetch.headers.get("content-type", "").lower()
    if "charset=" in header and "utf-8" not in header and "utf8" not in header:
        yield Problem(f"declared charset is not UTF-8: '{header}'", url=llms.fetch.url)
    if "\ufffd" in llms.text:
        yield Problem("the file is not valid UTF-8", url=llms.fetch.url)


@site_rule(
    "LT036",
    name="llm-txt-no-redirect",
    title="/llm.txt does not redirect to /llms.txt",
    severity="notice",
    category="llms_txt",
    needs=("llms",),
)
def llm_txt_no_redirect(site: Site) -> Iterator[Problem]:
    """1.1.1 asks that the common misspelling `/llm.txt` answer with a 301 redirect to
    `/llms.txt`; here `/llm.txt` exists but is a file of its own, or redirects with another
    status. A `/llm.txt` that answers 404 is left alone: no agent is known to guess the
    misspelling, static hosts (GitHub Pages) cannot send a 301, and on the corpus of real
    sites all three such findings were judged noise.

    Why it matters: a separate /llm.txt drifts from /llms.txt, and agents or people who find it
    read an outdated copy; a temporary redirect is not followed by every reader as the file's
    address.

    How to fix: replace the file with a permanent redirect from /llm.txt to /llms.txt on the
    server or CDN.

    Pass: `/llm.txt` → 301 → `/llms.txt`, or `/llm.txt` → 404. Fail: a 302, or a separate file.
    """
    llm = site.file("llm.txt")
    if llm is None:
        return
    hops = llm.fetch.redirects
    if hops and llm.fetch.url.endswith("/llms.txt"):
        if hops[0].status != 301:
            yield Problem(f"/llm.txt redirects with {hops[0].status}, not 301", url=llm.fetch.url)
    elif llm.present:
        yield Problem("/llm.txt is a separate file, not a redirect to /llms.txt", url=llm.fetch.url)


@site_rule(
    "LT037",
    name="llms-full-missing",
    title="No llms-full.txt",
    severity="notice",
    category="llms_txt",
    needs=("llms",),
)
def llms_full_missing(site: Site) -> Iterator[Problem]:
    """The site has an llms.txt but no `/llms-full.txt`.

    Why it matters: llms-full.txt, a common companion outside the spec, gives agents the
    content of the key pages in one Markdown file; tools that load whole sites look for it.

    How to fix: publish the `llms-full.txt` geoaudit generated in the report folder, after
    review.

    Pass: `/llms-full.txt` answers 200. Fail: `/llms-full.txt` answers 404.
    """
    full = site.file("llms-full.txt")
    if full is None or not full.present:
        yield Problem("/llms-full.txt is missing")


FULL_MIN_CHARS = 500  # of text, in the file or beyond what llms.txt already says


@site_rule(
    "LT038",
    name="llms-full-invalid",
    title="llms-full.txt is not a usable Markdown file",
    severity="warning",
    category="llms_txt",
    applies=lambda site: (f := site.file("llms-full.txt")) is not None and f.present,
)
def llms_full_invalid(site: Site) -> Iterator[Problem]:
    """/llms-full.txt answers 200 but is an HTML page, has no `# ` title, is nearly empty, or
    only repeats llms.txt: its titles, URLs and notes, with none of the pages' text.

    Why it matters: agents that load it get a web page, nothing, or the index a second time
    instead of the site's content.

    How to fix: serve the full Markdown content: an H1, then each page's text.

    Pass: `# Acme` followed by the pages' Markdown. Fail: an HTML error page with status 200.
    """
    full = site.file("llms-full.txt")
    if full is None:
        return
    head = full.text.lstrip()[:200].lower()
    if head.startswith("<") and ("<html" in head or "<!doctype" in head):
        yield Problem("/llms-full.txt is an HTML page", url=full.fetch.url)
    elif not re.search(r"^#\s+\S", full.text, re.MULTILINE):
        yield Problem("/llms-full.txt has no `# ` title", url=full.fetch.url)
    elif len(full.text.strip()) < FULL_MIN_CHARS:
        yield Problem(
            f"/llms-full.txt has only {len(full.text.strip())} characters", url=full.fetch.url
        )
    elif (
        (index := site.file("llms.txt")) is not None
        and index.present
        and (beyond := text_beyond(full.text, index.text)) < FULL_MIN_CHARS
    ):
        yield Problem(
            f"/llms-full.txt repeats llms.txt's titles, URLs and notes: it holds only {beyond} "
            "characters of its own, none of the pages' text",
            url=full.fetch.url,
        )


def _named(site: Site) -> bool:
    return site.llms is not None and bool(site.llms.h1) and bool(site.identity.name)


@site_rule(
    "LT039",
    name="llms-h1-name-mismatch",
    title="llms.txt H1 differs from the site's name",
    severity="warning",
    category="llms_txt",
    applies=_named,
)
def h1_name_mismatch(site: Site) -> Iterator[Problem]:
    """The llms.txt H1 does not match the name the site gives itself elsewhere: the schema.org
    Organization or WebSite name, `og:site_name`, or the home page title.

    Why it matters: AI engines resolve a business as one entity from consistent names; 1.1.1
    says the H1 MUST match the name used on the site.

    How to fix: use the same name in the H1, the Organization markup and the site's branding.

    Pass: H1 `Acme Tools`, Organization name `Acme Tools`. Fail: H1 `Acme`, Organization
    `Acme Tools Ltd`.
    """
    h1, name = site.llms.h1 if site.llms else None, site.identity.name
    if h1 and name and _normal_name(h1) != _normal_name(name):
        yield Problem(
            f"H1 '{h1}' differs from the site's name '{name}'",
            line=site.llms.h1_line if site.llms else None,
            url=site.llms_url,
        )


def _normal_name(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


@site_rule(
    "LT040",
    name="llms-lighthouse-fail",
    title="Chrome Lighthouse fails the llms.txt audit",
    severity="error",
    category="llms_txt",
    needs=("lighthouse",),
    applies=lambda site: site.lighthouse[0] != "not_applicable",
)
def lighthouse_fail(site: Site) -> Iterator[Problem]:
    """Chrome Lighthouse (13.5, `llms-txt` audit) fails the file: it needs a line matching
    `# ` plus text (whitespace or a byte-order mark may come first), at least one
    `[text](url)` link, and at least 50 characters; a 5xx answer or no answer fails too (a 4xx
    makes the audit not applicable; an unfollowed 3xx stops it with an error, not a verdict).

    Why it matters: every Chrome user who runs Lighthouse on the site sees this verdict.

    How to fix: see the reason given; the other llms.txt findings show the way.

    Pass: `# Acme`, a summary and links. Fail: a file with no link, or a 503.
    """
    verdict, reason = site.lighthouse or ("", "")
    if verdict == "fail":
        yield Problem(f"Lighthouse verdict: fail ({reason})", url=site.llms_url)


@site_rule(
    "LT041",
    name="site-contact-unstated",
    title="The site states no contact details",
    severity="warning",
    category="llms_txt",
    applies=lambda site: site.pages_crawled > 0,
)
def contact_unstated(site: Site) -> Iterator[Problem]:
    """No crawled page is a contact page, links an e-mail address (`mailto:`) or phone number
    (`tel:`), or declares a schema.org `contactPoint`.

    Why it matters: "how do I reach them?" is one of the first questions an AI assistant gets
    about a business; 1.1.1 recommends a Contact section in llms.txt, and geoaudit's generated
    file has nothing to put in it.

    How to fix: publish a contact page (`/contact`), link the address and phone number with
    `mailto:`/`tel:`, and add `contactPoint` to the Organization markup.

    Pass: `/contact/` with `<a href="mailto:hello@acme.example">`. Fail: no contact details.
    """
    if not (site.identity.contacts or site.identity.contact_pages):
        yield Problem("no contact page, e-mail address, phone number or contactPoint found")
