"""llms.txt: the tolerant parser, the validator's profiles on named fixtures, the Lighthouse
verdict, and the generated file against the llmstxt.org reference parser."""

from __future__ import annotations

import random
import tomllib
from pathlib import Path

import pytest
from conftest import REPO
from llms_txt import parse_llms_file

from geoaudit.rules import PROFILES, load_rules, validate
from geoaudit.sitefiles.llms_txt import lighthouse_verdict, parse_link, parse_llms

FIXTURES = Path(__file__).parent / "fixtures" / "llms"
EXPECTED = tomllib.loads((FIXTURES / "expected.toml").read_text())


def read(name: str) -> str:
    return (FIXTURES / f"{name}.txt").read_bytes().decode("utf-8")


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("profile", ["1.1.1", "llmstxt"])
def test_fixture_findings_per_profile(name, profile):
    found = sorted({f.rule for f in validate(parse_llms(read(name)), profile)})
    assert found == EXPECTED[name][profile]


def test_profiles_differ_in_severity_and_scope():
    title_only = {f.rule: f.severity for f in validate(parse_llms(read("title_only")), "1.1.1")}
    assert title_only["LT007"] == "error"  # 1.1.1: the summary MUST follow the H1
    llmstxt = {f.rule: f.severity for f in validate(parse_llms(read("title_only")), "llmstxt")}
    assert llmstxt["LT007"] == "notice"  # llmstxt.org: the summary is optional
    assert "LT020" not in llmstxt


def test_every_file_rule_names_its_source_and_has_a_fixture_or_case():
    covered = {rule for e in EXPECTED.values() for rules in e.values() for rule in rules}
    file_rules = [r for r in load_rules().values() if r.scope == "file"]
    assert len(file_rules) >= 20
    for rule in file_rules:
        assert rule.source and rule.category == "llms_txt"
        assert set(rule.profiles) == set(PROFILES)
    assert covered >= {"LT004", "LT006", "LT007", "LT008", "LT009", "LT010", "LT011", "LT012",
                       "LT013", "LT014", "LT015", "LT016", "LT018", "LT019", "LT020", "LT021",
                       "LT022"}


def test_parser_model_with_line_numbers():
    parsed = parse_llms(read("good"))
    assert (parsed.h1, parsed.h1_line) == ("Acme Tools", 1)
    assert parsed.summary.startswith("Acme Tools makes hand tools") and parsed.summary_line == 3
    assert parsed.details == [(5, "Founded in 1998, Acme Tools employs 40 people and ships to "
                                  "30 countries.")]
    assert [(s.title, s.line) for s in parsed.sections] == [
        ("About", 7), ("Services", 12), ("Contact", 17), ("Optional", 21)]
    wiki = parsed.sections[1].links[1]
    assert wiki.url == "https://en.wikipedia.org/wiki/Sharpening_(disambiguation)"
    assert (wiki.notes, wiki.line) == ("Send us your chisels", 15)


def test_parser_tolerates_bom_crlf_bullets_wrapped_notes_and_comments():
    text = ("\ufeff# Acme\r\n\r\n> Tools\r\n> and more\r\n\r\n## Docs\r\n\r\n"
            "* [A](https://a.example/a): first\r\n   continued here\r\n"
            "+ [B](https://a.example/b)\r\n<!-- a\r\nmultiline comment -->\r\n"
            "```\r\n# not a heading\r\n```\r\n")
    parsed = parse_llms(text)
    assert parsed.bom and parsed.crlf
    assert parsed.summary == "Tools and more"
    assert [(link.title, link.notes) for link in parsed.links] == [
        ("A", "first continued here"), ("B", None)]
    assert [h for h in parsed.headings if h[1] == 1] == [(1, 1, "Acme")]
    assert parsed.html == [(11, "<!-- comment -->")]


@pytest.mark.parametrize("text, expected", [
    ("[a](https://x.example/a)", ("a", "https://x.example/a", "")),
    ("[a](https://x.example/f_(b)): n", ("a", "https://x.example/f_(b)", ": n")),
    ("[a](<https://x.example/a>)", ("a", "https://x.example/a", "")),
    ("[a] (https://x.example/a)", None),
    ("[a](https://x.example/a b)", None),
    ("[a](https://x.example/a", None),
    ("a](b)", None),
])
def test_parse_link(text, expected):
    assert parse_link(text) == expected


def test_parser_and_validator_never_raise_on_random_text():
    rng = random.Random(2024)
    alphabet = "#> -*+[]():\n\r\t`<!->abcxyz/.é\u200b\U000e0041https"
    for _ in range(400):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 300)))
        for profile in ("1.1.1", "llmstxt"):
            validate(parse_llms(text), profile)
        lighthouse_verdict(200, text)


