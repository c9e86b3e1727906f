"""Every input is checked before the crawl: one line, exit 2, nothing fetched (issue 16)."""

from __future__ import annotations

import json

import pytest

UNREACHABLE = "http://127.0.0.1:9/"  # nothing listens: a check that waited for the crawl
# would end in "cannot reach", not in the line expected here


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", UNREACHABLE, "--max-pages", "0"], "must be 1 or more: '0'"),
        (["audit", UNREACHABLE, "--timeout", "0"], "must be 1 or more: '0'"),
        (["audit", UNREACHABLE, "-o", ""], "-o needs a folder name"),
        (["llms", "generate", UNREACHABLE, "-o", "missing-folder/llms.txt"],
         "the folder missing-folder does not exist"),
        (["llms", "generate", UNREACHABLE, "--full", "."], "'.' is not a file name"),
    ],
)
def test_bad_options_end_before_the_crawl(geoaudit_cli, args, message):
    result = geoaudit_cli(*args)
    assert result.code == 2
    assert message in result.stderr and "cannot reach" not in result.stderr
    assert "Traceback" not in result.stderr


def test_a_malformed_baseline_ends_before_the_crawl(geoaudit_cli, tmp_path):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(json.dumps({"findings": [1, 2]}))
    result = geoaudit_cli("audit", UNREACHABLE, "--baseline", str(baseline))
    assert result.code == 2
    assert result.stderr.strip() == f"geoaudit: error: {baseline} is not a geoaudit report.json"


def test_a_config_file_with_a_byte_order_mark_is_read(geoaudit_cli, tmp_path):
    (tmp_path / "geoaudit.toml").write_text("\ufeff[crawl]\nmax_pages = 0\n", encoding="utf-8")
    result = geoaudit_cli("audit", UNREACHABLE)
    # The file was read (a BOM once made it 'not TOML'): its value is then checked.
    assert result.code == 2
    assert "max_pages" in result.stderr and "must be 1 or more" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["audit", "http://127.0.0.1:99999/"], "Port out of range 0-65535"),
        (["robots", "ftp://example.com/robots.txt"], "not an http(s) URL: 'ftp://"),
        (["llms", "validate", "http://127.0.0.1:99999/llms.txt"], "Port out of range"),
    ],
)
def test_a_bad_url_is_one_line(geoaudit_cli, args, message):
    result = geoaudit_cli(*args)
    assert result.code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_huge_url_is_not_echoed_whole(geoaudit_cli):
    url = UNREACHABLE + "x" * 100_000
    result = geoaudit_cli("audit", url, "-q")
    assert result.code == 2
    line = result.stderr.strip()
    assert "\n" not in line and len(line) < 1000
    assert "(100," in line and "characters)" in line


def test_a_start_path_with_spaces_and_accents_is_audited(geoaudit_cli, serve, tmp_path):
    site = tmp_path / "site"
    (site / "café menu").mkdir(parents=True)
    (site / "café menu" / "index.html").write_text(
        "<html><head><title>Menu</title></head><body><main><h1>Menu</h1>"
        "<p>Our menu has dishes for everyone.</p></main></body></html>",
        encoding="utf-8",
    )
    base = serve(site)
    result = geoaudit_cli("audit", f"{base}/café menu/", "-q", "-o", str(tmp_path / "out"))
    assert result.code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text())
    assert [p["url"] for p in report["pages"]] == [f"{base}/caf%C3%A9%20menu/"]


@pytest.mark.parametrize("args, message", [
    (["audit", "--fromat", "md", "http://127.0.0.1:9/"],
     "unknown option --fromat; did you mean --format?"),
    (["audti", "http://127.0.0.1:9/"], "unknown command 'audti'; did you mean audit?"),
    (["llms", "valdate", "x.txt"], "unknown command 'valdate'; did you mean validate?"),
    (["audit", "www.example.com"],
     "not an http(s) URL: 'www.example.com'; did you mean https://www.example.com?"),
])
def test_typos_get_a_suggestion(geoaudit_cli, args, message):
    """`--fromat md URL` once answered "not an http(s) URL: 'md'", and a URL without its
    scheme a 13-line usage dump with no hint."""
    result = geoaudit_cli(*args)
    assert result.code == 2
    assert result.stderr.strip().splitlines()[-1].endswith(message), result.stderr


def test_a_closed_pipe_ends_quietly(tmp_path):
    """`geoaudit rules | head -1` ended in "geoaudit: error: [Errno 32] Broken pipe", exit 2."""
    import os
    import subprocess
    import sys

    read, write = os.pipe()
    proc = subprocess.Popen([sys.executable, "-m", "geoaudit.cli", "rules"], cwd=tmp_path,
                            stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    os.close(read)  # the reader is gone before the first line is written
    _, stderr = proc.communicate(timeout=30)
    assert proc.returncode == 0 and stderr == b"", stderr
