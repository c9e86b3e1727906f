"""Page-level crawler controls: robots meta tags and X-Robots-Tag, per agent.

`<meta name="robots">` and X-Robots-Tag values without an agent prefix apply to every crawler
(key "*"); `<meta name="GPTBot">` and `X-Robots-Tag: GPTBot: noindex` apply to one (key
"gptbot"). In X-Robots-Tag an agent prefix covers the directives after it up to the next prefix,
within one header line, as Google documents.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

from geoaudit.vocab.agents import agent_tokens

# Directives that carry a value after a colon, so "max-snippet: 0" is not an agent prefix.
VALUE_DIRECTIVES = {"max-snippet", "max-image-preview", "max-video-preview", "unavailable_after"}
_PREFIX = re.compile(r"^\s*([A-Za-z][\w-]*)\s*:\s*(.*)$")
META_NAMES_IGNORED = {"description", "viewport", "keywords", "author", "generator", "theme-color"}


def _add(found: dict[str, list[str]], agent: str, directive: str) -> None:
    directive = re.sub(r"\s*:\s*", ":", directive.strip().lower())
    if directive and directive not in found.setdefault(agent, []):
        found[agent].append(directive)


def _is_robots_meta(name: str) -> bool:
    return name == "robots" or name in agent_tokens() or name.endswith("bot")


def meta_controls(doc: lxml_html.HtmlElement) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for meta in doc.iter("meta"):
        name = (meta.get("name") or "").strip().lower()
        if not name or name in META_NAMES_IGNORED or not _is_robots_meta(name):
            continue
        agent = "*" if name == "robots" else name
        for directive in (meta.get("content") or "").split(","):
            _add(found, agent, directive)
    return found


def header_controls(x_robots_tag: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for header_line in x_robots_tag.split("\n"):
        agent = "*"
        for part in header_line.split(","):
            match = _PREFIX.match(part)
            if match and match.group(1).lower() not in VALUE_DIRECTIVES:
                agent = match.group(1).lower()
                part = match.group(2)
            _add(found, agent, part)
    return found


def merge(*sources: dict[str, list[str]]) -> dict[str, list[str]]:
    merged: dict[str, list[str]] = {}
    for source in sources:
        for agent, directives in source.items():
            for directive in directives:
                _add(merged, agent, directive)
    return dict(sorted(merged.items()))
