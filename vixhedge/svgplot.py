"""Charts over a date axis as hand-written SVG: stacked panels sharing x, each with lines, fills, bars,
markers and a legend at its right (the figures of a run folder).

Why not matplotlib: a run's five figures cost ~1.3 s CPU with it (~0.35 s to import it, ~0.95 s to lay out,
rasterise and encode the PNGs), most of a cold ``vixhedge run``; as SVG text they cost a few hundredths of a
second, scale without blur and the run path never imports matplotlib (issue 16). The output is deterministic
(same data, same bytes) and self-contained: no script, no external font, image or stylesheet.

Coordinates: x in days (:func:`day_numbers`), y in data units; :meth:`Chart.svg` maps them to pixels.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape

import numpy as np

from vixhedge.svgticks import date_ticks, log_tick_label, log_ticks, nice_ticks, tick_label

# matplotlib's "tab:" palette, so the SVG figures keep the colours of the earlier PNGs
COLORS = {"black": "#000000", "white": "#ffffff", "tab:blue": "#1f77b4", "tab:orange": "#ff7f0e",
          "tab:green": "#2ca02c", "tab:red": "#d62728", "tab:purple": "#9467bd", "tab:gray": "#7f7f7f",
          "tab:olive": "#bcbd22", "tab:cyan": "#17becf"}
WIDTH = 1100  # px
LEFT, RIGHT, BOTTOM, HSPACE = 0.07, 0.80, 0.07, 0.08  # fractions of the figure (HSPACE: of a mean panel height)
MARGIN = 0.05  # autoscale pads the data span by this share on each side
FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'


class Svg(str):
    """An SVG document's text; a notebook displays it inline."""

    def _repr_svg_(self) -> str:
        return str(self)


def color(name: str) -> str:
    """Return the hex colour of a palette name (a hex colour passes through)."""
    return COLORS.get(name, name)


def day_numbers(dates) -> np.ndarray:
    """Return dates (DatetimeIndex, datetime64, date objects) as float days since 1970-01-01."""
    return np.asarray(dates, dtype="datetime64[D]").astype(np.int64).astype(float)


