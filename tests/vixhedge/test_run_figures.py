"""vixhedge.run_figures: what each run figure says (titles, legends, units, clipped days, drawing order), read
from the SVG text of figures drawn on small synthetic run files."""

from __future__ import annotations

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
    for label, side in (("hedge vega: 2 day(s)", "above"), ("condor vega: 1 day(s)", "below"),
                        ("net vega: 1 day(s)", "below")):
        assert texts[texts.index(label) + 1] == f"{side} the scale"
    assert sum(t.endswith("the scale") for t in texts) == 3  # net vega's 7 is not above
    marks = [p.get("fill") for p in ET.fromstring(svg).iter(f"{SVG}path") if p.get("d", "").endswith("Z")]
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
    assert _texts(fig_equity(files))[0] == ("default: NAV and P&L on the starting cash, drawdown "
                                            "(hedge alvh, vx_future)")
    assert _texts(fig_attribution(files))[0] == "default: P&L by component, monthly (stacked) and cumulative"


@pytest.mark.parametrize("days", [5, 100])
def test_a_series_inside_its_scale_gets_no_mark(days: int) -> None:
    """Under 10 values (robust_limits' minimum) or nothing beyond the quantiles: autoscale, no edge marks."""
    d = _vega_daily().iloc[:days].copy()
    d[["condor_vega_usd", "hedge_vega_usd"]] = [-2000.0, 1000.0]
    d["net_vega_usd"] = -1000.0
    assert not any("the scale" in (t or "") for t in _texts(fig_vega(_files(d))))
