"""Scoring: weighted means of rule pass rates; not-applicable counts for nothing."""

from __future__ import annotations

from geoaudit.rules import RuleResult, load_rules
from geoaudit.scoring import CATEGORY_WEIGHTS, RULE_WEIGHTS, score


def test_every_rule_has_a_weight_and_every_category_one():
    rules = load_rules()
    assert set(RULE_WEIGHTS) == set(rules)
    assert {r.category for r in rules.values()} <= set(CATEGORY_WEIGHTS)


def test_category_is_weighted_mean_of_rule_pass_rates():
    categories = {"CT001": "content", "CT002": "content"}
    results = {"CT001": RuleResult(applicable=10, failed=5),   # 0.5, weight 5
               "CT002": RuleResult(applicable=4, failed=0)}    # 1.0, weight 3
    scores = score(results, categories)
    assert scores.rules == {"CT001": 0.5, "CT002": 1.0}
    assert scores.categories["content"] == round(100 * (5 * 0.5 + 3 * 1.0) / 8)  # 69


def test_not_applicable_rules_and_categories_do_not_count():
    categories = {"CT001": "content", "FR001": "freshness", "LT001": "llms_txt"}
    results = {"CT001": RuleResult(applicable=2, failed=0),
               "FR001": RuleResult(applicable=0, failed=0),
               "LT001": RuleResult(applicable=1, failed=1)}
    scores = score(results, categories)
    assert scores.rules["FR001"] is None
    assert scores.categories["freshness"] is None
    assert scores.categories["access"] is None
    w_content, w_llms = CATEGORY_WEIGHTS["content"], CATEGORY_WEIGHTS["llms_txt"]
    assert scores.overall == round(100 * w_content / (w_content + w_llms))


def test_nothing_applicable_gives_no_score():
    scores = score({"CT001": RuleResult()}, {"CT001": "content"})
    assert scores.overall is None and set(scores.categories.values()) == {None}
