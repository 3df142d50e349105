"""Figures as SVG, drawn by hand (no plotting library), and their text fallbacks.

    points    labelled samples of two classes and lines w1·x + w2·y + b = 0 (boundaries)
    heatmap   a matrix shaded from white (0) to blue (its largest value), values printed
    graph     nodes (x, y in a 0..1 box) and labelled edges: a computation graph

`svg(figure)` gives the SVG text, used by the PDF (Typst `image`) and Markdown (a data URI);
`text(figure, lang)` gives the terminal's fallback.  Sizes are in points (1/72 in).
"""

from __future__ import annotations

import base64
import math
from xml.sax.saxutils import escape

from quizgen.model import Figure

W, H, PAD = 300.0, 220.0, 24.0
COLORS = ("#1f5fbf", "#c0392b", "#2e8b57", "#8e44ad")


def _fmt(v: float) -> str:
    return f"{v:.1f}"


def _svg(width: float, height: float, body: list[str]) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_fmt(width)}" height="{_fmt(height)}" '
            f'viewBox="0 0 {_fmt(width)} {_fmt(height)}" font-family="sans-serif" font-size="10">'
            + "".join(body) + "</svg>")


def _bounds(values: list[float]) -> tuple[float, float]:
    lo, hi = min(values + [0.0]), max(values + [0.0])
    span = max(hi - lo, 1.0)
    return lo - 0.15 * span, hi + 0.15 * span


def _points_svg(data: dict) -> str:
    pts = data.get("points", [])
    x0, x1 = _bounds([float(p[0]) for p in pts])
    y0, y1 = _bounds([float(p[1]) for p in pts])

    def sx(x: float) -> float:
        return PAD + (x - x0) / (x1 - x0) * (W - 2 * PAD)

    def sy(y: float) -> float:
        return H - PAD - (y - y0) / (y1 - y0) * (H - 2 * PAD)

    body = [f'<rect x="{_fmt(PAD)}" y="{_fmt(PAD)}" width="{_fmt(W - 2 * PAD)}" height="{_fmt(H - 2 * PAD)}" '
            'fill="none" stroke="#999"/>']
    if x0 < 0 < x1:
        body.append(f'<line x1="{_fmt(sx(0))}" y1="{_fmt(PAD)}" x2="{_fmt(sx(0))}" y2="{_fmt(H - PAD)}" stroke="#ccc"/>')
    if y0 < 0 < y1:
        body.append(f'<line x1="{_fmt(PAD)}" y1="{_fmt(sy(0))}" x2="{_fmt(W - PAD)}" y2="{_fmt(sy(0))}" stroke="#ccc"/>')
    for n, (w1, w2, b, name) in enumerate(data.get("lines", [])):
        seg = _clip_line(float(w1), float(w2), float(b), x0, x1, y0, y1)
        if seg:
            (ax, ay), (bx, by) = seg
            dash = ' stroke-dasharray="5,3"' if n == 0 and len(data["lines"]) > 1 else ""
            color = COLORS[(n + 2) % len(COLORS)]
            body.append(f'<line x1="{_fmt(sx(ax))}" y1="{_fmt(sy(ay))}" x2="{_fmt(sx(bx))}" y2="{_fmt(sy(by))}" '
                        f'stroke="{color}" stroke-width="1.5"{dash}/>')
            body.append(f'<text x="{_fmt(sx(bx) - 4)}" y="{_fmt(sy(by) - 4)}" text-anchor="end" fill="{color}">'
                        f'{escape(str(name))}</text>')
    for x, y, label, cls in pts:
        cx, cy = sx(float(x)), sy(float(y))
        if cls is None:  # an unlabelled point (its class is the question)
            shape = f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="4" fill="none" stroke="#555"/>'
        elif cls in (1, "1", "+", "+1"):
            shape = f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="4" fill="{COLORS[0]}"/>'
        else:
            shape = f'<rect x="{_fmt(cx - 4)}" y="{_fmt(cy - 4)}" width="8" height="8" fill="{COLORS[1]}"/>'

        body.append(shape + f'<text x="{_fmt(cx + 6)}" y="{_fmt(cy - 5)}">{escape(str(label))}</text>')
    return _svg(W, H, body)


def _clip_line(w1, w2, b, x0, x1, y0, y1):
    """The segment of w1·x + w2·y + b = 0 inside the box, or None."""
    found = []
    if abs(w2) > 1e-12:
        for x in (x0, x1):
            y = -(w1 * x + b) / w2
            if y0 - 1e-9 <= y <= y1 + 1e-9:
                found.append((x, y))
    if abs(w1) > 1e-12:
        for y in (y0, y1):
            x = -(w2 * y + b) / w1
            if x0 - 1e-9 <= x <= x1 + 1e-9:
                found.append((x, y))
    found = sorted(set((round(a, 9), round(c, 9)) for a, c in found))
    return (found[0], found[-1]) if len(found) >= 2 and found[0] != found[-1] else None


