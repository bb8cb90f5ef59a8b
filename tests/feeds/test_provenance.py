"""Tests for feeds.provenance: the share of real vs modelled marks and fills, in metrics, summary and report.

Reference counts are recomputed here from the run's own trades.csv rows (positions held overnight are
marked each day until their expiry), independently of the Desk's marking loop.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from feeds.provenance import verdict
from vixhedge.core import config as C
from vixhedge.html import load_run, render
from vixhedge.summary import summary_table
from vixhedge.run import run_backtest

SHORT = {"start": "2015-06-01", "end": "2015-09-30"}


@pytest.fixture(scope="module")
def result():
    return run_backtest(C.replace(C.load_default(), run=SHORT))


def test_embedded_run_says_it_rests_on_the_model(result) -> None:
    p = result.metrics["data_provenance"]
    assert p["rests_on_model"] and p["modelled_share"] == 1.0
    trades = result.trades
    kinds = Counter(trades["kind"])
    assert p["fills"]["spx_option"]["model"] == kinds["spx_option"]
    assert p["fills"]["vx_future"]["model"] == kinds["vx_future"]
    # marks: one per day a position is held at the close before its expiry (the day's fills in: trial ACC40 L1)
    days = [d for d in result.daily.index]
    held: Counter = Counter()
    marks = Counter()
    for day in days:
        for _, t in trades[trades.index == day].iterrows():
            held[(t["kind"], t["expiry"], t["symbol"])] += t["qty"]  # the symbol names strike and right
        for (kind, expiry, _), qty in held.items():
            if qty and expiry > day:
                marks[kind] += 1
    assert p["marks"]["spx_option"]["model"] == marks["spx_option"]
    assert p["marks"]["vx_future"]["model"] == marks["vx_future"]
    assert "MOST OF THIS RESULT RESTS ON MODELLED PRICES" in p["verdict"]
    assert p["verdict"] in summary_table(result)


def test_report_banner_states_the_shares(result, tmp_path: Path) -> None:
    from vixhedge.report import write_run

    folder = write_run(result, tmp_path)
    page = render(load_run(folder), {})
    start = page.index('<div class="banner warn">')  # (under the At a glance table: trial VIS42 M1)
    banner = page[start:page.index("<h2>", start)]
    assert "RESTS ON MODELLED PRICES" in banner
    assert "marks spx option" in banner and "fills vx future" in banner and "100%" in banner


def test_shipped_rate_and_events_files_are_hashed_for_the_manifest(result, tmp_path: Path) -> None:
    """The embedded market has no rate file: its rates are the shipped monthly series (feeds.loaders.rates), its
    FOMC and CPI/PPI dates the packaged events.csv (feeds.events), its sessions the shipped exchange closures
    (feeds.closures, read by every run); data_files lists all three, digests recomputed here
    from the files' bytes. A constant rate reads no rate file; FOMC and event calendars of the config's own (or the
    event window off) read no packaged calendar. Each is recorded where it is read (Market.shipped_paths,
    SignalSet.files), not worked out from the config: a market that read the shipped rates names them under any
    config, and a signal set names the calendars it read."""
    import hashlib
    import json

    from feeds.datafiles import run_files
    from vixhedge.report import write_run

    root = Path(__file__).resolve().parents[2] / "feeds"
    shipped = {f"feeds/{n}": hashlib.sha256((root / n).read_bytes()).hexdigest()
               for n in ("calibration/short_rate_monthly.csv", "calendar_data/events.csv",
                         "calendar_data/xnys_closures.csv")}
    mf = json.loads((write_run(result, tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert {d["name"]: d["sha256"] for d in mf["data_files"]}.items() >= shipped.items()
    fomc = tmp_path / "fomc.csv"  # the announcement_date,type layout of feeds.fomc.load_csv
    fomc.write_text("announcement_date,type\n2015-06-17,scheduled\n2015-07-29,scheduled\n", encoding="utf-8")
    for change, gone in (({"market": {"rates": "constant"}}, "feeds/calibration/short_rate_monthly.csv"),
                         ({"hedge": {"fomc": {"calendar_csv": str(fomc)}, "events": {"enabled": False}}},
                          "feeds/calendar_data/events.csv")):
        cfg = C.replace(result.config, **change)
        market = result.market if "market" not in change else _market(cfg)
        files = dict(run_files(market, cfg, _signals(market, cfg)))
        assert gone not in files and set(shipped) - {gone} <= set(files), change
    cfg = C.replace(result.config, hedge={"fomc": {"calendar_csv": str(fomc)}})  # the CPI/PPI dates still packaged
    signals = _signals(result.market, cfg)
    assert signals.files == (str(fomc), str(root / "calendar_data/events.csv"))  # the FOMC file, then CPI/PPI's
    assert "feeds/calendar_data/events.csv" in dict(run_files(result.market, cfg, signals))
    # what the market read, whatever the config: the default market read the shipped rates
    constant = C.replace(result.config, market={"rates": "constant"})
    assert "feeds/calibration/short_rate_monthly.csv" in dict(run_files(result.market, constant, result.signals))
    assert result.market.shipped_paths == (root / "calendar_data/xnys_closures.csv",
                                           root / "calibration/short_rate_monthly.csv")


def _signals(market, cfg):
    from strategies.signalset import compute, inputs_from_market

    return compute(inputs_from_market(market, cfg.hedge), cfg.hedge)


def _market(cfg):
    from feeds.market import build_market

    return build_market(cfg.market)


def test_verdict_when_real_prices_dominate() -> None:
    """modelled_share counts anchored prices with the modelled ones: (5 + 5) / 100."""
    p = {"marks": {"vx_future": {"real": 90, "anchored": 5, "model": 5}}, "fills": {}, "modelled_share": 0.10,
         "rests_on_model": False, "rates": "series: FRED daily file"}
    assert verdict(p) == ("Most of this result rests on real market prices. 10% of marks and fills are modelled or "
                          "anchored on real (VX futures 90% real, 5% anchored on real, 5% modelled). Rates: series: "
                          "FRED daily file.")


def test_verdict_names_an_instrument_whose_prices_are_mostly_modelled() -> None:
    """A trial's 2019H1 run on ../shared/data: the condor's SPX options 96% not real (34% anchored + 62% modelled)
    beside real VX settles; (34 + 62) / 200 = 48% of all marks not real."""
    p = {"marks": {"spx_option": {"real": 4, "anchored": 34, "model": 62}, "vx_future": {"real": 100, "anchored": 0,
                                                                                        "model": 0}},
         "fills": {}, "modelled_share": 0.48, "rests_on_model": False, "rates": "series: FRED daily file"}
    assert verdict(p).startswith("Most prices are real, but the SPX options are mostly modelled or anchored on real "
                                 "(a real price moved by the model). 48% of marks and fills are modelled or anchored "
                                 "on real (SPX options 4% real, 34% anchored on real, 62% modelled; "
                                 "VX futures 100% real, 0% modelled).")


def test_anchored_prices_are_not_called_real() -> None:
    """A fresh-user trial (2019-04-25..06-28 on ../shared/data): real SPX chains cover only 04-25..05-01, every later
    SPX mark is anchored on the last real quote (the model at its implied-vol gap). SPX options 10% real, 90% anchored
    (8/85/6 real/anchored/modelled since the 2026-12-03 vol-gap anchoring): mostly not real, even with no price
    purely modelled; the counts here are that shape (10/90 SPX beside 100 real VX)."""
    p = {"marks": {"spx_option": {"real": 10, "anchored": 90, "model": 0}, "vx_future": {"real": 100, "anchored": 0,
                                                                                         "model": 0}},
         "fills": {}, "modelled_share": 0.45, "rests_on_model": False, "rates": "series: FRED daily file"}
    words = verdict(p)
    assert words.startswith("Most prices are real, but the SPX options are mostly modelled or anchored on real")
    assert "45% of marks and fills are modelled or anchored on real" in words


@pytest.mark.realdata
def test_real_vx_settles_are_counted_real(shared_data: Path) -> None:
    cfg = C.replace(C.load_default(), run=SHORT, market={"source": "directory", "data_dir": str(shared_data)})
    p = run_backtest(cfg).metrics["data_provenance"]
    assert p["marks"]["vx_future"]["real_share"] == 1.0 and p["fills"]["vx_future"]["real_share"] == 1.0
    assert p["marks"]["spx_option"]["model_share"] == 1.0  # no real SPX chain covers 2015
    assert p["rates"] == "series: FRED daily file"


@pytest.mark.realdata
def test_a_2019_run_on_anchored_spx_marks_is_not_called_real(shared_data: Path) -> None:
    """The trial's window 2019-04-25..06-28: the real SPX chains quote 04-25..05-01 only (README of
    spx_option_chains_2019_sample), so most SPX marks are anchored; the run said "Most of this result rests on real
    market prices. 0% ... modelled" before anchored prices counted as not real."""
    cfg = C.replace(C.load_default(), run={"start": "2019-04-25", "end": "2019-06-28"},
                    market={"source": "directory", "data_dir": str(shared_data), "history_start": "2012-01-03"})
    p = run_backtest(cfg).metrics["data_provenance"]
    spx = p["marks"]["spx_option"]
    assert spx["anchored"] > spx["real"] and spx["model_share"] > 0.5
    assert p["modelled_share"] > 0.5 and p["rests_on_model"]
    assert p["verdict"].startswith("MOST OF THIS RESULT RESTS ON MODELLED PRICES")
    assert "modelled or anchored on real" in p["verdict"]


