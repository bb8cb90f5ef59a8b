"""A data directory's advance/decline file as the FOMC rule's A/D input (strategies.adinput).

Fresh-user trial (2026-12-03, finding 1): `vixhedge replay yen-carry --data-dir ../shared/data` said "no S&P 500
advance/decline input" although the folder's nyse_breadth_computed_2023_2026 file covers 2024: the directory source
picked up the rate and vol-index files but not the breadth file.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.breadth import BreadthError, find_ad_file
from feeds.market import build_market
from feeds.datafiles import run_files
from strategies import adinput
from strategies.adinput import NO_AD_NOTE
from strategies.signalset import compute, inputs_from_market
from tests.feeds.test_directory import END, START, _write_dir
from vixhedge.core import config as C

D = dt.date


def _breadth(path: Path, partial: dt.date | None = None) -> Path:
    """An A/D file in the shared layout on every session START..END (``partial``: that day's row a partial day)."""
    rows = ["date,nyse_advancers,sp500_advancers,sp500_decliners"]
    for i, d in enumerate(calendars.trading_days(START, END)):
        adv = 250 + (i * 37) % 120 if d.date() != partial else 60
        rows.append(f"{d.date()},1500,{adv},{(500 if d.date() != partial else 150) - adv}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(rows) + "\n")
    return path


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = _write_dir(tmp_path_factory.mktemp("data"))
    _breadth(root / "nyse_breadth_computed_2018" / "ad_2018.csv", partial=D(2018, 4, 27))
    return root


def _cfg(root: Path, **hedge) -> C.Config:
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(root)},
                    run={"start": "2018-03-01", "end": "2018-04-30"})
    return C.replace(cfg, hedge=hedge) if hedge else cfg


def test_a_directory_s_breadth_file_is_the_ad_input_when_ad_csv_is_empty(data_dir: Path, caplog) -> None:
    cfg = _cfg(data_dir)
    market = build_market(cfg.market)
    with caplog.at_level("WARNING", logger="vixhedge.policy"):
        inputs = inputs_from_market(market, cfg.hedge, (cfg.run.start, cfg.run.end))
    assert inputs.ad_file == str(data_dir / "nyse_breadth_computed_2018" / "ad_2018.csv")
    assert np.isfinite(inputs.advances[pd.DatetimeIndex(inputs.dates) == pd.Timestamp("2018-03-01")]).all()
    # the partial day is a bad row, named with its line, and the run goes on without it
    assert "1 bad row(s) not used" in caplog.text and "line 82: implausible counts" in caplog.text
    assert np.isnan(inputs.advances[pd.DatetimeIndex(inputs.dates) == pd.Timestamp("2018-04-27")]).all()
    s = compute(inputs, cfg.hedge)
    assert not any(n.startswith(NO_AD_NOTE) for n in s.notes)
    (note,) = [n for n in s.notes if n.startswith(adinput.FOUND_NOTE)]
    # a folder named "computed", as the shared data's nyse_breadth_computed_2023_2026, whose README says its counts are
    # "computed by the repo from a stock universe, NOT the official NYSE advance/decline figures" (trial RS31)
    assert note == ("hedge.fomc: advance/decline input: nyse_breadth_computed_2018/ad_2018.csv of the data directory "
                    "(hedge.fomc.ad_csv is empty), columns sp500_advancers / sp500_decliners (counts computed from a "
                    "stock universe by the data's source, not an exchange's official advance/decline figures), "
                    "2018-01-02 .. 2018-04-30, 1 bad row not used; set hedge.fomc.ad_csv to read another file")
    assert s.ad_file == inputs.ad_file
    files = dict(run_files(market, cfg, s))  # the manifest's data_files list it, under its path in the directory
    assert "nyse_breadth_computed_2018/ad_2018.csv" in files


def test_a_breadth_folder_not_named_computed_says_nothing_of_its_counts(tmp_path: Path) -> None:
    # (trial RS31's clause only where the folder's name says the counts are computed: a plain "breadth" folder may
    # hold official figures)
    root = _write_dir(tmp_path / "data")
    _breadth(root / "nyse_breadth" / "ad.csv")
    cfg = _cfg(root)
    note = inputs_from_market(build_market(cfg.market), cfg.hedge, (cfg.run.start, cfg.run.end)).ad_note
    assert note.startswith("hedge.fomc: advance/decline input: nyse_breadth/ad.csv of the data directory ")
    assert "columns sp500_advancers / sp500_decliners, 2018-01-02 .. 2018-04-30;" in note
    assert "computed" not in note


