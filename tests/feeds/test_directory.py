"""Tests for feeds.directory and the Market built on real VX settles (feeds.vxcurve.with_real_settles).

A standard-layout directory is written to tmp_path: SPX and VIX on every session of Jan-Apr 2018
and VX files of the Cboe layout for the Mar..Jun 2018 monthly contracts from 2018-02-01, priced
by a known formula so every expected value can be recomputed in the test (VXH18 lacks one day,
VXJ18 its final-settlement row). The VXG18 file is the hand-written fixture (final settlement
19.26 on 2018-02-14).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import numpy as np
import pytest

from feeds import calendars
from feeds.directory import CoverageError, detect_layout, load_directory
from feeds.market import Market, build_market
from feeds.marketdata import DataError
from feeds.vxcurve import ANCHORED, MODEL, REAL, curve_model
from tests.feeds.conftest import FIXTURES
from vixhedge.core.config import ConfigError, MarketConfig, MarketSource, VxSeries
from vixhedge.core.instruments import Contract, Kind, Right

D = dt.date
START, END = D(2018, 1, 2), D(2018, 4, 30)
GAP = D(2018, 3, 7)  # VXH18 has no row that day


def _vix(i: int) -> float:
    return 12.0 + 0.1 * i


def _settle(expiry: dt.date, day: dt.date, i: int) -> float:
    return round(_vix(i) + 0.02 * (expiry - day).days, 4)


def _write_dir(root: Path) -> Path:
    days = calendars.trading_days(START, END)
    spx = ["date,open,high,low,close"] + [f"{d.date()},{2700 + i},{2710 + i},{2690 + i},{2705 + i}"
                                          for i, d in enumerate(days)]
    vix = ["DATE,OPEN,HIGH,LOW,CLOSE"] + [f"{d:%m/%d/%Y},{_vix(i) + 0.5:.2f},{_vix(i) + 1:.2f},{_vix(i) - 1:.2f},"
                                          f"{_vix(i):.2f}" for i, d in enumerate(days)]
    (root / "vx").mkdir(parents=True)
    (root / "spx.csv").write_text("\n".join(spx) + "\n")
    (root / "vix.csv").write_text("\n".join(vix) + "\n")
    # The VXG18 fixture holds the real 2018-02-05 spike (x2.1) that this made-up straight-line VIX does not
    # make: the directory's own plausibility.toml (feeds.loaders.plausible) lets a VX move up to x2.7 pass.
    (root / "plausibility.toml").write_text("[vx]\njump_log = 1.0\n")
    shutil.copy(FIXTURES / "vx" / "VX_2018-02-14.csv", root / "vx")
    for c in calendars.vx_contracts(D(2018, 3, 1), D(2018, 6, 30)):
        lines = ["Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest"]
        label = f"{calendars.VX_MONTH_CODES[c.month - 1]} ({c.settlement:%b %Y})"
        for i, d in enumerate(days):
            if d.date() < D(2018, 2, 1) or d.date() > c.settlement or (c.month == 3 and d.date() == GAP):
                continue
            if c.month == 4 and d.date() == c.settlement:  # VXJ18: no final-settlement row
                continue
            s = _settle(c.settlement, d.date(), i)
            lines.append(f"{d.date()},{label},{s},{s},{s},{s},{s},0,100,0,1000")
        (root / "vx" / f"VX_{c.settlement}.csv").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    return _write_dir(tmp_path_factory.mktemp("data"))


@pytest.fixture(scope="module")
def market(data_dir: Path) -> Market:
    return build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(data_dir)))


def test_directory_layout_and_market_data(data_dir: Path, market: Market) -> None:
    layout = detect_layout(data_dir)
    assert layout.name == "standard" and [p.name for p in layout.vx] == [
        "VX_2018-02-14.csv", "VX_2018-03-21.csv", "VX_2018-04-18.csv", "VX_2018-05-16.csv", "VX_2018-06-20.csv"]
    assert market.days[0] == START and market.days[-1] == END
    assert market.data.source == f"directory:{data_dir.resolve()}"
    assert [n for n, _ in market.data.files][:2] == ["spx.csv", "vix.csv"]
    np.testing.assert_allclose(market.data.vix_open, market.data.vix_close + 0.5, atol=1e-9)


def test_real_settles_price_the_curve(market: Market) -> None:
    i = market.index_of(D(2018, 2, 5))
    g18 = market.vx.column(D(2018, 2, 14))
    assert market.vx.prices[i, g18] == 33.225 and market.vx.origin[i, g18] == REAL
    assert market.vx_quote(i, D(2018, 2, 14)).mid == 33.225
    h18 = market.vx.column(D(2018, 3, 21))
    assert market.vx.prices[i, h18] == _settle(D(2018, 3, 21), D(2018, 2, 5), i)
    # VIX options price off the real same-expiry future
    assert market.vix_chain(i, D(2018, 3, 21)).forward == _settle(D(2018, 3, 21), D(2018, 2, 5), i)
    assert market.vx_series(VxSeries.FRONT)[i] == 33.225


def _model(market: Market) -> np.ndarray:
    """The configured curve model on the market's VIX closes (feeds.vxcurve.curve_model), every contract."""
    return curve_model(market.data.dates, market.data.vix_close, market.vx.tau_years, market.cfg.vx_curve)[0]


