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


DEFAULT_PORTS = {"http": 80, "https": 443}
Origin = tuple[str, str, int]


def origin_key(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, the port filled in and user info dropped; None
    for any other scheme or a URL without a host."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return None
    try:
        port = parts.port or DEFAULT_PORTS[scheme]
        # IDNA, as Scrapy sends it: bücher.de is requested as xn--bcher-kva.de.
        host = parts.hostname.lower().encode("idna").decode("ascii")
    except (ValueError, UnicodeError):  # a port out of range, a host IDNA cannot encode
        return None
    return scheme, host, port


def origin(url: str) -> str:
    """The origin as written in reports: scheme://host, with the port only when it is not the
    scheme's default, and never user info."""
    key = origin_key(url)
    if key is None:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or ''}".lower()
    scheme, host, port = key
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}" if port == DEFAULT_PORTS[scheme] else f"{scheme}://{host}:{port}"


def _same_origin_spelling(url: str, of: Origin) -> bool:
    """`url` names the origin `of` in any spelling: http or https, the default port written
    or not (or the origin's own port), any user info."""
    key = origin_key(url)
    if key is None:
        return False
    scheme, host, port = key
    return host == of[1] and port in (of[2], DEFAULT_PORTS[scheme])


def _rebase(url: str, new_origin: str) -> str:
    parts = urlsplit(url)
    return new_origin + urlunsplit(("", "", parts.path or "/", parts.query, ""))


class UrlScope:
    """The audit's scope, the one policy every request passes (crawl/middlewares.py applies it
    to each request and each redirect hop; the spider asks it before it requests a link).

    In scope: http(s) URLs of the start origin (scheme + host + port), or of a subdomain of the
    site with --include-subdomains. With --site-url, every spelling of the site's origin (http
    or https, default port written or not, protocol-relative, with user info) is the audited
    site: fetched from the start origin, reported under the site's. Everything else (another
    host, another port of the same host, file:, ftp:, data:) is recorded and never fetched.
    """

    def __init__(
        self,
        start_url: str,
        site_url: str | None = None,
        include_subdomains: bool = False,
        include: Sequence[str] = (),
        exclude: Sequence[str] = (),
    ):
        fetch_key = origin_key(start_url)
        if fetch_key is None:
            raise ValueError(f"not an http(s) URL: {start_url!r}")
        self.fetch_key: Origin = fetch_key
        self.fetch_origin = origin(start_url)
        self.site_origin = origin(site_url) if site_url else self.fetch_origin
        self.site_key: Origin = origin_key(self.site_origin) or fetch_key
        self.start_url = self.to_report(start_url)
        self.host = self.site_key[1]
        self.include_subdomains = include_subdomains
        self.include = [re.compile(p) for p in include]
        self.exclude = [re.compile(p) for p in exclude]

    def to_fetch(self, report_url: str) -> str:
        if _same_origin_spelling(report_url, self.site_key):
            return _rebase(report_url, self.fetch_origin)
        return report_url

    def to_report(self, fetch_url: str) -> str:
        if _same_origin_spelling(fetch_url, self.fetch_key):
            return _rebase(fetch_url, self.site_origin)
        return fetch_url

    def site_file_url(self, path: str) -> str:
        return self.site_origin + path

    def _subdomain(self, key: Origin | None) -> bool:
        if key is None or not self.include_subdomains:
            return False
        root = self.host.removeprefix("www.")
        return (key[1] == root or key[1].endswith("." + root)) and key[2] == DEFAULT_PORTS[key[0]]

    def on_site(self, report_url: str) -> bool:
        """A URL of the audited site as pages and sitemaps name it."""
        return _same_origin_spelling(report_url, self.site_key) or self._subdomain(
            origin_key(report_url)
        )

    def wanted(self, report_url: str) -> bool:
        """On site and passing the --include / --exclude filters."""
        if not self.on_site(report_url):
            return False
        if self.include and not any(p.search(report_url) for p in self.include):
            return False
        return not any(p.search(report_url) for p in self.exclude)

    def refusal(self, fetch_url: str) -> str | None:
        """Why a request for `fetch_url` must not be sent, or None when it is in scope."""
        key = origin_key(fetch_url)
        if key is None:
            scheme = urlsplit(fetch_url).scheme or "no scheme"
            return f"{scheme}: is not fetched (http and https only)"
        if key == self.fetch_key or self._subdomain(key):
            return None
        return f"{origin(fetch_url)} is outside the audited site ({self.fetch_origin})"

    def credentials_for(self, fetch_url: str) -> bool:
        """Whether --auth and --header may go with a request: only to the start origin itself,
        over the scheme they were given for."""
        return origin_key(fetch_url) == self.fetch_key

    @staticmethod
    def key(url: str) -> str:
        """The identity of a URL for deduplication (sorted query, no fragment, no session id)."""
        return canonicalize_url(strip_sessions(url))
