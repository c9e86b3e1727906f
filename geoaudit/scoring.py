"""Scores: rule results weighed into category scores and an overall score, all 0–100.

Weights live here and nowhere else (docs/scoring.md explains the formulas):

- a rule's score is the share of the pages it applied to that passed (a site rule: 1 or 0);
- a category's score is the weighted mean of its applicable rules' scores;
- the overall score is the weighted mean of the categories that have a score.

A rule that applied nowhere, and a category with no applicable rule, are not applicable: they
count neither as a pass nor as a fail.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geoaudit.checks import RuleResult

CATEGORY_WEIGHTS: dict[str, float] = {
    "access": 30,
    "llms_txt": 10,
    "structured_data": 20,
    "content": 25,
    "freshness": 15,
}

CATEGORY_TITLES: dict[str, str] = {
    "access": "AI access",
    "llms_txt": "llms.txt",
    "structured_data": "Structured data",
    "content": "Content",
    "freshness": "Freshness",
}

RULE_WEIGHTS: dict[str, float] = {
    "AC001": 10,
    "AC002": 3,
    "AC003": 6,
    "AC004": 2,
    "AC005": 10,
    "AC006": 15,
    "AC007": 6,
    # Opting out of AI training is a legitimate choice: reported, never scored.
    "AC008": 0,
    "AC009": 12,
    "AC010": 4,
    "AC011": 6,
    "AC012": 6,
    "AC013": 2,
    "AC014": 0,
    "LT001": 10,
    "LT002": 6,
    "LT003": 3,
    "LT004": 2,
    "LT005": 4,
    "LT006": 1,
    "LT007": 3,
    "LT008": 2,
    "LT009": 2,
    "LT010": 1,
    "LT011": 3,
    "LT012": 1,
    "LT013": 2,
    "LT014": 1,
    "LT015": 1,
    "LT016": 1,
    "LT017": 1,
    "LT018": 6,
    "LT019": 6,
    "LT020": 2,
    "LT021": 1,
    "LT022": 2,
    "LT030": 2,
    "LT031": 4,
    "LT032": 1,
    "LT033": 3,
    "LT034": 1,
    "LT035": 1,
    "LT036": 1,
    "LT037": 1,
    "LT038": 2,
    "LT039": 3,
    "LT040": 5,
    "LT041": 3,
    "SD001": 6,
    "SD002": 4,
    "SD003": 6,
    "SD004": 3,
    "SD005": 4,
    "SD006": 3,
    "SD007": 2,
    "SD008": 2,
    "SD009": 4,
    "SD010": 4,
    "SD011": 2,
    "SD012": 2,
    "CT001": 5,
    "CT002": 3,
    "FR001": 4,
    "FR002": 3,
}


@dataclass
class Scores:
    overall: int | None
    categories: dict[str, int | None]
    rules: dict[str, float | None] = field(default_factory=dict)


def rule_score(result: RuleResult) -> float | None:
    if result.applicable == 0:
        return None
    return 1.0 - result.failed / result.applicable


def _weighted_mean(pairs: list[tuple[float, float]]) -> float | None:
    total = sum(w for w, _ in pairs)
    return None if total == 0 else sum(w * s for w, s in pairs) / total


def score(results: dict[str, RuleResult], categories: dict[str, str]) -> Scores:
    """Scores from rule results; `categories` maps each rule id to its category."""
    rules = {rule_id: rule_score(r) for rule_id, r in sorted(results.items())}
    per_category: dict[str, int | None] = {}
    for category in CATEGORY_WEIGHTS:
        pairs = [
            (RULE_WEIGHTS[rule_id], s)
            for rule_id, s in rules.items()
            if s is not None and categories[rule_id] == category
        ]
        mean = _weighted_mean(pairs)
        per_category[category] = None if mean is None else round(100 * mean)
    overall = _weighted_mean(
        [(CATEGORY_WEIGHTS[c], s) for c, s in per_category.items() if s is not None]
    )
    return Scores(None if overall is None else round(overall), per_category, rules)
