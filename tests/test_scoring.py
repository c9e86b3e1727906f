"""Scoring: weighted means of rule pass rates; not-applicable counts for nothing."""

from __future__ import annotations

import pytest

from geoaudit.categories import CATEGORIES
from geoaudit.rules import RuleResult, load_rules, page_rule
from geoaudit.scoring import score
from geoaudit.scoring.weights import MEASURE_WEIGHTS, RULE_WEIGHTS


def test_every_rule_has_a_weight_and_every_category_one():
    rules = load_rules()
    assert set(RULE_WEIGHTS) == set(rules)
    assert {r.category for r in rules.values()} <= set(CATEGORIES)


def test_the_category_table_is_the_one_every_stage_reads():
    """Rules, page measures, scores and the report all use the categories of one table."""
    rules = load_rules()
    assert {r.category for r in rules.values()} == set(CATEGORIES), "a category without rules"
    assert {category for category, _ in MEASURE_WEIGHTS.values()} <= set(CATEGORIES)
    assert list(score({}, {}).categories) == list(CATEGORIES)
    assert all(c.title and c.weight > 0 for c in CATEGORIES.values())


def test_the_registry_refuses_a_rule_of_an_unknown_category():
    with pytest.raises(ValueError, match="unknown category 'seo'"):
        page_rule("ZZ001", name="zz", title="zz", severity="error", category="seo")


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
    w_content, w_llms = CATEGORIES["content"].weight, CATEGORIES["llms_txt"].weight
    assert scores.overall == round(100 * w_content / (w_content + w_llms))


def test_nothing_applicable_gives_no_score():
    scores = score({"CT001": RuleResult()}, {"CT001": "content"})
    assert scores.overall is None and set(scores.categories.values()) == {None}
