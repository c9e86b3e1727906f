"""The report's charts: inline SVG drawn from the report's data, no script and no external file.

Each function returns markup whose every text comes through `escape`, so a label taken from the
site (a bot name from robots.txt, a page path) cannot inject markup. Colours are CSS classes of
the report's stylesheet (`sev-error`, `good`…), so a chart prints and themes with the page.
Every chart has a `role="img"` and an `aria-label` that says what it shows in words.
"""

from __future__ import annotations

from collections.abc import Sequence

from markupsafe import Markup, escape

ROW = 22  # px per bar or grid row
LABEL = 180  # px of label column
WIDTH = 640


def _svg(height: int, label: str, body: list[str], width: int = WIDTH) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" '
        f'style="max-width:{width}px" role="img" aria-label="{escape(label)}">'
        f"{''.join(body)}</svg>"
    )


def stacked_bars(rows: Sequence[tuple[str, Sequence[tuple[str, int]]]], label: str) -> Markup:
    """One horizontal bar per row, stacked by part: `rows` is [(row label, [(class, count)])],
    each part drawn in its CSS class with its count inside when it fits."""
    top = max((sum(n for _, n in parts) for _, parts in rows), default=0) or 1
    scale = (WIDTH - LABEL - 50) / top
    body = []
    for i, (name, parts) in enumerate(rows):
        y = i * ROW
        body.append(
            f'<text x="{LABEL - 8}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"{escape(name)}</text>"
        )
        x = float(LABEL)
        for cls, n in parts:
            if not n:
                continue
            w = n * scale
            body.append(
                f'<rect class="{escape(cls)}" x="{x:.1f}" y="{y + 3}" width="{w:.1f}" '
                f'height="{ROW - 6}"><title>{escape(name)}: {n} {escape(cls)}</title></rect>'
            )
            if w >= 22:
                body.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                    f'class="chart-in">{n}</text>'
                )
            x += w
        total = sum(n for _, n in parts)
        body.append(f'<text x="{x + 6:.1f}" y="{y + 15}" class="chart-label">{total}</text>')
    return _svg(max(len(rows), 1) * ROW, label, body)


def columns(bins: Sequence[tuple[str, int, str]], label: str, width: int = 420) -> Markup:
    """Vertical bars, one per bin: [(bin label, count, CSS class)], the count above each bar."""
    height, base = 150, 120
    top = max((n for _, n, _ in bins), default=0) or 1
    step = width / max(len(bins), 1)
    body = [f'<line x1="0" y1="{base}" x2="{width}" y2="{base}" class="chart-axis"/>']
    for i, (name, n, cls) in enumerate(bins):
        x = i * step
        h = (base - 20) * n / top
        body.append(
            f'<rect class="{escape(cls)}" x="{x + 6:.1f}" y="{base - h:.1f}" '
            f'width="{step - 12:.1f}" height="{h:.1f}"><title>{escape(name)}: {n}</title></rect>'
            f'<text x="{x + step / 2:.1f}" y="{base - h - 4:.1f}" text-anchor="middle" '
            f'class="chart-label">{n}</text>'
            f'<text x="{x + step / 2:.1f}" y="{base + 16}" text-anchor="middle" '
            f'class="chart-label">{escape(name)}</text>'
        )
    return _svg(height, label, body, width)


def grid(
    rows: Sequence[tuple[str, Sequence[tuple[str, str]]]], heads: Sequence[str], title: str
) -> Markup:
    """A matrix of coloured cells: `rows` is [(row label, [(CSS class, cell text)])] under the
    column `heads`."""
    label = min(max((len(name) for name, _ in rows), default=0) * 7 + 16, 300)
    cell = min((WIDTH - label) / max(len(heads), 1), 110)
    head = 34
    body = [
        f'<text x="{label + cell * i + cell / 2:.1f}" y="{head - 10}" text-anchor="middle" '
        f'class="chart-head">{escape(h)}</text>'
        for i, h in enumerate(heads)
    ]
    for r, (name, cells) in enumerate(rows):
        y = head + r * ROW
        body.append(
            f'<text x="{label - 8}" y="{y + 15}" text-anchor="end" class="chart-label">'
            f"{escape(name)}</text>"
        )
        for i, (cls, text) in enumerate(cells):
            x = label + cell * i
            body.append(
                f'<rect class="cell {escape(cls)}" x="{x + 1:.1f}" y="{y + 1}" '
                f'width="{cell - 2:.1f}" height="{ROW - 2}"><title>{escape(name)}, '
                f"{escape(heads[i])}: {escape(text)}</title></rect>"
                f'<text x="{x + cell / 2:.1f}" y="{y + 15}" text-anchor="middle" '
                f'class="chart-in">{escape(text)}</text>'
            )
    width = round(label + cell * len(heads))
    return _svg(head + max(len(rows), 1) * ROW, title, body, width)
