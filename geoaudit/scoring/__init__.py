"""Scores: rule results weighed into category scores and an overall score, all 0–100.

Weights live in `weights.py` and `geoaudit/categories.py` and nowhere else (docs/scoring.md
explains the formulas):

- a rule's score is the share of the pages it applied to that passed (a site rule: 1 or 0);
- a category's score is the weighted mean of its applicable rules' scores;
- the overall score is the weighted mean of the categories that have a score.

A rule that applied nowhere, and a category with no applicable rule, are not applicable: they
count neither as a pass nor as a fail. Page measures (answer-first, attribution, readability,
structure, freshness) are computed in `content.py`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from geoaudit.categories import CATEGORIES
from geoaudit.rules import RuleResult
from geoaudit.scoring.weights import MEASURE_WEIGHTS, RULE_WEIGHTS


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


def score(
    results: dict[str, RuleResult],
    categories: dict[str, str],
    measures: dict[str, float | None] | None = None,
) -> Scores:
    """Scores from rule results (`categories` maps each rule id to its category) and from the
    site's mean page measures (0–100, None where no page had the measure)."""
    rules = {rule_id: rule_score(r) for rule_id, r in sorted(results.items())}
    per_category: dict[str, int | None] = {}
    for category in CATEGORIES:
        pairs = [
            (RULE_WEIGHTS[rule_id], s)
            for rule_id, s in rules.items()
            if s is not None and categories[rule_id] == category
        ]
        pairs += [
            (MEASURE_WEIGHTS[name][1], mean / 100)
            for name, mean in (measures or {}).items()
            if mean is not None and MEASURE_WEIGHTS[name][0] == category
        ]
        mean = _weighted_mean(pairs)
        per_category[category] = None if mean is None else round(100 * mean)
    overall = _weighted_mean(
        [(CATEGORIES[c].weight, s) for c, s in per_category.items() if s is not None]
    )
    return Scores(None if overall is None else round(overall), per_category, rules)
