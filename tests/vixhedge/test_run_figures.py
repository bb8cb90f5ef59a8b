"""vixhedge.run_figures: what each run figure says (titles, legends, units, clipped days, drawing order), read
from the SVG text of figures drawn on small synthetic run files."""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from vixhedge.core import config as C
from vixhedge.run_figures import fig_attribution, fig_equity, fig_vega, fig_vx_macd
from vixhedge.runfolder import RunFiles
from vixhedge.svgplot import color

SVG = "{http://www.w3.org/2000/svg}"
DAYS = pd.bdate_range("2016-01-04", periods=100)


def _files(daily: pd.DataFrame, attribution: pd.DataFrame | None = None) -> RunFiles:
    empty = pd.DataFrame()
    return RunFiles(folder=None, config=C.load_default(), manifest={}, metrics={}, daily=daily,
                    attribution=empty if attribution is None else attribution, layers=empty, condors=empty)


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _vega_daily() -> pd.DataFrame:
    """Condor vega -$2k but -$10k on day 10, hedge vega $1k but $9k on days 50-51, net vega their sum; hedge
    ratio 0.5 (its own panel)."""
    condor = np.full(100, -2000.0)
    condor[10] = -10000.0
    hedge = np.full(100, 1000.0)
    hedge[[50, 51]] = 9000.0
    return pd.DataFrame({"condor_vega_usd": condor, "hedge_vega_usd": hedge, "net_vega_usd": condor + hedge,
                         "net_vega_band_low_usd": -1500.0, "net_vega_band_high_usd": -500.0,
                         "hedge_ratio": 0.5}, index=DAYS)


def test_every_series_cut_by_the_vega_scale_is_marked_at_its_edge() -> None:
    """Trial finding: hedge vega ran above the top panel's scale on 10 days with no mark (only net vega was
    marked). The scale spans the pooled 1%-99% quantiles of the three series' 300 values (numpy's linear
    quantile): 1% at position 2.99 of the sorted (-10, -9, -2, -2, ...) is -2; 99% at 296.01 of (..., 1, 7, 7, 9,
    9) is 7; each side padded by 8% of the span 9: (-2.72, 7.72). So hedge vega's 2 days at 9 lie above, condor
    vega's -10 and net vega's -9 (day 10) below, net vega's 7 (days 50-51) inside."""
    svg = fig_vega(_files(_vega_daily()))
    texts = _texts(svg)
    for label, side in (("hedge vega: 2 days", "above"), ("condor vega: 1 day", "below"),
                        ("net vega: 1 day", "below")):
        assert texts[texts.index(label) + 1] == f"{side} the scale"
    assert sum(t.endswith("the scale") for t in texts) == 3  # net vega's 7 is not above
    marks = [p.get("stroke") for p in ET.fromstring(svg).iter(f"{SVG}path")
             if p.get("d", "").endswith("Z") and p.get("fill") == "#ffffff"]  # hollow: a day beyond the scale (VIS30)
    assert {color("tab:red"), color("tab:blue"), color("black")} <= set(marks)  # each series' marks in its colour


def _macd_daily() -> pd.DataFrame:
    t = np.arange(100.0)
    return pd.DataFrame({"vx_signal_series": 16 + np.sin(t / 9), "vix_close": 15 + np.sin(t / 7),
                         "macd": np.sin(t / 5), "macd_signal": np.sin((t - 3) / 5),
                         "macd_hist": np.sin(t / 5) - np.sin((t - 3) / 5)}, index=DAYS)


def test_vx_macd_names_the_histogram_the_unit_and_draws_the_signal_series_on_top() -> None:
    """Trial finding: the red/green histogram had no legend entry, the MACD axis no unit, and grey spot VIX was
    drawn over the VX series the MACD reads."""
    svg = fig_vx_macd(_files(_macd_daily()))
    texts = _texts(svg)
    assert {"histogram > 0", "histogram < 0"} <= set(texts)
    assert "MACD(12,26,9), VX points" in texts  # the default config's periods (vixhedge/configs/default.toml)
    strokes = [p.get("stroke") for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("fill") == "none"]
    assert strokes.index(color("tab:gray")) < strokes.index(color("tab:purple"))  # later in the SVG = on top