def test_gaps_are_anchored_on_the_last_real_settle(market: Market) -> None:
    j = market.vx.column(D(2018, 3, 21))
    i, k = market.index_of(GAP), market.index_of(GAP) - 1
    model = _model(market)[[k, i], j]
    expected = _settle(D(2018, 3, 21), market.days[k], k) + model[1] - model[0]
    assert market.vx.origin[i, j] == ANCHORED
    assert market.vx.prices[i, j] == pytest.approx(expected, abs=1e-12)


def test_model_fills_days_before_the_files(market: Market) -> None:
    i = market.index_of(D(2018, 1, 10))
    j = market.vx.column(D(2018, 3, 21))
    assert market.vx.origin[i, j] == MODEL
    assert market.vx.prices[i, j] == pytest.approx(_model(market)[i, j], abs=1e-12)
    counts = market.vx_origin_counts()
    assert counts["real"] > 0 and counts["anchored"] > 0 and counts["model"] > 0


def test_settlement_uses_the_real_final_settlement(market: Market) -> None:
    fut = Contract(kind=Kind.VX_FUTURE, expiry=D(2018, 2, 14))
    call = Contract(kind=Kind.VIX_OPTION, expiry=D(2018, 2, 14), strike=20.0, right=Right.CALL)
    assert market.settlement_value(fut) == 19.26 and market.settlement_value(call) == 19.26
    # VXJ18's file has no settlement-day row: the VRO proxy (VIX open of 04-18) settles it
    apr = Contract(kind=Kind.VX_FUTURE, expiry=D(2018, 4, 18))
    i = market.index_of(D(2018, 4, 18))
    assert market.settlement_value(apr) == market.data.vix_open[i]
    assert market.vx.prices[i, market.vx.column(D(2018, 4, 18))] == market.data.vix_open[i]
    assert market.settlement_proxies["vix_vro"] == "vx_final_settlement where the VX files have it, else vix_open"


def test_coverage_error_names_missing_sessions(tmp_path: Path) -> None:
    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    (root / "vix.csv").write_text("\n".join(x for x in lines if not x.startswith("02/06/2018")) + "\n")
    loaded = load_directory(root)
    with pytest.raises(CoverageError, match=r"do not cover 2018-02-01\.\.2018-02-28: VIX missing on 1 session\(s\) "
                                            r"\[2018-02-06\]"):
        loaded.market_data(D(2018, 2, 1), D(2018, 2, 28))
    assert loaded.market_data().days[0] == D(2018, 2, 7)  # the latest gap-free span


def test_bad_directories_are_named(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"'[^']*nope' does not exist"):
        detect_layout(tmp_path / "nope")
    (tmp_path / "a_file").write_text("")
    with pytest.raises(DataError, match=r"'[^']*a_file' is a file, not a folder"):
        detect_layout(tmp_path / "a_file")
    with pytest.raises(DataError, match=r"not a data directory: give spx\.csv, vix\.csv"):
        detect_layout(tmp_path)  # nothing of either layout
    (tmp_path / "spx.csv").write_text("date,open,high,low,close\n")
    with pytest.raises(DataError, match=r"not a complete data directory \(standard layout\): missing the VIX file "
                                        r"vix\.csv \(or vix\.csv\.gz, VIX_History\.csv\) and the folder vx/ of VX "
                                        r"files"):
        detect_layout(tmp_path)


