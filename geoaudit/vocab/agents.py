"""The AI and search crawlers geoaudit knows: a versioned data table, extendable in config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any, Literal

Purpose = Literal["training", "search", "user"]
PURPOSES: tuple[Purpose, ...] = ("search", "user", "training")


@dataclass(frozen=True)
class Agent:
    token: str
    operator: str
    purpose: Purpose
    robots: bool
    user_agent: str = ""
    docs: str = ""
    checked: str = ""
    retired: bool = False

    @property
    def key(self) -> str:
        return self.token.lower()


def agent_from_dict(data: dict[str, Any]) -> Agent:
    fields = {"token", "operator", "purpose", "robots", "user_agent", "docs", "checked", "retired"}
    unknown = set(data) - fields
    if unknown:
        raise ValueError(f"unknown agent field(s): {', '.join(sorted(unknown))}")
    missing = {"token", "operator", "purpose", "robots"} - set(data)
    if missing:
        raise ValueError(f"agent field(s) missing: {', '.join(sorted(missing))}")
    if not isinstance(data["token"], str) or not data["token"].strip():
        raise ValueError("an agent's token is a non-empty string")
    if data.get("purpose") not in PURPOSES:
        raise ValueError(f"agent {data.get('token')!r}: purpose must be one of {PURPOSES}")
    return Agent(**data)


@cache
def table_version() -> str:
    return _load()[0]


@cache
def builtin_agents() -> tuple[Agent, ...]:
    return _load()[1]


def _load() -> tuple[str, tuple[Agent, ...]]:
    text = (resources.files("geoaudit") / "data" / "ai_agents.toml").read_text(encoding="utf-8")
    data = tomllib.loads(text)
    return data["version"], tuple(agent_from_dict(a) for a in data["agent"])


def agents(extra: tuple[Agent, ...] = ()) -> tuple[Agent, ...]:
    """Built-in agents plus `extra` ones; an extra agent replaces a built-in of the same token."""
    by_key = {a.key: a for a in builtin_agents()}
    by_key.update({a.key: a for a in extra})
    return tuple(by_key.values())


def agent_tokens() -> frozenset[str]:
    """Lower-cased tokens of the built-in agents: the names bot-specific meta tags use."""
    return frozenset(a.key for a in builtin_agents())