@dataclass
class Panel:
    """One axes of a chart: items drawn in the order added, a y label, optional fixed y limits; ``ylog``: a log y
    axis (every y value must be positive; ticks at 1, 2 and 5 x 10^k, :func:`log_ticks`); ``counts``: whole-number
    ticks alone (a count of layers read 0.25, 0.50 on a short run's axis)."""

    ylabel: str = ""
    legend: bool = True
    ylim: tuple[float, float] | None = None
    ylog: bool = False
    counts: bool = False
    items: list[tuple] = field(default_factory=list)  # (kind, data..., style dict)
    keys: list[tuple[str, str, dict]] = field(default_factory=list)  # legend: (label, swatch kind, style)

    def _key(self, label: str | None, kind: str, style: dict) -> None:
        if label:
            self.keys.append((label, kind, style))

    def line(self, x, y, color: str = "black", width: float = 1.0, label: str | None = None,
             alpha: float = 1.0) -> None:
        """A polyline through (x, y); a NaN breaks it."""
        style = {"color": color, "width": width, "alpha": alpha}
        self.items.append(("line", np.asarray(x, float), np.asarray(y, float), style))
        self._key(label, "line", style)

    def fill(self, x, y1, y2, color: str, alpha: float = 1.0, label: str | None = None) -> None:
        """The area between y1 and y2 over x (matplotlib's fill_between); a NaN breaks it."""
        style = {"color": color, "alpha": alpha}
        self.items.append(("fill", np.asarray(x, float), np.broadcast_to(np.asarray(y1, float), np.shape(x)),
                           np.broadcast_to(np.asarray(y2, float), np.shape(x)), style))
        self._key(label, "patch", style)

    def bars(self, x, bottom, height, width: float, color: str, label: str | None = None) -> None:
        """Bars centred on x, ``width`` days wide (one width or one per bar), from ``bottom`` to ``bottom + height``
        (zero heights skipped)."""
        style, shape = {"color": color}, np.shape(x)
        self.items.append(("bars", np.asarray(x, float), np.broadcast_to(np.asarray(bottom, float), shape),
                           np.asarray(height, float), np.broadcast_to(np.asarray(width, float), shape), style))
        self._key(label, "patch", style)

    def markers(self, x, y, shape: str = "o", color: str = "black", size: float = 3.0,
                label: str | None = None, hollow: bool = False) -> None:
        """Markers (``o`` circle, ``^`` / ``v`` triangles) of ``size`` px radius at (x, y); ``^|`` / ``v|``, a day
        beyond the panel's scale: a hollow triangle pointing out whose tip is at y (the edge), its body inside (trial
        VIS30: solid ones on the edge met the next panel's and looked like the exits' triangles). ``hollow``: white
        inside a line of the colour, the second cue of a pair told apart by colour (trial VIS42 M4)."""
        style = {"color": color, "shape": shape, "size": size, "hollow": hollow}
        self.items.append(("markers", np.asarray(x, float), np.asarray(y, float), style))
        self._key(label, "marker", style)

    def vlines(self, x, y0, y1, colors, width: float = 1.0, labels: dict[str, str] | None = None) -> None:
        """Vertical segments from y0 to y1 at each x, coloured per segment (``colors``: one name per x);
        ``labels``: a legend entry per colour (colour name -> label), in the dict's order."""
        self.items.append(("vlines", np.asarray(x, float), np.broadcast_to(np.asarray(y0, float), np.shape(x)),
                           np.asarray(y1, float), np.asarray(colors), {"width": width}))
        for name, text in (labels or {}).items():
            self._key(text, "patch", {"color": name})

    def hline(self, y: float, color: str = "black", width: float = 0.6) -> None:
        """A horizontal line across the panel."""
        self.items.append(("hline", float(y), {"color": color, "width": width}))

    def hspan(self, lo: float, hi: float, color: str, alpha: float = 1.0, label: str | None = None) -> None:
        """A horizontal band across the panel."""
        self.items.append(("hspan", float(lo), float(hi), style := {"color": color, "alpha": alpha}))
        self._key(label, "patch", style)

    # ------------------------------------------------------------------ limits
    def _xs(self) -> list[np.ndarray]:
        return [it[1] for it in self.items if it[0] in ("line", "fill", "bars", "markers", "vlines")]

    def y_limits(self) -> tuple[float, float]:
        """The fixed limits, else the span of every item's y values padded by MARGIN."""
        if self.ylim is not None:
            return self.ylim
        spans = []
        for it in self.items:
            kind = it[0]
            if kind in ("line", "markers"):
                spans.append(it[2])
            elif kind in ("fill", "vlines"):
                spans += [it[2], it[3]]
            elif kind == "bars":
                spans += [it[2], it[2] + it[3]]
            elif kind == "hline":
                spans.append(np.array([it[1]]))
            elif kind == "hspan":
                spans.append(np.array([it[1], it[2]]))
        v = np.concatenate([np.ravel(s) for s in spans]) if spans else np.array([])
        v = v[np.isfinite(v)]
        if self.ylog:  # padded by MARGIN of the span of log10(y)
            v = v[v > 0]
            if not v.size:
                return 0.1, 10.0
            lo, hi = math.log10(float(v.min())), math.log10(float(v.max()))
            pad = MARGIN * (hi - lo) if hi > lo else 0.5
            return 10.0 ** (lo - pad), 10.0 ** (hi + pad)
        if not v.size:
            return -1.0, 1.0
        lo, hi = float(v.min()), float(v.max())
        if lo == hi:
            return lo - 1.0, hi + 1.0
        pad = MARGIN * (hi - lo)
        return lo - pad, hi + pad