def test_a_shared_layout_without_its_spx_file_names_it(tmp_path: Path) -> None:
    """The ../shared/data layout with the SPX file removed (the fresh-user trial's folder)."""
    (tmp_path / "cboe_volatility_indices").mkdir()
    (tmp_path / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv").write_text("DATE,OPEN,HIGH,LOW,CLOSE\n")
    (tmp_path / "vix_futures_cfe_per_contract_2004_2015" / "raw").mkdir(parents=True)
    with pytest.raises(DataError, match=r"not a complete data directory \(shared layout\): missing the SPX file "
                                        r"spx_index_daily/SPX_daily_combined_1927_2026\.csv\.gz "
                                        r"\(README \*Real data\*"):
        detect_layout(tmp_path)


def test_a_bad_file_fails_the_load_and_caches_nothing(tmp_path: Path) -> None:
    from feeds import directory

    root = _write_dir(tmp_path / "d")
    path = root / "vx" / "VX_2018-03-21.csv"
    path.write_text(path.read_text().replace(",100,0,1000\n", ",1OO,0,1000\n", 1))
    before = dict(directory._CACHE)
    with pytest.raises(DataError, match=r"VX_2018-03-21\.csv, line 2: column 'Total Volume': '1OO' is not a number"):
        load_directory(root)
    assert directory._CACHE == before


def test_config_requires_a_folder_for_the_directory_source() -> None:
    with pytest.raises(ConfigError, match=r"market\.data_dir = '' is invalid: market\.source = \"directory\" needs"):
        MarketConfig(source=MarketSource.DIRECTORY)
    with pytest.raises(ConfigError, match=r"market\.data_dir = 'x' is invalid: is only read with market\.source"):
        MarketConfig(data_dir="x")


def test_chain_files_of_a_directory_price_the_options(tmp_path: Path) -> None:
    root = _write_dir(tmp_path / "d")
    (root / "chains").mkdir()
    for name in ("SPX_20180102_snapshot.csv", "UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv"):
        shutil.copy(FIXTURES / "chains" / name, root / "chains")
    loaded = load_directory(root)
    assert [p.name for p in loaded.layout.chains] == ["SPX_20180102_snapshot.csv",
                                                      "UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv"]
    assert len(loaded.options.rows) == 26 + 2 and [str(b) for b in loaded.options.bad_rows] == [
        "SPX_20180102_snapshot.csv, line 25: no offer (ask 0)"]
    assert [n for n, _ in loaded.files][-3:] == ["chains/SPX_20180102_snapshot.csv",
                                                 "chains/UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv",
                                                 "plausibility.toml"]  # _write_dir writes one
    m = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(root)))
    i = m.index_of(D(2018, 1, 2))
    put = Contract(Kind.SPX_OPTION, D(2018, 2, 16), 2600.0, Right.PUT)
    assert m.quote(put, i).mid == 14.15 and m.option_origin(put, i) == "real"
    assert m.option_origin(put, i + 1) == "anchored"
    # the VIX put prices off this directory's real VX settles (VXG18 file) and is real on 2018-02-05
    vix_put = Contract(Kind.VIX_OPTION, D(2018, 2, 14), 20.0, Right.PUT)
    assert m.quote(vix_put, m.index_of(D(2018, 2, 5))).mid == 0.175
    # a directory without chains/ builds a model-only market
    assert build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(_write_dir(tmp_path / "e")))
                        ).real is None


def test_a_file_in_chains_that_is_no_chain_is_named(tmp_path: Path) -> None:
    root = _write_dir(tmp_path / "d")
    (root / "chains").mkdir()
    (root / "chains" / "notes.csv").write_text("a,b\n1,2\n")
    with pytest.raises(DataError, match=r"notes\.csv, line 1: not an option chain file \(header \['a', 'b'\]\): "
                                        r"give a Cboe DataShop file"):
        load_directory(root)


