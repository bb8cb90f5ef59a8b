"""End-to-end runs on a short window of the embedded market."""

import datetime as dt
import filecmp
import re

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.report import write_run
from vixhedge.run import run_backtest

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}  # holds the Aug 2015 vol spike


@pytest.fixture(scope="module")
def cfg():
    return C.replace(C.load_default(), run=SHORT)


@pytest.fixture(scope="module")
def market(cfg):
    return build_market(cfg.market)


@pytest.fixture(scope="module")
def result(cfg, market):
    return run_backtest(cfg, market)


def test_attribution_sums_to_total_every_day(result):
    d = result.daily
    parts = d[["condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd"]].sum(axis=1)
    np.testing.assert_allclose(parts, d["total_pnl_usd"], atol=0.005)  # to the cent
    assert result.config.run.initial_cash_usd + d.iloc[-1][
        ["condor_value_usd", "hedge_value_usd", "fees_value_usd", "interest_value_usd"]].sum() == pytest.approx(
        d["nav_usd"].iloc[-1], abs=0.005)


def test_return_on_margin_is_the_pnl_rows_total_over_mean_margin(result):
    # the P&L rows (metrics.json pnl: condor, hedge, fees, interest) total from the initial cash, the first
    # day's P&L included; return on margin divides that same total (not NAV end - first-day NAV) by the mean
    # maintenance requirement, and its per-year figure spans as many days (252 / n)
    cap, total = result.metrics["capital"], sum(result.metrics["pnl"].values())
    assert total == pytest.approx(result.daily["nav_usd"].iloc[-1] - result.config.run.initial_cash_usd, abs=0.05)
    assert cap["return_on_margin"] * cap["mean_margin_usd"] == pytest.approx(total, abs=0.05)  # pnl rounded to cents
    assert cap["return_on_margin_annual"] == pytest.approx(cap["return_on_margin"] * 252 / len(result.daily), rel=1e-12)


def test_the_run_trades_both_books_and_settles(result):
    assert set(result.trades["component"].str.split(":").str[0]) == {"condor", "hedge"}
    assert len(result.layers) > 1 and len(result.condors) > 1
    assert result.daily["hedge_layers"].max() >= 2  # layers stack


def _independent_nav(result, market):
    """Final NAV from the trade list, settlement proxies and day marks only (no ledger)."""
    t = result.trades
    last = market.index_of(result.daily.index[-1])
    mult = {"spx_option": 100.0, "vix_option": 100.0, "vx_future": 1000.0}
    nav = result.config.run.initial_cash_usd - t["fee_usd"].sum()
    nav += -(t["qty"] * t["price"] * t["kind"].map(mult)).sum()
    net = t.assign(m=t["kind"].map(mult)).groupby(["kind", "expiry", "strike", "right"], dropna=False)["qty"].sum()
    for (kind, expiry, strike, right), q in net.items():
        if q == 0:
            continue
        c = Contract(Kind(kind), expiry, None if kind == "vx_future" else strike,
                     None if kind == "vx_future" else Right(right))
        if expiry <= result.daily.index[-1]:
            s = market.settlement_value(c)
            unit = s if kind == "vx_future" else (max(s - strike, 0) if right == "C" else max(strike - s, 0))
        else:
            unit = market.quote(c, last).mid
        nav += q * unit * mult[kind]
    return nav + result.daily["interest_value_usd"].iloc[-1]


def test_final_nav_recomputed_without_the_ledger(result, market):
    assert _independent_nav(result, market) == pytest.approx(result.daily["nav_usd"].iloc[-1], abs=0.01)


def test_time_return_sees_fills_on_the_same_bar(cfg, market):
    """backtrader's own TimeReturn agrees with the NAV path (fills pushed on the fill bar)."""
    import vixhedge.run as runmod

    captured = {}
    orig = runmod._assemble

    def spy(cfg_, market_, signals, session):
        captured["tr"] = session.strategy.analyzers.time_return.get_analysis()
        return orig(cfg_, market_, signals, session)

    runmod._assemble = spy
    try:
        res = run_backtest(cfg, market, engine="backtrader")
    finally:
        runmod._assemble = orig
    ours = res.daily["nav_usd"].pct_change().iloc[1:].to_numpy()
    theirs = np.array(list(captured["tr"].values()))[1:]
    np.testing.assert_allclose(theirs, ours, rtol=0, atol=1e-12)