def test_an_explicit_ad_csv_wins_and_a_policy_without_signals_reads_none(data_dir: Path, tmp_path: Path) -> None:
    own = _breadth(tmp_path / "mine.csv")
    cfg = _cfg(data_dir)
    market = build_market(cfg.market)
    explicit = dataclasses.replace(cfg.hedge, fomc=dataclasses.replace(cfg.hedge.fomc, ad_csv=str(own)))
    inputs = inputs_from_market(market, explicit)
    assert (inputs.ad_file, inputs.ad_note) == (str(own), "")  # the config names it: no note needed
    assert not any(n.startswith(adinput.FOUND_NOTE) for n in compute(inputs, explicit).notes)
    assert str(own) in dict(run_files(market, C.replace(cfg, hedge={"fomc": {"ad_csv": str(own)}}),
                                      compute(inputs, explicit)))
    for mode in ("static", "none", "vxth"):  # their rules never read the A/D line: nothing loaded, nothing listed
        hedge = C.replace(cfg, hedge={"mode": mode}).hedge
        assert adinput.ad_file(market, hedge) == ("", False)
        assert inputs_from_market(market, hedge).advances is None


def test_several_breadth_files_are_one_line_naming_them(tmp_path: Path) -> None:
    assert find_ad_file(tmp_path) is None
    _breadth(tmp_path / "breadth" / "a.csv")
    assert find_ad_file(tmp_path) == tmp_path / "breadth" / "a.csv"
    _breadth(tmp_path / "breadth" / "b.csv.gz")
    with pytest.raises(BreadthError, match=r"2 advance/decline files in its breadth folder\(s\) \(breadth/a\.csv, "
                                           r"breadth/b\.csv\.gz\): a run reads one: keep one, or name it in "
                                           r"hedge\.fomc\.ad_csv$"):
        find_ad_file(tmp_path)


@pytest.mark.realdata
def test_replay_yen_carry_reads_the_shared_breadth_file(shared_data: Path) -> None:
    """The trial's command, as its run reads it: the A/D input is the shared breadth file (its partial last row a
    bad row), the FOMC rule sees A/D on every session of the window."""
    from feeds.periods import PERIODS

    p = PERIODS["yen-carry"]
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data),
                                              "history_start": p.history_start().isoformat()})
    market = build_market(cfg.market)
    inputs = inputs_from_market(market, cfg.hedge, (p.start, p.end))
    assert inputs.ad_file.endswith("nyse_breadth_computed_2023_2026/advance_decline_2023_2026.csv.gz")
    window = (inputs.dates >= pd.Timestamp(p.start)) & (inputs.dates <= pd.Timestamp(p.end))
    assert np.isfinite(inputs.advances[window]).all() and inputs.ad_uncovered == ""
    assert "2023-06-21 .. 2026-06-17, 1 bad row not used" in inputs.ad_note
    assert ("(counts computed from a stock universe by the data's source, not an exchange's official advance/decline "
            "figures)") \
        in inputs.ad_note  # (its README: "NOT the official NYSE advance/decline figures", trial RS31)


@pytest.mark.realdata
def test_the_a_d_rules_act_on_real_data_where_the_file_covers_the_run(shared_data: Path) -> None:
    """README "The A/D rules on real data": the default config on 2023-07-03..2025-03-19 of ../shared/data, whose
    breadth file is now its A/D input, acts through fomc_cadence 2, ad_filter 8, event_window 3 and fomc_divergence 3
    times (without the file: 0, 0, 0, 3); 5, 9, 4 and 3 before "MACD rising" left out flattening bars (2026-12-04).
    The window ends on the VX settles' last day, 2025-03-19 (vix_futures_settle_all_listed_2004_2025/README.md; trial
    RS31: the README's command ran to 2025-03-31, 8 sessions on anchored VX); the same figures to 2025-03-31."""
    from vixhedge.run import run_backtest

    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    para = readme[readme.index("**The A/D rules on real data**"):readme.index("**Steward confirms")]
    assert "`vixhedge run --data-dir ../shared/data --start 2023-07-03 --end 2025-03-19`" in para
    assert "`fomc_cadence` acts 2 times, `ad_filter` 8, `event_window` 3, `fomc_divergence` 3" in para
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data)},
                    run={"start": "2023-07-03", "end": "2025-03-19"})
    fired = run_backtest(cfg).metrics["rules_fired"]
    assert {k: fired[k] for k in ("fomc_cadence", "ad_filter", "event_window", "fomc_divergence")} == {
        "fomc_cadence": 2, "ad_filter": 8, "event_window": 3, "fomc_divergence": 3}


