"""Which URLs belong to the audited site, and how reported URLs map to fetched ones.

With `--site-url https://www.example.com` and a start URL on staging, pages link to production
URLs: those are fetched from the staging origin and reported under the production origin.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from urllib.parse import urlsplit, urlunsplit

from w3lib.url import canonicalize_url

MAX_URL_LENGTH = 2048
# Query parameters that carry a session or a campaign, never a different page.
SESSION_PARAMS = frozenset(
    {
        "jsessionid",
        "phpsessid",
        "sid",
        "sessionid",
        "session_id",
        "aspsessionid",
        "cfid",
        "cftoken",
        "oscsid",
        "zenid",
        "gclid",
        "fbclid",
        "msclkid",
        "mc_eid",
        "_ga",
    }
)
_PATH_SESSION = re.compile(r";(?:jsessionid|phpsessid|sid)=[^/?#]*", re.IGNORECASE)


def strip_sessions(url: str) -> str:
    """The URL without session ids (`;jsessionid=` path parameters and session or tracking
    query parameters such as PHPSESSID, sid, utm_*)."""
    parts = urlsplit(url)
    path = _PATH_SESSION.sub("", parts.path)
    query = "&".join(
        pair
        for pair in parts.query.split("&")
        if pair
        and (name := pair.split("=", 1)[0].lower()) not in SESSION_PARAMS
        and not name.startswith("utm_")
    )
    return urlunsplit((parts.scheme, parts.netloc, path, query, parts.fragment))


def repeats_segments(url: str, times: int = 3) -> bool:
    """A path whose segment sequence repeats (`/a/b/a/b/a/b/`): relative links gone round."""
    segments = [s for s in urlsplit(url).path.split("/") if s]
    for size in range(1, len(segments) // times + 1):
        for start in range(len(segments) - size * times + 1):
            unit = segments[start : start + size]
            if all(
                segments[start + k * size : start + (k + 1) * size] == unit for k in range(times)
            ):
                return True
    return False


def origin(url: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")).lower()


def _swap_origin(url: str, old: str, new: str) -> str:
    if origin(url) == old:
        parts = urlsplit(url)
        return new + urlunsplit(("", "", parts.path or "/", parts.query, ""))
    return url


class UrlScope:
    def __init__(
        self,
        start_url: str,
        site_url: str | None = None,
        include_subdomains: bool = False,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ):
        self.fetch_origin = origin(start_url)
        self.site_origin = origin(site_url) if site_url else self.fetch_origin
        self.start_url = self.to_report(start_url)
        self.host = urlsplit(self.site_origin).hostname or ""
        self.include_subdomains = include_subdomains
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]

    def to_fetch(self, report_url: str) -> str:
        return _swap_origin(report_url, self.site_origin, self.fetch_origin)

    def to_report(self, fetch_url: str) -> str:
        return _swap_origin(fetch_url, self.fetch_origin, self.site_origin)

    def site_file_url(self, path: str) -> str:
        return self.site_origin + path

    def on_site(self, report_url: str) -> bool:
        parts = urlsplit(report_url)
        if parts.scheme not in ("http", "https"):
            return False
        host = parts.hostname or ""
        if host == self.host:
            return True
        if self.include_subdomains:
            root = self.host.removeprefix("www.")
            return host == root or host.endswith("." + root)
        return False

    def wanted(self, report_url: str) -> bool:
        """On site and passing the --include / --exclude filters."""
        if not self.on_site(report_url):
            return False
        if self.include and not any(p.search(report_url) for p in self.include):
            return False
        return not any(p.search(report_url) for p in self.exclude)

    @staticmethod
    def key(url: str) -> str:
        """The identity of a URL for deduplication (sorted query, no fragment, no session id)."""
        return canonicalize_url(strip_sessions(url))