@pytest.mark.realdata
def test_no_nav_jump_where_real_option_quotes_start_and_stop(shared_data: Path) -> None:
    """The 2019 SPX chains quote 2019-04-25..05-01: held condor legs go model -> real -> anchored."""
    import datetime as dt

    import numpy as np

    from vixhedge.core.instruments import Contract, Kind, Right

    cfg = C.replace(C.load_default(), run={"start": "2019-02-01", "end": "2019-07-31"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    res = run_backtest(cfg)
    m, t = res.market, res.trades
    start, stop = dt.date(2019, 4, 25), dt.date(2019, 5, 2)
    held = t[(t["kind"] == "spx_option") & (t.index < pd.Timestamp(start))]
    legs = [Contract(Kind.SPX_OPTION, e, float(k), Right(r)) for e, k, r in
            held[["expiry", "strike", "right"]].drop_duplicates().itertuples(index=False) if e.date() > stop]
    assert legs, "no condor leg held across the real-quote window"
    origins = {(c, d): m.option_origin(c, m.index_of(d)) for c in legs for d in (start - dt.timedelta(days=1), start, stop)}
    assert {o for (_, d), o in origins.items() if d == start} & {"real"}  # the seam is exercised
    assert {o for (_, d), o in origins.items() if d == stop} <= {"anchored", "model"}
    pnl = res.daily["condor_pnl_usd"].abs()
    typical = float(np.quantile(pnl.to_numpy(), 0.95))
    for day in (start, stop):
        assert pnl.loc[pd.Timestamp(day)] <= typical, (day, pnl.loc[pd.Timestamp(day)], typical)  # no jump beyond an ordinary day


def test_the_report_banner_s_model_share_is_not_rounded_to_100_percent() -> None:
    """Finding 2, the report's table: 1 real mark in 25,000 is a model share of >99%, from the counts (metrics.json's
    4-decimal model_share reads 1.0)."""
    from vixhedge.html import provenance_banner

    p = {"marks": {"spx_option": {"real": 1, "anchored": 0, "model": 24_999, "real_share": 0.0, "model_share": 1.0}},
         "fills": {}, "modelled_share": 1.0, "rests_on_model": True, "rates": "series: FRED daily file"}
    p["verdict"] = verdict(p)
    banner = provenance_banner({"data_provenance": p})
    assert "<td>24,999</td><td>&gt;99%</td>" in banner and "100%" not in banner, banner


def test_a_share_near_100_or_0_percent_is_not_printed_as_either() -> None:
    """Verification trial finding 2 (LOW): a 2019-2022 run on ../shared/data with VIX call spreads read "100% of marks
    and fills are modelled or anchored on real (SPX options 1% real, ...)" beside a few real quotes: a share strictly
    between 99.5% and 100% prints ">99%", one strictly between 0% and 0.5% "<1%"; exactly 100% and 0% are unchanged
    (the default run's "100% of marks and fills are modelled"). Exactly 0.5% is "1%": halves round away from zero
    (vixhedge.fmt; Python's format rounded it to an even "0%", printed "<1%")."""
    from feeds.provenance import percent

    assert [percent(*a) for a in ((999, 1000), (995, 1000), (1000, 1000), (1, 1000), (4, 1000), (5, 1000), (0, 1000))] == [
        ">99%", ">99%", "100%", "<1%", "<1%", "1%", "0%"]
    assert percent(994, 1000) == "99%" and percent(6, 1000) == "1%"
    p = {"marks": {"spx_option": {"real": 3, "anchored": 2, "model": 1995}}, "fills": {}, "modelled_share": 0.9985,
         "rests_on_model": True, "rates": "series: FRED daily file"}
    text = verdict(p)
    assert (">99% of marks and fills are modelled or anchored on real (SPX options <1% real, <1% anchored on real, "
            ">99% modelled). Rates:" in text and "100%" not in text), text
    p["modelled_share"] = 1.0  # metrics.json's 4-decimal share of 0.99996 (1 real in 25,000): the counts decide
    p["marks"]["spx_option"] = {"real": 1, "anchored": 0, "model": 24_999}
    assert ">99% of marks and fills are modelled (SPX options <1% real, >99% modelled)" in verdict(p)
    p["marks"]["spx_option"] = {"real": 0, "anchored": 0, "model": 25_000}
    assert "100% of marks and fills are modelled (SPX options 0% real, 100% modelled)" in verdict(p)
    # the sweep summary's market line prints from the same counts (vixhedge.sweep_market; review: it read the rounded
    # share, "0% real quotes, 100% modelled" for 1 real mark in 25,000)
    from vixhedge.sweep_market import market_lines

    rec = {"window": "a..b", "sessions": 3, "words": "x", "modelled_share": 1.0, "real_prices": 1,
           "prices_counted": 25_000}
    assert "marks and fills: <1% real quotes, >99% modelled or anchored" in market_lines(rec)[0]


@pytest.mark.realdata
def test_the_trades_quote_column_adds_up_to_the_data_line_s_fill_counts(shared_data):
    """Determinism trial, session 8 (2026-12-04): the real / anchored / modelled fill counts could not be checked
    from the run folder (trades.csv had no origin; the tester rebuilt them from the chain files). trades.csv
    ``quote`` names each fill's origin; per instrument its counts are metrics.json data_provenance.fills."""
    from collections import Counter

    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2019-04-25", "end": "2019-06-28"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    res = run_backtest(cfg, engine="fast")
    t = res.trades.reset_index()
    assert set(t["quote"]) <= {"real", "anchored", "model"} and (t["quote"] == "real").any()
    got = Counter(zip(t["kind"], t["quote"]))
    fills = res.metrics["data_provenance"]["fills"]
    assert {(k, o): n for k, row in fills.items() for o, n in row.items() if o in ("real", "anchored", "model") and n} \
        == dict(got)


def test_shares_are_stored_in_full() -> None:
    """Trial CO: comparison.json held modelled_share 0.8238 for 0.82376 (README, Conventions: a share is rounded
    once, where it is printed). One real, one anchored and one modelled mark: 2/3 not real, 1/3 real, in full."""
    from feeds.provenance import combined

    row = {"real": 1, "anchored": 1, "model": 1}
    one = {"marks": {"spx_option": row}, "fills": {}, "modelled_share": 2 / 3, "rests_on_model": True,
           "verdict": "v", "rates": "r", "notes": []}
    got = combined({"none": one})
    assert got["modelled_share"] == 2 / 3
    assert (got["marks"]["spx_option"]["real_share"], got["marks"]["spx_option"]["model_share"]) == (1 / 3, 2 / 3)


def test_a_run_that_fills_vix_options_says_their_widths_are_a_calm_days() -> None:
    """Trial RS22: an instrument comparison never said the VIX option widths are one calm day's (2016-06-01, VIX 14;
    README, Quotes and fills). A run that fills VIX call spreads carries the note in its data provenance (summary,
    report banner, comparison); the default run's VX-future layers do not, nor (trial RD23) spreads filled at mid,
    which pay no spread; at mid plus a share of the half-spread (slippage) they do."""
    from feeds.provenance import VIX_WIDTHS_NOTE
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    base = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-09-30"}, hedge={"sizing": "vega_ratio"})
    spreads = C.replace(base, hedge={"instrument": "vix_call_spread"})
    notes = {c.hedge.instrument.value: run_backtest(c, engine="fast").metrics["data_provenance"]["notes"]
             for c in (base, spreads)}
    assert VIX_WIDTHS_NOTE in notes["vix_call_spread"] and VIX_WIDTHS_NOTE not in notes["vx_future"]
    fills = {fill: run_backtest(C.replace(spreads, execution={"fill": fill}), engine="fast").metrics
             ["data_provenance"] for fill in ("mid", "slippage")}
    assert "vix_option" in fills["mid"]["fills"] and VIX_WIDTHS_NOTE not in fills["mid"]["notes"]
    assert VIX_WIDTHS_NOTE in fills["slippage"]["notes"]


def test_fills_pay_the_spread_at_bid_ask_or_a_positive_slippage_share_only() -> None:
    """ExecutionConfig.pays_spread (what the VIX widths' note is shown on): bid/ask pays all of the spread, slippage
    its share of the half-spread (0.25: some; 0: none, the mid), mid none."""
    from vixhedge.core import config as C

    def pays(**ex) -> bool:
        return C.replace(C.load_default(), execution=ex).execution.pays_spread

    assert pays(fill="bid_ask") and pays(fill="slippage", slippage_fraction=0.25)
    assert not pays(fill="slippage", slippage_fraction=0.0) and not pays(fill="mid")


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------


def _vx_feb_2018(fills: list[tuple[str, int]]) -> dict:
    """data_provenance of VX Feb 2018 fills ``(date, qty)`` on the embedded market, window 2018-02-01..02-14."""
    import datetime as dt

    from feeds.embedded import load_embedded
    from feeds.market import Market
    from feeds.provenance import data_provenance
    from vixhedge.core.config import MarketConfig
    from vixhedge.core.instruments import Contract, Kind
    from vixhedge.core.ledger import Fill

    m = Market(load_embedded(), MarketConfig())
    c = Contract(Kind.VX_FUTURE, dt.date(2018, 2, 14))  # VX Feb 2018 settles Wed 2018-02-14 (Cboe's VIX calendar)
    made = [Fill(dt.date.fromisoformat(d), c, "hedge", q, 10.0, 10.0, 10.0, 10.0, 0.0, "test") for d, q in fills]
    return data_provenance(m, made, m.index_of(dt.date(2018, 2, 1)), m.index_of(dt.date(2018, 2, 14)))


@pytest.mark.parametrize("fills", [[("2018-02-01", 1)], [("2018-02-01", 1), ("2018-02-14", -1)]],
                         ids=["held-to-the-window-end", "a-fill-on-its-settlement-day"])
def test_a_vx_future_settling_on_the_window_s_last_day_is_settled_not_marked_that_day(fills) -> None:
    """MUT23 (provenance._replay ``h[2] <= i`` -> ``<`` and ``settles <= last_day`` -> ``<`` survived): a position is
    marked each session it is held at the close, from its fill's day to the session before its expiry, and settled
    that morning (module docstring; trial ACC40 L1 moved the span a session earlier). VX Feb 2018 bought 2018-02-01,
    window ending on its settlement day 2018-02-14: marked on the XNYS sessions 02-01, 02-02, 02-05..02-09, 02-12,
    02-13 (9; no holiday between), and settled: settlements["vx_future"]["values"] names "2018-02-14". A fill on
    02-14 itself does not close the position that settled that morning (that fill opens anew, held at that close and
    settled the next morning, past the window): 10 marks and the settlement."""
    p = _vx_feb_2018(fills)
    assert sum(p["marks"]["vx_future"][o] for o in ("real", "anchored", "model")) == 8 + len(fills)
    assert list(p["settlements"]["vx_future"]["values"]) == ["2018-02-14"]
    assert sum(p["fills"]["vx_future"][o] for o in ("real", "anchored", "model")) == len(fills)


@pytest.mark.parametrize("enabled", [False, True])
def test_a_disabled_event_window_s_calendar_is_not_a_run_file(tmp_path: Path, enabled: bool) -> None:
    """MUT23 (feeds.datafiles.run_files' ``h.events.enabled`` condition dropped survived): "a disabled event window
    reads no calendar", so hedge.events.calendar_csv naming an existing file is not among the run's files with the
    window off, and is (its sha256 recomputed here) with it on. Market and signal set stand-ins read nothing else."""
    import hashlib
    from types import SimpleNamespace

    from feeds.datafiles import run_files

    cal = tmp_path / "events.csv"
    cal.write_text("date,type\n2015-06-17,CPI\n", encoding="utf-8")
    cfg = C.replace(C.load_default(), hedge={"events": {"enabled": enabled, "calendar_csv": str(cal)}})
    market = SimpleNamespace(data=SimpleNamespace(files=()), shipped_paths=())
    files = run_files(market, cfg, SimpleNamespace(files=(), ad_file=""))
    assert files == (((str(cal), hashlib.sha256(cal.read_bytes()).hexdigest()),) if enabled else ())


def test_modelled_spx_fills_in_stress_are_named_against_the_width_fit() -> None:
    """Trial RS29: SPX option widths are fitted on five calm 2019 days and widen with VIX only through the premium
    (README, Quotes and fills); a 2008 run at VIX 80 did not say its fills' widths are the calm days' rule (3x the width
    moved its condor P&L by $25,000). On the default run (embedded market: real VIX closes), the SPX option rows of
    trades.csv on days daily.csv closes VIX above 29.6 (twice 14.80) are the count: 15 of 537, the highest VIX 40.74
    on 2015-08-24 (Cboe's VIX close that day); none at mid, which pays no spread."""
    from feeds.widthstress import SPX_WIDTH_STRESS_VIX, stressed_spx_note

    r = run_backtest(C.load_default(), engine="fast")
    spx = r.trades[r.trades["kind"] == "spx_option"]
    vix = r.daily["vix_close"].reindex(spx.index)
    got = r.metrics["data_provenance"]["spx_fills_beyond_width_fit"]
    assert SPX_WIDTH_STRESS_VIX == 29.6 and got == {"fills": int((vix > 29.6).sum()), "of": len(spx),
                                                     "max_vix": 40.74, "date": "2015-08-24"}
    assert (got["fills"], got["of"]) == (15, 537)
    assert stressed_spx_note(got) in r.metrics["data_provenance"]["notes"]
    assert stressed_spx_note(got).startswith("SPX option widths are fitted on five calm days (VIX closes 12.7-14.8) and "
                                             "widen with an option's price, not with VIX: 15 of this run's 537")
    mid = run_backtest(C.replace(C.load_default(), execution={"fill": "mid"}), engine="fast")
    assert "spx_fills_beyond_width_fit" not in mid.metrics["data_provenance"]
    # widths the config sets itself are not the fit's (trial RS30: tripled, it was told of the calm days' fit)
    wide = run_backtest(C.replace(C.load_default(), market={"spreads": {"spx_option_fraction": 0.3153}}), engine="fast")
    assert "spx_fills_beyond_width_fit" not in wide.metrics["data_provenance"]


@pytest.mark.realdata
def test_the_width_fits_vix_range_is_its_days_vix_closes(shared_data: Path) -> None:
    """SPX_WIDTH_FIT_VIX: the VIX closes (../shared/data's VIX file) of the days feeds/calibration/spreads.json fitted
    the SPX option widths on."""
    import json

    from feeds.market import build_market
    from feeds.widthstress import SPX_WIDTH_FIT_VIX
    from vixhedge.core.config import MarketConfig, MarketSource

    import feeds

    days = json.loads((Path(feeds.__file__).parent / "calibration" / "spreads.json").read_text())["spx"]["days"]
    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    closes = [float(market.data.vix_close[market.index_of(pd.Timestamp(d).date())]) for d in days]
    assert (min(closes), max(closes)) == SPX_WIDTH_FIT_VIX


@pytest.mark.realdata
def test_a_window_past_the_real_vx_settles_says_so_in_the_data_line(shared_data: Path) -> None:
    """Trial RS31: a run to 2025-03-31 on ../shared/data read "VX futures 90% real, 10% anchored on real" (-q
    silenced the run's own note) without saying the real settles end inside the window: its data notes now name the
    end (vix_futures_settle_all_listed_2004_2025's last trade date, 2025-03-19, its README) and the sessions after it,
    2025-03-20..03-31 = 8 XNYS sessions (20, 21, 24-28, 31); a window ending on 2025-03-19 has no such note."""
    from vixhedge.run import run_backtest

    base = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data)})
    past = run_backtest(C.replace(base, run={"start": "2024-10-01", "end": "2025-03-31"}))
    assert ("The real VX settles end on 2025-03-19, inside this window: the VX prices of its last 8 sessions are the "
            "model's, moved from each contract's last real settle where it has one, else the model alone") \
        in past.metrics["data_provenance"]["notes"]
    inside = run_backtest(C.replace(base, run={"start": "2024-10-01", "end": "2025-03-19"}))
    assert not [n for n in inside.metrics["data_provenance"]["notes"] if "VX settles end" in n]