def test_a_sweep_s_identity_hashes_the_directory_s_breadth_and_calendar_files(tmp_path: Path) -> None:
    """A sweep on a directory now reads its breadth file (and calendar folder): an edited one makes other rows, so
    its identity's data part changes (vixhedge.sweep_spec.spec_identity, feeds.datafiles.directory_extras)."""
    from types import SimpleNamespace

    from feeds import events
    from feeds.datafiles import directory_extras
    from tests.vixhedge.test_sweep_integrity import write_spec
    from vixhedge import sweep as sw

    root = tmp_path / "d"
    path = _breadth(root / "breadth" / "ad.csv")
    market = SimpleNamespace(cfg=C.MarketConfig(source=C.MarketSource.DIRECTORY, data_dir=str(root)),
                             data=SimpleNamespace(files=(("spx.csv", "sha-1"),)))
    spec = sw.load_spec(write_spec(tmp_path))
    first = sw.spec_identity(spec, market)["parts"]["data"]
    path.write_text(path.read_text().replace(",1500,", ",1501,"))
    second = sw.spec_identity(spec, market)["parts"]["data"]
    (root / events.FOLDER).mkdir()
    (root / events.FOLDER / events.SOURCES[0]).write_text("announcement_date,type\n2018-03-21,scheduled\n")
    third = sw.spec_identity(spec, market)["parts"]["data"]
    assert len({first, second, third}) == 3
    assert [n for n, _ in directory_extras(market)] == ["breadth/ad.csv", f"{events.FOLDER}/{events.SOURCES[0]}"]


def test_a_directory_s_breadth_file_that_misses_the_window_is_one_note(tmp_path: Path, caplog) -> None:
    """The shared data's breadth file starts 2023-06-21: a 2014-2018 run on ../shared/data printed four A/D lines (its
    bad row, its coverage, which file, no row in the window). Now the one line of the rules it disables, naming the
    file and its span; the file's own warnings (here its partial day) are not logged."""
    root = _write_dir(tmp_path / "data")
    full = _breadth(tmp_path / "full.csv", partial=D(2018, 1, 12))
    header, *rows = full.read_text().splitlines()
    early = [header, *(ln for ln in rows if ln < "2018-02")]  # January
    (root / "breadth").mkdir()
    (root / "breadth" / "ad.csv").write_text("\n".join(early) + "\n")
    cfg = _cfg(root)
    with caplog.at_level("WARNING", logger="vixhedge.policy"):
        inputs = inputs_from_market(build_market(cfg.market), cfg.hedge, (cfg.run.start, cfg.run.end))
    assert caplog.text == ""
    notes = compute(inputs, cfg.hedge).notes
    (note,) = [n for n in notes if "advance/decline" in n]
    assert note.startswith(adinput.AD_NO_ROWS_NOTE + ": the A/D file " + str(root / "breadth" / "ad.csv")
                           + " holds 2018-01-02 .. 2018-01-31, no session of the run's window 2018-03-01 .. 2018-04-30")


def test_a_breadth_file_added_in_a_long_lived_process_is_seen_by_the_next_run(tmp_path: Path) -> None:
    # review finding 4: adinput._find cached the directory's answer by path, so a file added (or replaced by another)
    # in a notebook session was never seen and the manifest hashed a file the run did not read
    root = _write_dir(tmp_path / "data")
    cfg = _cfg(root)
    market = build_market(cfg.market)
    assert adinput.ad_file(market, cfg.hedge) == ("", False)
    first = _breadth(root / "breadth" / "a.csv")
    assert adinput.ad_file(market, cfg.hedge) == (str(first), True)
    first.rename(root / "breadth" / "b.csv")
    assert adinput.ad_file(market, cfg.hedge) == (str(root / "breadth" / "b.csv"), True)


def _two_files(root: Path) -> Path:
    _write_dir(root)
    _breadth(root / "breadth" / "a.csv")
    _breadth(root / "breadth" / "b.csv")
    return root


ENTRY_POINTS = ["cli run", "cli compare", "cli replay", "api.run_backtest", "api.compare", "run.run_backtest"]