def test_equity_and_attribution_titles_say_what_is_plotted() -> None:
    """Trial finding: attribution.svg had no title, equity.svg only "default: hedge alvh, vx_future"."""
    daily = pd.DataFrame({"nav_usd": 1e6, "condor_value_usd": 0.0, "hedge_value_usd": 0.0, "drawdown": 0.0},
                         index=DAYS)
    attribution = pd.DataFrame({"condor:put": 10.0, "hedge:L1": -5.0, "total_pnl_usd": 5.0}, index=DAYS)
    files = _files(daily, attribution)
    assert _texts(fig_equity(files))[0] == ("default: NAV and P&L on the starting cash, drawdown; hedge "
                                            "alvh (vx_future)")
    assert _texts(fig_attribution(files))[0] == "default: P&L by component, monthly (stacked) and cumulative"


@pytest.mark.parametrize("days", [5, 100])
def test_a_series_inside_its_scale_gets_no_mark(days: int) -> None:
    """Under 10 values (robust_limits' minimum) or nothing beyond the quantiles: autoscale, no edge marks."""
    d = _vega_daily().iloc[:days].copy()
    d[["condor_vega_usd", "hedge_vega_usd"]] = [-2000.0, 1000.0]
    d["net_vega_usd"] = -1000.0
    assert not any("the scale" in (t or "") for t in _texts(fig_vega(_files(d))))


def _bench_files(spx_growth: float, nav_low: float = 0.5) -> RunFiles:
    """A benchmark.csv over 100 days: the S&P 500 total return grows from $1m by ``spx_growth`` x, the run's NAV
    falls to ``nav_low`` of it, the no-hedge run halfway."""
    spx = 1e6 * np.geomspace(1.0, spx_growth, 100)
    nav = 1e6 * np.linspace(1.0, nav_low, 100)
    bench = pd.DataFrame({"nav_usd": nav, "no_hedge_nav_usd": (nav + 1e6) / 2, "spx_tr_nav_usd": spx}, index=DAYS)
    import dataclasses

    return dataclasses.replace(_files(pd.DataFrame(index=DAYS)), benchmark=bench)


def _top_panel_ys(svg: str, stroke: str) -> np.ndarray:
    line = next(p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("stroke") == stroke
                and p.get("fill") == "none" and p.get("stroke-width") in ("1.7", "1.2"))
    import re

    return np.array([float(v) for v in re.findall(r"-?[\d.]+ (-?[\d.]+)", line.get("d"))])


def test_the_benchmark_plot_of_a_long_window_is_on_a_log_axis_that_says_so() -> None:
    """Trial longrun finding 4: on 2000-2026 the S&P 500 total return reached $8M on a linear axis and the run's NAV
    used 31 of the panel's 295 pixels. Values spanning more than 4x (LOG_SPAN) are drawn on a log axis, its label
    says "log scale" and its ticks are 1, 2, 5 x 10^k; here the NAV ($1m -> $0.5m) gets a quarter of the panel
    (log 2 / log 16 of the span), not 1/15."""
    from vixhedge.run_figures import fig_benchmark

    svg = fig_benchmark(_bench_files(8.0))
    texts = _texts(svg)
    assert "USD m, log scale" in texts and "USD m" not in texts
    assert {"0.5", "1", "2", "5"} <= set(texts)
    nav, spx = _top_panel_ys(svg, "#000000"), _top_panel_ys(svg, color("tab:gray"))
    share = (nav.max() - nav.min()) / (nav.max() - spx.min())  # pixels: y grows downwards
    assert share == pytest.approx(np.log(2) / np.log(16), abs=0.01)
    assert np.all(np.diff(spx) < 0.05)  # an exponential path is a straight rising line: y falls evenly
    assert np.ptp(np.diff(spx)) < 0.2


@pytest.mark.parametrize("growth, nav_low", [(1.5, 0.8), (8.0, 0.0)], ids=["narrow-span", "ruined-nav-at-0"])
def test_a_benchmark_plot_within_4x_or_with_a_nav_at_0_stays_linear(growth: float, nav_low: float) -> None:
    """The default run's (2014-2018: within 4x) keeps its linear axis, and its bytes (the golden's report.html);
    a NAV at 0 (a ruin) has no place on a log axis."""
    from vixhedge.run_figures import fig_benchmark

    texts = _texts(fig_benchmark(_bench_files(growth, nav_low)))
    assert "USD m" in texts and "USD m, log scale" not in texts


