"""vixhedge.svgplot: ticks, the data-to-pixel mapping, gaps, legends, escaping, deterministic text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from vixhedge.svgplot import BOTTOM, LEFT, RIGHT, WIDTH, Chart, Svg, day_numbers
from vixhedge.svgticks import date_ticks, nice_ticks, tick_label

NS = {"s": "http://www.w3.org/2000/svg"}


def test_day_numbers_count_days_since_1970() -> None:
    assert day_numbers(pd.DatetimeIndex(["1970-01-01", "1970-01-11", "2000-01-01"])).tolist() == [0, 10, 10957]


@pytest.mark.parametrize(("lo", "hi", "ticks"), [
    (0.0, 10.0, [0, 2, 4, 6, 8, 10]),  # raw step 2 -> 2
    (-52.0, 45.0, [-40, -20, 0, 20, 40]),  # raw step 19.4 -> 20
    (-61.0, 48.0, [-50, -25, 0, 25]),  # raw step 21.8 -> 25
    (0.93, 1.06, [0.95, 1.0, 1.05]),  # raw step 0.026 -> 0.05
    (-4.2, 5.1, [-4, -2, 0, 2, 4]),  # raw step 1.86 -> 2
])
def test_nice_ticks_are_round_steps_inside_the_span(lo: float, hi: float, ticks: list[float]) -> None:
    np.testing.assert_allclose(nice_ticks(lo, hi), ticks, rtol=0, atol=1e-12)


def test_tick_labels_carry_the_step_decimals_and_a_minus_sign() -> None:
    ticks = nice_ticks(0.93, 1.06)
    assert [tick_label(v, ticks) for v in ticks] == ["0.95", "1.00", "1.05"]
    ticks = nice_ticks(-61.0, 48.0)
    assert [tick_label(v, ticks) for v in ticks] == ["\u221250", "\u221225", "0", "25"]


def test_date_ticks_pick_years_months_or_days() -> None:
    lo, hi = day_numbers(["2014-02-01", "2019-02-01"])
    days, labels = date_ticks(lo, hi)
    assert labels == ["2015", "2016", "2017", "2018", "2019"]
    assert days == day_numbers(["2015-01-01", "2016-01-01", "2017-01-01", "2018-01-01", "2019-01-01"]).tolist()
    _, labels = date_ticks(*day_numbers(["2015-05-20", "2015-12-31"]))
    assert labels == ["2015-06", "2015-07", "2015-08", "2015-09", "2015-10", "2015-11", "2015-12"]
    _, labels = date_ticks(*day_numbers(["2015-06-03", "2015-06-30"]))
    assert labels[0] == "2015-06-03" and len(labels) <= 8


def _chart() -> Chart:
    x = day_numbers(pd.bdate_range("2016-01-04", periods=10))
    chart = Chart(4.0, (2, 1), title="NAV & <drawdown>")
    ax, dd = chart.panels
    ax.line(x, [1, 2, np.nan, 4, 5, 6, 7, 8, 9, 10], "tab:blue", 1.0, "NAV")
    ax.markers(x[:2], [1, 2], "^", "tab:red", 4.0, "layer added")
    dd.fill(x, -np.arange(10.0), 0.0, "tab:gray", 0.5, "drawdown\ntwo lines")
    dd.legend = False
    return chart


def test_chart_is_well_formed_deterministic_svg_with_escaped_text() -> None:
    svg = _chart().svg()
    assert isinstance(svg, Svg) and svg._repr_svg_() == svg and svg == _chart().svg()
    root = ET.fromstring(svg)
    assert root.get("width") == str(WIDTH) and root.get("height") == "400"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "NAV & <drawdown>" in texts and "NAV" in texts and "layer added" in texts
    assert "drawdown" not in texts  # the second panel's legend is off
    assert not re.search(r"<script|href=|url\((?!#)", svg)


def test_a_nan_breaks_the_line_and_points_map_to_the_panel_box() -> None:
    root = ET.fromstring(_chart().svg())
    line = next(p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("stroke") == "#1f77b4"
                and p.get("fill") == "none")
    d = line.get("d")
    assert d.count("M") == 2  # two stretches around the NaN
    xs = [float(v) for v in re.findall(r"[ M](-?[\d.]+) -?[\d.]+", " " + d)]
    # x spans the data plus MARGIN (5%) each side inside [LEFT, RIGHT] of the width
    left, right = LEFT * WIDTH, RIGHT * WIDTH
    pad = (right - left) * 0.05 / 1.1
    assert min(xs) == pytest.approx(left + pad, abs=0.06) and max(xs) == pytest.approx(right - pad, abs=0.06)
    ys = [float(v) for v in re.findall(r"-?[\d.]+ (-?[\d.]+)", d)]
    assert max(ys) < (1 - BOTTOM) * 400  # inside the top panel


def test_fixed_limits_clip_and_markers_stay_outside_the_clip() -> None:
    chart = Chart(3.0, (1,))
    (ax,) = chart.panels
    ax.line([0, 1, 2], [0, 100, 0])
    ax.ylim = (0.0, 10.0)
    ax.markers([1], [10.0], "^", "tab:purple", 4.0, "1 day(s) beyond the scale")
    svg = chart.svg()
    clipped = svg[svg.index("<g clip-path"):svg.index("</g>")]
    assert 'stroke="#000000"' in clipped and "#9467bd" not in clipped and "#9467bd" in svg


def test_a_day_beyond_the_scale_is_a_hollow_triangle_inside_the_frame_its_tip_on_the_edge() -> None:
    """Trial VIS30: the condor figure's solid "below the scale" triangle sat on the edge, touching the next panel's
    "above the scale" one, and read like the exits' solid triangles. ``^|`` / ``v|``: hollow (white inside a line of
    the series' colour), the tip on the edge, the body 1.8 x 4 px inside the frame."""
    import re

    chart = Chart(3.0, (1,))
    (ax,) = chart.panels
    ax.line([0, 1, 2], [0, 5, 10])
    ax.ylim = (0.0, 10.0)
    ax.markers([1], [10.0], "^|", "tab:purple", 4.0, "1 day above the scale")
    ax.markers([1], [0.0], "v|", "tab:purple", 4.0, "1 day below the scale")
    svg = chart.svg()
    top, h = (float(v) for v in re.search(r'<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" '
                                          r'fill="none"', svg).groups())
    marks = re.findall(r'<path d="M[\d.]+ ([\d.]+)L[\d.]+ ([\d.]+)H[\d.]+Z" fill="#ffffff" stroke="#9467bd" '
                       r'stroke-width="1.3"/>', svg)
    tips_and_bases = [(float(a), float(b)) for a, b in marks[:2]]
    assert tips_and_bases == [(top, round(top + 7.2, 1)), (top + h, round(top + h - 7.2, 1))]
    assert len(marks) == 4  # the two on the plot and their two legend glyphs