def test_held_condors_settle_at_the_spx_open(market):
    cfg = C.replace(C.load_default(), run=SHORT, condor={"profit_take": 1.0, "stop_multiple": 50.0},
                    hedge={"mode": "none"})
    res = run_backtest(cfg, market)
    settled = res.condors[res.condors["exit_reason"] == "settled"]
    assert len(settled) >= 3
    row = settled.iloc[0]
    expiry = row["expiry"]
    spx_open = market.data.spx_open[market.index_of(expiry)]
    d = res.daily
    i = d.index.get_loc(expiry)
    # on the expiry day the condor's value moves by exactly its intrinsic settlement minus yesterday's marks
    legs = [(row["long_put"], "P", 1), (row["short_put"], "P", -1), (row["short_call"], "C", -1),
            (row["long_call"], "C", 1)]
    payoff = sum(q * (max(spx_open - k, 0) if r == "C" else max(k - spx_open, 0)) for k, r, q in legs)
    prev_marks = sum(q * market.quote(Contract(Kind.SPX_OPTION, expiry, k, Right(r)), i_prev).mid
                     for k, r, q in legs for i_prev in [market.index_of(d.index[i - 1])])
    n = row["contracts"]
    new_trades = res.trades[(res.trades.index == expiry) & (res.trades["component"].str.startswith("condor"))]
    assert new_trades.empty or (new_trades["expiry"] != expiry).all()
    opened_today = -(new_trades["qty"] * new_trades["price"] * 100).sum() if len(new_trades) else 0.0
    marks_new = sum(q * market.quote(Contract(Kind.SPX_OPTION, e, k, Right(r)), market.index_of(expiry)).mid * 100
                    for e, k, r, q in new_trades[["expiry", "strike", "right", "qty"]].itertuples(index=False))
    assert d["condor_pnl_usd"].iloc[i] == pytest.approx(
        n * 100 * (payoff - prev_marks) + opened_today + marks_new, abs=0.01)


def _first_condor_cut(res) -> pd.Timestamp:
    """The first day a capital cap (signals.csv ``capital``) or a bullish divergence (``condor_vega_cut``, the
    default's ``divergence.condor_cut = 0.5``) cut a condor, or the day after the run."""
    log = res.signals_log
    days = log.index[log["capital"].astype(str).str.startswith("condor")
                     | log["rule_ids"].astype(str).str.contains("condor_vega_cut")]
    return days[0] if len(days) else log.index[-1] + pd.Timedelta(days=1)


@pytest.mark.parametrize("mode", ["none", "static"])
def test_baselines_on_the_same_market_path(mode, market):
    cfg = C.replace(C.load_default(), run=SHORT, hedge={"mode": mode})
    res = run_backtest(cfg, market)
    # the alvh hedge without its own condor trade (the divergence's condor_vega_cut, default 0.5: 2015-06-01 here)
    result = run_backtest(C.replace(C.load_default(), run=SHORT, hedge={"divergence": {"condor_cut": 0.0}}), market)
    # the condor book is independent of the hedge until a capital cap (sized on each mode's NAV) cuts a condor:
    # identical trades on the same path up to then
    cut = min(_first_condor_cut(res), _first_condor_cut(result))
    cond = lambda r: r.trades[r.trades["component"].str.startswith("condor") & (r.trades.index < cut)]  # noqa: E731
    assert len(cond(res)) >= 8
    pd.testing.assert_frame_equal(cond(res), cond(result))
    if mode == "none":
        assert res.trades["component"].str.startswith("condor").all()
    else:
        assert res.daily["hedge_layers"].iloc[-1] == cfg.hedge.static_layers