class Chart:
    """Panels stacked over one shared date axis, ``height_in`` inches tall at 100 px per inch, 1100 px wide."""

    def __init__(self, height_in: float, ratios: tuple[float, ...], title: str = "", top: float = 0.93,
                 subtitle: str = "") -> None:
        self.height = round(height_in * 100)
        self.title, self.subtitle = title, subtitle
        self.xlabel = ""  # the shared axis's title, under the last panel's dates (a date axis says itself: none)
        top = min(top, 1 - 46 / self.height) if subtitle else top  # a smaller line under the title: 46 px above
        self.panels = [Panel() for _ in ratios]
        total_h = (top - BOTTOM) * self.height
        unit = total_h / (sum(ratios) + HSPACE * (len(ratios) - 1) * sum(ratios) / len(ratios))
        gap = HSPACE * unit * sum(ratios) / len(ratios)
        self._boxes, y = [], (1 - top) * self.height
        for r in ratios:
            self._boxes.append((y, r * unit))
            y += r * unit + gap

    def svg(self) -> Svg:
        """Return the chart as one SVG document."""
        xs = [x for p in self.panels for x in p._xs()]
        xv = np.concatenate([x[np.isfinite(x)] for x in xs]) if xs else np.array([0.0, 1.0])
        lo, hi = float(xv.min()), float(xv.max())
        pad = MARGIN * (hi - lo if hi > lo else 1.0)
        xlim = (lo - pad, hi + pad)  # the charts of one window line up: a bar widens it only beyond the padding
        for it in (it for p in self.panels for it in p.items if it[0] == "bars" and it[1].size):
            xlim = (min(xlim[0], float(np.min(it[1] - it[4] / 2))), max(xlim[1], float(np.max(it[1] + it[4] / 2))))
        x0, w = LEFT * WIDTH, (RIGHT - LEFT) * WIDTH
        out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{self.height}" '
               f'viewBox="0 0 {WIDTH} {self.height}" {FONT} font-size="13">\n'
               f'<rect width="{WIDTH}" height="{self.height}" fill="#ffffff"/>\n']
        if self.title:  # a subtitle under it moves it up a line
            out.append(f'<text x="{x0 + w / 2:.1f}" y="{self._boxes[0][0] - (24 if self.subtitle else 8):.1f}" '
                       f'text-anchor="middle" font-size="16">{escape(self.title)}</text>\n')
        if self.subtitle:
            out.append(f'<text x="{x0 + w / 2:.1f}" y="{self._boxes[0][0] - 7:.1f}" text-anchor="middle" '
                       f'font-size="11" fill="#555555">{escape(self.subtitle)}</text>\n')
        ticks, labels = date_ticks(*xlim)
        for k, (panel, (top, h)) in enumerate(zip(self.panels, self._boxes, strict=True)):
            out.append(_Frame(k, x0, top, w, h, xlim, panel.y_limits(), panel.ylog).draw(
                panel, ticks, labels if k == len(self.panels) - 1 else None))
        if self.xlabel:
            out.append(f'<text x="{x0 + w / 2:.1f}" y="{sum(self._boxes[-1]) + 38:.1f}" text-anchor="middle">'
                       f"{escape(self.xlabel)}</text>\n")
        out.append("</svg>\n")
        return Svg("".join(out))


