"""vixhedge.run_figures over the spans a visual audit found hard to read (trial VIS21, session 21: the figures
rendered to PNG and looked at): twenty years, a run ruined on its second session, a run without hedge. Read from
the SVG text of figures drawn on small synthetic run files."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from vixhedge.core import config as C
from vixhedge.run_figure_book import book_panel, mark_crossovers, mark_layers, steps
from vixhedge.run_figures import fig_attribution, fig_condor, fig_equity, fig_vega, fig_vx_macd
from vixhedge.runfolder import RunFiles
from vixhedge.svgplot import Chart, Panel

SVG = "{http://www.w3.org/2000/svg}"


def _files(daily: pd.DataFrame, **kw) -> RunFiles:
    empty = pd.DataFrame()
    base = dict(folder=None, config=C.load_default(), manifest={}, metrics={}, daily=daily, attribution=empty,
                layers=empty, condors=empty)
    return RunFiles(**(base | kw))


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def test_the_equity_title_names_what_the_layers_hold() -> None:
    """The vxth preset buys VIX calls whatever hedge.instrument says (vx_future by default): its title read
    "(hedge vxth, vx_future)"; report_sections.hedge_label is the summary's wording."""
    days = pd.bdate_range("2016-01-04", periods=5)
    daily = pd.DataFrame({"nav_usd": 1e6, "condor_value_usd": 0.0, "hedge_value_usd": 0.0, "drawdown": 0.0},
                         index=days)
    for mode, words in (("vxth", "hedge vxth (vix_call)"), ("none", "hedge none")):
        cfg = C.replace(C.load_default(), hedge={"mode": mode})
        assert _texts(fig_equity(_files(daily, config=cfg)))[0].endswith(f"drawdown; {words}")


def test_a_run_ruined_on_its_second_session_says_so_and_draws_its_one_day() -> None:
    """A ruin on 2016-01-05, the second of 20 sessions: every subtitle names it; the hedge ratio (574.7), known
    on that day alone, is drawn (a 3 px dash: one point made no line); the ruined run's P&L of -$2.2m is in USD m,
    not 2,000 USD k."""
    days = pd.bdate_range("2016-01-04", periods=20)
    ratio = np.full(20, np.nan)
    ratio[1] = 574.7
    daily = pd.DataFrame({"condor_vega_usd": -1000.0, "hedge_vega_usd": 0.0, "net_vega_usd": -1000.0,
                          "net_vega_band_low_usd": -750.0, "net_vega_band_high_usd": -250.0, "hedge_ratio": ratio},
                         index=days)
    files = _files(daily, metrics={"ruin": {"date": "2016-01-05"}})
    svg = fig_vega(files)
    assert _texts(svg)[1] == "run default; 2016-01-04 .. 2016-01-29 (20 sessions); RUINED 2016-01-05 (session 2): " \
                             "flat after"
    dashes = [p.get("d") for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("stroke") == "#000000"
              and p.get("stroke-width") == "1.2" and "h" not in p.get("d")]  # (not the legend's swatch)
    assert len(dashes) == 1 and dashes[0].count(" ") == 3  # "Mx0 y x1 y": two points, 3 px apart
    x0, _, x1, _ = (float(v) for v in dashes[0][1:].split())
    assert x1 - x0 == 3.0
    attribution = pd.DataFrame({"hedge:L1": 0.0, "total_pnl_usd": 0.0}, index=days)
    attribution.iloc[1] = -2.2e6
    texts = _texts(fig_attribution(dataclasses.replace(files, attribution=attribution)))
    assert "cumulative P&L, USD m" in texts and "daily P&L, USD m" in texts


def test_twenty_years_of_attribution_are_yearly_bars() -> None:
    """Over 120 months (YEARLY_MONTHS) the bars are years: 2006-2025's 240 monthly bars of 3 px hid their totals.
    120 months exactly stay monthly."""
    for end, step in (("2025-12-31", "yearly"), ("2015-12-31", "monthly")):
        days = pd.bdate_range("2006-01-02", end)
        attribution = pd.DataFrame({"condor:put": 10.0, "total_pnl_usd": 10.0}, index=days)
        texts = _texts(fig_attribution(_files(pd.DataFrame(index=days), attribution=attribution)))
        assert f"{step} P&L, USD k" in texts and ("year total" in texts) == (step == "yearly")