def test_the_stressed_spx_fills_are_the_windows_and_not_real_ones() -> None:
    """MUT28 ws2b, ws4, ws7: data_provenance counts, for spx_fills_beyond_width_fit, the SPX option fills of market days
    first_day..last_day, both ends included, whose quote is not real (feeds/widthstress.py: "at a quote not real ...
    on a day whose VIX closed above" 29.6). The embedded market's VIX closes are Cboe's (../shared/data
    cboe_volatility_indices/VIX_daily_1990_2026.csv: 2015-08-24 40.74, 08-25 36.02, 08-26 30.32, all above 29.6).
    Window 08-25..08-26; fills: 08-24 modelled (before the window: out), 08-25 a contract a stand-in says is real
    (stress, but real: out of the count, in "of"), 08-26 modelled (the last day: in). By hand: 1 of 2, the highest
    VIX 30.32 on 2015-08-26."""
    import datetime as dt

    from feeds.market import build_market
    from feeds.provenance import data_provenance
    from vixhedge.core.instruments import Contract, Kind, Right
    from vixhedge.core.ledger import Fill

    market = build_market(C.load_default().market)
    sep = dt.date(2015, 9, 18)
    real, put, call = (Contract(Kind.SPX_OPTION, sep, k, r) for k, r in ((1800.0, Right.PUT), (1700.0, Right.PUT),
                                                                         (2100.0, Right.CALL)))

    class OneReal:
        """The embedded market with ``real``'s quotes real."""

        def __getattr__(self, name):
            return getattr(market, name)

        def option_origin(self, contract, i):
            return "real" if contract == real else market.option_origin(contract, i)

    def fill(day, contract):
        return Fill(dt.date(2015, 8, day), contract, "condor", 1, 1.0, 0.9, 1.1, 1.0, 0.0, "test")

    fills = [fill(24, call), fill(25, real), fill(26, put)]
    first, last = market.index_of(dt.date(2015, 8, 25)), market.index_of(dt.date(2015, 8, 26))
    got = data_provenance(OneReal(), fills, first, last)
    assert got["spx_fills_beyond_width_fit"] == {"fills": 1, "of": 2, "max_vix": 30.32, "date": "2015-08-26"}
    assert (got["fills"]["spx_option"]["real"], got["fills"]["spx_option"]["model"]) == (1, 1)


