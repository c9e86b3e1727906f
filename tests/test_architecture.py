"""The import graph runs one way: each layer imports only from the layers below it.

The layers are drawn in docs/contributing.md.

crawl, extract, sitefiles and store gather; facts summarise what they gathered; rules judge the
facts; scoring weighs the judgements; the generator and the reporters render; audit and the
command line wire it all. A module that imports from a layer above it fails here, with the
line that does it.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "geoaudit"

# Lowest first. A module may import from its own layer and the layers below.
LAYERS: list[tuple[str, ...]] = [
    ("geoaudit", "models", "errors", "timing", "categories", "escape", "terminal", "vocab"),
    ("sitefiles", "extract"),
    ("store", "options", "output"),
    ("crawl", "devserver"),
    ("facts",),
    ("rules",),
    ("scoring",),
    ("generate",),
    ("report", "baseline"),
    ("audit",),
    ("cli",),
]
RANK = {part: rank for rank, parts in enumerate(LAYERS) for part in parts}
# Below them in rank, and still off limits: site facts are built from plain iterables, and a
# rule never fetches, so neither reads the store nor the crawl.
FORBIDDEN = {layer: {"store", "crawl"} for layer in ("facts", "rules", "scoring")}


def layer_of(module: str) -> str:
    """`geoaudit.facts.site` -> `facts`; `geoaudit` -> `geoaudit`."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(relative.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, module) of every geoaudit import in a file, those inside functions included."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "geoaudit":
                found += [(node.lineno, f"geoaudit.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, node.module))
    return [(line, name) for line, name in found if name.split(".")[0] == "geoaudit"]


def upward_imports(files: list[Path]) -> list[str]:
    problems = []
    for path in files:
        here = layer_of(module_name(path))
        for line, name in imports(path):
            there = layer_of(name)
            if there not in RANK:  # e.g. `from geoaudit import USER_AGENT`: the package root
                there = "geoaudit"
            if RANK[there] > RANK[here] or there in FORBIDDEN.get(here, ()):
                problems.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {here} imports {name}")
    return problems


def test_every_package_module_has_a_layer():
    top = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    top = {name for name in top if not name.startswith("__") and name not in ("data",)}
    assert top <= set(RANK), f"modules with no layer: {sorted(top - set(RANK))}"


def test_imports_run_one_way():
    files = sorted(PACKAGE.rglob("*.py"))
    assert len(files) > 40
    assert upward_imports(files) == []


@pytest.mark.parametrize(
    ("module", "text"),
    [
        ("rules", "from geoaudit.store import Store\n"),
        ("crawl", "from geoaudit.facts.llms_txt import link_urls\n"),
        ("facts", "from geoaudit.scoring.weights import RULE_WEIGHTS\n"),
        ("scoring", "from geoaudit.report.rows import issue_rows\n"),
        ("report", "from geoaudit.audit import analyse\n"),
    ],
)
def test_an_upward_import_is_caught(tmp_path, monkeypatch, module, text):
    """The check itself can fail: an upward import planted in a copy of a layer is reported."""
    planted = tmp_path / "geoaudit" / module / "planted.py"
    planted.parent.mkdir(parents=True)
    planted.write_text(text, encoding="utf-8")
    monkeypatch.setattr(__import__(__name__), "PACKAGE", tmp_path / "geoaudit")
    assert len(upward_imports([planted])) == 1