def _refusal(entry: str, root: Path, tmp_path: Path, capsys) -> str:
    """The one line ``entry`` refuses a data directory of two breadth files with (a CLI command's stderr, or the
    message of what the Python call raised)."""
    import vixhedge.api as api
    import vixhedge.run
    from vixhedge.cli import main

    if entry.startswith("cli "):
        argv = {"run": ["run"], "compare": ["compare", "--modes", "none,alvh"], "replay": ["replay", "volmageddon"]}
        assert main([*argv[entry[4:]], "--data-dir", str(root), "--runs-dir", str(tmp_path / "runs")]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1, err  # no banner first (replay's is printed once the checks pass)
        assert not (tmp_path / "runs").exists()
        return err[0].removeprefix("vixhedge: ")
    cfg = api.replace_config(api.load_default_config(), market={"source": "directory", "data_dir": str(root)})
    call = {"api.run_backtest": api.run_backtest, "api.compare": lambda c: api.compare(c, modes="none,alvh"),
            "run.run_backtest": vixhedge.run.run_backtest}[entry]
    with pytest.raises(BreadthError) as caught:
        call(cfg)
    return str(caught.value)


def test_every_entry_point_refuses_several_breadth_files_before_the_market_is_built(tmp_path: Path, monkeypatch,
                                                                                    capsys) -> None:
    # review finding 5: refused after the market was built (~7 s on ../shared/data), by the signals' loader; code
    # review: the check was called by hand at each entry point (CLI, API), not by run.run_backtest nor progress.
    # Every market a run builds now comes from feeds.market.market_for, which checks first: one line, the same
    import feeds.market
    import feeds.periods

    root = _two_files(tmp_path / "d")
    monkeypatch.setattr(feeds.market, "build_market", lambda *a: pytest.fail("the market was built"))
    monkeypatch.setattr(feeds.periods, "check_coverage", lambda *a: None)  # (the folder holds 2018-01..04 only)
    lines = {entry: _refusal(entry, root, tmp_path, capsys) for entry in ENTRY_POINTS}
    assert len(set(lines.values())) == 1, lines
    assert lines["cli run"] == (f"{root}: 2 advance/decline files in its breadth folder(s) (breadth/a.csv, "
                                "breadth/b.csv): a run reads one: keep one, or name it in hedge.fomc.ad_csv"), lines


def test_market_for_checks_once_then_builds_and_passes_a_given_market_through(tmp_path: Path, monkeypatch) -> None:
    import feeds.market
    import strategies.adinput
    import strategies.signalfiles

    root = _two_files(tmp_path / "d")
    cfg = _cfg(root)
    calls: list[str] = []
    monkeypatch.setattr(strategies.adinput, "check_directory_file", lambda cs: calls.append(f"check {len(cs)}"))
    monkeypatch.setattr(feeds.market, "build_market", lambda m: calls.append("build") or m)
    # (and the calendar and A/D files read before the banner too: trial FUZZ33 M3, strategies.signalfiles)
    monkeypatch.setattr(strategies.signalfiles, "check_signal_files", lambda cs: calls.append(f"files {len(cs)}"))
    modes = [C.replace(cfg, hedge={"mode": m}) for m in ("none", "alvh")]
    assert feeds.market.market_for(modes, before_build=lambda: calls.append("banner")) == cfg.market
    assert calls == ["check 2", "files 2", "banner", "build"]  # the modes of a compare: one check, one market
    given = object()
    assert feeds.market.market_for(cfg, given) is given and calls == ["check 2", "files 2", "banner", "build"]


@pytest.mark.parametrize("extra", [["--hedge-mode", "static"], ["--hedge-mode", "none"], "ad_csv"])
def test_a_run_that_reads_no_directory_breadth_file_is_not_refused_for_two(tmp_path: Path, monkeypatch, capsys,
                                                                          extra) -> None:
    # review finding 5: the preflight refuses only where adinput.ad_file would read the directory's file
    import feeds.market
    from vixhedge.cli import main

    root = _two_files(tmp_path / "d")
    if extra == "ad_csv":
        (tmp_path / "my.toml").write_text(f'[hedge.fomc]\nad_csv = "{root / "breadth" / "a.csv"}"\n')
        extra = [str(tmp_path / "my.toml")]

    def build(*a):
        raise C.ConfigError("the market is being built")

    monkeypatch.setattr(feeds.market, "build_market", build)
    assert main(["run", *extra, "--data-dir", str(root), "--runs-dir", str(tmp_path / "runs")]) == 2
    assert capsys.readouterr().err.strip() == "vixhedge: the market is being built"  # past the preflight


def test_a_sweep_identity_hashes_every_breadth_file_and_never_refuses(tmp_path: Path) -> None:
    # review finding 5: datafiles.directory_extras (provenance.directory_extras then) called find_ad_file, refusing a folder of two even for a config
    # that names hedge.fomc.ad_csv (its advice: name it in ad_csv) or a static / vxth / none sweep
    from types import SimpleNamespace

    from feeds.datafiles import directory_extras

    root = _two_files(tmp_path / "d")
    market = SimpleNamespace(cfg=C.MarketConfig(source=C.MarketSource.DIRECTORY, data_dir=str(root)))
    assert [n for n, _ in directory_extras(market)] == ["breadth/a.csv", "breadth/b.csv"]


def test_the_missing_a_d_sessions_are_counted_with_the_look_back_before_the_run(data_dir: Path, tmp_path: Path,
                                                                                  caplog) -> None:
    """Trial MUT25 (AD3): counting the sessions without an A/D row from the run's first day (not ``fomc.ad_bars``
    sessions before) survived. breadth.align's words ("of the run window and its A/D look-back"): a file starting on
    the run's first day 2018-03-01 misses the 5 sessions before it (2018-02-22, 23, 26, 27, 28; hand calendar), of
    47 counted (21 in March without Good Friday, 21 in April, and those 5)."""
    full = _breadth(tmp_path / "full.csv")
    header, *rows = full.read_text().splitlines()
    path = tmp_path / "from_march.csv"
    path.write_text("\n".join([header, *(ln for ln in rows if ln >= "2018-03")]) + "\n")
    cfg = _cfg(data_dir, fomc={"ad_csv": str(path)})
    with caplog.at_level("WARNING", logger="vixhedge.policy"):
        inputs_from_market(build_market(cfg.market), cfg.hedge, (cfg.run.start, cfg.run.end))
    assert (": 5 of the 47 sessions 2018-02-22..2018-04-30 of the run window and its A/D look-back have no A/D"
            in caplog.text)


def test_an_a_d_file_without_a_row_on_the_sessions_is_noted_without_a_window(data_dir: Path, tmp_path: Path) -> None:
    """Trial MUT25 (AD6): noting the A/D rows' absence only when the run's window is known survived. Without a window
    (a sweep kernel's inputs, strategies.signalset.inputs_from_market(market, cfg)) a file of 2019 rows has none on
    the market's 2018 sessions: the window rules cannot act, and the note says so (AD_NO_ROWS_NOTE, README
    "A/D line weakening": the run log says so with the fix)."""
    rows = ["date,sp500_advancers,sp500_decliners"] + [f"{d.date()},300,200"
                                                       for d in calendars.trading_days(D(2019, 1, 2), D(2019, 1, 31))]
    path = tmp_path / "ad_2019.csv"
    path.write_text("\n".join(rows) + "\n")
    cfg = _cfg(data_dir, fomc={"ad_csv": str(path)})
    inputs = inputs_from_market(build_market(cfg.market), cfg.hedge)
    assert inputs.window is None and inputs.ad_uncovered == "" and np.isnan(inputs.advances).all()
    notes = compute(inputs, cfg.hedge).notes
    assert [n for n in notes if n.startswith(adinput.AD_NO_ROWS_NOTE)] == [
        adinput.AD_NO_ROWS_NOTE + "; the FOMC and CPI/PPI acceleration rules (fomc_cadence, event_window: rising MACD "
        "+ weakening A/D line) are disabled for this run: give a hedge.fomc.ad_csv that covers the window or set "
        "hedge.fomc.require_ad = false (to ignore the A/D line)"]


def test_the_missing_a_d_note_leaves_out_a_cpi_ppi_window_with_neither_release():
    """Trial MUT25 (AD7): naming event_window as disabled with ``events.enabled`` but neither ``cpi`` nor ``ppi``
    survived. README rules table (event_window: ``events.enabled``, ``cpi``, ``ppi``): with neither release it has
    no window, so only the FOMC rule is named."""
    h = C.replace(C.load_default(), hedge={"events": {"enabled": True, "cpi": False, "ppi": False}}).hedge
    assert adinput._ad_rules(h) == ("the FOMC acceleration rule (fomc_cadence: rising MACD + weakening A/D line) is "
                                    "disabled for this run")
