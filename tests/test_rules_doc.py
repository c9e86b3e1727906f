"""`geoaudit rules`: docs/rules.md is the generated page, one rule by id, json with every rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geoaudit import cli
from geoaudit.cli.rules_doc import REGENERATE
from geoaudit.rules import load_rules

RULES_MD = Path(__file__).parent.parent / "docs" / "rules.md"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = cli.main(["rules", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_docs_rules_md_is_the_generated_page(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "md")
    assert code == 0
    assert RULES_MD.read_text(encoding="utf-8") == out, (
        f"docs/rules.md is out of date: regenerate it with `{REGENERATE}`"
    )


def test_one_rule_by_id(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "LT001")
    assert code == 0
    assert out.startswith("LT001  ")
    assert [rule_id for rule_id in load_rules() if rule_id in out] == ["LT001"]
    code, out, _ = run(capsys, "LT001", "--format", "md")
    assert code == 0
    assert out.startswith("## LT001 ") and out.count("\n## ") == 0


def test_unknown_rule_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "XX999")
    assert code == 2
    assert out == ""
    assert err == "geoaudit: error: unknown rule 'XX999'\n"


def test_json_has_every_rule(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--format", "json")
    assert code == 0
    assert [rule["id"] for rule in json.loads(out)["rules"]] == list(load_rules())