def _condor_daily(days: pd.DatetimeIndex, spx: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({"spx_close": spx, "breakeven_low_spx": spx * 0.95, "breakeven_high_spx": spx * 1.03},
                        index=days)


def test_condor_exits_too_many_to_read_apart_are_counted_and_spx_over_a_decade_is_on_a_log_axis() -> None:
    """SPX from 700 to 7,000 (10x, over LOG_SPAN 4) is drawn on a log axis; 400 exits (2.0 px apart over the
    plot's 803 px, under MARKER_GAP_PX 2.5) are counted in the legend. One break-even at 10% of SPX (2020-03-16's
    765 under an SPX of 2,237 squashed the chart) is marked below the scale; SPX itself is never clipped."""
    days = pd.bdate_range("2006-01-02", periods=2000)
    spx = np.geomspace(700.0, 7000.0, 2000)
    daily = _condor_daily(days, spx)
    daily.iloc[1000, 1] = 0.1 * spx[1000]
    condors = pd.DataFrame({"exit_date": days[::5], "exit_reason": ["stop", "profit_take"] * 200})
    texts = _texts(fig_condor(_files(daily, condors=condors)))
    assert {"SPX, log scale", "condor exit: stop:", "condor exit: profit take:", "break-even low: 1 day"} <= set(texts)
    assert texts.count("200 times, too many") == 2
    assert not any(t.startswith("SPX: ") for t in texts)
    few = _texts(fig_condor(_files(daily.iloc[:300], condors=condors.iloc[:60])))
    assert {"SPX", "condor exit:", "stop"} <= set(few)  # 1.3x: linear; 60 exits drawn


def test_the_hedge_book_is_drawn_in_steps_with_whole_counts_and_averaged_when_it_changes_too_often() -> None:
    """A count changes at a close: each day's value is held to the next (a line between closes drew slopes). 0/1
    layers read 0, 1 on the axis (not 0.25, 0.50); contracts changing on 700 of 701 days (too dense to follow) are a
    21-session mean; a run without hedge says so on an axis 0 .. 1."""
    assert [a.tolist() for a in steps(np.array([0.0, 1.0, 2.0]), np.array([1, 2, 0]))] == [[0, 1, 1, 2, 2],
                                                                                             [1, 1, 2, 2, 0]]
    days = pd.bdate_range("2016-01-04", periods=701)
    flip = (np.arange(701) % 2).astype(float)
    daily = pd.DataFrame({"vx_signal_series": 16.0, "vix_close": 15.0, "macd": 0.0, "macd_signal": 0.0,
                          "macd_hist": 0.0, "hedge_layers": flip}, index=days)
    layers = pd.DataFrame({"instrument": "vx_future", "contracts": 1, "entry_date": days[1:701:2],
                           "exit_date": days[2:701:2]})
    texts = _texts(fig_vx_macd(_files(daily, layers=layers)))
    book = texts[texts.index("layers / contracts") - 2:texts.index("layers / contracts")]
    assert book == ["0", "1"]  # the panel's two tick labels, then its y label
    assert "(vx future), mean of the" in texts and "last 21 sessions" in texts
    short = _texts(fig_vx_macd(_files(daily.iloc[:30], layers=layers.iloc[:14])))
    assert "contracts held" in short and "last 21 sessions" not in short
    bare = _texts(fig_vx_macd(_files(daily.assign(hedge_layers=0.0))))
    at = bare.index("layers / contracts")
    assert "open layers: none" in bare and bare[at - 2:at] == ["0", "1"]


def test_the_hedge_ratio_band_stays_whole_and_the_share_outside_says_when_it_starts() -> None:
    """A static run's hedge ratios 0.4 .. 1.3 cut the band [0.25, 0.75] at 0.4; the scale now holds the band. The
    rolling share outside the band is drawn from the 5th condor day (MIN_CONDOR_DAYS), and its legend says so."""
    days = pd.bdate_range("2016-01-04", periods=100)
    ratio = np.linspace(0.4, 1.3, 100)
    ratio[50] = 9.0
    daily = pd.DataFrame({"condor_vega_usd": -1000.0, "hedge_vega_usd": 1000 * ratio, "net_vega_usd": 0.0,
                          "net_vega_band_low_usd": -750.0, "net_vega_band_high_usd": -250.0, "hedge_ratio": ratio,
                          "vega_drift_usd": 0.0}, index=days)
    svg = fig_vega(_files(daily))
    texts = _texts(svg)
    ticks, k = [], texts.index("hedge ratio") - 1
    while texts[k].replace(".", "").isdigit():  # the panel's tick labels, top to bottom before its y label
        ticks, k = [float(texts[k])] + ticks, k - 1
    assert ticks[0] <= 0.25  # the lowest tick at or under the band's floor
    assert "5th condor day)" in texts


def test_a_point_alone_is_a_dash_and_an_area_of_one_day_has_a_width() -> None:
    """svgplot: a value between gaps made a path of one point (nothing drawn); now 3 px wide, line and fill."""
    chart = Chart(2.0, (1,))
    p = chart.panels[0]
    p.line([0.0, 1.0, 2.0], [np.nan, 5.0, np.nan], "black", 1.0)
    p.fill([0.0, 1.0, 2.0], 0.0, [np.nan, 5.0, np.nan], "tab:red")
    paths = [e.get("d") for e in ET.fromstring(chart.svg()).iter(f"{SVG}path")]
    line = next(d for d in paths if d.startswith("M") and d.count(" ") == 3 and not d.endswith("Z"))
    area = next(d for d in paths if d.endswith("Z") and d.count(" ") == 7)
    xs = [float(v) for v in line[1:].split()[::2]]
    assert xs[1] - xs[0] == 3.0 and area


def test_a_run_without_hedge_says_its_two_benchmark_lines_are_one() -> None:
    """Trial VIS21: a hedge.mode = none run's NAV lies exactly under "same run, no hedge"; the legend says so."""
    from vixhedge.run_figures import fig_benchmark

    days = pd.bdate_range("2016-01-04", periods=30)
    nav = pd.Series(np.linspace(1e6, 1.1e6, 30), index=days)
    b = pd.DataFrame({"nav_usd": nav, "no_hedge_nav_usd": nav, "spx_tr_nav_usd": nav * 1.01})
    assert "(one line: this run" in _texts(fig_benchmark(_files(pd.DataFrame(index=days), benchmark=b)))
    b["no_hedge_nav_usd"] *= 0.99
    assert "(one line: this run" not in _texts(fig_benchmark(_files(pd.DataFrame(index=days), benchmark=b)))


def test_the_signal_chart_of_a_policy_that_reads_no_macd_says_so() -> None:
    """Trial VIS21: the static, none and vxth policies read no MACD, yet the chart was titled "hedge signal"."""
    days = pd.bdate_range("2016-01-04", periods=30)
    daily = pd.DataFrame({"vx_signal_series": 16.0, "vix_close": 15.0, "macd": 0.0, "macd_signal": 0.0,
                          "macd_hist": 0.0}, index=days)
    for mode, title in (("static", "default: VX MACD (not read by the static hedge) and layers"),
                        ("alvh", "default: hedge signal and layers")):
        cfg = C.replace(C.load_default(), hedge={"mode": mode})
        assert _texts(fig_vx_macd(_files(daily, config=cfg)))[0] == title


def test_a_condor_chart_with_no_outlying_break_even_is_not_clipped() -> None:
    """Review: with every break-even inside SPX's span (_spx_limits None: autoscale), the break-evens' own 1%-99%
    quantiles were applied instead, cutting SPX off without a mark. Break-evens 1900 / 2200 but 1500 on day 10,
    when SPX fell to 1400 (a crash inside the put wing): no edge mark, the axis spans 1400."""
    days = pd.bdate_range("2016-01-04", periods=100)
    daily = pd.DataFrame({"spx_close": 2050.0, "breakeven_low_spx": 1900.0, "breakeven_high_spx": 2200.0},
                         index=days)
    daily.iloc[10] = [1400.0, 1500.0, 2200.0]
    texts = _texts(fig_condor(_files(daily)))
    assert not any((t or "").startswith(("break-even low", "break-even high")) for t in texts)
    ticks = [float(t) for t in texts[:texts.index("SPX")] if (t or "").replace(".", "").isdigit()]
    assert min(ticks) <= 1400


# trial MUT21 (session 21): mutants of this module's figures that no test caught, pinned


def _labels(p):
    return [k[0] for k in p.keys]


def test_area_is_a_polygon_between_its_two_edges():  # MUT21 S3, S4: every fill could vanish or twist
    c = Chart(2.0, (1,))
    c.panels[0].fill([0.0, 1.0, 2.0], 0.0, [1.0, 2.0, 3.0], "tab:red")
    (d,) = [e.get("d") for e in ET.fromstring(c.svg()).iter(f"{SVG}path") if e.get("d", "").endswith("Z")
            and e.get("d").count(" ") == 11]
    v = [float(t) for t in re.findall(r"-?\d+\.?\d*", d)]
    xs, ys = v[0::2], v[1::2]
    assert xs[:3] == xs[3:][::-1] and len(set(ys[3:])) == 1 and ys[0] != ys[3]


def test_crossover_marked_on_the_bar_it_closes_across():  # MUT21 B5, B12
    d = pd.DataFrame({"macd": [-1.0, -1.0, 1.0, 1.0], "macd_signal": 0.0})
    mp = Panel()
    mark_crossovers(mp, np.arange(4.0), d)
    (item,) = [i for i in mp.items if i[0] == "markers"]
    assert item[1].tolist() == [2.0] and _labels(mp) == ["MACD crosses\nabove signal"]


def test_crossovers_counted_when_both_directions_together_are_too_dense():  # MUT21 B6
    sign = np.where(np.arange(420) % 2 == 0, 1.0, -1.0)  # 210 + 209 crossings: 419 x 2.5 px > 803 px
    mp = Panel()
    mark_crossovers(mp, np.arange(420.0), pd.DataFrame({"macd": sign, "macd_signal": 0.0}))
    assert all("too many to mark" in k for k in _labels(mp))


def test_layers_all_open_have_no_removed_entry():  # MUT21 B4
    ax = Panel()
    days = pd.bdate_range("2016-01-04", periods=5)
    mark_layers(ax, pd.Series(16.0, index=days), pd.DataFrame({"entry_date": days[:2], "exit_date": [pd.NaT] * 2}))
    assert _labels(ax) == ["layer added"]


def test_book_panel_constant_contracts_are_steps_not_a_mean_and_no_hedge_is_0_to_1():  # MUT21 B7-B9, B13
    x = np.arange(701.0)
    bk = Panel()
    book_panel(bk, bk, x, pd.DataFrame({"hedge_layers": np.ones(701)}), {"vx_future": np.full(701, 2.0)})
    (line,) = [i for i in bk.items if i[0] == "line"]
    assert _labels(bk)[1] == "contracts held\n(vx future)" and len(line[1]) == 2 * 701 - 1
    flip = (np.arange(701) % 2).astype(float)
    bk = Panel()
    book_panel(bk, bk, x, pd.DataFrame({"hedge_layers": flip}), {"vx_future": flip})
    (line,) = [i for i in bk.items if i[0] == "line"]
    assert np.isfinite(line[2]).all()
    bare = Panel()
    book_panel(bare, bare, x, pd.DataFrame({"hedge_layers": np.zeros(701)}), {})
    assert bare.ylim == (-0.05, 1.05)


def _ticks(texts, label):
    out, k = [], texts.index(label) - 1
    while k >= 0 and re.fullmatch(r"[\d,.]+", texts[k] or ""):
        out, k = [float(texts[k].replace(",", ""))] + out, k - 1
    return out


def test_condor_scale_keeps_spx_whole_when_condors_hold_part_of_the_window():  # MUT21 F3-F5
    from vixhedge.run_figures import fig_condor

    days = pd.bdate_range("2016-01-04", periods=400)
    spx = np.linspace(1000.0, 4000.0, 400)
    held = (np.arange(400) >= 100) & (np.arange(400) < 300)
    low, high = np.where(held, spx * 0.95, np.nan), np.where(held, spx * 1.03, np.nan)
    low[200] = 0.1 * spx[200]
    daily = pd.DataFrame({"spx_close": spx, "breakeven_low_spx": low, "breakeven_high_spx": high}, index=days)
    texts = _texts(fig_condor(_files(daily)))
    ticks = _ticks(texts, "SPX")
    assert "break-even low: 1 day" in texts and min(ticks) <= 1000 and max(ticks) >= 4000, ticks


def test_hedge_ratio_scale_keeps_the_band_top(monkeypatch):  # MUT21 F8
    from vixhedge import run_figures as rf

    seen = []
    real = rf._clip_panel
    monkeypatch.setattr(rf, "_clip_panel", lambda ax, x, s, lim=None: (real(ax, x, s, lim), seen.append(ax.ylim)))
    days = pd.bdate_range("2016-01-04", periods=100)
    ratio = np.linspace(0.05, 0.5, 100)
    daily = pd.DataFrame({"condor_vega_usd": -1000.0, "hedge_vega_usd": 1000 * ratio, "net_vega_usd": 0.0,
                          "net_vega_band_low_usd": -750.0, "net_vega_band_high_usd": -250.0, "hedge_ratio": ratio,
                          "vega_drift_usd": 0.0}, index=days)
    rf.fig_vega(_files(daily))
    assert seen[1][1] >= 0.75


def test_attribution_in_usd_m_when_the_cumulative_pnl_passes_a_million():  # MUT21 F13
    from vixhedge.run_figures import fig_attribution

    days = pd.bdate_range("2016-01-04", periods=20)
    att = pd.DataFrame({"hedge:L1": -60_000.0, "total_pnl_usd": -60_000.0}, index=days)
    assert "cumulative P&L, USD m" in _texts(fig_attribution(_files(pd.DataFrame(index=days), attribution=att)))


@pytest.mark.parametrize("mode", ["vxth", "none"])
def test_vx_macd_title_of_vxth_and_none(mode):  # MUT21 F17, F18
    from vixhedge.run_figures import fig_vx_macd

    days = pd.bdate_range("2016-01-04", periods=30)
    daily = pd.DataFrame({"vx_signal_series": 16.0, "vix_close": 15.0, "macd": 0.0, "macd_signal": 0.0,
                          "macd_hist": 0.0}, index=days)
    cfg = C.replace(C.load_default(), hedge={"mode": mode})
    title = f"default: VX MACD (not read by the {mode} hedge) and layers"
    assert _texts(fig_vx_macd(_files(daily, config=cfg)))[0] == title


def test_a_condor_chart_names_only_the_exits_it_marks() -> None:
    """Trial MUT21 F24: condors that all stopped: the legend names stops alone (no profit-take entry of no mark)."""
    days = pd.bdate_range("2016-01-04", periods=100)
    condors = pd.DataFrame({"exit_date": days[[20, 40]], "exit_reason": ["stop", "stop"]})
    texts = _texts(fig_condor(_files(_condor_daily(days, np.full(100, 2000.0)), condors=condors)))
    assert "stop" in texts and "profit take" not in texts


def test_the_no_hedge_note_sits_under_its_line_and_the_share_outside_starts_on_the_5th_condor_day() -> None:
    """Trial MUT21 F15, F19: the note is the no-hedge line's legend (right after "same run, no hedge"); the rolling
    share of days outside the band is drawn from the 5th day with a condor (days 10.. of this run, so from day 14)."""
    from vixhedge.run_figures import fig_benchmark

    days = pd.bdate_range("2016-01-04", periods=30)
    nav = pd.Series(np.linspace(1e6, 1.1e6, 30), index=days)
    b = pd.DataFrame({"nav_usd": nav, "no_hedge_nav_usd": nav, "spx_tr_nav_usd": nav * 1.01})
    texts = _texts(fig_benchmark(_files(pd.DataFrame(index=days), benchmark=b)))
    assert texts[texts.index("same run, no hedge") + 1] == "(one line: this run"
    ratio = np.r_[np.full(10, np.nan), np.full(20, 0.5)]
    daily = pd.DataFrame({"condor_vega_usd": -1000.0, "hedge_vega_usd": 500.0, "net_vega_usd": -500.0,
                          "net_vega_band_low_usd": -750.0, "net_vega_band_high_usd": -250.0, "hedge_ratio": ratio,
                          "vega_drift_usd": 0.0}, index=days)
    root = ET.fromstring(fig_vega(_files(daily)))
    fills = [p.get("d") for p in root.iter(f"{SVG}path") if p.get("fill") == "#ff7f0e" and "h" not in p.get("d")]
    x0 = float(fills[0][1:].split()[0])  # the share's area starts at its first drawn day
    ratio_line = [float(v) for v in next(p.get("d") for p in root.iter(f"{SVG}path") if p.get("stroke") == "#000000"
                                         and p.get("stroke-width") == "1.2" and "h" not in p.get("d"))[1:].split()]
    assert abs(x0 - ratio_line[2 * 4]) < 0.05  # the hedge ratio line's 5th point (x, y pairs): the 5th condor day
