"""geoaudit.toml and [tool.geoaudit]: discovery, checking every key, flags over config, init."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from geoaudit.cli import build_parser
from geoaudit.cli.config_file import STARTER, find_config, load_config, read_config
from geoaudit.errors import GeoauditError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def audit_defaults(tmp_path: Path, text: str) -> dict:
    return read_config(write(tmp_path / "geoaudit.toml", text)).for_command("audit")


def test_every_section_becomes_command_defaults(tmp_path, monkeypatch):
    monkeypatch.setenv("STAGING_AUTH", "ci:s3cret")
    config = read_config(write(tmp_path / "geoaudit.toml", """
[crawl]
max_pages = 40
include = ["/blog/"]
ignore_robots = true
probe = false
site_url = "https://www.example.com/"
headers = { "X-Preview" = "1" }
auth_env = "STAGING_AUTH"

[output]
dir = "reports"
formats = ["json", "sarif"]
llms_profile = "llmstxt"

[gate]
fail_under = { overall = 80, access = 90 }
fail_on = "warning"
fail_on_new = true
baseline = "old/report.json"

[rules]
disable = ["ct004"]
severity = { FR001 = "notice" }

[[agents]]
token = "ExampleBot"
operator = "Example"
purpose = "search"
robots = true
"""))
    audit = config.for_command("audit")
    assert audit["max_pages"] == 40 and audit["include"] == ["/blog/"]
    assert audit["ignore_robots"] is True and audit["probe"] is False
    assert audit["site_url"] == "https://www.example.com"
    assert audit["header"] == [("X-Preview", "1")]
    assert audit["auth"] == ("ci", "s3cret")
    assert audit["output"] == tmp_path / "reports"
    assert audit["baseline"] == tmp_path / "old" / "report.json"
    assert audit["formats"] == ("json", "sarif")
    assert audit["fail_under"] == [("overall", 80), ("access", 90)]
    assert audit["disabled_rules"] == {"CT004"} and audit["severities"] == {"FR001": "notice"}
    assert [a.token for a in audit["extra_agents"]] == ["ExampleBot"]
    # `geoaudit robots` reads only what it can use.
    assert set(config.for_command("robots")) == {"probe", "header", "auth", "extra_agents"}
    assert "output" not in config.for_command("generate")


@pytest.mark.parametrize("text, message", [
    ("[crawl]\nmax_page = 3\n", "unknown key 'crawl.max_page' (did you mean 'crawl.max_pages'?)"),
    ("[crawler]\n", "unknown key 'crawler' (did you mean 'crawl'?)"),
    ("[crawl]\nmax_pages = '3'\n", "crawl.max_pages: expected a whole number, got str '3'"),
    ("[crawl]\nmax_pages = -1\n", "crawl.max_pages: must not be negative"),
    ("[crawl]\nignore_robots = 1\n", "crawl.ignore_robots: expected true or false"),
    ("[crawl]\ninclude = ['(']\n", "crawl.include: invalid regex"),
    ("[crawl]\nsite_url = 'https://x.example/path'\n", "crawl.site_url: --site-url takes an"),
    ("[crawl]\nauth_env = 'GEOAUDIT_TEST_UNSET'\n", "crawl.auth_env: environment variable"),
    ("[output]\nformats = ['pdf']\n", "output.formats: unknown format pdf"),
    ("[output]\nllms_profile = '2.0'\n", "output.llms_profile: expected one of 1.1.1, llmstxt"),
    ("[gate]\nfail_under = { speed = 3 }\n", "gate.fail_under: unknown category 'speed'"),
    ("[gate]\nfail_under = 120\n", "gate.fail_under: a score runs 0–100"),
    ("[gate]\nfail_on = 'notice'\n", "gate.fail_on: expected one of error, warning"),
    ("[rules]\ndisable = ['XX999']\n", "rules.disable: unknown rule XX999"),
    ("[rules]\nseverity = { FR001 = 'fatal' }\n", "rules.severity: expected one of error"),
    ("crawl = 3\n", "[crawl] must be a table"),
    ("[[agents]]\ntoken = 'X'\n", "agents: [0]: agent field(s) missing: operator, purpose"),
    ("[[agents]]\ntoken='X'\noperator='O'\npurpose='spam'\nrobots=true\n", "purpose must be"),
    ("[crawl\n", "invalid TOML"),
])
def test_bad_config_is_a_one_line_error_naming_the_key(tmp_path, text, message):
    with pytest.raises(GeoauditError) as err:
        audit_defaults(tmp_path, text)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_discovery_nearest_file_geoaudit_toml_first(tmp_path):
    project = tmp_path / "project"
    deep = project / "a" / "b"
    deep.mkdir(parents=True)
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    write(project / "pyproject.toml", "[project]\nname = 'x'\n")
    assert find_config(deep) is None or not str(find_config(deep)).startswith(str(tmp_path))
    write(project / "pyproject.toml", "[tool.geoaudit.crawl]\nmax_pages = 7\n")
    assert find_config(deep) == project / "pyproject.toml"
    assert load_config(None, deep).for_command("audit") == {"max_pages": 7}
    write(project / "a" / "geoaudit.toml", "[crawl]\nmax_pages = 9\n")
    assert find_config(deep) == project / "a" / "geoaudit.toml"
    write(project / "geoaudit.toml", "[crawl]\nmax_pages = 5\n")
    assert find_config(project) == project / "geoaudit.toml"
    explicit = write(tmp_path / "other.toml", "[tool.geoaudit.crawl]\nmax_pages = 3\n")
    assert load_config(explicit, deep).for_command("audit") == {"max_pages": 3}


def test_pyproject_errors_name_the_table(tmp_path):
    path = write(tmp_path / "pyproject.toml", "[tool.geoaudit.crawl]\nmax_pagez = 1\n")
    with pytest.raises(GeoauditError, match=r"pyproject.toml \[tool.geoaudit\]: unknown key"):
        read_config(path)


def parse(config_text: str, tmp_path: Path, *argv: str):
    config = read_config(write(tmp_path / "geoaudit.toml", config_text))
    return build_parser(config).parse_args(["audit", "https://example.com/", *argv])


def test_flags_override_config_and_repeatable_flags_replace_its_list(tmp_path):
    text = ("[crawl]\nmax_pages = 3\ninclude = ['/a/', '/b/']\nignore_robots = true\n"
            "[gate]\nfail_under = 90\n")
    from_file = parse(text, tmp_path)
    assert from_file.max_pages == 3 and from_file.include == ["/a/", "/b/"]
    assert from_file.ignore_robots is True and from_file.fail_under == [("overall", 90)]
    flags = parse(text, tmp_path, "--max-pages", "5", "--include", "/c/", "--include", "/d/",
                  "--no-ignore-robots", "--fail-under", "70")
    assert flags.max_pages == 5 and flags.include == ["/c/", "/d/"]
    assert flags.ignore_robots is False and flags.fail_under == [("overall", 70)]
    # Without a config file the defaults stay and append works as usual.
    plain = build_parser().parse_args(["audit", "https://example.com/", "--include", "/x/"])
    assert plain.include == ["/x/"] and plain.max_pages == 500 and plain.probe is True


def test_starter_file_sets_nothing_and_every_commented_key_is_valid(tmp_path, monkeypatch):
    assert read_config(write(tmp_path / "geoaudit.toml", STARTER)).defaults == {}
    monkeypatch.setenv("GEOAUDIT_AUTH", "user:pass")
    setting = re.compile(r"^# (\[\[agents\]\]|[a-z_]+ = .*)$", re.M)
    uncommented = setting.sub(r"\1", STARTER)
    config = read_config(write(tmp_path / "geoaudit.toml", uncommented))
    audit = config.for_command("audit")
    documented = set(setting.findall(STARTER)) - {"[[agents]]"}
    assert len(documented) >= 25
    for dest in ("max_pages", "include", "exclude", "site_url", "header", "auth", "output",
                 "formats", "llms_profile", "fail_under", "fail_on", "fail_on_new", "baseline",
                 "disabled_rules", "severities", "extra_agents"):
        assert dest in audit, dest


def test_init_writes_once_and_audit_reads_the_config(tmp_path, site_url, geoaudit_cli):
    created = geoaudit_cli("init")
    assert created.code == 0 and (tmp_path / "geoaudit.toml").read_text() == STARTER
    again = geoaudit_cli("init")
    assert again.code == 2 and "exists; --force overwrites it" in again.stderr
    assert geoaudit_cli("init", "--force").code == 0

    write(tmp_path / "geoaudit.toml", """
[crawl]
max_pages = 2
probe = false
[rules]
disable = ["CT002"]
severity = { AC003 = "error" }
[[agents]]
token = "ExampleSearchBot"
operator = "Example"
purpose = "search"
robots = true
""")
    base = site_url("basic")
    result = geoaudit_cli("audit", f"{base}/", "-q", "--max-pages", "6")
    assert result.code == 0, result.stderr
    report = result.report()
    assert report["stats"]["pages_crawled"] == 6  # the flag beat the file's 2
    rules = {f["rule"]: f["severity"] for f in report["findings"]}
    assert "CT002" not in rules
    assert rules["AC003"] == "error"  # a warning by default
    assert "ExampleSearchBot" in {b["token"] for b in report["ai_access"]["bots"]}
    assert {b["server_status"] for b in report["ai_access"]["bots"]} == {None}  # probe = false

    broken = geoaudit_cli("audit", f"{base}/", "-q", "--config", str(tmp_path / "nope.toml"))
    assert broken.code == 2 and "cannot read" in broken.stderr
    assert "Traceback" not in broken.stderr
