"""The generated llms.txt of every corpus site (and the demo), checked the way issue 19 asks:
findings under both profiles, the llmstxt.org reference parser's reading (`llms-txt` package)
against geoaudit's, and how many pages are listed.

    python -m benchmarks.llms_corpus OUT [--sites a,b] [--reuse]

OUT/SITE/ holds each site's audit (made by `benchmarks.corpus` unless --reuse finds it there).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from llms_txt import parse_llms_file

from benchmarks.corpus import audited, site_names
from geoaudit.sitefiles.llms_txt import parse_llms

PROFILES = ("1.1.1", "llmstxt")


def validate(path: Path, profile: str) -> dict[str, int]:
    done = subprocess.run(
        [sys.executable, "-m", "geoaudit.cli", "llms", "validate", str(path),
         "--profile", profile, "--format", "json"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    counts = {"error": 0, "warning": 0, "notice": 0}
    for finding in json.loads(done.stdout)["findings"]:
        counts[finding["severity"]] += 1
    return counts


def reference_agrees(text: str) -> str:
    """'yes', or what the reference parser reads differently (or its exception)."""
    try:
        ref = parse_llms_file(text)
    except Exception as exc:  # the reference parser raises on files it cannot read
        return f"raises {type(exc).__name__}"
    ours = parse_llms(text)
    differences = []
    if (ref["title"] or "").strip() != (ours.h1 or "").strip():
        differences.append("title")
    if (ref["summary"] or "").strip() != (ours.summary or "").strip():
        differences.append("summary")
    if list(ref["sections"]) != [s.title for s in ours.sections]:
        differences.append("sections")
    return "yes" if not differences else "differs: " + ", ".join(differences)


def row(name: str, out: Path) -> list[str]:
    path = out / "llms.txt"
    text = path.read_text(encoding="utf-8")
    cells = [name]
    for profile in PROFILES:
        c = validate(path, profile)
        cells.append(f"{c['error']} / {c['warning']} / {c['notice']}")
    parsed = parse_llms(text)
    cells += [
        reference_agrees(text),
        str(sum(len(s.links) for s in parsed.sections)),
        str(len(parsed.sections)),
    ]
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    notes = report["llms_txt"].get("generated_notes") or []
    cells.append("; ".join(notes) or "-")
    return cells


def main(argv: list[str] | None = None) -> int:
    out, names = audited("python -m benchmarks.llms_corpus", argv, site_names)
    header = ["site", *(f"{p}: errors / warnings / notices" for p in PROFILES),
              "reference parser agrees", "links", "sections", "notes"]  # fmt: skip
    print("| " + " | ".join(header) + " |")
    print("|" + " --- |" * len(header))
    for name in names:
        print("| " + " | ".join(row(name, out / name)) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
