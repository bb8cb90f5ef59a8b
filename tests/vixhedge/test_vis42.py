"""Trial VIS42 (visual review of the report pages, /work/notes/vis42_report.md): the run figures' marks, colours,
long-window panels, the attribution chart's step and caption, log ticks, the compare overlay's lines, the names and
signs the page prints. Drawn on small synthetic run files, read back from the SVG text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

from tests.vixhedge.compare_cases import default_comparison
from vixhedge.core import config as C
from vixhedge.runfolder import RunFiles
from vixhedge.svgplot import color

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def cmp_short():
    return default_comparison()


def _files(daily: pd.DataFrame, **frames) -> RunFiles:
    empty = pd.DataFrame()
    kw = {"attribution": empty, "layers": empty, "condors": empty} | frames
    return RunFiles(folder=None, config=C.load_default(), manifest={}, metrics={}, daily=daily, **kw)


def _texts(svg: str) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def _marks(svg: str, fill: str) -> int:
    """The filled triangles (svgplot._marker's M tip L corner H corner Z) of one fill colour, legend swatches
    included."""
    paths = re.findall(rf'<path d="(M[^"]*Z)" fill="{fill}"', svg)
    return sum(len(re.findall(r"M[\d.]+ [\d.]+L[\d.]+ [\d.]+H[\d.]+Z", d)) for d in paths)


def _macd_daily(n: int, spike: bool = False) -> pd.DataFrame:
    """n business days from 2010-01-04: MACD a sine of period 2 pi x 8 days about a signal 3 days behind it (one
    crossing each way a cycle, about n / 25 each), histogram their difference; ``spike``: MACD 12 on day n // 2
    (2020's against cycles of +-1)."""
    t = np.arange(n, dtype=float)
    macd = np.sin(t / 8)
    if spike:
        macd[n // 2] = 12.0
    signal = np.sin((t - 3) / 8)
    return pd.DataFrame({"vx_signal_series": 16.0, "vix_close": 15.0, "macd": macd, "macd_signal": signal,
                         "macd_hist": macd - signal}, index=pd.bdate_range("2010-01-04", periods=n))


def test_marks_closer_than_a_reader_resolves_are_counted():
    """Trial VIS42 M3: 305 crossovers over 15 years sat 2.6 px apart (MARKER_GAP_PX was 2.5) and smeared into one
    band. 1,000 days of a sine MACD of period 50.3 days cross their signal about 40 times each way, 80 marks over
    the plot's 803 px ((0.80 - 0.07) x 1100): 10 px apart, drawn; 3,000 days: about 240 marks, 3.3 px apart, under
    MARKER_GAP_PX (7): counted in the legend."""
    from vixhedge.run_figure_book import MARKER_GAP_PX, too_dense
    from vixhedge.run_figures import fig_vx_macd

    assert 6 <= MARKER_GAP_PX <= 8 and too_dense(150) and not too_dense(100)  # 5.4 and 8.0 px apart
    assert "above signal" in _texts(fig_vx_macd(_files(_macd_daily(1000))))
    texts = _texts(fig_vx_macd(_files(_macd_daily(3000))))
    assert any(t.startswith("MACD crosses above") for t in texts) and "too many to mark" in texts


def test_one_spike_does_not_set_a_long_macd_panels_scale():
    """Trial VIS42 M3: the 2020 spike (12) set 15 years' MACD scale, every other cycle within +-2 of it. Over three
    years (LONG_SESSIONS, 756) the panel spans 98% of its days, as vega.svg's do: 1,000 days of a sine MACD
    within +-1 but 12 on day 500 mark that day at the top edge; 500 days (under three years) keep the whole range."""
    from vixhedge.run_figures import LONG_SESSIONS, fig_vx_macd

    assert LONG_SESSIONS == 756
    texts = _texts(fig_vx_macd(_files(_macd_daily(1000, spike=True))))
    assert "MACD: 1 day" in texts and "(the scale spans 98%" in texts
    assert not any("the scale" in (t or "") for t in _texts(fig_vx_macd(_files(_macd_daily(500, spike=True)))))


def test_paired_marks_are_blue_and_orange_filled_and_hollow():
    """Trial VIS42 M4: stop / profit take, layer added / removed, MACD above / below and the histogram's sign were red
    against green, one olive under deuteranopia. Now orange (filled) against blue (hollow, a white body in a blue
    line); no red or green mark is left. Made up: 100 days, a layer added on day 10 and removed on day 20, a condor
    stopped on day 30 and one taken at profit on day 40."""
    from vixhedge.run_figures import fig_condor, fig_vx_macd

    daily = _macd_daily(100).assign(spx_close=2000.0, breakeven_low_spx=1900.0, breakeven_high_spx=2100.0,
                                    hedge_layers=0)
    days = daily.index
    layers = pd.DataFrame({"layer_id": [1], "instrument": ["vx_future"], "contracts": [1], "entry_date": [days[10]],
                           "exit_date": [days[20]]})
    condors = pd.DataFrame({"exit_date": [days[30], days[40]], "exit_reason": ["stop", "profit_take"]})
    orange, blue = color("tab:orange"), color("tab:blue")
    for svg in (fig_vx_macd(_files(daily, layers=layers)), fig_condor(_files(daily, condors=condors))):
        assert _marks(svg, orange) >= 2  # on the plot and in the legend
        assert re.search(rf'fill="#ffffff" stroke="{blue}"', svg)  # hollow blue
        assert _marks(svg, color("tab:red")) == 0 and _marks(svg, color("tab:green")) == 0
    macd = fig_vx_macd(_files(daily))
    assert f'stroke="{orange}"' in macd and f'stroke="{blue}"' in macd  # the histogram's bars
    assert f'stroke="{color("tab:red")}"' not in macd and f'stroke="{color("tab:green")}"' not in macd


def test_a_long_windows_vega_is_drawn_as_rolling_medians_under_its_band():
    """Trial VIS42 M5: 3,925 days of each cycle's vega were a solid mass over a hidden band. Over three years the
    panel draws 21-session medians, net vega's 10-90% ribbon, and the band's edges on top of the series (the last
    green lines of the panel, after the net vega's black one); the drift panel its 21-session means. Made up: 800
    days, condor vega -2k, hedge vega swinging 0..3k every other day."""
    from vixhedge.run_figures import fig_vega

    days = pd.bdate_range("2014-01-02", periods=800)
    hedge = np.where(np.arange(800) % 2 == 0, 0.0, 3000.0)
    daily = pd.DataFrame({"condor_vega_usd": -2000.0, "hedge_vega_usd": hedge, "net_vega_usd": hedge - 2000.0,
                          "net_vega_band_low_usd": -1500.0, "net_vega_band_high_usd": -500.0,
                          "hedge_ratio": hedge / 2000, "vega_drift_usd": 100.0}, index=days)
    svg = fig_vega(_files(daily))
    texts = _texts(svg)
    assert {"net vega, 10-90% of", "net vega, median of the", "the last 21 sessions"} <= set(texts)
    strokes = re.findall(r'<path d="M[^"]{200,}" fill="none" stroke="(#[0-9a-f]{6})"', svg)
    assert strokes[:5] == [color("tab:blue"), color("tab:red"), "#000000", color("tab:green"), color("tab:green")]
    assert "over-hedged, mean of" in texts
    assert fig_vega(_files(daily)) == svg  # same files, same bytes
    short = fig_vega(_files(daily.iloc[:300]))  # a year: day by day, as before
    assert "net vega" in _texts(short) and "net vega, 10-90% of" not in _texts(short)


def test_the_attribution_step_counts_the_window_and_the_caption_says_it():
    """Trial VIS42 L1: the covid replay's 62 sessions (2020-02-03..04-30, under three months) drew three monthly
    bars, as it touched three calendar months; a yearly chart's caption said "Monthly P&L ... the month's total". Now
    daily under three months from the first day, and the caption names the chart's step."""
    from vixhedge.run_figure_pnl import attribution_caption, attribution_step
    from vixhedge.run_figures import fig_attribution

    covid = pd.bdate_range("2020-02-03", "2020-04-30")
    att = pd.DataFrame({"hedge:L1": 100.0, "total_pnl_usd": 100.0}, index=covid)
    assert len(covid) == 64 and attribution_step(covid) == "daily"  # (business days: the 62 sessions and 2 holidays)
    assert "P&L by component, daily" in " ".join(_texts(fig_attribution(_files(pd.DataFrame(index=covid),
                                                                                 attribution=att))))
    assert attribution_step(pd.bdate_range("2020-02-03", "2020-05-04")) == "monthly"  # three months and a day
    years = pd.bdate_range("2007-06-01", "2022-12-30")
    yearly = attribution_caption(_files(pd.DataFrame(index=years), attribution=pd.DataFrame(index=years)))
    assert yearly.startswith("Yearly P&L stacked") and "the year's total as a dot" in yearly


def test_log_ticks_reach_the_lines_top():
    """Trial VIS42 L4: the 15-year benchmark chart labelled 0.5, 1 and 2 alone, the S&P line reaching 3.41
    (benchmark.csv 2022-12-30 spx_tr_nav_usd $3,412,137); SPX 700..5,000 on the break-even chart showed 1000, 2000,
    5000. 1, 2, 3 and 5 x 10^k where those are six ticks at most."""
    from vixhedge.svgticks import log_ticks

    np.testing.assert_allclose(log_ticks(0.28, 3.9), [0.3, 0.5, 1, 2, 3])
    np.testing.assert_allclose(log_ticks(700, 5200), [1000, 2000, 3000, 5000])


def test_the_overlay_lines_differ_by_marker(cmp_short):
    """Trial VIS42 L6: the covid overlay's static (orange) and alvh (green) became two close olives under deuteranopia
    and crossed in the drawdown panel. Each mode's line now carries its own marker (none o, static s, alvh ^), in
    every panel and in the legend."""
    from vixhedge.compare_report import fig_overlay

    fig = fig_overlay(cmp_short)
    for ax in fig.axes[:3]:
        assert [ln.get_marker() for ln in ax.get_lines()][:3] == ["o", "s", "^"]


def test_names_and_signs_as_the_tables_print_them():
    """Trial VIS42 L7: the attribution legends read "condor:put", "condor:call" beside the table's "condor put
    spread"; May 2015 (+0.0011%) printed "0.00", the one monthly cell without a sign (here +0.0011%: 1,000,011 /
    1,000,000 - 1)."""
    from types import SimpleNamespace

    from vixhedge.report_sections import monthly_grid
    from vixhedge.run_figures import fig_attribution

    days = pd.bdate_range("2016-01-04", periods=100)
    att = pd.DataFrame({"condor:put": 10.0, "condor:call": -5.0, "total_pnl_usd": 5.0}, index=days)
    texts = _texts(fig_attribution(_files(pd.DataFrame(index=days), attribution=att)))
    assert {"condor put spread", "condor call spread"} <= set(texts) and "condor:put" not in texts
    nav = pd.Series([1_000_000.0, 1_000_011.0, 999_999.0],
                    index=pd.to_datetime(["2015-04-30", "2015-05-29", "2015-06-30"]))
    page = monthly_grid(SimpleNamespace(daily=pd.DataFrame({"nav_usd": nav})))
    assert "<td>+0.00</td>" in page and "<td>-0.00</td>" in page  # June: 999,999 / 1,000,011 - 1 = -0.0012%