@pytest.mark.parametrize("lo, hi, ticks", [(0.3, 9.0, [0.3, 0.5, 1, 2, 3, 5]), (0.45, 2.2, [0.5, 1, 2]),
                                           (0.15, 25.0, [0.2, 0.5, 1, 2, 5, 10, 20]),
                                           (1e-3, 1e5, [1e-3, 1e-2, 0.1, 1, 10, 100, 1e3, 1e4, 1e5])])
def test_log_ticks_are_1_2_5_per_decade_or_the_decades_alone(lo: float, hi: float, ticks: list[float]) -> None:
    """A log y axis (Panel.ylog; the benchmark plot of a long window, trial longrun finding 4); 3 x 10^k too where
    that makes at most six ticks (trial VIS42 L4)."""
    from vixhedge.svgticks import log_tick_label, log_ticks

    np.testing.assert_allclose(log_ticks(lo, hi), ticks)
    assert [log_tick_label(v) for v in (0.5, 1.0, 20.0, 200.0)] == ["0.5", "1", "20", "200"]


def test_a_log_panel_maps_equal_ratios_to_equal_heights() -> None:
    chart = Chart(3.0, (1,))
    (ax,) = chart.panels
    ax.line([0, 1, 2], [1.0, 10.0, 100.0])
    ax.ylog = True
    d = next(p for p in ET.fromstring(chart.svg()).iter("{http://www.w3.org/2000/svg}path")
             if p.get("stroke") == "#000000" and p.get("fill") == "none").get("d")
    ys = [float(v) for v in re.findall(r"-?[\d.]+ (-?[\d.]+)", d)]
    assert ys[0] - ys[1] == pytest.approx(ys[1] - ys[2], abs=0.15)


def test_a_short_window_gets_three_to_eight_day_ticks() -> None:
    """Trial finding: the 19-session volmageddon replay (2018-02-01 .. 2018-02-27, padded by 5% each side) showed
    two month labels at the frame edges; under three month starts the axis now takes day ticks, 3-8 of them."""
    for lo, hi in (("2018-01-30", "2018-03-01"), ("2015-06-03", "2015-06-30"), ("2015-05-10", "2015-07-20")):
        _, labels = date_ticks(*day_numbers([lo, hi]))
        assert 3 <= len(labels) <= 8 and all(len(t) == 10 for t in labels)  # YYYY-MM-DD


def test_bars_inside_the_data_leave_the_x_range_of_the_other_charts() -> None:
    """Trial finding: the monthly attribution bars' half width (10 days) widened that chart's x range beyond the
    page's other charts, so their dates did not line up. A bar within the padded range (5% each side) leaves it."""
    x = day_numbers(pd.bdate_range("2018-02-01", "2018-02-27"))

    def xlabels(with_bars: bool) -> list[tuple[str, str]]:
        chart = Chart(3.0, (1,))
        chart.panels[0].line(x, np.arange(len(x)))
        if with_bars:
            chart.panels[0].bars(x, 0.0, np.ones(len(x)), 0.8, "tab:blue")
        root = ET.fromstring(chart.svg())
        return [(t.get("x"), t.text) for t in root.iter("{http://www.w3.org/2000/svg}text")]

    assert xlabels(True) == xlabels(False)


def test_a_count_axis_keeps_its_ticks_inside_the_plot() -> None:
    """Trial MUT21: a counts panel (whole-number ticks) whose values lie between two whole numbers (a 21-session mean
    of 1.2 .. 1.8 contracts) put its fallback ticks 2 and 1 outside the 200 px figure. Now the round ticks stay."""
    import xml.etree.ElementTree as ET

    chart = Chart(2.0, (1,))
    p = chart.panels[0]
    p.counts = True
    p.line([0.0, 1.0, 2.0], [1.2, 1.5, 1.8])
    root = ET.fromstring(chart.svg())
    ys = [float(t.get("y")) for t in root.iter("{http://www.w3.org/2000/svg}text") if t.get("text-anchor") == "end"]
    assert ys and all(0 < y < 200 for y in ys)