def test_notes_alike_but_for_their_figures_are_one_note_naming_whose_figures():
    """Trial RS38 L5: a 13-mode compare's data line (2,684 characters) said the SPX-widths note three times, once per
    count of fills ("192 of this run's 1,543", "192 of ... 1,527", "184 of ... 1,398", its /tmp/rs38/d2000.out).
    feeds.provenance.once_each now says it once: each figure that differs as the variants' values in turn, then whose
    they are; a figure the same in each (82.69, the date) once; a note not every mode has still names its modes."""
    from feeds.provenance import once_each

    note = "widths: {} of this run's {} fills above VIX 29.6 (the highest 82.69 on 2020-03-16)."
    by_mode = {"alvh": [note.format(192, "1,543"), "A"], "no_slope": [note.format(192, "1,543")],
               "no_cross": [note.format(192, "1,527"), "A"], "no_cut": [note.format(184, "1,398")]}
    assert once_each(by_mode) == [
        "widths: 192 / 192 / 184 of this run's 1,543 / 1,527 / 1,398 fills above VIX 29.6 (the highest 82.69 on "
        "2020-03-16) (figures of alvh, no_slope / no_cross / no_cut).", "alvh, no_cross: A"]
    # trial RD37: a note every mode has, printed after "none: ..." in the data line, read as none's: they come first
    assert once_each({"none": ["only none's", "shared"], "alvh": ["shared"]}) == ["shared", "none: only none's"]
    del by_mode["no_cut"]  # modes but one: the merged note names its modes before it
    assert once_each({**by_mode, "none": ["A"]})[0].startswith("alvh, no_slope, no_cross: widths: 192 of this run's "
                                                               "1,543 / 1,527 fills")
