"""Weights: the only tuning file. How much each rule and page measure counts in its category
(category weights are in geoaudit/categories.py), how severity ranks issues, and the constants
of the content and freshness curves. docs/scoring.md explains the formulas."""

from __future__ import annotations

# How much a finding's severity multiplies its rule's weight when issues are ranked by impact.
SEVERITY_IMPACT = {"error": 3.0, "warning": 2.0, "notice": 1.0}
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
    "AC015": 2,
    # Redirecting elsewhere can be intended: reported, never scored.
    "AC016": 0,
    # A limit of geoaudit's own or its internal error: reported, never scored.
    "AC017": 0,
    "AC018": 2,
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
    "LT042": 1,
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
    "FR003": 3,
    "CT003": 5,
    "CT004": 5,
    "CT005": 2,
    "CT006": 3,
}


# Page measures scored 0–100 per page and averaged into a category like a rule's pass rate.
MEASURE_WEIGHTS: dict[str, tuple[str, float]] = {
    "answer_first": ("content", 8),
    "attribution": ("content", 8),
    "readability": ("content", 4),
    "structure": ("content", 5),
    "freshness": ("freshness", 10),
}
ATTRIBUTION_MIN_WORDS = 150
FRESH_DAYS, STALE_DAYS, DEAD_DAYS = 90, 540, 730
EVERGREEN_SECTIONS = ("About", "Contact", "Optional")