def test_the_hedge_book_panel_counts_the_contracts_of_the_layers_open_at_each_close() -> None:
    """Trial finding: the hedge book showed only as entry/exit marks on the MACD's input. A layer of 2 contracts
    open days 3-5 (exit on day 6) and one of 1 contract open from day 5 to the end (made-up layers.csv rows):
    days 3-4 hold 2, day 5 holds 3, days 6+ hold 1; the panel and a margin panel are drawn with their legends."""
    from vixhedge.run_figure_book import layer_contracts

    layers = pd.DataFrame({"instrument": ["vx_future", "vx_future"], "contracts": [2, 1],
                           "entry_date": [DAYS[3], DAYS[5]], "exit_date": [DAYS[6], pd.NaT]})
    held = layer_contracts(DAYS, layers)["vx_future"]
    assert held[:8].tolist() == [0, 0, 0, 2, 2, 3, 1, 1] and held[-1] == 1
    daily = _macd_daily().assign(hedge_layers=0, margin_usd=1e5, nav_usd=1e6)
    files = RunFiles(folder=None, config=C.load_default(), manifest={}, metrics={}, daily=daily,
                     attribution=pd.DataFrame(), layers=layers, condors=pd.DataFrame())
    texts = _texts(fig_vx_macd(files))
    assert {"open layers", "contracts held", "(vx future)", "layers / contracts", "% of NAV"} <= set(texts)


def test_the_contracts_held_come_from_the_hedge_fills_a_cut_roll_and_legs_left_to_expire_included() -> None:
    """Session 10's leftover: the panel counted layers.csv's contracts at entry, so after a roll that buying power
    cut it showed more than was held. Made-up fills (trades.csv's columns): layer 1 buys 2 VX of day 20's month on
    day 3 and rolls on day 6 into 1 of day 60's (cut from 2); layer 2 buys a 5-lot call spread of day 10's month on
    day 4 and on day 8 a new one of day 30's month, the old left to expire (its legs are not sold). Held at each
    close: 2 from day 3, 1 from day 6 (the cut); the spread 5 from day 4, 10 on days 8-9, 5 from day 10 (the old
    month expired: settlement is not a fill)."""
    from vixhedge.run_figure_book import layer_contracts

    def fill(day, layer, symbol, expiry, qty):
        return {"date": DAYS[day], "component": f"hedge:L{layer}", "symbol": symbol, "expiry": DAYS[expiry],
                "qty": qty}

    trades = pd.DataFrame([fill(3, 1, "VX a", 20, 2), fill(6, 1, "VX a", 20, -2), fill(6, 1, "VX b", 60, 1),
                           fill(4, 2, "15C", 10, 5), fill(4, 2, "20C", 10, -5),
                           fill(8, 2, "16C", 30, 5), fill(8, 2, "21C", 30, -5)]).set_index("date")
    layers = pd.DataFrame({"layer_id": [1, 2], "instrument": ["vx_future", "vix_call_spread"], "contracts": [2, 5],
                           "entry_date": [DAYS[3], DAYS[4]], "exit_date": [pd.NaT, pd.NaT]})
    held = layer_contracts(DAYS, layers, trades)
    assert held["vx_future"][:8].tolist() == [0, 0, 0, 2, 2, 2, 1, 1] and held["vx_future"][-1] == 0  # day 60
    assert held["vix_call_spread"][3:12].tolist() == [0, 5, 5, 5, 5, 10, 10, 5, 5] and held["vix_call_spread"][30] == 0
    assert layer_contracts(DAYS, layers)["vx_future"][6] == 2  # without fills: the contracts at entry
    # an edited folder (review, 2026-12-04: these raised KeyError / a shape error, or dropped the fill): a layer
    # layers.csv does not list is left out, a fill after the last session ignored, no expiry held to the end
    odd = pd.DataFrame([fill(3, 9, "VX c", 20, 4), {**fill(5, 1, "VX d", 20, 3), "expiry": pd.NaT},
                        {**fill(5, 1, "VX e", 20, 7), "date": DAYS[-1] + pd.Timedelta(days=3)}]).set_index("date")
    held = layer_contracts(DAYS, layers, pd.concat([trades, odd]))
    assert held["vx_future"][5] == 2 + 3 and held["vx_future"][-1] == 3 and set(held) == {"vx_future",
                                                                                          "vix_call_spread"}