def test_a_relative_folder_that_is_not_there_says_where_it_was_looked_for(tmp_path: Path, monkeypatch) -> None:
    """A relative path is taken from the current directory: the message prints the absolute path tried."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(DataError, match=rf"data directory '\.\./shared/data' \(taken relative to the current "
                                        rf"directory: {tmp_path.parent}/shared/data\) does not exist"):
        load_directory("../shared/data")
    with pytest.raises(DataError, match=r"data directory '/nonexistent/data' does not exist$"):
        detect_layout("/nonexistent/data")  # an absolute path needs no note


def test_run_with_a_relative_data_dir_names_the_folder_it_tried(tmp_path: Path, monkeypatch, capsys) -> None:
    from vixhedge.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "rel.toml").write_text('[market]\nsource = "directory"\ndata_dir = "../shared/data"\n')
    assert main(["run", "-q", "--runs-dir", str(tmp_path / "runs"), "rel.toml"]) == 2
    assert (f"market.data_dir = '../shared/data' (taken relative to the current directory: {tmp_path.parent}/shared/"
            "data) does not exist") in capsys.readouterr().err


def test_every_file_the_run_reads_is_hashed_for_the_manifest(tmp_path: Path) -> None:
    """data_files: the directory's SPX/VIX/VX files, its plausibility.toml, rate file and vol-index file, and the
    A/D file the config names (each digest recomputed here from the file's bytes)."""
    import gzip
    import hashlib

    from feeds.datafiles import run_files
    from strategies.signalset import compute, inputs_from_market
    from vixhedge.core import config as C

    root = _write_dir(tmp_path / "d")
    (root / "us_short_rates").mkdir()
    (root / "us_short_rates" / "fred_DFF.csv").write_text("date,value\n2017-12-29,1.33\n2018-01-02,1.42\n")
    (root / "cboe_volatility_indices").mkdir()
    (root / "cboe_volatility_indices" / "cboe_vol_indices_wide_1990_2026.csv.gz").write_bytes(
        gzip.compress(b"date,VIX9D,VIX,VIX3M,SKEW\n2018-01-02,8.9,9.77,12.1,130.2\n"))
    ad = tmp_path / "ad.csv"
    ad.write_text("date,sp500_advancers,sp500_decliners\n2018-01-02,300,200\n")
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(root)},
                    hedge={"fomc": {"ad_csv": str(ad)}})
    market = build_market(cfg.market)
    files = dict(run_files(market, cfg, compute(inputs_from_market(market, cfg.hedge), cfg.hedge)))
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()  # noqa: E731
    for name in ("spx.csv", "vix.csv", "vx/VX_2018-02-14.csv", "plausibility.toml", "us_short_rates/fred_DFF.csv",
                 "cboe_volatility_indices/cboe_vol_indices_wide_1990_2026.csv.gz"):
        assert files[name] == digest(root / name), name
    assert files[str(ad)] == digest(ad)
    assert "feeds/calibration/short_rate_monthly.csv" not in files  # its own rate file, not the shipped series


def _run_config(root: Path, start: dt.date, end: dt.date = END):
    from vixhedge.core import config as C

    return C.replace(C.load_default(), run={"start": start, "end": end},
                     market={"source": "directory", "data_dir": str(root)})


def test_a_run_names_the_rows_it_does_not_use_once_and_the_manifest_records_them(tmp_path: Path, caplog) -> None:
    """The fresh-user trial scaled a VX file x10: `data check` rejected it whole, `vixhedge run` said nothing.

    VX_2018-05-16.csv x10: every settle of it is 10x one of _settle's (12..26), so the file's median is outside
    the plausible 8..75 (feeds.loaders.plausible_vx); its 61 rows are the sessions 2018-02-01..2018-04-30."""
    import logging

    from vixhedge.report import manifest
    from vixhedge.run import check_window, run_backtest

    root = _write_dir(tmp_path / "d")
    path = root / "vx" / "VX_2018-05-16.csv"
    head, *rows = path.read_text().splitlines()
    scaled = [",".join([*r.split(",")[:2], *(f"{10 * float(x):g}" for x in r.split(",")[2:7]), *r.split(",")[7:]])
              for r in rows]
    path.write_text("\n".join([head, *scaled]) + "\n")
    cfg = _run_config(root, D(2018, 3, 26))  # 34 sessions of MACD(12,26,9) warm-up after 2018-01-02
    market = build_market(cfg.market)
    with caplog.at_level(logging.WARNING, logger="vixhedge.data"):
        check_window(cfg, market)
        check_window(cfg, market)  # a run checks its window again (and its benchmark): the note is printed once
    notes = [r.getMessage() for r in caplog.records if r.getMessage().startswith("VX files")]
    assert len(notes) == 1 and notes[0].startswith(
        f"VX files: {len(rows)} rows dated 2018-02-01..2018-04-30, before or inside the run 2018-03-26..2018-04-30, "
        "were rejected and not used (or only in part, where the reason says so): 61 x implausible VX settle: the "
        "median of contract ")  # one contract's series (feeds.loaders.plausible.median_reasons names it)
    assert "looks quoted x10" in notes[0] and "(VX_2018-05-16.csv)" in notes[0]
    assert notes[0].endswith(f"`vixhedge data check {root.resolve()}` lists them")
    result = run_backtest(cfg, market, engine="fast")
    got = manifest(result, "x")["data_rejected_rows"]["VX"]
    assert (got["rows"], got["first"], got["last"]) == (61, "2018-02-01", "2018-04-30")
    assert got["kinds"][0]["files"] == ["VX_2018-05-16.csv"] and got["kinds"][0]["rows"] == 61