def test_two_runs_write_byte_identical_folders(cfg, market, tmp_path):
    import shutil

    # the same folder (its manifest and report name it): the first write is set aside before the second
    a = shutil.copytree(write_run(run_backtest(cfg, market), tmp_path / "runs"), tmp_path / "a")
    b = write_run(run_backtest(cfg, market), tmp_path / "runs")
    names = sorted(p.name for p in a.iterdir())
    assert names == ["attribution.csv", "attribution.svg", "benchmark.csv", "benchmark.svg", "capital_cuts.csv",
                     "condor.svg", "condors.csv", "config.toml", "daily.csv", "equity.svg",
                     "layers.csv", "manifest.json", "metrics.json", "report.html", "signals.csv", "trades.csv",
                     "vega.svg", "vx_macd.svg"]
    match, mismatch, errors = filecmp.cmpfiles(a, b, names, shallow=False)
    assert mismatch == [] and errors == []


def test_manifest_quote_origins_are_metrics_data_provenance_counts(result, tmp_path):
    """Audit (2026-12-03): the manifest's quote_origins counted distinct (day, option) pairs and the whole loaded VX
    history, metrics.json's data_provenance every mark of a held position and every fill over the run's window:
    two numbers under one name. The manifest now carries data_provenance's own marks and fills counts."""
    import json

    folder = write_run(result, tmp_path)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    provenance = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["data_provenance"]
    assert manifest["quote_origins"] == {"marks": provenance["marks"], "fills": provenance["fills"]}
    fills = result.trades.groupby("kind").size().to_dict()  # one fill count per trades.csv row
    assert {k: sum(v[o] for o in ("real", "anchored", "model")) for k, v in provenance["fills"].items()} == fills


def test_tables_without_rows_keep_their_header(cfg, market, result, tmp_path):
    """Trial (2026-12-03): ``--hedge-mode none`` wrote layers.csv as a bare newline, no header (pd.read_csv raised
    EmptyDataError). A run with no layer, no condor and so no fill (hedge none, condor.enabled false) writes
    layers.csv, condors.csv and trades.csv with the header a run with rows writes (``result``'s, this window), and
    every CSV of the folder reads back."""
    idle = run_backtest(C.replace(cfg, hedge={"mode": "none"}, condor={"enabled": False}), market)
    assert not len(idle.layers) and not len(idle.condors) and not len(idle.trades)
    folder, full = write_run(idle, tmp_path / "idle"), write_run(result, tmp_path / "full")
    for name in ("layers", "condors", "trades", "capital_cuts"):
        header = (folder / f"{name}.csv").read_text(encoding="utf-8")
        assert header == (full / f"{name}.csv").read_text(encoding="utf-8").split("\n", 1)[0] + "\n", name
    for path in folder.glob("*.csv"):
        assert len(pd.read_csv(path).columns) > 1, path.name


def test_rewrite_replaces_folder_atomically_and_keeps_user_files(cfg, market, tmp_path):
    res = run_backtest(cfg, market)
    first = write_run(res, tmp_path)
    inode = first.stat().st_ino
    (first / "notes.txt").write_text("mine")  # a file the run does not write: carried into the new folder
    second = write_run(res, tmp_path)
    assert first == second and second.stat().st_ino != inode  # a new folder swapped in...
    assert (second / "notes.txt").read_text() == "mine"  # ... that kept the user's file
    assert [p.name for p in tmp_path.iterdir()] == [second.name]  # no temp folders left


def test_window_outside_data_or_warmup_is_a_config_error(market):
    # window-edge trial, session 13: the first refusal names the start the warm-up refusal would (not the data's 1st)
    # and, on the embedded market, that a data directory covers other years (trial TASK42 L4)
    with pytest.raises(C.ConfigError, match=r"outside the data .*choose dates inside it \(run.start 2014-02-24 or "
                                            r"later leaves the MACD its 34 bars of warm-up\); a data directory "
                                            r"covers other years \(--data-dir DIR; README \*Real data\*\)$"):
        run_backtest(C.replace(C.load_default(), run={"start": "2013-01-02"}), market)
    with pytest.raises(C.ConfigError, match=r"MACD warm-up .*needs 34: move run.start to 2014-02-24 or later$"):
        run_backtest(C.replace(C.load_default(), run={"start": "2014-01-10"}), market)  # no earlier data: no hint