@pytest.mark.slow
def test_a_cut_roll_shows_what_is_held_after_it_in_the_report_panel(tmp_path) -> None:
    """The run that cuts a roll (tests/vixhedge/test_kernel_capital.py CASES, the LOW_MARGIN static case: three
    60-contract layers, no condor, VX margin $5,500 beyond month 3): on 2016-06-08 its three rolls are cut to
    33 + 10 + 11 = 54 contracts (the run's roll_in fills); layers.csv still says 3 x 60. The panel, read back
    from the run folder, holds 180 before the roll and 54 from it."""
    from vixhedge import api
    from vixhedge.run_figure_book import layer_contracts

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2016-06-30"}, condor={"enabled": False},
                    margin={"hedge_budget_nav_fraction": 1.0, "vx_initial_usd": [1000.0, 5500.0, 5500.0],
                            "vx_maintenance_usd": [300.0, 300.0, 300.0]},
                    hedge={"mode": "static", "static_layers": 3, "max_layers": 3, "tenor_months": 5,
                           "first_layer_contracts": 60, "require_condor": False})
    files = api.load_run(api.write_run(api.run_backtest(cfg), tmp_path))
    rolled = files.trades[(files.trades["reason"] == "roll_in")].loc["2016-06-08", "qty"]
    assert sorted(rolled) == [10, 11, 33] and files.layers["contracts"].tolist() == [60, 60, 60]
    held = pd.Series(layer_contracts(files.daily.index, files.layers, files.trades)["vx_future"], files.daily.index)
    assert held["2016-06-07"] == 180 and (held["2016-06-08":] == 54).all()


def test_contracts_that_dwarf_the_layer_count_get_a_panel_of_their_own() -> None:
    """Session 9: a VIX option layer holds ~100 calls (the vxth preset: 70-140), so on one axis its 1-2 open layers
    were a flat line at 0. One made-up layer of 100 vix_call contracts open from day 3: more than 3x the layer
    count, so the contracts go to their own panel ("contracts") and the layers keep theirs ("open layers")."""
    layers = pd.DataFrame({"instrument": ["vix_call"], "contracts": [100], "entry_date": [DAYS[3]],
                           "exit_date": [pd.NaT]})
    daily = _macd_daily().assign(hedge_layers=np.r_[np.zeros(3), np.ones(97)], margin_usd=1e5, nav_usd=1e6)
    files = RunFiles(folder=None, config=C.load_default(), manifest={}, metrics={}, daily=daily,
                     attribution=pd.DataFrame(), layers=layers, condors=pd.DataFrame())
    texts = _texts(fig_vx_macd(files))
    assert {"open layers", "contracts", "contracts held", "(vix call)", "% of NAV"} <= set(texts)
    assert "layers / contracts" not in texts


def test_the_vega_chart_shows_how_often_and_how_far_the_book_is_outside_its_band() -> None:
    """Trial finding: over years the net-vega lines were a scribble and the hedge ratio's band had no legend entry.
    _vega_daily's hedge ratio is 0.5, inside the default band [0.25, 0.75] (vixhedge/configs/default.toml), on every
    day but days 50-51, made 1.2 here with $1,000 of drift each: 2 of 100 condor days outside, 2.00%."""
    d = _vega_daily()
    d["vega_drift_usd"] = 0.0
    d.iloc[[50, 51], d.columns.get_loc("hedge_ratio")] = 1.2
    d.iloc[[50, 51], d.columns.get_loc("vega_drift_usd")] = 1000.0
    svg = fig_vega(_files(d))
    texts = _texts(svg)
    assert {"[0.25, 0.75]", "over-hedged", "under-hedged", "whole run: 2.00%", "% outside"} <= set(texts)
    bars = [p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("stroke") == color("tab:red")
            and p.get("d", "").count("M") == 2]
    assert bars  # the two over-hedged days, one segment each
    # the top panel's band is net vega's (daily.csv net_vega_band_*: condor vega + [0.25, 0.75] x |condor vega|, both
    # negative for a short condor), not the hedge's: trial VIS30 read "hedge 0.25-0.75 x |condor vega|" beside it
    assert {"net-vega target", "(condor vega +", "0.25-0.75 x"} <= set(texts)


def test_attribution_of_a_window_under_three_months_is_daily() -> None:
    """Trial finding: the 19-session volmageddon replay's monthly chart was one wide bar; under three calendar months
    (DAYS[:30]: 2016-01-04 .. 2016-02-12) the bars are the days'; 100 days (to 2016-05-20, five months) stay
    monthly."""
    attribution = pd.DataFrame({"condor:put": 10.0, "hedge:L1": -5.0, "total_pnl_usd": 5.0}, index=DAYS)
    short = _files(pd.DataFrame(index=DAYS[:30]), attribution.iloc[:30])
    assert "daily P&L, USD k" in _texts(fig_attribution(short))
    assert "monthly P&L, USD k" in _texts(fig_attribution(_files(pd.DataFrame(index=DAYS), attribution)))


