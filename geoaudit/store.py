"""The audit store: one SQLite file in the output folder that every stage after the crawl reads.

Pages stream in as they are crawled and are read back one at a time, so no stage needs the whole
site in memory. Models are stored as JSON documents next to the few columns queries need.

Each crawl-time write (a page with its data and links, a site file, a sitemap's entries, a
probe) is one transaction: a page is stored whole or not at all, and a crawl stopped at any
moment leaves only whole pages. Findings and page contents, written by the analysis, are
committed in batches. A write that fails (a full disk, a read-only file) raises `StoreError`,
one line naming the file.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from geoaudit.errors import GeoauditError
from geoaudit.models import (
    Finding,
    PageModel,
    Probe,
    SiteFile,
    SitemapEntry,
    from_dict,
    to_dict,
)

STORE_NAME = "geoaudit.sqlite"
# The layout of the tables below. A store of another layout cannot take more pages, so an
# interrupted crawl can only be resumed by a geoaudit that writes the same.
STORE_FORMAT = 3
# The bulk of a page: what only the content rules and llms.txt generation read. It is stored
# in a column of its own, so that site facts and page reports load pages without parsing it.
BULK_FIELDS = ("headings", "links", "main_html", "signals", "text_blocks", "visible_text")
COMMIT_EVERY = 200
_INSERT_FINDING = (
    "INSERT INTO findings (rule, severity, category, url, line, message, type, property) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, status INTEGER, depth INTEGER);
CREATE TABLE IF NOT EXISTS page_data (url TEXT PRIMARY KEY, head TEXT NOT NULL, bulk TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sitefiles (
    url TEXT PRIMARY KEY, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sitemap_entries (
    url TEXT NOT NULL, sitemap TEXT NOT NULL, lastmod TEXT, priority REAL);
CREATE TABLE IF NOT EXISTS links (src TEXT NOT NULL, dst TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS page_content (url TEXT PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS probes (agent TEXT NOT NULL, url TEXT NOT NULL, data TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS findings (
    rule TEXT NOT NULL, severity TEXT NOT NULL, category TEXT NOT NULL,
    url TEXT, line INTEGER, message TEXT NOT NULL, type TEXT, property TEXT);
CREATE INDEX IF NOT EXISTS findings_url ON findings (url);
-- The pages a site-level finding stands for (Finding.pages), in order, by the finding's rowid.
CREATE TABLE IF NOT EXISTS finding_pages (finding INTEGER NOT NULL, url TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS finding_pages_url ON finding_pages (url);
CREATE INDEX IF NOT EXISTS finding_pages_finding ON finding_pages (finding);
CREATE INDEX IF NOT EXISTS links_src ON links (src);
"""


# Lone UTF-16 surrogates (a JSON-LD "\\ud83d" without its pair) cannot be stored as UTF-8:
# one made a page vanish, or failed the whole audit when it was on the home page.
_SURROGATE = re.compile("[\ud800-\udfff]")


def storable(text: str) -> str:
    """`text` as SQLite can store it: lone surrogates replaced by U+FFFD."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _dumps(value: Any) -> str:
    return storable(json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":")))


@dataclass
class PageRow:
    """A page as the store writes it. Built where the page was extracted (an extraction worker
    process), so the crawl's process only inserts it."""

    url: str
    status: int | None
    depth: int | None
    head: str  # the page model as JSON without BULK_FIELDS
    bulk: str  # BULK_FIELDS as JSON
    internal_links: list[str]

    @classmethod
    def of(cls, page: PageModel) -> PageRow:
        fields = to_dict(page)
        bulk = {name: fields.pop(name) for name in BULK_FIELDS}
        internal = dict.fromkeys(link.url for link in page.links if link.internal)
        return cls(
            page.url,
            page.fetch.status,
            page.fetch.depth,
            _dumps(fields),
            _dumps(bulk),
            list(internal),
        )


class StoreError(GeoauditError):
    """The store could not be written: a full disk, a read-only or damaged file."""


