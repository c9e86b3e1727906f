"""A deterministic, realistic N-page site for benchmarks and scale tests.

Articles of 300–3,000 words under a few sections, with nav and footer, JSON-LD on most pages,
microdata on some, visible and structured dates, lists, tables, quotes and outbound sources;
section indexes paginated 50 to a page; sitemap.xml, robots.txt and llms.txt. The same
(pages, seed) always writes the same bytes.

    python -m benchmarks.sitegen 3000 /tmp/site
"""

from __future__ import annotations

import argparse
import json
import random
from datetime import date, timedelta
from html import escape
from pathlib import Path

SECTIONS = ("blog", "guides", "news", "products")
PER_INDEX = 50
WORDS = [
    "coffee",
    "roast",
    "bean",
    "brew",
    "grind",
    "water",
    "ratio",
    "temperature",
    "extraction",
    "flavour",
    "acidity",
    "body",
    "origin",
    "farm",
    "harvest",
    "process",
    "washed",
    "natural",
    "honey",
    "espresso",
    "filter",
    "milk",
    "crema",
    "bloom",
    "kettle",
    "scale",
    "timer",
    "burr",
    "blade",
    "storage",
    "freshness",
    "aroma",
    "sweetness",
    "bitterness",
    "balance",
    "method",
    "cup",
    "guide",
    "season",
    "altitude",
    "variety",
    "cherry",
    "drying",
    "fermentation",
    "export",
    "import",
    "blend",
    "single",
]
ORIGIN = "https://www.bench.example"
AUDIT_DAY = date(2026, 11, 1)


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 22))]
    if rng.random() < 0.2:
        words.insert(rng.randint(0, len(words)), f"{rng.randint(2, 95)}%")
    return " ".join(words).capitalize() + "."


def _paragraph(rng: random.Random, words: int) -> tuple[str, int]:
    sentences, count = [], 0
    while count < words:
        s = _sentence(rng)
        sentences.append(s)
        count += len(s.split())
    return " ".join(sentences), count


def article_path(section: str, n: int) -> str:
    return f"/{section}/article-{n}.html"


def _layout(title: str, description: str, head: str, body: str) -> str:
    nav = "".join(f'<li><a href="/{s}/">{s.title()}</a></li>' for s in SECTIONS)
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{escape(title)}'
        f' | Bench Coffee</title><meta name="description" content="{escape(description)}">'
        f'{head}</head><body><header><nav><ul><li><a href="/">Home</a></li>{nav}'
        '<li><a href="/about.html">About</a></li></ul></nav></header>'
        f"<main>{body}</main><footer><p>© Bench Coffee Ltd. "
        '<a href="/about.html">About</a> · <a href="/contact.html">Contact</a> · '
        '<a href="/privacy.html">Privacy</a></p></footer></body></html>\n'
    )


def _article(rng: random.Random, section: str, n: int, total: dict[str, int]) -> str:
    topic = " ".join(rng.sample(WORDS, 3))
    title = f"{topic.title()}: a {section[:-1] if section.endswith('s') else section} on {n}"
    published = AUDIT_DAY - timedelta(days=rng.randint(5, 900))
    modified = published + timedelta(days=rng.randint(0, 120))
    target = rng.randint(300, 3000)
    parts = [
        f"<h1>{escape(title)}</h1>",
        f'<p>Updated <time datetime="{modified}">{modified:%d %B %Y}</time></p>',
    ]
    lead, words = _paragraph(rng, rng.randint(25, 60))
    parts.append(f"<p>{lead}</p>")
    while words < target:
        kind = rng.random()
        if kind < 0.12:
            items = "".join(f"<li>{_sentence(rng)}</li>" for _ in range(rng.randint(3, 6)))
            parts.append(f"<ul>{items}</ul>")
            words += 60
        elif kind < 0.18:
            cells = "".join(
                f"<tr><td>{rng.choice(WORDS)}</td><td>{rng.randint(1, 99)}</td></tr>"
                for _ in range(rng.randint(3, 8))
            )
            parts.append(f"<table><tr><th>Item</th><th>Value</th></tr>{cells}</table>")
            words += 20
        elif kind < 0.24:
            parts.append(f"<h2>{rng.choice(WORDS).title()} {rng.choice(WORDS)}?</h2>")
        elif kind < 0.28:
            quote, _ = _paragraph(rng, 20)
            parts.append(
                f"<blockquote>{quote}<cite>Roaster {rng.randint(1, 40)}</cite></blockquote>"
            )
            words += 20
        else:
            text, count = _paragraph(rng, rng.randint(40, 140))
            if rng.random() < 0.15:
                text += (
                    f' <a href="https://research.example/study-{rng.randint(1, 500)}">Source</a>.'
                )
            parts.append(f"<p>{text}</p>")
            words += count
    related = rng.sample(range(total[section]), min(3, total[section]))
    links = "".join(
        f'<li><a href="{article_path(section, r)}">Related {r}</a></li>' for r in related if r != n
    )
    parts.append(f"<h2>Related</h2><ul>{links}</ul>")
    head = ""
    markup = rng.random()
    if markup < 0.75:
        data = {
            "@context": "https://schema.org",
            "@type": "BlogPosting" if section == "blog" else "Article",
            "headline": title,
            "datePublished": published.isoformat(),
            "dateModified": modified.isoformat(),
            "author": {
                "@type": "Person",
                "name": f"Writer {n % 17}",
                "url": f"{ORIGIN}/about.html",
            },
            "publisher": {"@type": "Organization", "name": "Bench Coffee", "url": ORIGIN},
        }
        head = f'<script type="application/ld+json">{json.dumps(data)}</script>'
        body = f"<article>{''.join(parts)}</article>"
    elif markup < 0.9:
        body = (
            '<article itemscope itemtype="https://schema.org/Article">'
            f'<meta itemprop="datePublished" content="{published}">'
            f'<span itemprop="author" itemscope itemtype="https://schema.org/Person">'
            f'<meta itemprop="name" content="Writer {n % 17}"></span>'
            + "".join(parts).replace("<h1>", '<h1 itemprop="headline">', 1)
            + "</article>"
        )
    else:
        body = f"<article>{''.join(parts)}</article>"
    return _layout(title, lead[:150], head, body)