@dataclass
class _Frame:
    """One panel's pixel box and its data-to-pixel mapping."""

    index: int
    x0: float
    top: float
    w: float
    h: float
    xlim: tuple[float, float]
    ylim: tuple[float, float]
    ylog: bool = False

    def px(self, x: np.ndarray) -> np.ndarray:
        return self.x0 + (np.asarray(x, float) - self.xlim[0]) / (self.xlim[1] - self.xlim[0]) * self.w

    def py(self, y) -> np.ndarray:
        if self.ylog:  # a value <= 0 has no place on a log axis: a gap in the line
            with np.errstate(divide="ignore", invalid="ignore"):
                v = np.log10(np.where(np.asarray(y, float) > 0, y, np.nan))
            lo, hi = math.log10(self.ylim[0]), math.log10(self.ylim[1])
            return self.top + self.h - (v - lo) / (hi - lo) * self.h
        return self.top + self.h - (np.asarray(y, float) - self.ylim[0]) / (self.ylim[1] - self.ylim[0]) * self.h

    def draw(self, panel: Panel, xticks: list[float], xlabels: list[str] | None) -> str:
        box = f'x="{self.x0:.1f}" y="{self.top:.1f}" width="{self.w:.1f}" height="{self.h:.1f}"'
        clip = f"clip{self.index}"
        out = [f'<clipPath id="{clip}"><rect {box}/></clipPath>\n']
        yticks = log_ticks(*self.ylim) if self.ylog else nice_ticks(*self.ylim)
        if panel.counts:  # whole numbers where two or more fit; else the round ticks (a mean between 1 and 2)
            whole = np.arange(math.ceil(self.ylim[0]), math.floor(self.ylim[1]) + 1, dtype=float)
            ticks = yticks[yticks == np.round(yticks)]
            yticks = ticks if len(ticks) > 1 else whole if len(whole) > 1 else yticks
        bottom = self.top + self.h
        grid = [f"M{x:.1f} {self.top:.1f}V{bottom:.1f}" for x in self.px(xticks) if self.x0 <= x <= self.x0 + self.w]
        grid += [f"M{self.x0:.1f} {y:.1f}H{self.x0 + self.w:.1f}" for y in self.py(yticks)]
        out.append(f'<path d="{"".join(grid)}" stroke="#b0b0b0" stroke-opacity="0.3" stroke-width="0.8" '
                   'fill="none"/>\n')
        out.append(f'<g clip-path="url(#{clip})">\n')  # markers stay unclipped: a clipped day's mark sits on the edge
        out += [self._item(it) for it in panel.items if it[0] != "markers"]
        out.append("</g>\n")
        out += [self._item(it) for it in panel.items if it[0] == "markers"]
        out.append(f'<rect {box} fill="none" stroke="#000000" stroke-width="0.8"/>\n')
        for x in self.px(xticks):  # tick marks on every panel, labels on the last
            if self.x0 <= x <= self.x0 + self.w:
                out.append(f'<path d="M{x:.1f} {bottom:.1f}v4" stroke="#000000" stroke-width="0.8"/>\n')
        if xlabels is not None:
            out += [f'<text x="{x:.1f}" y="{bottom + 18:.1f}" text-anchor="middle">{escape(t)}</text>\n'
                    for x, t in zip(self.px(xticks), xlabels, strict=True) if self.x0 <= x <= self.x0 + self.w]
        for v, y in zip(yticks, self.py(yticks), strict=True):
            out.append(f'<path d="M{self.x0:.1f} {y:.1f}h-4" stroke="#000000" stroke-width="0.8"/>'
                       f'<text x="{self.x0 - 7:.1f}" y="{y + 4.5:.1f}" text-anchor="end">'
                       f"{log_tick_label(v) if self.ylog else tick_label(v, yticks)}</text>\n")
        if panel.ylabel:
            cx, cy = self.x0 - 58, self.top + self.h / 2
            out.append(f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" transform="rotate(-90 {cx:.1f} '
                       f'{cy:.1f})">{escape(panel.ylabel)}</text>\n')
        if panel.legend and panel.keys:
            out.append(self._legend(panel.keys))
        return "".join(out)

    def _item(self, it: tuple) -> str:
        kind, style = it[0], it[-1]
        if kind == "line":
            d = _path(self.px(it[1]), self.py(it[2]))
            return (f'<path d="{d}" fill="none" stroke="{color(style["color"])}" stroke-width="{style["width"]:g}"'
                    f'{_opacity("stroke", style["alpha"])} stroke-linejoin="round"/>\n') if d else ""
        if kind == "fill":
            x, y1, y2 = self.px(it[1]), self.py(it[2]), self.py(it[3])
            ok = np.isfinite(x) & np.isfinite(y1) & np.isfinite(y2)
            d = "".join(_area(x[r], y1[r], y2[r]) for r in _runs(ok))
            return f'<path d="{d}" fill="{color(style["color"])}"{_opacity("fill", style["alpha"])}/>\n' if d else ""
        if kind == "bars":
            x, bottom, height, width = it[1], it[2], it[3], it[4]
            keep = height != 0
            left, right = self.px(x[keep] - width[keep] / 2), self.px(x[keep] + width[keep] / 2)
            y0, y1 = self.py(bottom[keep]), self.py(bottom[keep] + height[keep])
            d = "".join(f"M{a:.1f} {b:.1f}H{c:.1f}V{e:.1f}H{a:.1f}Z" for a, b, c, e in zip(left, y0, right, y1))
            return f'<path d="{d}" fill="{color(style["color"])}"/>\n' if d else ""
        if kind == "markers":
            x, y = self.px(it[1]), self.py(it[2])
            ok = np.isfinite(x) & np.isfinite(y)
            d = "".join(_marker(a, b, style["shape"], style["size"]) for a, b in zip(x[ok], y[ok]))
            return f'<path d="{d}" {_paint(style)}/>\n' if d else ""
        if kind == "vlines":
            x, y0, y1, colors = self.px(it[1]), self.py(it[2]), self.py(it[3]), it[4]
            out = []
            for c in sorted(set(colors.tolist())):
                pick = (colors == c) & np.isfinite(y0) & np.isfinite(y1)
                d = "".join(f"M{a:.1f} {b:.1f}V{e:.1f}" for a, b, e in zip(x[pick], y0[pick], y1[pick]))
                out.append(f'<path d="{d}" stroke="{color(c)}" stroke-width="{style["width"]:g}"/>\n' if d else "")
            return "".join(out)
        if kind == "hline":
            y = float(self.py(it[1]))
            return (f'<path d="M{self.x0:.1f} {y:.1f}H{self.x0 + self.w:.1f}" stroke="{color(style["color"])}" '
                    f'stroke-width="{style["width"]:g}"/>\n')
        # hspan
        a, b = float(self.py(it[2])), float(self.py(it[1]))
        return (f'<rect x="{self.x0:.1f}" y="{a:.1f}" width="{self.w:.1f}" height="{b - a:.1f}" '
                f'fill="{color(style["color"])}"{_opacity("fill", style["alpha"])}/>\n')

    def _legend(self, keys: list[tuple[str, str, dict]]) -> str:
        x, y = self.x0 + self.w + 0.01 * WIDTH, self.top + 8
        out = []
        for label, kind, style in keys:
            lines = label.split("\n")
            mid = y + 7 * len(lines)
            c = color(style["color"])
            if kind == "line":
                out.append(f'<path d="M{x:.1f} {mid:.1f}h22" stroke="{c}" stroke-width="{style["width"]:g}"'
                           f'{_opacity("stroke", style["alpha"])}/>')
            elif kind == "patch":
                out.append(f'<rect x="{x:.1f}" y="{mid - 4:.1f}" width="22" height="8" fill="{c}"'
                           f'{_opacity("fill", style.get("alpha", 1.0))}/>')
            else:
                shift = {"^|": -0.9, "v|": 0.9}.get(style["shape"], 0.0) * style["size"]  # (a tip-anchored glyph)
                out.append(f'<path d="{_marker(x + 11, mid + shift, style["shape"], style["size"])}" {_paint(style)}/>')
            for k, text in enumerate(lines):
                out.append(f'<text x="{x + 30:.1f}" y="{y + 11 + 14 * k:.1f}" font-size="11">{escape(text)}</text>')
            out.append("\n")
            y += 14 * len(lines) + 6
        return "".join(out)


def _opacity(what: str, alpha: float) -> str:
    return f' {what}-opacity="{alpha:g}"' if alpha != 1.0 else ""


def _runs(ok: np.ndarray) -> list[slice]:
    """Slices of the consecutive True stretches of ``ok``."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], ok.astype(np.int8), [0]])))
    return [slice(a, b) for a, b in zip(edges[::2], edges[1::2])]


def _pts(x: np.ndarray, y: np.ndarray) -> str:
    return " ".join(f"{a:.1f} {b:.1f}" for a, b in zip(x.tolist(), y.tolist()))


def _path(x: np.ndarray, y: np.ndarray) -> str:
    """A path through the finite points, a new subpath after each gap (a point alone: :func:`_wide`)."""
    return "".join(f"M{_pts(*_wide(x[r], y[r]))}" for r in _runs(np.isfinite(x) & np.isfinite(y)))


def _area(x: np.ndarray, y1: np.ndarray, y2: np.ndarray) -> str:
    """The polygon between y1 and y2 over x (a point alone 3 px wide: :func:`_wide`)."""
    (xw, top), (_, bottom) = _wide(x, y2), _wide(x, y1)
    return f"M{_pts(xw, top)} {_pts(xw[::-1], bottom[::-1])}Z"


def _wide(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """A point alone made 3 px wide, so that a one-day value shows (trial VIS21: a run ruined on its second session
    drew its one hedge ratio and margin as nothing)."""
    return (x + [-1.5, 1.5], np.repeat(y, 2)) if len(x) == 1 else (x, y)


def _paint(style: dict) -> str:
    """A marker's fill: its colour, or white inside a line of it for a day beyond the scale (``^|`` / ``v|``) and a
    hollow marker."""
    c = color(style["color"])
    hollow = style["shape"].endswith("|") or style.get("hollow")
    return f'fill="#ffffff" stroke="{c}" stroke-width="1.3"' if hollow else f'fill="{c}"'


def _marker(x: float, y: float, shape: str, r: float) -> str:
    if shape in ("^|", "v|"):  # the tip at y, the body 1.8 r inside the panel
        up = 1.0 if shape == "^|" else -1.0
        return f"M{x:.1f} {y:.1f}L{x + r:.1f} {y + up * 1.8 * r:.1f}H{x - r:.1f}Z"
    if shape == "^":
        return f"M{x:.1f} {y - r:.1f}L{x + r:.1f} {y + r * 0.8:.1f}H{x - r:.1f}Z"
    if shape == "v":
        return f"M{x:.1f} {y + r:.1f}L{x + r:.1f} {y - r * 0.8:.1f}H{x - r:.1f}Z"
    return f"M{x - r:.1f} {y:.1f}a{r:g} {r:g} 0 1 0 {2 * r:g} 0a{r:g} {r:g} 0 1 0 {-2 * r:g} 0Z"
