"""Fetch one URL outside a crawl (`geoaudit llms validate URL`): same User-Agent, auth and
headers as the crawler, bounded in size and in total time, failures as data."""

from __future__ import annotations

import base64
import threading
import urllib.error
import urllib.request
from typing import Any

from geoaudit import USER_AGENT
from geoaudit.crawl.scope import origin_key
from geoaudit.errors import describe_exception
from geoaudit.models import FetchRecord

MAX_BYTES = 5 * 1024 * 1024


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects to http(s) only (urllib would follow ftp: too); the credentials go again only
    to the origin they were given for: urllib never re-sends unredirected headers, this
    handler adds them back on a same-origin hop."""

    def __init__(self, url: str, secrets: dict[str, str]):
        self.origin, self.secrets = origin_key(url), secrets

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        if origin_key(newurl) is None:
            return None  # not followed: the 3xx is the answer
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None and origin_key(newurl) == self.origin:
            for name, value in self.secrets.items():
                new.add_unredirected_header(name, value)
        return new


def fetch_one(
    url: str,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | None = None,
    *,
    timeout: float,
) -> tuple[FetchRecord, bytes]:
    """GET `url` within `timeout` seconds in all: a socket timeout bounds each read only, and a
    server trickling a byte every few seconds held `llms validate` forever. The request runs
    in a daemon thread that is left behind (the command ends) when the time is up."""
    answer: list[tuple[FetchRecord, bytes]] = []
    worker = threading.Thread(
        target=lambda: answer.append(_fetch(url, headers, auth, timeout)), daemon=True
    )
    worker.start()
    worker.join(timeout)
    if not answer:
        error = f"no complete answer within {timeout:g} s"
        return FetchRecord(url=url, requested_url=url, status=None, error=error), b""
    return answer[0]


def _fetch(
    url: str, headers: dict[str, str] | None, auth: tuple[str, str] | None, timeout: float
) -> tuple[FetchRecord, bytes]:
    """GET `url`. --header and --auth go to its own origin only, never through a redirect to
    another one."""
    secrets = dict(headers or {})
    if auth:
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        secrets["Authorization"] = f"Basic {token}"
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    for name, value in secrets.items():
        request.add_unredirected_header(name, value)
    opener = urllib.request.build_opener(_SameOriginRedirects(url, secrets))
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES + 1)
            status, final, info = response.status, response.url, response.headers
    except urllib.error.HTTPError as exc:
        body, status, final, info = exc.read(MAX_BYTES + 1), exc.code, exc.url or url, exc.headers
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        error = describe_exception(reason if isinstance(reason, BaseException) else exc)
        return FetchRecord(url=url, requested_url=url, status=None, error=error), b""
    if len(body) > MAX_BYTES:
        record = FetchRecord(
            url=final,
            requested_url=url,
            status=None,
            error=f"larger than {MAX_BYTES // (1024 * 1024)} MiB",
        )
        return record, b""
    content_type = (info.get("Content-Type") or "").split(";")[0].strip().lower()
    kept = {k.lower(): v for k, v in info.items() if k.lower() in ("content-type", "link")}
    return FetchRecord(
        url=final,
        requested_url=url,
        status=status,
        content_type=content_type,
        headers=kept,
        size=len(body),
    ), body
