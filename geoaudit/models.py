"""Data models shared by every stage: what was fetched, what a page says, what a rule found.

Models are plain dataclasses. They round-trip through JSON (`to_dict` / `from_dict`) because
the store keeps them as JSON documents in SQLite and the reporters read them back.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

Severity = Literal["error", "warning", "notice"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "notice")
DateKind = Literal["published", "modified", "other"]

T = TypeVar("T")


def to_dict(obj: Any) -> dict[str, Any]:
    """A JSON-ready dict of a model (dataclasses nest, field order kept): what
    `dataclasses.asdict` returns, without its deep copy of every string and number (a third of
    the cost of storing a page)."""
    names = _field_names(type(obj))  # type: ignore[arg-type]  # mypy: a class is hashable
    return {name: _plain(getattr(obj, name)) for name in names}


@functools.cache
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return to_dict(value)
    return value


def from_dict(cls: type[T], data: dict[str, Any]) -> T:
    """Rebuild a model of class `cls` from `to_dict` output; unknown keys are ignored."""
    plan = _plan(cls)  # type: ignore[arg-type]  # mypy: a class is hashable
    return cls(**{name: load(data[name]) for name, load in plan if name in data})


def _same(value: Any) -> Any:
    return value


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Per field of a model class, the function that rebuilds its value: resolved once per
    class, since resolving annotations is far slower than loading a page."""
    hints = typing.get_type_hints(cls)
    return tuple((f.name, _loader(hints[f.name])) for f in dataclasses.fields(cls))


@functools.cache
def _loader(hint: Any) -> Callable[[Any], Any]:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        inner = next(_loader(a) for a in typing.get_args(hint) if a is not type(None))
        return lambda v: None if v is None else inner(v)
    if origin is list:
        item = _loader(typing.get_args(hint)[0])
        if item is _same:
            return lambda v: None if v is None else list(v)
        return lambda v: None if v is None else [item(x) for x in v]
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return lambda v: from_dict(hint, v) if isinstance(v, dict) else v
    return _same


@dataclass
class Redirect:
    """One hop of a redirect chain: the URL that answered and its 3xx status."""

    url: str
    status: int


@dataclass
class FetchRecord:
    """What the crawler got for one URL, whatever it was (HTML, PDF, 404, DNS failure).

    `url` is the final URL as reported: with `--site-url`, URLs fetched from a staging origin are
    reported under the production origin. `status` is None when no HTTP response arrived, and
    `error` then says why.
    """

    url: str
    requested_url: str
    status: int | None
    content_type: str = ""
    charset: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    size: int = 0
    fetch_ms: float = 0.0
    redirects: list[Redirect] = field(default_factory=list)
    error: str | None = None
    depth: int | None = None
    found_via: str = "link"
    # Where a redirect or meta refresh led outside the audit's scope (not fetched), as reported.
    out_of_scope: str | None = None

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def is_html(self) -> bool:
        return self.content_type in ("text/html", "application/xhtml+xml")


@dataclass
class Heading:
    level: int
    text: str


@dataclass
class TextBlock:
    """One leaf block of the main content (paragraph, list item, heading, cell row...)."""

    tag: str
    text: str
    quote: bool = False
    external_links: int = 0
    cites: int = 0


@dataclass
class Link:
    url: str
    text: str = ""
    rel: str = ""
    internal: bool = True


@dataclass
class FoundDate:
    """A date the page states, where it states it, and what it claims to date."""

    kind: DateKind
    value: str
    iso: str | None
    source: str


@dataclass
class StructuredData:
    jsonld: list[dict[str, Any]] = field(default_factory=list)
    microdata: list[dict[str, Any]] = field(default_factory=list)
    rdfa: list[dict[str, Any]] = field(default_factory=list)
    opengraph: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    types: list[str] = field(default_factory=list)
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class AnswerFirst:
    """Signals of an answer-first page (see extract/signals.py)."""

    applicable: bool = False
    reason: str | None = "no main content"
    first_paragraph: str | None = None
    words: int = 0
    declarative: bool = False
    filler: bool = False
    topical: float = 0.0
    words_before_answer: int | None = None
    summary_block: bool = False
    question_headings: int = 0
    answered: int = 0
    unanswered_examples: list[str] = field(default_factory=list)


@dataclass
class Attribution:
    words: int = 0
    claims: int = 0
    attributed: int = 0
    statistics: int = 0
    quotations: int = 0
    outbound_citations: int = 0
    references_section: bool = False
    unattributed_examples: list[str] = field(default_factory=list)