def test_a_run_says_where_the_real_vx_settles_end(tmp_path: Path, caplog) -> None:
    """The trial ran 2015-06..12 on VX files ending 2015-04-01 and was told only "87% anchored on real".

    Here every VX row after 2018-03-29 is cut: the real settles end that day; 2018-04-02 is the next session
    (2018-03-30 was Good Friday)."""
    import logging

    from vixhedge.window import check_window

    root = _write_dir(tmp_path / "d")
    for path in (root / "vx").glob("VX_2018-0[3-6]-*.csv"):
        lines = path.read_text().splitlines()
        path.write_text("\n".join(x for x in lines if not x.startswith("2018-04")) + "\n")
    cfg = _run_config(root, D(2018, 4, 2))
    with caplog.at_level(logging.WARNING, logger="vixhedge.data"):
        check_window(cfg, build_market(cfg.market))
    assert ("VX files: the real VX settles end on 2018-03-29, before the run 2018-04-02..2018-04-30: from 2018-04-02 "
            "every VX price is the model's") in caplog.text


@pytest.mark.realdata
def test_notes_name_only_rows_that_can_move_the_run_and_lead_with_the_largest_kind(shared_data: Path) -> None:
    """A 2015 run on ../shared/data was told of 5 VIX rows dated 2002-2006 ("before the run") and its VX note named
    two small kinds and hid the largest in "1275 more of 5 other kind(s)" (the verification trial). Rows older than
    252 sessions before run.start move no signal visibly (feeds.datanotes.REACH_BARS); the largest kind leads."""
    from feeds.datanotes import REACH_BARS, window_notes

    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    start, end = D(2015, 1, 2), D(2015, 12, 31)
    notes, record = window_notes(market, start, end)
    first = market.days[sum(d < start for d in market.days) - REACH_BARS]
    assert not any(n.startswith("VIX files") for n in notes)  # its rejected rows are dated 2002-2006
    for family, rec in record["data_rejected_rows"].items():
        assert rec["first"] is None or D.fromisoformat(rec["first"]) >= first, family
        kinds = rec["kinds"]
        assert kinds[0]["rows"] == max(k["rows"] for k in kinds), family


def test_an_spx_row_without_its_open_is_used_with_the_previous_close_as_its_open(tmp_path: Path) -> None:
    """A fresh-user trial: an empty SPX open on 2014-07-15 passed `data check` ("the open is not used, the rest of
    the row is") but cut the run's history there. The row is used; its open is the previous close, the stale-open
    proxy of feeds.staleopen (2018-02-15 in _write_dir: O=2731 H=2741 L=2721 C=2736, its session i = 31)."""
    root = _write_dir(tmp_path / "d")
    text = (root / "spx.csv").read_text()
    (root / "spx.csv").write_text(text.replace("2018-02-15,2731,", "2018-02-15,,"))
    data = load_directory(root).market_data()
    assert data.days[0] == START  # no cut
    i = data.days.index(D(2018, 2, 15))
    assert data.spx_open[i] == 2735.0 and data.spx_close[i - 1] == 2735.0  # 2018-02-14 closed at 2705 + 30
    assert (data.spx_low[i], data.spx_high[i]) == (2721.0, 2741.0)  # the proxy lies inside the day's range here


def test_a_previous_close_above_the_day_s_high_widens_the_high_to_the_proxy_open(tmp_path: Path) -> None:
    """feeds.directory._proxy_opens: the stale-open proxy (the previous close, 2735 in _write_dir) lies above the
    day's high when the day gapped down; the high is widened to it, as a stale row has it (feeds/staleopen.py). Here
    2018-02-15 is rewritten O=- H=2730 L=2720 C=2725 (a made-up gap down, inside the loader's rules)."""
    root = _write_dir(tmp_path / "d")
    text = (root / "spx.csv").read_text()
    (root / "spx.csv").write_text(text.replace("2018-02-15,2731,2741,2721,2736", "2018-02-15,,2730,2720,2725"))
    data = load_directory(root).market_data()
    i = data.days.index(D(2018, 2, 15))
    assert data.spx_open[i] == data.spx_close[i - 1] == 2735.0
    assert (data.spx_low[i], data.spx_high[i], data.spx_close[i]) == (2720.0, 2735.0, 2725.0)