@pytest.mark.parametrize("status, text, verdict", [
    (None, "", "fail"),
    (503, "", "fail"),
    (404, "", "not_applicable"),
    (200, "# Acme\n\n> Tools for woodworkers, sold online.\n\n- [Docs](https://a.example/d)\n",
     "pass"),
    (200, "# Acme\n\n- [D](https://a.example)", "fail"),  # under 50 characters
    (200, "Acme tools\n\n- [Docs](https://a.example/docs) and more words to pass fifty", "fail"),
    (200, "# Acme\n\n> Tools for woodworkers, sold online in many countries.\n", "fail"),
    # Lighthouse 13.5: no status is a failed fetch, an unfollowed 3xx stops the audit, and its
    # patterns are JavaScript's.
    (0, "", "fail"),
    (301, "", "error"),
    (200, "\ufeff# Acme\n\n- [Docs](https://a.example/docs) and more words to pass", "pass"),
    (200, "  \n  # Acme\n\n- [Docs](https://a.example/docs) and more words to pass", "pass"),
    (200, "Acme tools\r# Acme\r- [Docs](https://a.example/docs) and more words to pass", "pass"),
    (200, "Acme tools\x85# Acme\n- [Docs](https://a.example/docs) and more words to pass",
     "fail"),
    (200, "# Acme\n- [Docs\r](https://a.example/docs) and more words to pass fifty chars",
     "fail"),
])
def test_lighthouse_verdict_matches_lighthouse_13_5(status, text, verdict):
    assert lighthouse_verdict(status, text)[0] == verdict


def test_generated_demo_file_is_valid_and_parses_with_the_reference_parser(geoaudit_cli):
    result = geoaudit_cli("demo", "-q")
    assert result.code == 0, result.stderr
    text = (result.out_dir / "llms.txt").read_text()
    ours = parse_llms(text)
    for profile in ("1.1.1", "llmstxt"):
        errors = [f for f in validate(ours, profile) if f.severity in ("error", "warning")]
        assert errors == [], profile
    assert lighthouse_verdict(200, text)[0] == "pass"
    reference = parse_llms_file(text)
    assert reference.title == ours.h1
    assert reference.summary == ours.summary
    assert list(reference.sections) == [s.title for s in ours.sections]
    for section in ours.sections:
        assert [(item["title"], item["url"]) for item in reference.sections[section.title]] == [
            (link.title, link.url) for link in section.links]
    assert {"About", "Contact", "Optional"} <= set(reference.sections)
    report = result.report()["llms_txt"]
    assert report["present"] is False and report["generated"] == text
    assert report["lighthouse"] == {"verdict": "not_applicable", "reason": "llms.txt answered 404"}
    full = (result.out_dir / "llms-full.txt").read_text()
    assert full.startswith("# Harbor Roast Coffee\n\n> ")
    assert "| 1:8 | 16 h | 31 tasters |" in full  # tables survive as Markdown
    assert "Source: https://www.harborroast.example/blog/cold-brew-ratio/" in full
    assert "Privacy policy" not in full  # Optional pages stay out of the full file
    assert "Shipping & returns ·" not in full  # footers never enter


def test_the_reference_parsers_view_matches_the_reference_parser():
    """LT042 says when llmstxt.org's parser (the llms-txt package) would raise: checked here
    against the parser itself, on edge cases and, when ../shared is there, on every llms.txt
    of the conformance data and the real-site corpus."""
    import glob
    import json as json_module

    from llms_txt import parse_llms_file

    from geoaudit.sitefiles.llms_txt import parse_llms, reference_parser_problem

    texts = ["# T\n", "# T\n\n", "# T\n> s\n", "# T\n> s\nInfo\n", "# T\n\nInfo\n",
             "# T\n\n> s\n", "# T\n\n## S\n\n- [a](b)\n", "# T\n\n## S\n\nprose here\n",
             "# T\n\nx\n\n## S\n\n- [a](b): d\n- c\n", "no title\n", "#T\n\nx\n", "x\n# T\n\ny\n",
             "# T\n\n> s\n\n## S\n- [a](b)\n\n### Sub\n\n- x\n"]
    shared = REPO.parent / "shared"
    for suite in ("llms/llmstxt_reference.json", "lighthouse/llms_txt_audit.json"):
        path = shared / "conformance" / "data" / suite
        for case in json_module.loads(path.read_text())["cases"] if path.is_file() else []:
            text = case.get("text") or case.get("content")
            texts += [text] if isinstance(text, str) else []
    texts += [Path(p).read_text(encoding="utf-8", errors="replace")
              for p in glob.glob(str(shared / "realsites" / "**" / "llms*.txt"), recursive=True)]

    def reference_reads(text):
        try:
            parse_llms_file(text)
        except Exception:
            return False
        return True

    for text in texts:
        ours = reference_parser_problem(parse_llms(text)) is None
        assert ours == reference_reads(text), (text[:200], reference_parser_problem(
            parse_llms(text)))