def test_a_warmup_short_of_a_history_start_cut_suggests_an_earlier_history_start():
    """A fresh-user trial: the warm-up error only said "move run.start later" though market.history_start had cut
    data the warm-up could use. The embedded data start 2014-01-03 (feeds.embedded); history_start 2014-02-03 leaves
    19 sessions before 2014-03-03 (Feb 2014 less Presidents' Day), 15 short of MACD(12,26,9)'s 34: the 15th session
    before 2014-02-03 is 2014-01-10 (exchange calendar, feeds.calendars)."""
    from feeds.market import build_market

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03"}, market={"history_start": "2014-02-03"})
    with pytest.raises(C.ConfigError, match=r"leaves 19 bars of MACD warm-up .*needs 34: move run.start to "
                                            r"\S+ or later, or market.history_start to 2014-01-10 or earlier"):
        run_backtest(cfg, build_market(cfg.market))


def test_cli_end_to_end(tmp_path, capsys):
    cfgfile = tmp_path / "short.toml"
    cfgfile.write_text('[run]\nname = "short"\nstart = 2016-01-04\nend = 2016-04-29\n')
    runs = tmp_path / "runs"
    assert main(["run", str(cfgfile), "--runs-dir", str(runs)]) == 0
    out = capsys.readouterr().out
    assert "final NAV" in out and "hedge net cost" in out
    (folder,) = runs.iterdir()
    assert folder.name.startswith("short-")
    reloaded = C.load(folder / "config.toml")
    assert reloaded.run.start == dt.date(2016, 1, 4)
    daily = pd.read_csv(folder / "daily.csv")
    assert daily["date"].iloc[0] == "2016-01-04" and daily["date"].iloc[-1] == "2016-04-29"


