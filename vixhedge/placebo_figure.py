"""placebo.svg: a histogram per ranked metric of the placebo seeds, the reference marked (``vixhedge placebo``).

Hand-written SVG like the run's figures (:mod:`vixhedge.svgplot`: same palette, font and tick rules), four panels
in a 2 x 2 grid, each its own x axis; deterministic (same rows, same bytes). Pure: numpy only.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

import numpy as np

from vixhedge.placebo_stats import METRICS, k_text, nan_words, p_text
from vixhedge.svgplot import FONT, Svg, color
from vixhedge.svgticks import nice_ticks, tick_label

WIDTH, HEIGHT = 1100, 720
BINS = 20
_SCALE = {"hedge_pnl_usd": (1e-3, "hedge P&L ($k)"), "max_drawdown": (100.0, "max drawdown (%)"),
          "cvar95": (100.0, "CVaR 95% (% a day)"), "sharpe": (1.0, "Sharpe")}


def placebo_svg(rows: Sequence[Mapping[str, float]], summary: Mapping, policy: str, title: str,
                subtitle: str = "") -> Svg:
    """The four histograms: the placebos' values of each metric, the reference's (``policy``) as a red line, the
    placebos' median dashed; each panel's title gives k of N and p."""
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} '
           f'{HEIGHT}" {FONT} font-size="13">\n<rect width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>\n',
           f'<text x="{WIDTH / 2:.1f}" y="26" text-anchor="middle" font-size="16">{escape(title)}</text>\n']
    if subtitle:
        out.append(f'<text x="{WIDTH / 2:.1f}" y="44" text-anchor="middle" font-size="11" fill="#555555">'
                   f"{escape(subtitle)}</text>\n")
    for k, (key, label, higher) in enumerate(METRICS):
        m = summary["metrics"][key]
        scale, xlabel = _SCALE[key]
        values = np.array([r[key] for r in rows], dtype=float) * scale
        box = (70 + (k % 2) * 540, 90 + (k // 2) * 320, 470, 220)
        head = (f"{label}: {k_text(summary, key)} placebos as good or better "
                f"({'higher' if higher else 'lower'} is better), p = {p_text(m['p_value'])}")
        head += f"\n{nan_words(m)}" if m["not_a_number"] else ""  # (a second line: the panel is 470 px wide)
        out.append(_panel(box, values, m["reference"] * scale, m["median"] * scale, head, xlabel, policy, k))
    out.append("</svg>\n")
    return Svg("".join(out))


def _panel(box: tuple[float, float, float, float], values: np.ndarray, ref: float, median: float, head: str,
           xlabel: str, policy: str, k: int) -> str:
    x0, top, w, h = box
    values = values[np.isfinite(values)]  # a NaN figure (a Sharpe of a flat book) is not drawn, nor is a NaN line
    shown = np.concatenate([values, [v for v in (ref, median) if np.isfinite(v)]])
    lo, hi = (float(shown.min()), float(shown.max())) if len(shown) else (0.0, 1.0)
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    lo, hi = lo - 0.05 * span, hi + 0.05 * span
    counts, edges = np.histogram(values, bins=BINS, range=(lo, hi))
    ymax = max(1.0, float(counts.max()) * 1.1)
    px = lambda v: x0 + (np.asarray(v, float) - lo) / (hi - lo) * w  # noqa: E731
    py = lambda v: top + h - np.asarray(v, float) / ymax * h  # noqa: E731
    bottom = top + h
    heads = head.split("\n")
    out = [f'<text x="{x0 + w / 2:.1f}" y="{top - 10 - 15 * (len(heads) - 1 - i):.1f}" text-anchor="middle" '
           f'font-size="12">{escape(line)}</text>\n' for i, line in enumerate(heads)]
    xt = [t for t in nice_ticks(lo, hi) if lo <= t <= hi]
    yt = [t for t in nice_ticks(0.0, ymax) if 0 <= t <= ymax and t == round(t)]
    grid = "".join(f"M{px(t):.1f} {top:.1f}V{bottom:.1f}" for t in xt) + \
        "".join(f"M{x0:.1f} {py(t):.1f}H{x0 + w:.1f}" for t in yt)
    out.append(f'<path d="{grid}" stroke="#b0b0b0" stroke-opacity="0.3" stroke-width="0.8" fill="none"/>\n')
    for c, a, b in zip(counts, edges[:-1], edges[1:], strict=True):
        if c:
            out.append(f'<rect x="{px(a):.1f}" y="{py(c):.1f}" width="{px(b) - px(a):.1f}" '
                       f'height="{bottom - py(c):.1f}" fill="{color("tab:blue")}" fill-opacity="0.6" '
                       'stroke="#ffffff" stroke-width="0.5"/>\n')
    if np.isfinite(median):
        out.append(f'<path d="M{px(median):.1f} {top:.1f}V{bottom:.1f}" stroke="{color("tab:gray")}" '
                   'stroke-width="1.5" stroke-dasharray="5,3"/>\n')
    if np.isfinite(ref):
        out.append(f'<path d="M{px(ref):.1f} {top:.1f}V{bottom:.1f}" stroke="{color("tab:red")}" '
                   'stroke-width="2.2"/>\n')
    out.append(f'<rect x="{x0:.1f}" y="{top:.1f}" width="{w:.1f}" height="{h:.1f}" fill="none" stroke="#000000" '
               'stroke-width="0.8"/>\n')
    for t in xt:
        out.append(f'<path d="M{px(t):.1f} {bottom:.1f}v4" stroke="#000000" stroke-width="0.8"/>'
                   f'<text x="{px(t):.1f}" y="{bottom + 18:.1f}" text-anchor="middle">{tick_label(t, xt)}</text>\n')
    for t in yt:
        out.append(f'<path d="M{x0:.1f} {py(t):.1f}h-4" stroke="#000000" stroke-width="0.8"/>'
                   f'<text x="{x0 - 7:.1f}" y="{py(t) + 4.5:.1f}" text-anchor="end">{int(t)}</text>\n')
    out.append(f'<text x="{x0 + w / 2:.1f}" y="{bottom + 38:.1f}" text-anchor="middle">{escape(xlabel)}</text>\n')
    cy = top + h / 2
    out.append(f'<text x="{x0 - 40:.1f}" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 {x0 - 40:.1f} '
               f'{cy:.1f})">placebos</text>\n')
    if k == 0:  # one legend, in the first panel's corner
        lx, ly = x0 + w - 150, top + 14
        out.append(f'<path d="M{lx:.1f} {ly:.1f}h18" stroke="{color("tab:red")}" stroke-width="2.2"/>'
                   f'<text x="{lx + 24:.1f}" y="{ly + 4:.1f}" font-size="11">{escape(policy)}</text>\n'
                   f'<path d="M{lx:.1f} {ly + 16:.1f}h18" stroke="{color("tab:gray")}" stroke-width="1.5" '
                   f'stroke-dasharray="5,3"/><text x="{lx + 24:.1f}" y="{ly + 20:.1f}" font-size="11">placebo '
                   "median</text>\n")
    return "".join(out)