def test_every_chart_names_its_run_data_source_and_window() -> None:
    """Trial finding: an SVG copied out of the page was anonymous ("Hedge signal and layers"). Each title names the
    run (the default config's run.name, "default"), a line under it the run id, data source (manifest.json) and
    window: DAYS is 100 business days from 2016-01-04, to 2016-05-20. The source's kind and detail apart (trial
    VIS27: "data directory:/work/shared/data")."""
    files = dataclasses.replace(_files(_macd_daily()), manifest={"run_id": "default-0123abcd",
                                                                 "data_source": "embedded:arch.data(sp500,vix)"})
    texts = _texts(fig_vx_macd(files))
    assert texts[:2] == ["default: hedge signal and layers", "run default-0123abcd; data embedded: arch.data(sp500,vix); "
                                                             "2016-01-04 .. 2016-05-20 (100 sessions)"]
    assert _texts(fig_vega(_files(_vega_daily())))[:2] == [
        "default: book vega, SPX-vega-equivalent at the condor's tenor (tenor-matched bridge)",
        "run default; 2016-01-04 .. 2016-05-20 (100 sessions)"]


def test_the_condor_chart_draws_spx_between_the_break_evens_and_marks_exits_by_reason() -> None:
    """Trial finding: nothing showed SPX against the condor's break-evens. Made-up rows: SPX 2000, break-evens
    1900 / 2080 (the nearer 80 points above: 4% of SPX inside, the lower panel's value), a condor stopped on day 20 and one taken at
    profit on day 40 (condors.csv exit_reason)."""
    from vixhedge.run_figures import fig_condor

    daily = pd.DataFrame({"spx_close": 2000.0, "breakeven_low_spx": 1900.0, "breakeven_high_spx": 2080.0},
                         index=DAYS)
    condors = pd.DataFrame({"exit_date": [DAYS[20], DAYS[40]], "exit_reason": ["stop", "profit_take"]})
    files = dataclasses.replace(_files(daily), condors=condors)
    texts = _texts(fig_condor(files))
    assert {"SPX close", "stop", "profit take", "% of SPX"} <= set(texts)
    assert texts[texts.index("% of SPX") - 1] == "4"  # the fill from 0 to 4%: its top tick
    assert "margin call" not in texts and "ruin" not in texts  # a forced exit only where one closed a condor


def test_the_condor_chart_marks_a_margin_call_and_the_ruin() -> None:
    """Trial VIS27 (`vixhedge run --data-dir ../shared/data --start 2020-03-18 --end 2020-06-30 --hedge-mode static
    --set hedge.static_layers=1 --set hedge.first_layer_contracts=1000 --set margin.hedge_budget_nav_fraction=1.0
    --set hedge.require_condor=false`, ruined 2020-03-23: condors.csv exit_reason ruin): the break-even band just
    stopped, no mark said why. Made up: a condor closed by a margin call on day 30, one by the ruin on day 60 (the
    band ends there), each marked at its SPX close with a legend entry."""
    from vixhedge.run_figures import fig_condor

    band = np.where(np.arange(len(DAYS)) <= 60, 1.0, np.nan)
    daily = pd.DataFrame({"spx_close": 2000.0, "breakeven_low_spx": 1900.0 * band,
                          "breakeven_high_spx": 2080.0 * band}, index=DAYS)
    condors = pd.DataFrame({"exit_date": [DAYS[30], DAYS[60]], "exit_reason": ["margin_call", "ruin"]})
    svg = fig_condor(dataclasses.replace(_files(daily), condors=condors))
    texts = _texts(svg)
    assert {"margin call", "ruin"} <= set(texts) and "stop" not in texts  # (a reason with no mark: no legend entry)
    # each forced exit's mark, a 4 px circle: on the plot and in the legend (review 27: "#000000" in svg was always
    # true, the SPX line and the frames are black)
    # (a margin call purple since trial VIS42 M4: orange is the stop's)
    assert len(_circles(svg, "#9467bd")) == 2 and len(_circles(svg, "#000000")) == 2