def test_an_spx_file_in_the_wrong_scale_is_one_error_naming_it(tmp_path: Path) -> None:
    """A fresh-user trial: SPX x0.1 (SPY-like) gave "SPX and VIX share fewer than 2 sessions" and `data check`
    exit 0 with "0 usable rows". SPX's 2018 range 2351..2931 (feeds.loaders.plausible.SPX_YEARLY)."""
    root = _write_dir(tmp_path / "d")
    days = calendars.trading_days(START, END)
    (root / "spx.csv").write_text("date,open,high,low,close\n" + "".join(
        f"{d.date()},{270 + i / 10},{271 + i / 10},{269 + i / 10},{270.5 + i / 10}\n" for i, d in enumerate(days)))
    with pytest.raises(DataError, match=rf"spx\.csv: none of its {len(days)} rows is usable \({len(days)} like line "
                                        r"2: implausible SPX close 270\.5: far outside SPX's 2018 range 2351\.\.2931 "
                                        r"\(x0\.1: SPY, not SPX\?\)\): fix the file"):
        load_directory(root)


def test_a_frozen_feed_is_noted_not_refused(tmp_path: Path) -> None:
    """A fresh-user trial: VIX's OHLC of 2014-10-10 copied over the next 5 sessions passed unflagged."""
    from feeds.check import check
    from feeds.datanotes import window_notes

    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    k = next(i for i, x in enumerate(lines) if x.startswith("03/01/2018"))
    frozen = lines[k].split(",", 1)[1]
    for j in range(k + 1, k + 4):  # 03/02, 03/05, 03/06 repeat 03/01: 4 rows in a row
        lines[j] = lines[j].split(",", 1)[0] + "," + frozen
    (root / "vix.csv").write_text("\n".join(lines) + "\n")
    m = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(root)))
    assert m.data.frozen == (("vix.csv", D(2018, 3, 1), D(2018, 3, 6), 4),)
    notes = window_notes(m, D(2018, 3, 1), D(2018, 4, 30))[0]
    assert any(n.startswith("vix.csv: the same open, high, low and close on 3 or more sessions in a row") and
               "2018-03-01..2018-03-06 (4 rows)" in n for n in notes)
    assert "WARNING stale rows: 4 rows in 1 run(s)" in check(root)[0]


def test_two_files_for_one_series_are_refused(tmp_path: Path) -> None:
    root = _write_dir(tmp_path / "d")
    shutil.copy(root / "vix.csv", root / "VIX_History.csv")
    with pytest.raises(DataError, match=r"vix\.csv and VIX_History\.csv are both there, two files for one series: "
                                        r"keep one"):
        load_directory(root)