@dataclass
class Readability:
    applicable: bool = False
    reason: str | None = "no main content"
    flesch_reading_ease: float | None = None
    grade: float | None = None
    sentences: int = 0
    avg_sentence_words: float = 0.0
    avg_paragraph_words: float = 0.0
    long_paragraph_share: float = 0.0
    fact_density: float = 0.0


@dataclass
class Structure:
    applicable: bool = False
    reason: str | None = "no main content"
    words: int = 0
    h1_count: int = 0
    skipped_levels: int = 0
    subheadings: int = 0
    question_headings: int = 0
    list_items: int = 0
    table_rows: int = 0
    prose_enumerations: int = 0
    long_paragraph_share: float = 0.0


@dataclass
class ContentSignals:
    answer_first: AnswerFirst = field(default_factory=AnswerFirst)
    attribution: Attribution = field(default_factory=Attribution)
    readability: Readability = field(default_factory=Readability)
    structure: Structure = field(default_factory=Structure)


@dataclass
class PageModel:
    """Everything checks may know about one fetched URL. Extraction fills it; nothing judges it.

    Non-HTML responses and failed fetches are pages too: their HTML fields stay empty.
    """

    fetch: FetchRecord
    title: str | None = None
    meta_description: str | None = None
    canonical: str | None = None
    viewport: str | None = None
    robots: dict[str, list[str]] = field(default_factory=dict)
    lang: str | None = None
    headings: list[Heading] = field(default_factory=list)
    main_source: str | None = None
    text_blocks: list[TextBlock] = field(default_factory=list)
    word_count: int = 0
    links: list[Link] = field(default_factory=list)
    structured: StructuredData = field(default_factory=StructuredData)
    dates: list[FoundDate] = field(default_factory=list)
    main_html: str = ""
    contacts: list[str] = field(default_factory=list)
    signals: ContentSignals = field(default_factory=ContentSignals)
    scripts: int = 0
    script_bytes: int = 0
    empty_app_root: str | None = None
    # Listing evidence from the links (kept in the head, which site facts read without the
    # links): a `rel=next`/`prev` link, and the pages linked below the page's own path.
    paginated: bool = False
    child_links: int = 0
    # The whole page's visible text, normalised and capped (extract/page.py _visible_text).
    visible_text: str = ""
    parse_error: str | None = None
    # What geoaudit could not read of the page: a limit it hit ("links: 600,000 found, the
    # first 5,000 kept") or a part whose extraction failed ("structured data: internal error:
    # ..."). The rest of the page is read all the same.
    unread: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.fetch.url

    @property
    def is_html_ok(self) -> bool:
        """A 2xx HTML page: the pages content rules judge."""
        return self.fetch.ok and self.fetch.is_html

    def directives(self, agent: str = "*") -> set[str]:
        """Robots directives (meta and X-Robots-Tag) that bind `agent`: the ones addressed to
        every crawler plus the ones addressed to it by name."""
        found = set(self.robots.get("*", []))
        if agent != "*":
            found.update(self.robots.get(agent.lower(), []))
        return found


@dataclass
class SiteFile:
    """A site-level file fetched once per audit: robots.txt, llms.txt, a sitemap..."""

    name: str
    fetch: FetchRecord
    text: str = ""
    parse_error: str | None = None

    @property
    def present(self) -> bool:
        return self.fetch.ok


@dataclass
class SitemapEntry:
    url: str
    sitemap: str
    lastmod: str | None = None
    priority: float | None = None


@dataclass
class Probe:
    """A fetch of a key page with an AI crawler's User-Agent: what the server answers that bot.

    `markers` are bot-challenge signatures found in the body (CAPTCHA, "Just a moment...").
    """

    agent: str
    url: str
    status: int | None
    size: int = 0
    error: str | None = None
    markers: list[str] = field(default_factory=list)


_TEMPLATE_SUFFIX = re.compile(r": alike on [\d,]+ pages, one template$")


def template_message(message: str, pages: int) -> str:
    """The message of a finding alike on `pages` pages, reported once (rules.template_finding)."""
    return f"{message}: alike on {pages:,} pages, one template"


def base_message(message: str) -> str:
    """The message of one page's finding, from a template's finding's message."""
    return _TEMPLATE_SUFFIX.sub("", message)


@dataclass
class Finding:
    """One problem a rule found. `url` is None for site-level findings; `type` and `property`
    name the schema.org entity type and property a structured-data finding is about; `pages`
    lists every page a site-level finding stands for when it is one template's defect, alike
    on each of them."""

    rule: str
    severity: Severity
    category: str
    message: str
    url: str | None = None
    line: int | None = None
    type: str | None = None
    property: str | None = None
    pages: list[str] | None = None