def _circles(svg: str, fill: str) -> list[str]:
    """The 4 px circle marks (svgplot's ``o`` markers at condor.svg's size) filled ``fill``, one per path."""
    return [d for d in re.findall(rf'<path d="([^"]*)" fill="{fill}"/>', svg) if "a4 4 0 1 0 8 0" in d
            for _ in range(d.count("a4 4 0 1 0 8 0"))]


def test_the_condor_chart_marks_the_ruin_among_too_many_exits_to_mark() -> None:
    """Review 27: past too_dense's 321 exits the legend read "condor exit: ruin: 1 time, too many to mark": the ruin
    (and margin calls, if few) is always drawn; only the stops and profit takes are counted instead. Made up: 400
    stops over 80 days, 2 margin calls on day 85, the ruin on day 90."""
    from vixhedge.run_figures import fig_condor

    band = np.where(np.arange(len(DAYS)) <= 90, 1.0, np.nan)
    daily = pd.DataFrame({"spx_close": 2000.0, "breakeven_low_spx": 1900.0 * band,
                          "breakeven_high_spx": 2080.0 * band}, index=DAYS)
    when = [DAYS[i % 80] for i in range(400)] + [DAYS[85], DAYS[85], DAYS[90]]
    condors = pd.DataFrame({"exit_date": when, "exit_reason": ["stop"] * 400 + ["margin_call"] * 2 + ["ruin"]})
    svg = fig_condor(dataclasses.replace(_files(daily), condors=condors))
    texts = _texts(svg)
    at = texts.index("condor exit: stop:")
    assert texts[at + 1:at + 3] == ["400 times, too many", "to mark"]
    assert texts[texts.index("ruin") - 1] == "condor exit:" and texts[texts.index("margin call") - 1] == "condor exit:"
    assert not any("ruin:" in t or "margin call:" in t for t in texts)
    # 2 on the plot, 1 in the legend; a margin call purple, a stop orange since trial VIS42 M4
    assert len(_circles(svg, "#000000")) == 2 and len(_circles(svg, "#9467bd")) == 3
    assert not re.search(r'<path d="M[^"]*" fill="#ff7f0e"/>\n', svg)  # no stop's triangle on the plot


def test_the_macd_panel_marks_its_crossovers() -> None:
    """MACD sin(t / 5) against the signal sin((t - 3) / 5) (_macd_daily) crosses it in both directions."""
    texts = _texts(fig_vx_macd(_files(_macd_daily())))
    assert {"MACD crosses", "above signal", "below signal"} <= set(texts)


def test_marks_too_many_to_read_apart_are_counted_in_the_legend_instead() -> None:
    """Left from session 20: over 2006-2025 on real data 513 layers entered and left (1,026 marks) and MACD crossed
    its signal 413 times; over the plot's 803 px ((0.80 - 0.07) x 1100, vixhedge/svgplot.py) those marks sat under
    one px apart and hid the series. Made up: 700 days on which MACD alternates +1 / -1 about a zero signal (it
    crosses above on the 349 even days from day 2, below on the 350 odd days), 200 layers each open one day (400
    marks, 2.0 px apart: under MARKER_GAP_PX, 7 since trial VIS42 M3). Each legend counts its marks; no mark is drawn
    on the plot."""
    days = pd.bdate_range("2016-01-04", periods=700)
    sign = np.where(np.arange(700) % 2 == 0, 1.0, -1.0)
    daily = pd.DataFrame({"vx_signal_series": 16.0, "vix_close": 15.0, "macd": sign, "macd_signal": 0.0,
                          "macd_hist": sign}, index=days)
    layers = pd.DataFrame({"instrument": "vx_future", "contracts": 1, "entry_date": days[:400:2],
                           "exit_date": days[1:400:2]})
    files = dataclasses.replace(_files(daily), layers=layers)
    svg = fig_vx_macd(files)
    texts = _texts(svg)
    assert texts[texts.index("layer added:") + 1:texts.index("layer added:") + 3] == ["200 times,", "too many to mark"]
    assert texts[texts.index("layer removed:") + 1] == "200 times,"
    assert {"signal: 349 times,", "signal: 350 times,"} <= set(texts)
    marks = [p for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("d", "").endswith("Z")]
    assert len(marks) == 4  # the four legend swatches alone
    few = dataclasses.replace(files, daily=daily.iloc[:100], layers=layers.iloc[:50])  # 100 marks, 8.0 px apart
    few_texts = _texts(fig_vx_macd(few))
    assert {"layer added", "layer removed", "above signal"} <= set(few_texts)
    assert not any("too many" in (t or "") for t in few_texts)