@pytest.mark.parametrize("text, message", [
    ('[hedge]\nbogus = 1\n', r"unknown key 'hedge.bogus'"),
    ('[hedge.macd]\nfast = 30\n', r"hedge.macd.fast = 30 is invalid: must be smaller than hedge.macd.slow \(26\)"),
    ('[condor]\ncontracts = -3\n', r"condor.contracts = -3 is invalid"),
], ids=["unknown-key", "fast-ge-slow", "negative-size"])
def test_cli_config_error_writes_nothing(tmp_path, capsys, text, message):
    cfgfile = tmp_path / "bad.toml"
    cfgfile.write_text(text)
    runs = tmp_path / "runs"
    assert main(["run", str(cfgfile), "--runs-dir", str(runs)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err
    assert re.search(message, err)
    assert not runs.exists()


def test_vix_call_spread_layers_trade_and_reconcile(market):
    cfg = C.replace(C.load_default(), run=SHORT, hedge={"instrument": "vix_call_spread",
                                                         "first_layer_contracts": 20})
    res = run_backtest(cfg, market)
    hedge = res.trades[res.trades["component"].str.startswith("hedge")]
    assert set(hedge["kind"]) == {"vix_option"}
    longs, shorts = hedge[hedge["reason"] == "macd_cross_up"].query("qty > 0"), hedge.query("qty < 0")
    assert len(longs) and len(shorts)
    # every spread: short strike = long strike + width
    opened = hedge[hedge["reason"].isin(["macd_cross_up", "macd_cross_up+hist_expanding", "review_fear_rising",
                                         "review_fear_rising+hist_expanding", "roll_in"])]
    for (_, _), g in opened.groupby(["date", "component"]):
        assert sorted(g["strike"].diff().dropna().abs()) == [cfg.hedge.spread_width_points]
    assert _independent_nav(res, market) == pytest.approx(res.daily["nav_usd"].iloc[-1], abs=0.01)


def test_cli_version(capsys):
    from importlib.metadata import version

    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    from pathlib import Path

    from vixhedge import codeid

    # HELP32 (left in its fixes): the installed metadata's version alone; now also the code manifest.json records
    commit = codeid.git_commit()
    assert capsys.readouterr().out.strip() == (
        f"vixhedge {version('vixhedge')} (commit {commit[:12]}{'-dirty' if commit.endswith('-dirty') else ''}, code "
        f"sha256 {codeid.code_sha256()[:12]}, {Path(codeid.__file__).resolve().parent})")


def test_a_relative_data_dir_is_stored_absolute(tmp_path, monkeypatch, capsys):
    from tests.feeds import synthdir
    from vixhedge import cli

    work = tmp_path / "project"
    synthdir.write(tmp_path / "shared" / "data")
    work.mkdir()
    (work / "real.toml").write_text('[market]\nsource = "directory"\ndata_dir = "../shared/data"\n')
    monkeypatch.chdir(work)
    seen = []
    monkeypatch.setitem(cli.COMMANDS, "run", lambda args, cfg: seen.append(cfg) or 0)  # what the run would write
    assert main(["run", "real.toml"]) == 0
    # the folder the run reads, taken from the current directory: config.toml replays it from anywhere
    assert seen[0].market.data_dir == str(tmp_path.resolve() / "shared" / "data")
    monkeypatch.undo()
    monkeypatch.chdir(work)
    assert main(["run", "real.toml", "--print-config"]) == 0
    assert f'data_dir = "{tmp_path.resolve() / "shared" / "data"}"' in capsys.readouterr().out


def test_data_dir_flag_runs_the_config_on_a_data_folder(tmp_path, monkeypatch) -> None:
    """``--data-dir DIR`` is ``market.source = "directory"`` with ``market.data_dir = DIR`` (made absolute, as a
    config's), on run and compare alike; the rest of the config is the file's."""
    from tests.feeds import synthdir
    from vixhedge import cli

    data = synthdir.write(tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    seen = []
    for command in ("run", "compare"):
        monkeypatch.setitem(cli.COMMANDS, command, lambda args, cfg: seen.append(cfg) or 0)
        assert main([command, "--preset", "steward", "--data-dir", "data"]) == 0
    for cfg in seen:
        assert cfg.market.source.value == "directory" and cfg.market.data_dir == str(data.resolve())
        assert cfg.hedge == C.load_preset("steward").hedge


def test_layers_csv_says_which_multiple_sized_each_layer(short_folder) -> None:
    """Trial HELP23: nothing said whether a layer was sized at 1.5x or 2x the first layer's notional (a 1-contract
    first layer's later ones are 1 or 2 contracts as VX rises). layers.csv ``size_multiple``: 1.0 for a layer opened
    on an empty book, else hedge.next_layer_multiple (2.0) or, while the histogram expands above zero,
    expanding_layer_multiple (1.5): every layer whose count the expanding multiple changed (tagged hist_expanding)."""
    layers = pd.read_csv(short_folder / "layers.csv")
    assert list(layers.columns[:6]) == ["layer_id", "instrument", "contracts", "notional_usd", "size_multiple",
                                        "premium_usd"]
    assert set(layers["size_multiple"]) <= {1.0, 1.5, 2.0} and layers["size_multiple"].iloc[0] == 1.0
    tagged = layers["trigger"].str.contains("hist_expanding")
    assert tagged.any() and (layers.loc[tagged, "size_multiple"] == 1.5).all()
    opened, closed = pd.to_datetime(layers["entry_date"]), pd.to_datetime(layers["exit_date"])
    empty = [not ((opened < d) & ((closed >= d) | closed.isna())).any() for d in opened]  # no layer held before it
    assert (layers.loc[empty, "size_multiple"] == 1.0).all() and (layers.loc[[not e for e in empty],
                                                                            "size_multiple"] > 1.0).all()