def _heatmap_svg(data: dict) -> str:
    m = data["matrix"]
    rows, cols = data.get("rows", []), data.get("cols", [])
    cell = 36.0
    left, top = 36.0, 22.0
    top_value = max((abs(float(v)) for row in m for v in row), default=1.0) or 1.0
    body = []
    for j, name in enumerate(cols):
        body.append(f'<text x="{_fmt(left + (j + 0.5) * cell)}" y="14" text-anchor="middle">{escape(str(name))}</text>')
    for i, row in enumerate(m):
        if i < len(rows):
            body.append(f'<text x="{_fmt(left - 6)}" y="{_fmt(top + (i + 0.6) * cell)}" text-anchor="end">'
                        f'{escape(str(rows[i]))}</text>')
        for j, v in enumerate(row):
            level = abs(float(v)) / top_value
            shade = int(255 - 180 * level)
            fill = f"rgb({shade},{int(255 - 120 * level)},255)"
            ink = "#fff" if level > 0.6 else "#000"
            body.append(f'<rect x="{_fmt(left + j * cell)}" y="{_fmt(top + i * cell)}" width="{_fmt(cell)}" '
                        f'height="{_fmt(cell)}" fill="{fill}" stroke="#fff"/>'
                        f'<text x="{_fmt(left + (j + 0.5) * cell)}" y="{_fmt(top + (i + 0.6) * cell)}" '
                        f'text-anchor="middle" fill="{ink}">{float(v):.2f}</text>')
    width = left + cell * max((len(r) for r in m), default=1) + 8
    return _svg(width, top + cell * len(m) + 8, body)


def _graph_svg(data: dict) -> str:
    nodes = {n[0]: (str(n[1]), float(n[2]), float(n[3])) for n in data["nodes"]}

    def at(x: float, y: float) -> tuple[float, float]:
        return PAD + x * (W - 2 * PAD), PAD + y * (H - 2 * PAD)

    body = ['<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
            'orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>']
    r = 15.0
    for a, b, label in data.get("edges", []):
        (ax, ay), (bx, by) = at(*nodes[a][1:]), at(*nodes[b][1:])
        d = math.hypot(bx - ax, by - ay) or 1.0
        ux, uy = (bx - ax) / d, (by - ay) / d
        body.append(f'<line x1="{_fmt(ax + ux * r)}" y1="{_fmt(ay + uy * r)}" x2="{_fmt(bx - ux * r)}" '
                    f'y2="{_fmt(by - uy * r)}" stroke="#555" marker-end="url(#arrow)"/>')
        if label:
            body.append(f'<text x="{_fmt((ax + bx) / 2)}" y="{_fmt((ay + by) / 2 - 4)}" text-anchor="middle" '
                        f'fill="#555">{escape(str(label))}</text>')
    for label, x, y in nodes.values():
        cx, cy = at(x, y)
        body.append(f'<circle cx="{_fmt(cx)}" cy="{_fmt(cy)}" r="{_fmt(r)}" fill="#eef3fb" stroke="#1f5fbf"/>'
                    f'<text x="{_fmt(cx)}" y="{_fmt(cy + 3.5)}" text-anchor="middle">{escape(label)}</text>')
    return _svg(W, H, body)


DRAWERS = {"points": _points_svg, "heatmap": _heatmap_svg, "graph": _graph_svg}


def svg(figure: Figure) -> str:
    if figure.kind not in DRAWERS:
        raise ValueError(f"unknown figure kind {figure.kind!r}")
    return DRAWERS[figure.kind](figure.data)


def data_uri(figure: Figure) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg(figure).encode()).decode()


def _linear(w1: float, w2: float, b: float) -> str:
    """w1·x₁ + w2·x₂ + b written as by hand: −x₁ − 2·x₂ + 1."""
    out = ""
    for coef, name in ((w1, "x₁"), (w2, "x₂"), (b, "")):
        if coef == 0:
            continue
        size = abs(coef)
        term = (f"{size:g}" if not name else name if size == 1 else f"{size:g}·{name}")
        out += (" − " if coef < 0 else " + ") + term if out else ("−" if coef < 0 else "") + term
    return out or "0"


def text(figure: Figure, lang: str) -> str:
    """What the terminal prints in place of the drawing."""
    d = figure.data
    if figure.kind == "points":
        def mark(cls) -> str:
            return "?" if cls is None else "+" if cls in (1, "1", "+", "+1") else "−"

        pts = ", ".join(f"{p[2]} ({p[0]:g}, {p[1]:g}) {mark(p[3])}" for p in d.get("points", []))
        lines = "; ".join(f"{name}: {_linear(w1, w2, b)} = 0" for w1, w2, b, name in d.get("lines", []))
        return pts + (("\n" + lines) if lines else "")
    if figure.kind == "heatmap":
        cols = d.get("cols", [])
        head = ("      " + " ".join(f"{c:>6}" for c in cols)) if cols else ""
        rows = d.get("rows", [""] * len(d["matrix"]))
        body = [f"{str(r):>5} " + " ".join(f"{float(v):6.2f}" for v in row) for r, row in zip(rows, d["matrix"])]
        return "\n".join(([head] if head else []) + body)
    if figure.kind == "graph":
        names = {n[0]: str(n[1]) for n in d["nodes"]}
        return "\n".join(f"{names[a]} → {names[b]}" + (f"  ({label})" if label else "")
                         for a, b, label in d.get("edges", []))
    return ""
