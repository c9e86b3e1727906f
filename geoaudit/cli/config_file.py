"""geoaudit.toml, or `[tool.geoaudit]` in pyproject.toml: defaults for the command line.

The file is looked up in the working directory and then its parents (in each, geoaudit.toml
before a pyproject.toml that has a `[tool.geoaudit]` table), or named with `--config`. Its values
become the defaults of the command's options, so a flag given on the command line wins; a
repeatable flag replaces the file's list. Paths in the file are relative to the file. Every key
is checked: an unknown key, a value of the wrong kind or an unknown rule id is a one-line error
that names the key.
"""

from __future__ import annotations

import argparse
import difflib
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geoaudit.cli.argtypes import (
    credentials,
    formats,
    header,
    origin_url,
    positive_int,
    regex,
    threshold,
    whole_number,
)
from geoaudit.errors import GeoauditError
from geoaudit.models import SEVERITIES
from geoaudit.rules import PROFILES, load_rules
from geoaudit.vocab.agents import Agent, agent_from_dict

CONFIG_FILE = "geoaudit.toml"
PYPROJECT = "pyproject.toml"

# The commands that read each group of keys.
CRAWLING = ("audit", "generate")
AUDIT = ("audit",)


class ConfigValueError(ValueError):
    """A value of the file that its key does not accept."""


@dataclass
class Config:
    path: Path | None = None
    defaults: dict[str, dict[str, Any]] = field(default_factory=dict)

    def for_command(self, command: str) -> dict[str, Any]:
        """The argparse defaults this file sets for `command` (audit, generate, robots)."""
        return self.defaults.get(command, {})


def _kind(value: Any, kind: type, what: str) -> Any:
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise ConfigValueError(f"expected {what}, got {type(value).__name__} {value!r}")
    return value


def _text(parse: Callable[[str], Any]) -> Callable[[Any, Path], Any]:
    def convert(value: Any, base: Path) -> Any:
        try:
            return parse(_kind(value, str, "a string"))
        except argparse.ArgumentTypeError as exc:
            raise ConfigValueError(str(exc)) from None

    return convert


def _number(parse: Callable[[str], int]) -> Callable[[Any, Path], int]:
    def convert(value: Any, base: Path) -> int:
        try:
            return parse(str(_kind(value, int, "a whole number")))
        except argparse.ArgumentTypeError as exc:
            raise ConfigValueError(str(exc)) from None

    return convert


def _flag(value: Any, base: Path) -> bool:
    return bool(_kind(value, bool, "true or false"))


def _patterns(value: Any, base: Path) -> list[str]:
    return [_text(regex)(v, base) for v in _kind(value, list, "a list of regexes")]


def _path(value: Any, base: Path) -> Path:
    return base / _kind(value, str, "a path")


def _choice(options: tuple[str, ...]) -> Callable[[Any, Path], str]:
    def convert(value: Any, base: Path) -> str:
        if _kind(value, str, "a string") not in options:
            raise ConfigValueError(f"expected one of {', '.join(options)}, got {value!r}")
        return value

    return convert


def _formats(value: Any, base: Path) -> tuple[str, ...]:
    names = _kind(value, list, "a list of format names")
    return _text(formats)(",".join(_kind(n, str, "a format name") for n in names), base)


def _headers(value: Any, base: Path) -> list[tuple[str, str]]:
    table = _kind(value, dict, 'a table such as { "X-Preview" = "1" }')
    return [_text(header)(f"{k}: {_kind(v, str, 'a string')}", base) for k, v in table.items()]


def _auth_env(value: Any, base: Path) -> tuple[str, str]:
    name = _kind(value, str, "the name of an environment variable")
    if name not in os.environ:
        raise ConfigValueError(f"environment variable {name} is not set")
    return _text(credentials)(os.environ[name], base)