def test_a_shared_layout_needs_one_vx_source_not_the_raw_folder(tmp_path: Path) -> None:
    """The ../shared/data layout with only the 2004-2025 consolidated VX file (README.md of ../shared/data lists
    three VX folders; any one holds the settles a run reads)."""
    (tmp_path / "cboe_volatility_indices").mkdir()
    (tmp_path / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv").write_text("DATE,OPEN,HIGH,LOW,CLOSE\n")
    (tmp_path / "spx_index_daily").mkdir()
    (tmp_path / "spx_index_daily" / "SPX_daily_combined_1927_2026.csv.gz").write_bytes(b"")
    with pytest.raises(DataError, match=r"missing VX files: the folder vix_futures_cfe_per_contract_2004_2015/raw/ "
                                        r"or "):
        detect_layout(tmp_path)
    vx = tmp_path / "vix_futures_settle_all_listed_2004_2025" / "vx_settle_all_listed_2004_2025.csv.gz"
    vx.parent.mkdir()
    vx.write_bytes(b"")
    assert detect_layout(tmp_path).vx == (vx,)


def test_a_same_size_edit_of_a_file_is_read_anew(tmp_path: Path) -> None:
    """MUT26 D12 (the cache keyed on file sizes alone): the module docstring ("cached per path and file signature
    (size, mtime)"): the VIX file's first close edited 12.00 -> 12.05 (the same bytes long), its mtime moved, is
    loaded again and the new close read (12.05: the edited line, by hand); unchanged, the load is the cached one."""
    import os

    root = _write_dir(tmp_path / "d")
    first = load_directory(root)
    assert load_directory(root) is first  # unchanged: the cache
    assert first.vix.close[0] == 12.0
    path = root / "vix.csv"
    text = path.read_text()
    head, row, rest = text.split("\n", 2)
    assert row == "01/02/2018,12.50,13.00,11.00,12.00"
    edited = "\n".join([head, row[:-5] + "12.05", rest])
    assert len(edited) == len(text)
    mtime = path.stat().st_mtime_ns
    path.write_text(edited)
    os.utime(path, ns=(mtime + 2_000_000_000, mtime + 2_000_000_000))
    again = load_directory(root)
    assert again is not first and again.vix.close[0] == 12.05


def test_a_frozen_run_that_began_before_the_window_is_still_listed(tmp_path: Path) -> None:
    """MUT26 D11 (a run listed only when it begins inside the window): the frozen run above (VIX 2018-03-01..03-06,
    4 rows) overlaps a window from 2018-03-05 (sessions 03-05 and 03-06 in it, by hand): it is listed whole, as
    MarketData.frozen lists every run the window touches; a window from 2018-03-07 lists none."""
    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    k = next(i for i, x in enumerate(lines) if x.startswith("03/01/2018"))
    for j in range(k + 1, k + 4):  # 03/02, 03/05, 03/06 repeat 03/01, as above
        lines[j] = lines[j].split(",", 1)[0] + "," + lines[k].split(",", 1)[1]
    (root / "vix.csv").write_text("\n".join(lines) + "\n")
    data = load_directory(root)
    assert data.market_data(D(2018, 3, 5), D(2018, 4, 30)).frozen == (("vix.csv", D(2018, 3, 1), D(2018, 3, 6), 4),)
    assert data.market_data(D(2018, 3, 7), D(2018, 4, 30)).frozen == ()


def _drop(root: Path, name: str, prefix: str) -> None:
    lines = (root / name).read_text().splitlines()
    (root / name).write_text("\n".join(x for x in lines if not x.startswith(prefix)) + "\n")


def test_rejected_from_a_day_includes_the_rows_of_that_day(tmp_path: Path) -> None:
    """MUT26 D1 (``r.day >= first`` -> ``>``): DataDirectory.rejected_from's docstring says "dated on or after
    ``first``": the VIX row of 2018-02-06 made bad (close 0) is among the rows from 2018-02-06 and not from 02-07."""
    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    k = next(i for i, x in enumerate(lines) if x.startswith("02/06/2018"))
    lines[k] = lines[k].rsplit(",", 1)[0] + ",0"
    (root / "vix.csv").write_text("\n".join(lines) + "\n")
    data = load_directory(root)
    assert [(r.family, r.day) for r in data.rejected_from(D(2018, 2, 6))] == [("VIX", D(2018, 2, 6))]
    assert [r.day for r in data.rejected_from(D(2018, 2, 7))] == []


def test_one_common_session_from_history_start_is_a_coverage_error(tmp_path: Path) -> None:
    """MUT26 D3 (``len(common) < 2`` -> ``< 1``): market_data needs 2 sessions shared by SPX and VIX (its message
    says "fewer than 2"); from 2018-04-30, the files' last session, they share exactly one (by hand)."""
    data = load_directory(_write_dir(tmp_path / "d"))
    with pytest.raises(CoverageError, match=r"SPX and VIX share fewer than 2 sessions from 2018-04-30$"):
        data.market_data(history_start=D(2018, 4, 30))
    assert len(data.market_data(history_start=D(2018, 4, 27)).dates) == 2  # Fri 04-27 and Mon 04-30


def test_a_gap_of_each_file_on_its_own_day_says_the_other_file_has_it(tmp_path: Path) -> None:
    """MUT26 D14 (``has`` only when the other file has no gap at all): DataDirectory.describe's docstring example
    "VIX missing on 2019-03-12 (a session the SPX file has)". VIX lacks 2018-02-06 and SPX 2018-02-08: each
    session is one the other file has; where both lack 2018-02-06 neither has it and no file is named as having it."""
    root = _write_dir(tmp_path / "d")
    _drop(root, "vix.csv", "02/06/2018")
    _drop(root, "spx.csv", "2018-02-08")
    data = load_directory(root)
    assert data.describe(data.missing(D(2018, 2, 1), D(2018, 2, 28))) == (
        "spx.csv: SPX missing on 2018-02-08 (a session the VIX file has); "
        "vix.csv: VIX missing on 2018-02-06 (a session the SPX file has)")
    _drop(root, "spx.csv", "2018-02-06")
    data = load_directory(root)
    assert data.describe(data.missing(D(2018, 2, 1), D(2018, 2, 28))) == (
        "spx.csv: SPX missing on 2018-02-06, 2018-02-08 (2 sessions); vix.csv: VIX missing on 2018-02-06")


def test_eight_dates_are_listed_whole_and_a_ninth_adds_an_ellipsis() -> None:
    """MUT26 D10 (``len(days) > show`` -> ``>=``): feeds.directory._dates shows ``show`` (8) dates and ", ..." only
    when more were left out (8 sessions 2018-02-01..02-12 by hand, the 9th 02-13)."""
    from feeds.directory import _dates

    days = calendars.trading_days(D(2018, 2, 1), D(2018, 2, 13))
    assert len(days) == 9
    assert _dates(days[:8]) == "[" + ", ".join(d.date().isoformat() for d in days[:8]) + "]"
    assert _dates(days).endswith("2018-02-12, ...]")


def test_a_cfe_file_takes_precedence_over_a_vx_file_for_a_contract_day_both_give(tmp_path: Path) -> None:
    """MUT28 LY1: feeds/directory.py's docstring: "precedence (for a contract-day given twice): per-contract files
    (CFE_*_VX.csv, then VX_YYYY-MM-DD.csv) before consolidated files". The synthetic directory (tests/feeds/synthdir)
    gives VX_2018-03-21.csv; CFE_H18_VX.csv repeats it with 2018-01-10's settle raised by 0.5 (beyond
    feeds.loaders.vx.AGREE): the CFE file's settle (the VX_ one + 0.5, by hand) is the one used."""
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "d")
    vx_file = root / "vx" / "VX_2018-03-21.csv"
    lines = vx_file.read_text().splitlines()
    at = next(k for k, line in enumerate(lines) if line.startswith("2018-01-10,"))
    fields = lines[at].split(",")
    vx_settle = float(fields[6])
    fields[6] = f"{vx_settle + 0.5:.3f}"
    lines[at] = ",".join(fields)
    (root / "vx" / "CFE_H18_VX.csv").write_text("\n".join(lines) + "\n")
    rows = load_directory(root).vx.rows
    day = rows[(rows["trade_date"] == "2018-01-10") & (rows["expiry"] == "2018-03-21")]
    assert len(day) == 1 and day["settle"].iat[0] == pytest.approx(vx_settle + 0.5)
    assert "CFE_H18_VX.csv" in str(day["file"].iat[0])


