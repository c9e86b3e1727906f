"""The audit's categories: id, title and weight in the overall score, in report order.

A leaf module (it imports nothing of geoaudit), like Lighthouse's default config: the rule
registry validates each rule's category against it, scoring weighs categories by it, and the
reports and the command line take their titles from it. A new category is one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    title: str
    weight: float


CATEGORIES: dict[str, Category] = {
    "access": Category("AI access", 30),
    "llms_txt": Category("llms.txt", 10),
    "structured_data": Category("Structured data", 20),
    "content": Category("Content", 25),
    "freshness": Category("Freshness", 15),
}


def title(category: str) -> str:
    """The category's title, or the id itself for a category this version does not know (a
    baseline report written by another version may name one)."""
    known = CATEGORIES.get(category)
    return known.title if known else category