def _index(section: str, page: int, count: int) -> str:
    first = page * PER_INDEX
    items = "".join(
        f'<li><a href="{article_path(section, n)}">{section.title()} article {n}</a></li>'
        for n in range(first, min(first + PER_INDEX, count))
    )
    pager = (
        f'<a href="/{section}/page-{page + 1}.html">Older</a>' if first + PER_INDEX < count else ""
    )
    title = f"{section.title()}" + (f" page {page + 1}" if page else "")
    return _layout(
        title, f"All {section} from Bench Coffee.", "", f"<h1>{title}</h1><ul>{items}</ul>{pager}"
    )


def generate(pages: int, root: Path, seed: int = 1) -> int:
    """Write a site of about `pages` HTML pages under `root`; returns the number written."""
    rng = random.Random(seed)
    fixed = 4  # home, about, contact, privacy
    articles = max(pages - fixed, len(SECTIONS))
    total = {s: 0 for s in SECTIONS}
    for i in range(articles):
        total[SECTIONS[i % len(SECTIONS)]] += 1
    indexes = {s: -(-total[s] // PER_INDEX) for s in SECTIONS}
    per_section = {s: total[s] - indexes[s] for s in SECTIONS}  # index pages count towards N
    urls: list[str] = ["/", "/about.html", "/contact.html", "/privacy.html"]
    root.mkdir(parents=True, exist_ok=True)
    org = {
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": "Bench Coffee",
        "url": ORIGIN,
        "logo": f"{ORIGIN}/logo.png",
        "sameAs": ["https://www.wikidata.org/wiki/Q0", "https://www.linkedin.com/company/bench"],
    }
    home_body = (
        "<h1>Bench Coffee</h1><p>Bench Coffee roasts speciality coffee in small batches "
        "and ships within 48 hours.</p>"
    )
    home_body += "".join(f'<p><a href="/{s}/">{s.title()}</a></p>' for s in SECTIONS)
    (root / "index.html").write_text(
        _layout(
            "Bench Coffee",
            "Small-batch coffee.",
            f'<script type="application/ld+json">{json.dumps(org)}</script>',
            home_body,
        )
    )
    for name in ("about", "contact", "privacy"):
        text, _ = _paragraph(rng, 200)
        (root / f"{name}.html").write_text(
            _layout(
                name.title(),
                f"{name.title()} Bench Coffee.",
                "",
                f"<h1>{name.title()}</h1><p>{text}</p>",
            )
        )
    for section in SECTIONS:
        folder = root / section
        folder.mkdir(exist_ok=True)
        count = per_section[section]
        for page in range(indexes[section]):
            name = "index.html" if page == 0 else f"page-{page}.html"
            (folder / name).write_text(_index(section, page, count))
            urls.append(f"/{section}/" + ("" if page == 0 else name))
        total[section] = count
        for n in range(count):
            (folder / f"article-{n}.html").write_text(_article(rng, section, n, total))
            urls.append(article_path(section, n))
    sitemap = "".join(
        f"<url><loc>{ORIGIN}{u}</loc><lastmod>{AUDIT_DAY - timedelta(days=i % 400)}</lastmod></url>"
        for i, u in enumerate(urls)
    )
    (root / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{sitemap}</urlset>\n'
    )
    (root / "robots.txt").write_text(f"User-agent: *\nAllow: /\n\nSitemap: {ORIGIN}/sitemap.xml\n")
    (root / "llms.txt").write_text(
        "# Bench Coffee\n\n> Bench Coffee roasts speciality coffee in small batches.\n\n"
        "## Sections\n\n" + "".join(f"- [{s.title()}]({ORIGIN}/{s}/): all {s}\n" for s in SECTIONS)
    )
    return len(urls)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pages", type=int)
    parser.add_argument("root", type=Path)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"wrote {generate(args.pages, args.root, args.seed)} pages under {args.root}")


if __name__ == "__main__":
    main()