def _fail_under(value: Any, base: Path) -> list[tuple[str, int]]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = {"overall": value}
    table = _kind(value, dict, "a score, or a table such as { overall = 80, access = 90 }")
    return [_text(threshold)(f"{k}={_kind(v, int, 'a score')}", base) for k, v in table.items()]


def _rule_ids(value: Any, base: Path) -> set[str]:
    known = load_rules()
    ids = {_kind(v, str, "a rule id").upper() for v in _kind(value, list, "a list of rule ids")}
    unknown = sorted(ids - set(known))
    if unknown:
        raise ConfigValueError(f"unknown rule {', '.join(unknown)} (geoaudit rules lists them)")
    return ids


def _severities(value: Any, base: Path) -> dict[str, str]:
    table = _kind(value, dict, 'a table such as { FR001 = "notice" }')
    return {
        next(iter(_rule_ids([rule_id], base))): _choice(SEVERITIES)(severity, base)
        for rule_id, severity in table.items()
    }


def _agents(value: Any, base: Path) -> tuple[Agent, ...]:
    out = []
    for i, item in enumerate(_kind(value, list, "an array of tables ([[agents]])")):
        try:
            out.append(agent_from_dict(_kind(item, dict, "a table")))
        except ValueError as exc:
            raise ConfigValueError(f"[{i}]: {exc}") from None
    return tuple(out)


@dataclass(frozen=True)
class Key:
    dest: str
    convert: Callable[[Any, Path], Any]
    commands: tuple[str, ...]


SCHEMA: dict[str, dict[str, Key]] = {
    "crawl": {
        "max_pages": Key("max_pages", _number(positive_int), CRAWLING),
        "max_depth": Key("max_depth", _number(whole_number), CRAWLING),
        "include": Key("include", _patterns, CRAWLING),
        "exclude": Key("exclude", _patterns, CRAWLING),
        "include_subdomains": Key("include_subdomains", _flag, CRAWLING),
        "concurrency": Key("concurrency", _number(positive_int), CRAWLING),
        "timeout": Key("timeout", _number(positive_int), CRAWLING),
        "ignore_robots": Key("ignore_robots", _flag, CRAWLING),
        "probe": Key("probe", _flag, (*CRAWLING, "robots")),
        "site_url": Key("site_url", _text(origin_url), CRAWLING),
        "headers": Key("header", _headers, (*CRAWLING, "robots")),
        "auth_env": Key("auth", _auth_env, (*CRAWLING, "robots")),
    },
    "output": {
        "dir": Key("output", _path, AUDIT),
        "formats": Key("formats", _formats, AUDIT),
        "llms_profile": Key("llms_profile", _choice(PROFILES), AUDIT),
        "source_root": Key("source_root", _text(str), AUDIT),
    },
    "gate": {
        "fail_under": Key("fail_under", _fail_under, AUDIT),
        "fail_on": Key("fail_on", _choice(("error", "warning")), AUDIT),
        "fail_on_new": Key("fail_on_new", _flag, AUDIT),
        "baseline": Key("baseline", _path, AUDIT),
    },
    "rules": {
        "disable": Key("disabled_rules", _rule_ids, AUDIT),
        "severity": Key("severities", _severities, AUDIT),
    },
}
# `[[agents]]` is an array of tables at the top level, not a section of keys.
AGENTS = Key("extra_agents", _agents, (*CRAWLING, "robots"))