def test_a_shared_layout_with_an_empty_raw_folder_says_no_vx_files(tmp_path: Path) -> None:
    """MUT28 LY5: feeds.layout._shared: a shared directory (SPX and VIX files there) whose raw VX folder is empty
    and with no consolidated VX file is the shared layout without VX files: "no VX files found (shared layout)", not
    a list of missing files of an incomplete directory."""
    (tmp_path / "spx_index_daily").mkdir()
    (tmp_path / "spx_index_daily" / "SPX_daily_combined_1927_2026.csv.gz").write_bytes(b"")
    (tmp_path / "cboe_volatility_indices").mkdir()
    (tmp_path / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv").write_text("DATE,OPEN,HIGH,LOW,CLOSE\n")
    (tmp_path / "vix_futures_cfe_per_contract_2004_2015" / "raw").mkdir(parents=True)
    with pytest.raises(DataError, match=r": no VX files found \(shared layout\)$"):
        detect_layout(tmp_path)


def test_a_vx_folder_of_gzipped_files_only_is_found(tmp_path: Path) -> None:
    """MUT28 LY7: feeds.directory's docstring: ``vx/`` holds "VX files of any layout" and series files may be
    ``.csv[.gz]``; a vx/ holding only VX_2018-02-14.csv.gz (gzip of the fixture) is the standard layout's VX file."""
    import gzip

    root = _write_dir(tmp_path / "d")
    for path in (root / "vx").glob("*.csv"):
        path.unlink()
    target = root / "vx" / "VX_2018-02-14.csv.gz"
    target.write_bytes(gzip.compress((FIXTURES / "vx" / "VX_2018-02-14.csv").read_bytes()))
    layout = detect_layout(root)
    assert (layout.name, layout.vx) == ("standard", (target,))
