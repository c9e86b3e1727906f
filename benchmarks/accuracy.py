"""geoaudit's findings on the real-site corpus, scored against labels checked by hand.

    python -m benchmarks.accuracy OUT [--sites a,b] [--reuse]

Each `benchmarks/labels/SITE.json` holds labels: a rule, a page path (null for a site-level
finding), whether a careful SEO would report that finding there (`present`) or not (`absent`),
and a one-line reason. The command audits each site into OUT/SITE/ (`benchmarks.corpus`, or
--reuse what is there) and prints, per rule and per site: true positives (present, reported),
false positives (absent, reported), misses (present, not reported), precision and recall.

A label is met by any finding of its rule on its page. The labels sample the findings of one
run by rule (at most 3 per rule and site) plus the misses found reading 4 pages per site, so
precision here is over labelled findings, not over every finding of the run.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.corpus import audited, site_names

LABELS = Path(__file__).resolve().parent / "labels"


@dataclass(frozen=True)
class Label:
    site: str
    rule: str
    path: str | None
    present: bool
    reason: str
    # The start of the finding's message, for a label of a reported finding: several findings
    # of one rule on one file (llms.txt lines) are told apart by it.
    message: str | None = None


def load_labels(name: str) -> list[Label]:
    data = json.loads((LABELS / f"{name}.json").read_text(encoding="utf-8"))
    return [
        Label(
            name,
            item["rule"],
            item["path"],
            item["expected"] == "present",
            item["reason"],
            item.get("message") or None,
        )
        for item in data["labels"]
    ]


def labelled_sites() -> list[str]:
    return [name for name in site_names() if (LABELS / f"{name}.json").is_file()]


def _path(url: str | None) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")


MESSAGE_PREFIX = 40  # characters of a label's message a finding's message must start with


_NUMBER = re.compile(r"\d+")


def matcher(report: dict, labels: list[Label]) -> Callable[[Label], bool]:
    """Whether a finding of the report meets a label: same rule and page, and when the label
    quotes a message, a message starting the same way, numbers aside ("29 of 29 article
    pages" meets a label quoting "40 of 40"). A message changed since labelling still meets
    the only label of its rule and page."""
    messages: dict[tuple[str, str | None], list[str]] = {}
    for f in report["findings"]:
        # A template's defect is one site-level finding standing for each of its pages.
        for url in f.get("pages") or [f["url"]]:
            messages.setdefault((f["rule"], _path(url)), []).append(f["message"])
    labels_at = Counter((label.rule, label.path) for label in labels)

    def found(label: Label) -> bool:
        here = messages.get((label.rule, label.path), [])
        if not here:
            return False
        if label.message is None or labels_at[(label.rule, label.path)] == 1:
            return True
        quoted = _NUMBER.sub("#", label.message[:MESSAGE_PREFIX])
        return any(_NUMBER.sub("#", m).startswith(quoted) for m in here)

    return found


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: Label, found: bool) -> None:
        if label.present:
            self.tp += found
            self.fn += not found
        else:
            self.fp += found
            self.tn += not found

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None


def reached(report: dict) -> set[str | None]:
    """The paths the audit fetched (and None, the site): a label on a page the crawl did not
    reach this time (a 400-page budget reaches a different 400 pages of a larger site) says
    nothing of its rule and is left out."""
    paths: set[str | None] = {None}
    for page in report["pages"]:
        paths.update(_path(url) for url in (page["url"], page.get("requested_url")) if url)
    for sitefile in report.get("sitefiles", []):
        paths.update(_path(sitefile.get(key)) for key in ("url", "requested_url"))
    return paths


def score(out: Path, names: list[str]) -> tuple[dict[str, Score], dict[str, Score], Score]:
    by_rule: dict[str, Score] = {}
    by_site: dict[str, Score] = {}
    total = Score()
    for name in names:
        labels = load_labels(name)
        report = json.loads((out / name / "report.json").read_text("utf-8"))
        found = matcher(report, labels)
        fetched = reached(report)
        for label in labels:
            if label.path not in fetched:
                continue
            hit = found(label)
            for table, key in ((by_rule, label.rule), (by_site, name)):
                table.setdefault(key, Score()).add(label, hit)
            total.add(label, hit)
    return by_rule, by_site, total


def _ratio(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def table(title: str, rows: dict[str, Score]) -> list[str]:
    lines = [
        f"| {title} | true positives | false positives | misses | precision | recall |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for key, s in sorted(rows.items()):
        lines.append(
            f"| {key} | {s.tp} | {s.fp} | {s.fn} | {_ratio(s.precision)} | {_ratio(s.recall)} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    out, names = audited("python -m benchmarks.accuracy", argv, labelled_sites)
    by_rule, by_site, total = score(out, names)
    print("\n".join(table("rule", by_rule)))
    print()
    print("\n".join(table("site", by_site)))
    print()
    print(
        f"all: {total.tp} true positives, {total.fp} false positives, {total.fn} misses; "
        f"precision {_ratio(total.precision)}, recall {_ratio(total.recall)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