def _unknown(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"unknown key {name!r}" + (f" (did you mean {close[0]!r}?)" if close else "")


def parse_config(data: dict[str, Any], path: Path) -> Config:
    config = Config(path)
    where = path.name if path.name == CONFIG_FILE else f"{path.name} [tool.geoaudit]"
    known = [*SCHEMA, "agents"]
    for section, table in data.items():
        if section == "agents":
            entries: list[tuple[str, Key, Any]] = [("agents", AGENTS, table)]
        elif section in SCHEMA:
            if not isinstance(table, dict):
                raise GeoauditError(f"{where}: [{section}] must be a table")
            keys = SCHEMA[section]
            entries = []
            for name, value in table.items():
                if name not in keys:
                    dotted = [f"{section}.{k}" for k in keys]
                    raise GeoauditError(f"{where}: {_unknown(f'{section}.{name}', dotted)}")
                entries.append((f"{section}.{name}", keys[name], value))
        else:
            raise GeoauditError(f"{where}: {_unknown(section, known)}")
        for label, key, value in entries:
            try:
                converted = key.convert(value, path.parent)
            except ConfigValueError as exc:
                raise GeoauditError(f"{where}: {label}: {exc}") from None
            for command in key.commands:
                config.defaults.setdefault(command, {})[key.dest] = converted
    return config


def read_config(path: Path) -> Config:
    """Load and check one file: geoaudit.toml, or the [tool.geoaudit] table of pyproject.toml."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise GeoauditError(f"cannot read {path}: {exc.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise GeoauditError(f"{path}: invalid TOML: {exc}") from None
    if path.name != CONFIG_FILE:
        data = data.get("tool", {}).get("geoaudit", {})
    return parse_config(data, path)


def find_config(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder / CONFIG_FILE
        pyproject = folder / PYPROJECT
        if pyproject.is_file():
            try:
                data = tomllib.loads(pyproject.read_text(encoding="utf-8-sig"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
                continue
            if "geoaudit" in data.get("tool", {}):
                return pyproject
    return None


def load_config(explicit: Path | None, cwd: Path) -> Config:
    """The named file, else the nearest one found from `cwd` up, else no defaults."""
    path = explicit or find_config(cwd)
    return read_config(path) if path is not None else Config()


STARTER = """\
# geoaudit configuration: defaults for `geoaudit audit` (and the crawl of `llms generate` and
# `geoaudit robots`). Flags on the command line override these; a repeatable flag replaces the
# list given here. Paths are relative to this file. Every key is shown with its default,
# commented out: uncomment what you change. `geoaudit rules` lists the rule ids.

[crawl]
# max_pages = 500                 # stop after this many pages
# max_depth = 10                  # clicks from the start URL (no limit by default)
# include = ["^https://www\\\\.example\\\\.com/blog/"]   # crawl only URLs matching one of these
# exclude = ["/tag/", "\\\\?page="]  # skip URLs matching one of these
# include_subdomains = false
# concurrency = 8                 # parallel requests without throttling (staging servers)
# timeout = 30                    # seconds before giving up on a response
# ignore_robots = false           # also fetch what robots.txt disallows for geoaudit
# probe = true                    # fetch key pages with AI bots' User-Agents
# site_url = "https://www.example.com"   # the production origin a staging copy links to
# headers = { "X-Preview-Token" = "abc" }
# auth_env = "GEOAUDIT_AUTH"      # environment variable holding user:password (basic auth)

[output]
# dir = "geoaudit-report"
# formats = ["html", "json"]      # html, json, csv, sarif, junit, md
# llms_profile = "1.1.1"          # or "llmstxt"
# source_root = "public/"         # the built site in this repository: SARIF points at its files

[gate]
# fail_under = { overall = 80, access = 90 }   # or fail_under = 80
# fail_on = "error"               # or "warning"
# fail_on_new = false             # with baseline: fail only on findings not in it
# baseline = "baseline/report.json"

[rules]
# disable = ["CT004"]
# severity = { FR001 = "notice", SD001 = "error" }

# Crawlers the built-in table does not know yet (same fields as geoaudit/data/ai_agents.toml):
# [[agents]]
# token = "ExampleBot"
# operator = "Example Inc."
# purpose = "search"              # training, search or user
# robots = true                   # the operator documents that it honours robots.txt
# user_agent = "Mozilla/5.0 (compatible; ExampleBot/1.0; +https://example.com/bot)"
# docs = "https://example.com/bot"
"""


def write_starter(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise GeoauditError(f"{path} exists; --force overwrites it")
    path.write_text(STARTER, encoding="utf-8")