class Store:
    def __init__(self, path: Path, *, fresh: bool = False):
        self.path = Path(path)
        if fresh and self.path.exists():
            self.path.unlink()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        new = not self.path.exists()
        self.db = sqlite3.connect(self.path)
        with self._writing():
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(SCHEMA)
        if new:
            self.set_meta("format", STORE_FORMAT)
        self._pending = 0
        self._in_links: dict[str, int] | None = None

    @contextmanager
    def _failing_as_store_error(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as exc:
            raise StoreError(f"cannot write {self.path}: {exc}") from None

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """One transaction: committed whole, or rolled back and a `StoreError` raised."""
        with self._failing_as_store_error(), self.db:
            yield

    def _commit(self) -> None:
        with self._writing():
            pass

    @classmethod
    def in_dir(cls, out_dir: Path, *, fresh: bool = False) -> Store:
        return cls(Path(out_dir) / STORE_NAME, fresh=fresh)

    @staticmethod
    def exists_in(out_dir: Path) -> bool:
        """Whether `out_dir` holds a geoaudit store, of any version."""
        path = Path(out_dir) / STORE_NAME
        if not path.is_file() or path.is_symlink():
            return False
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            query = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'pages'"
            return db.execute(query).fetchone() is not None
        except sqlite3.DatabaseError:
            return False
        finally:
            db.close()

    @staticmethod
    def format_in(out_dir: Path) -> int | None:
        """The format of the store in `out_dir`; None when there is none, or it predates
        formats."""
        path = Path(out_dir) / STORE_NAME
        if not path.is_file():
            return None
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'format'").fetchone()
        except sqlite3.DatabaseError:
            row = None
        finally:
            db.close()
        return None if row is None else json.loads(row[0])

    def close(self) -> None:
        try:
            self._commit()
        finally:
            self.db.close()

    def _written(self, n: int = 1) -> None:
        self._pending += n
        if self._pending >= COMMIT_EVERY:
            self._commit()
            self._pending = 0

    # meta -------------------------------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        with self._writing():
            self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, _dumps(value)))

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    # pages ------------------------------------------------------------------------------------
    def add_page(self, page: PageModel | PageRow) -> bool:
        """Store a page; False when its URL is already stored (first record wins)."""
        row = page if isinstance(page, PageRow) else PageRow.of(page)
        with self._writing():
            cur = self.db.execute(
                "INSERT OR IGNORE INTO pages VALUES (?, ?, ?)", (row.url, row.status, row.depth)
            )
            if cur.rowcount == 1:
                # The documents live apart from the small rows that compute_depths rewrites.
                self.db.execute(
                    "INSERT INTO page_data VALUES (?, ?, ?)", (row.url, row.head, row.bulk)
                )
                self.db.executemany(
                    "INSERT INTO links VALUES (?, ?)", ((row.url, u) for u in row.internal_links)
                )
        return cur.rowcount == 1

    def iter_pages(self, *, bulk: bool = True) -> Iterator[PageModel]:
        """Pages in URL order, one at a time; `bulk=False` leaves BULK_FIELDS at their empty
        defaults."""
        columns = "depth, head, bulk" if bulk else "depth, head, NULL"
        query = f"SELECT {columns} FROM pages JOIN page_data USING (url) ORDER BY url"
        for row in self.db.cursor().execute(query):
            yield self._load_page(*row)

    def page(self, url: str) -> PageModel | None:
        row = self.db.execute(
            "SELECT depth, head, bulk FROM pages JOIN page_data USING (url) WHERE url = ?",
            (url,),
        ).fetchone()
        return None if row is None else self._load_page(*row)

    def find_page(self, start_url: str) -> PageModel | None:
        """The page stored for a URL, found by its final URL or the URL it was requested as."""
        page = self.page(start_url)
        if page is not None:
            return page
        row = self.db.execute(
            "SELECT depth, head, bulk FROM pages JOIN page_data USING (url) "
            "WHERE json_extract(head, '$.fetch.requested_url') = ? LIMIT 1",
            (start_url,),
        ).fetchone()
        return None if row is None else self._load_page(*row)

    @staticmethod
    def _load_page(depth: int | None, head: str, bulk: str | None) -> PageModel:
        fields = json.loads(head)
        if bulk is not None:
            fields.update(json.loads(bulk))
        page = from_dict(PageModel, fields)
        # The depth column is the truth: compute_depths rewrites it after the crawl.
        page.fetch.depth = depth
        return page

    def page_count(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM pages").fetchone()[0]

    def status_counts(self) -> dict[str, int]:
        rows = self.db.execute(
            "SELECT COALESCE(CAST(status / 100 AS TEXT) || 'xx', 'failed'), COUNT(*) "
            "FROM pages GROUP BY 1 ORDER BY 1"
        )
        return dict(rows.fetchall())

    def in_link_counts(self) -> dict[str, int]:
        """Pages linking to each URL. Counted once per store: a grouping of every link (ten
        million at 100,000 pages) that scoring and llms.txt both need."""
        if self._in_links is None:
            rows = self.db.execute(
                "SELECT dst, COUNT(DISTINCT src) FROM links WHERE src != dst GROUP BY dst"
            )
            self._in_links = dict(rows.fetchall())
        return self._in_links

    def linking_pages(self, limit: int) -> dict[str, tuple[list[str], int]]:
        """For each crawled URL that did not answer 2xx (a broken link, a redirect, a failed
        fetch): up to `limit` pages linking to it and how many there are in all."""
        rows = self.db.execute(
            "SELECT dst, src FROM links WHERE src != dst AND dst IN "
            "(SELECT url FROM pages WHERE status IS NULL OR status < 200 OR status >= 300) "
            "GROUP BY dst, src ORDER BY dst, src"
        )
        found: dict[str, tuple[list[str], int]] = {}
        for dst, src in rows:
            sources, count = found.get(dst, ([], 0))
            if len(sources) < limit:
                sources.append(src)
            found[dst] = (sources, count + 1)
        return found

    def compute_depths(self, start_url: str) -> None:
        """Set each page's depth to its click distance from the start URL (BFS over the stored
        link graph). Pages reachable only through sitemaps keep a null depth."""
        self._commit()
        depth = {start_url: 0}
        queue = deque([start_url])
        while queue:
            src = queue.popleft()
            for (dst,) in self.db.execute("SELECT dst FROM links WHERE src = ?", (src,)):
                if dst not in depth:
                    depth[dst] = depth[src] + 1
                    queue.append(dst)
        urls = [row[0] for row in self.db.execute("SELECT url FROM pages")]
        with self._writing():
            self.db.executemany(
                "UPDATE pages SET depth = ? WHERE url = ?", ((depth.get(u), u) for u in urls)
            )

    # site files -------------------------------------------------------------------------------
    def add_sitefile(self, sitefile: SiteFile) -> None:
        with self._writing():
            self.db.execute(
                "INSERT OR REPLACE INTO sitefiles VALUES (?, ?, ?)",
                (sitefile.fetch.requested_url, sitefile.name, _dumps(to_dict(sitefile))),
            )

    def sitefiles(self) -> list[SiteFile]:
        rows = self.db.execute("SELECT data FROM sitefiles ORDER BY name, url")
        return [from_dict(SiteFile, json.loads(data)) for (data,) in rows]

    def add_sitemap_entries(self, entries: Iterable[SitemapEntry]) -> None:
        rows = [(e.url, e.sitemap, e.lastmod, e.priority) for e in entries]
        with self._writing():
            self.db.executemany("INSERT INTO sitemap_entries VALUES (?, ?, ?, ?)", rows)

    def sitemap_url_count(self) -> int:
        return self.db.execute("SELECT COUNT(DISTINCT url) FROM sitemap_entries").fetchone()[0]

    def sitemap_urls(self) -> list[str]:
        return [row[0] for row in self.db.execute("SELECT DISTINCT url FROM sitemap_entries")]

    def sitemap_lastmods(self) -> dict[str, str]:
        rows = self.db.execute(
            "SELECT url, MAX(lastmod) FROM sitemap_entries WHERE lastmod IS NOT NULL GROUP BY url"
        )
        return dict(rows.fetchall())

    def add_page_content(self, url: str, content: dict[str, Any]) -> None:
        with self._failing_as_store_error():
            self.db.execute(
                "INSERT OR REPLACE INTO page_content VALUES (?, ?)", (url, _dumps(content))
            )
        self._written()

    def page_content(self, url: str) -> dict[str, Any] | None:
        row = self.db.execute("SELECT data FROM page_content WHERE url = ?", (url,)).fetchone()
        return None if row is None else json.loads(row[0])

    def sitemap_priorities(self) -> dict[str, float]:
        rows = self.db.execute(
            "SELECT url, MAX(priority) FROM sitemap_entries WHERE priority IS NOT NULL GROUP BY url"
        )
        return dict(rows.fetchall())

    # probes -----------------------------------------------------------------------------------
    def add_probe(self, probe: Probe) -> None:
        with self._writing():
            self.db.execute(
                "INSERT INTO probes VALUES (?, ?, ?)",
                (probe.agent, probe.url, _dumps(to_dict(probe))),
            )

    def probes(self) -> list[Probe]:
        rows = self.db.execute("SELECT data FROM probes ORDER BY agent, url")
        return [from_dict(Probe, json.loads(data)) for (data,) in rows]

    # findings ---------------------------------------------------------------------------------
    def add_findings(self, findings: Iterable[Finding]) -> None:
        plain: list[tuple[Any, ...]] = []
        listed: list[tuple[tuple[Any, ...], list[str]]] = []
        for f in findings:
            row = (
                f.rule,
                f.severity,
                f.category,
                f.url and storable(f.url),
                f.line,
                storable(f.message),
                f.type and storable(f.type),
                f.property and storable(f.property),
            )
            if f.pages:
                listed.append((row, f.pages))
            else:
                plain.append(row)
        with self._failing_as_store_error():
            self.db.executemany(_INSERT_FINDING, plain)
            for row, pages in listed:
                self._insert_listed(row, pages)
        self._written(len(plain) + len(listed))

    def _insert_listed(self, row: tuple[Any, ...], pages: list[str]) -> None:
        """A finding that stands for `pages`, and its pages."""
        finding = self.db.execute(_INSERT_FINDING, row).lastrowid
        self.db.executemany(
            "INSERT INTO finding_pages VALUES (?, ?)", ((finding, storable(u)) for u in pages)
        )

    def fold_alike(
        self,
        rules: Iterable[str],
        min_pages: int,
        fold: Callable[[Finding, list[str]], Finding],
    ) -> int:
        """Replace each page finding of `rules` that is alike (rule, severity, message, type,
        property) on at least `min_pages` pages by `fold(finding, urls)`, its pages shortest
        URL first. Returns how many findings were folded."""
        chosen = tuple(rules)
        alike = (
            "url IS NOT NULL AND line IS NULL AND rule = ? AND severity = ? AND category = ? "
            "AND message = ? AND type IS ? AND property IS ?"
        )
        with self._writing():
            groups = self.db.execute(
                "SELECT rule, severity, category, message, type, property FROM findings "
                "WHERE url IS NOT NULL AND line IS NULL "
                f"AND rule IN ({', '.join('?' * len(chosen))}) "
                "GROUP BY rule, severity, category, message, type, property "
                "HAVING COUNT(DISTINCT url) >= ?",
                (*chosen, min_pages),
            ).fetchall()
            folded = 0
            for key in groups:
                urls = [
                    url
                    for (url,) in self.db.execute(
                        f"SELECT DISTINCT url FROM findings WHERE {alike} "
                        "ORDER BY length(url), url",
                        key,
                    )
                ]
                folded += self.db.execute(f"DELETE FROM findings WHERE {alike}", key).rowcount
                rule, level, category, message, f_type, prop = key
                one = fold(Finding(rule, level, category, message, None, None, f_type, prop), urls)
                self._insert_listed(
                    (one.rule, one.severity, one.category, one.url, one.line,
                     storable(one.message), one.type, one.property),
                    one.pages or [],
                )
        return folded

    def clear_findings(self) -> None:
        with self._writing():
            self.db.execute("DELETE FROM findings")
            self.db.execute("DELETE FROM finding_pages")

    def iter_findings(
        self, url: str | None = None, severity: str | None = None
    ) -> Iterator[Finding]:
        """Findings in a stable order: rule, then URL (site-level first), then line; only
        those of one page when `url` is given (with the template findings standing for it,
        their `pages` left out: the page is the one asked about), of one severity when
        `severity` is."""
        self._commit()
        columns = "rule, severity, category, message, url, line, type, property"
        order = "ORDER BY rule, url IS NOT NULL, url, line, message"
        cursor = self.db.cursor()
        if url is not None:
            level = " AND severity = ?" if severity is not None else ""
            extra = (severity,) if severity is not None else ()
            rows = cursor.execute(
                f"SELECT {columns}, NULL FROM (SELECT * FROM findings WHERE url = ?{level} "
                "UNION ALL SELECT * FROM findings WHERE rowid IN "
                f"(SELECT finding FROM finding_pages WHERE url = ?){level}) {order}",
                (url, *extra, url, *extra),
            )
        else:
            where = "WHERE severity = ? " if severity is not None else ""
            listed = (
                "(SELECT json_group_array(url) FROM (SELECT url FROM finding_pages "
                "WHERE finding = findings.rowid ORDER BY rowid))"
            )
            rows = cursor.execute(
                f"SELECT {columns}, CASE WHEN EXISTS (SELECT 1 FROM finding_pages WHERE "
                f"finding = findings.rowid) THEN {listed} END FROM findings {where}{order}",
                (severity,) if severity is not None else (),
            )
        for rule, level_, category, message, f_url, line, f_type, prop, pages in rows:
            yield Finding(rule, level_, category, message, f_url, line, f_type, prop,
                          None if pages is None else json.loads(pages))

    def finding_counts(self) -> dict[str, int]:
        rows = self.db.execute("SELECT severity, COUNT(*) FROM findings GROUP BY severity")
        return dict(rows.fetchall())

    def rule_summary(self) -> list[tuple[str, str, int, int]]:
        """Per rule and severity: findings and distinct pages affected (a template's
        finding affects each page it lists)."""
        self._commit()
        rows = self.db.execute(
            "SELECT rule, severity, COUNT(*), (SELECT COUNT(DISTINCT page) FROM ("
            "  SELECT url AS page FROM findings AS f2 WHERE f2.rule = f.rule"
            "  AND f2.severity = f.severity AND url IS NOT NULL UNION"
            "  SELECT fp.url FROM finding_pages AS fp JOIN findings AS f3"
            "  ON f3.rowid = fp.finding WHERE f3.rule = f.rule AND f3.severity = f.severity)) "
            "FROM findings AS f GROUP BY rule, severity ORDER BY rule"
        )
        return rows.fetchall()
