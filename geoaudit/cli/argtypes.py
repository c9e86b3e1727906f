"""Values the command line and geoaudit.toml share: each parser takes the text a user wrote
and returns the typed value, or raises `argparse.ArgumentTypeError` with a one-line reason."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from w3lib.url import safe_url_string

from geoaudit.categories import CATEGORIES
from geoaudit.escape import clipped
from geoaudit.report.formats import FORMATS


def http_url(value: str) -> str:
    """An http(s) URL as it goes on the wire, the way Scrapy sends it (w3lib): an IDN host in
    punycode, spaces and non-ASCII in the path percent-encoded (a start path such as
    `/café menu/` was requested encoded and then not found under its own name). A port out of
    range is refused here, not by a traceback from the crawl."""
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        hint = ""
        if not parts.scheme and re.match(r"[\w-]+(\.[\w-]+)+(:\d+)?(/|$)", value.strip()):
            hint = f"; did you mean https://{clipped(value.strip())}?"
        raise argparse.ArgumentTypeError(f"not an http(s) URL: {clipped(value)!r}{hint}")
    try:
        url = safe_url_string(value.strip())
        if urlsplit(url).port == 0:
            raise ValueError("Port 0 is not a port to connect to")
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{exc}: {clipped(value)!r}") from None
    return url if urlsplit(url).path else url + "/"


def split_userinfo(url: str) -> tuple[str, tuple[str, str] | None]:
    """The URL without `user:password@`, and those credentials (percent-decoded, their case
    kept), or None when it has none."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url, None
    userinfo, _, hostport = parts.netloc.rpartition("@")
    user, _, password = userinfo.partition(":")
    return parts._replace(netloc=hostport).geturl(), (unquote(user), unquote(password))


def origin_url(value: str) -> str:
    url = http_url(value)
    if "@" in urlsplit(url).netloc:
        raise argparse.ArgumentTypeError("--site-url takes no user name or password")
    if urlsplit(url).path not in ("", "/") or urlsplit(url).query:
        raise argparse.ArgumentTypeError(
            f"--site-url takes an origin such as https://www.example.com, not {value!r}"
        )
    return url.rstrip("/")


def regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise argparse.ArgumentTypeError(f"invalid regex {value!r}: {exc}") from None
    return value


def credentials(value: str) -> tuple[str, str]:
    user, sep, password = value.partition(":")
    if not sep or not user:
        raise argparse.ArgumentTypeError("--auth takes user:password")
    return user, password


def header(value: str) -> tuple[str, str]:
    name, sep, content = value.partition(":")
    if not sep or not name.strip() or " " in name.strip():
        raise argparse.ArgumentTypeError(f"--header takes 'Name: value', not {value!r}")
    return name.strip(), content.strip()


def whole_number(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError(f"must not be negative: {value!r}")
    return number


def positive_int(value: str) -> int:
    number = whole_number(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {value!r}")
    return number


def output_folder(value: str) -> Path:
    """An output folder: not empty (an empty -o wrote into the working directory). A folder
    that cannot be made is refused in one line before the crawl (geoaudit.output)."""
    if not value.strip():
        raise argparse.ArgumentTypeError("-o needs a folder name")
    return Path(value)


def output_file(value: str) -> Path:
    """A file to write after a crawl: checked before it (a folder, or a folder that does not
    exist, failed only after the whole crawl)."""
    path = Path(value)
    if not value.strip() or path.is_dir():
        raise argparse.ArgumentTypeError(f"{value!r} is not a file name")
    if not path.parent.is_dir():
        raise argparse.ArgumentTypeError(f"{value}: the folder {path.parent} does not exist")
    return path


def threshold(value: str) -> tuple[str, int]:
    """`80` (the overall score) or `access=90` (a category)."""
    name, sep, number = value.rpartition("=")
    name = name.strip() if sep else "overall"
    if name != "overall" and name not in CATEGORIES:
        raise argparse.ArgumentTypeError(
            f"unknown category {name!r}: use one of overall, {', '.join(CATEGORIES)}"
        )
    try:
        score = int(number)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a score: {value!r}") from None
    if not 0 <= score <= 100:
        raise argparse.ArgumentTypeError(f"a score runs 0–100, not {score}")
    return name, score


BOT_PURPOSES = ("search", "user", "training")


def purposes(value: str) -> tuple[str, ...]:
    """AI bot purposes, comma-separated; 'none' for none."""
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    if chosen == ("none",):
        return ()
    unknown = [v for v in chosen if v not in BOT_PURPOSES]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown purpose {', '.join(unknown) or repr(value)}: choose from "
            f"{', '.join(BOT_PURPOSES)}, or none"
        )
    return chosen


def formats(value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(
            f"unknown format {', '.join(unknown) or repr(value)}: choose from {', '.join(FORMATS)}"
        )
    return chosen
