"""Trial MUT32 (2026-12-07): hand mutants of session 32's code (git diff 8c1d2e1..76d11bd -- vixhedge feeds) that
no test noticed, each pinned here (ids as in /work/notes/mut32_report.md, in each docstring). The expected lines are
the clean code's own, read off a run of it on the trial's window (2015-06-01..2015-12-31 on the embedded market, as
tests/vixhedge/test_api_frames.py) or worked by hand in the test's words."""

from __future__ import annotations

import dataclasses

import pytest

import vixhedge.api as api
from tests.vixhedge.test_sweep_paths import SPEC as SWEEP_SPEC  # its two-point 2016 sweep

START, END = "2015-06-01", "2015-12-31"  # test_api_frames.py's window: 150 sessions
FIX_RUN = "pass a run as run_backtest returned it or load_run read it, its frames as they were (edit a copy)"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    cfg = api.replace_config(api.load_default_config(), run={"start": START, "end": END})
    res = api.run_backtest(cfg)
    folder = api.write_run(res, tmp_path_factory.mktemp("mut32") / "runs")
    return res, api.load_run(folder), folder


def test_a_date_column_holding_text_is_refused(run):
    """F5 (frame_checks._is: DATES always true): layers.entry_date as text was drawn unchecked. The kind named is
    Needs' DATES ("dates"), the dtype pandas' ``str`` of ``astype(str)``."""
    files = run[1]
    with pytest.raises(api.ArgumentError) as err:
        api.fig_vx_macd(dataclasses.replace(files, layers=files.layers.astype({"entry_date": str})))
    assert str(err.value) == f"fig_vx_macd: files.layers['entry_date'] holds str, not dates: {FIX_RUN}"


def test_a_text_column_holding_numbers_is_refused(run):
    """F13 (frame_checks._is: TEXT always true): trades.component of numbers passed unchecked (TRADES lists it TEXT)."""
    res = run[0]
    with pytest.raises(api.ArgumentError) as err:
        api.fig_vx_macd(dataclasses.replace(res, trades=res.trades.assign(component=1)))
    assert str(err.value) == f"fig_vx_macd: files.trades['component'] holds int64, not text: {FIX_RUN}"


def test_a_folder_without_benchmark_csv_keeps_fig_benchmarks_own_line(run):
    """F6 (check_frames' ``frame is None and attr == "benchmark"`` dropped): a run folder from before benchmark.csv
    (RunFiles.benchmark None) got "is a NoneType, not a DataFrame: pass a run ..." instead of run_figures.
    _benchmark_of's ConfigError, whose fix (rerun the run) is the one that works."""
    from vixhedge.core.config import ConfigError

    files = run[1]
    with pytest.raises(ConfigError) as err:
        api.fig_benchmark(dataclasses.replace(files, benchmark=None))
    assert not isinstance(err.value, api.ArgumentError)
    assert str(err.value) == (f"fig_benchmark: {files.folder} has no benchmark.csv (written before it existed): "
                              "rerun the run to write it")


def test_a_run_folders_path_is_drawn(run):
    """F11 (run_files' path branch off): a run folder's path, str or Path, is read back (load_run) and drawn, as
    run_files' docstring says; the mutant refused it as "files is a str, not a run"."""
    folder = run[2]
    assert api.fig_equity(str(folder)) == api.fig_equity(run[1])
    assert api.fig_equity(folder).startswith("<svg ")


def test_write_run_refuses_a_daily_longer_than_its_metrics_count(run, tmp_path):
    """F8 (check_run's ``len(daily) != days`` as ``<``): metrics counting 149 days of a daily of 150 (the window's
    sessions, test_api_frames' RunResult) passed, so the folder would read back damaged; nothing is written."""
    res = run[0]
    metrics = {**res.metrics, "counts": {**res.metrics["counts"], "days": res.metrics["counts"]["days"] - 1}}
    with pytest.raises(api.ArgumentError) as err:
        api.write_run(dataclasses.replace(res, metrics=metrics), tmp_path / "runs")
    assert str(err.value).startswith("write_run: result.daily holds 150 days (0 without a NAV) where result.metrics "
                                     "counts 149 (counts.days)")
    assert not (tmp_path / "runs").exists()


def test_placebo_refuses_an_on_seed_that_is_no_function_before_any_work(run, monkeypatch):
    """AP5 (api_placebo.placebo's checked_callable(on_seed) dropped): ``on_seed=1`` ran the reference and the seeds,
    then raised from inside (``1()``). Refused first, in api_args.checked_callable's line; no run starts."""
    import vixhedge.placebo as PL

    def no_run(*args, **kwargs):
        raise AssertionError("the placebo ran")

    monkeypatch.setattr(PL, "run_placebo", no_run)
    with pytest.raises(api.ArgumentError) as err:
        api.placebo(run[0].config, seeds=19, on_seed=1)
    assert str(err.value) == ("placebo: on_seed = 1 is an int, not a callable: pass a function of no arguments (e.g. "
                              "a progress bar's update), or None")


def test_collecting_figures_stops_collecting_when_its_block_ends() -> None:
    """H3 (collecting_figures' ``_COLLECTING.remove`` dropped): every figure drawn after a sweep page (a notebook's
    next report) was still appended to that page's list, held in memory and never written. Two figures, one in the
    block and one after: the list holds the first only."""
    from vixhedge import html as H

    with H.collecting_figures() as got:
        H.figure("a", "A", "", b"\x89PNG a")
    H.figure("b", "B", "", b"\x89PNG b")
    assert got == [("a", b"\x89PNG a")]


def test_a_figure_name_with_a_slash_stays_one_file_name() -> None:
    """SR3 (figure_file's ``/`` -> ``-`` dropped): a name with a slash would name a file in a subfolder of figures/,
    which atomic_folder never made. The docstring's own example, and a slash made a dash."""
    from vixhedge.sweep_report import figure_file

    assert figure_file("heatmap hedge.macd.fast x hedge.macd.slow") == "heatmap_hedge.macd.fast_x_hedge.macd.slow.png"
    assert figure_file("cost / Sharpe") == "cost_-_Sharpe.png"


def test_the_short_interval_caveat_counts_the_shortest_pair() -> None:
    """CT2 (paired_caveats' ``p["days"].min()`` as ``max()``): a pair a ruin cut to 63 daily returns beside one of
    252 lost its caveat (compare_family.SHORT_CI_DAYS = 100; the line is test_compare_stat32's, at 63)."""
    import pandas as pd

    from vixhedge.compare_text import paired_caveats

    p = pd.DataFrame({"mode": ["static", "alvh"], "stat": ["sharpe", "sharpe"], "block_days": [3, 3],
                      "days": [63, 252], "ci_low": [-0.1, -0.1], "ci_high": [0.2, 0.2]})
    assert ("CI caveat: static's intervals rest on 63 daily returns: on simulated nulls of 63 sessions about 8% of "
            "such 95% intervals excluded 0 by chance, not 5%, so a verdict here is weaker than its 95% says; a longer "
            "window gives more") in paired_caveats(p, 253)  # (named: alvh's rest on 252, trial VIS35 M3)
    p.loc[1, "days"] = 72
    assert "CI caveat: static's intervals rest on 63 daily returns, alvh's intervals rest on 72 daily returns: on " \
        "simulated nulls" in "\n".join(paired_caveats(p, 253))


def test_a_percentile_compare_says_nothing_of_bca() -> None:
    """CT4 (ci_words' ``if bca else []`` dropped): a compare under the default percentile method said "max drawdown
    and CVaR 95% take percentile intervals (BCa excludes 0 too often ...)", words of a method it did not use. The
    header is ci_words' format with no BCa clause (test_compare_stat32 gives the BCa one)."""
    import pandas as pd

    from vixhedge.compare_text import ci_words

    p = pd.DataFrame({"mode": ["static"] * 3, "stat": ["sharpe", "max_drawdown", "cvar95"], "block_days": [3] * 3,
                      "ci_method": ["percentile"] * 3})
    p.attrs.update(baseline="none", n_boot=300, block_days=3, ci_method="percentile", seed=7)
    assert ci_words(p) == "arch circular block bootstrap, 300 draws, percentile intervals; block days: static 3; seed 7"


def test_no_line_ranked_says_no_count() -> None:
    """PS7 (multiple_tests' ``if not metrics + causes: return ""`` dropped): a reference whose four metrics are not
    numbers (p n/a on each: README "a reference whose figure is not a number has k and p n/a") and no cause held
    printed "0 lines ranked (0 metrics), ... about 0.0 of their 0 tails ..."; it says nothing, as its docstring says
    ("" for none). Rows as test_placebo_chance's _rows: 19 seeds, the metrics rising with the seed, no cause held."""
    from vixhedge import placebo_stats as S

    rows = [{"seed": s, "hedge_pnl_usd": -1000.0 * s, "max_drawdown": 0.01 * s, "cvar95": 0.001 * s,
             "sharpe": 0.1 * s, "layers_opened": 10, "contract_sessions": 100, "mean_layers_held": 1.0,
             **{c: 0.0 for c, _ in S.CAUSES}} for s in range(1, 20)]
    ref = {**rows[4], **{k: float("nan") for k, _, _ in S.METRICS}}
    summary = S.summarise(ref, rows)
    assert S.held_causes(summary) == []
    assert S.multiple_tests(summary) == ""


def test_run_backtest_resolves_a_config_built_without_the_api(tmp_path) -> None:
    """AA4 (api_args.checked_config's ``absolute`` ignored: the config returned as given): a Config built by
    core.config.replace with an absolute symlink as data_dir ran with that spelling kept, so its RunResult's config
    and run id were not the command line's (test_data_dir_spelling: every spelling gives the resolved path). The data
    are tests/feeds/synthdir's, the window inside its 2018-01-02..2018-06-29 (test_data_dir_spelling.WINDOW)."""
    from tests.feeds import synthdir
    from vixhedge.core import config as C
    from vixhedge.report import run_id

    data = synthdir.write(tmp_path / "data").resolve()
    (tmp_path / "link").symlink_to(data)
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(tmp_path / "link")},
                    run={"start": "2018-03-01", "end": "2018-06-29"})
    res = api.run_backtest(cfg)
    assert res.config.market.data_dir == str(data)
    assert run_id(res.config) == run_id(C.replace(cfg, market={"data_dir": str(data)}))


def test_a_placebo_read_back_keeps_its_seeds_and_counts_whole(tmp_path) -> None:
    """PR4 (placebo_read._rows: every column float): the seeds and counts came back 1.0, 10.0, ... (equal to the
    ints, so test_api_placebo_read's ``rows ==`` passed) and ``table`` showed them so; placebo_read's docstring: "the
    seed and counts int". Window and seeds as test_api_placebo_read's fixture (2015-06-01..2015-09-30, 19 seeds)."""
    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-06-01", "end": "2015-09-30"})
    back = api.load_placebo(api.write_placebo(api.placebo(cfg, seeds=19), tmp_path / "p"))
    for c in ("seed", "layers_opened", "contract_sessions"):
        assert {type(r[c]) for r in back.rows} == {int}, c
    assert str(back.table.index.dtype) == "int64"  # (table is indexed by seed)
    assert {str(back.table[c].dtype) for c in ("layers_opened", "contract_sessions")} == {"int64"}


def test_an_embedded_markets_point_keys_are_those_from_before_keyed_toml() -> None:
    """SS6 (keyed_toml's ``and cfg.market.data_dir`` dropped): the embedded market's empty ``data_dir = ""`` line was
    replaced too, so every embedded sweep's point keys and spec identity moved and a folder swept before session 32
    reran its points. The default config's key is 355a9f1c783f12df, on this code and on 8c1d2e1 (before keyed_toml:
    ``git archive 8c1d2e1``, ``point_key(C.load_default())``, 2026-12-07)."""
    from vixhedge.core import config as C
    from vixhedge.sweep_spec import keyed_toml, point_key

    assert keyed_toml(C.load_default()) == C.to_toml(C.load_default())
    assert point_key(C.load_default()) == "355a9f1c783f12df"


def test_an_interrupt_after_the_last_period_counts_every_period(tmp_path, capsys, monkeypatch) -> None:
    """P4 (cli_periods' ``len(done) < len(plans)`` as ``<=``): an interrupt after the last period was done (at the
    blank line printed after it, before the periods' table) indexed past the period folders: an internal error, not
    the interrupt's line. The embedded market covers 3 periods (test_compare_period: "stopped after 1 of 3")."""
    import builtins

    import vixhedge.cli_periods as cli_periods
    from vixhedge.cli import main

    blank = []

    def fake_print(*args, **kwargs):
        if not args and not kwargs:
            blank.append(1)
            if len(blank) == 3:
                raise KeyboardInterrupt
        builtins.print(*args, **kwargs)

    monkeypatch.setattr(cli_periods, "print", fake_print, raising=False)
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "-q", "--runs-dir", str(tmp_path)]) == 130
    assert ("stopped after 3 of 3 periods: the finished periods' compare folders are kept"
            in capsys.readouterr().err)


def test_a_float_tuple_keys_whole_numbers_are_hashed_as_floats() -> None:
    """T2 (cli_set.typed's list branch returning the value as given): ``hedge.vxth.levels = [15, 30, 50]`` (a tuple
    of floats in the config: (15.0, 30.0, 50.0) by default) kept its ints in a compare variant, so ``[15, 30, 50]``
    and ``[15.0, 30.0, 50.0]`` recorded and hashed two variants (DET32 M4's case, for a list: test_compare_variants
    pins the scalar ``condor.stop_multiple``)."""
    from vixhedge.cli_set import typed
    from vixhedge.compare import MODE_NAMES
    from vixhedge.compare_variants import checked_variants, variants_record

    assert [type(x) for x in typed("hedge.vxth.levels", [15, 30, 50])] == [float] * 3
    given = [checked_variants({"lv": {"hedge.vxth.levels": v}}, MODE_NAMES) for v in ([15, 30, 50], [15.0, 30.0, 50.0])]
    assert [variants_record(v) for v in given] == [{"lv": {"hedge.vxth.levels": "[15.0, 30.0, 50.0]"}}] * 2


def test_a_kernel_folder_resumed_on_backtrader_is_refused(tmp_path) -> None:
    """SP2 (check_same_paths' ``on`` without ``spec.engine == "fast"``): a folder whose finished point ran on the
    kernel, resumed with ``--engine backtrader`` (kernel still auto), was taken and ran the point left on the event
    path: the mix DET32 M5 refuses. test_sweep_paths' spec and cut (its _interrupted: one of two points kept), the
    engine the other way; the line is check_same_paths' own, nothing in the folder changed."""
    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.core import config as C
    from vixhedge.core.config import ConfigError

    (tmp_path / "spec.toml").write_text(SWEEP_SPEC)
    spec, market, out = sw.load_spec(tmp_path / "spec.toml"), build_market(C.MarketConfig()), tmp_path / "out"
    sw.run_sweep(spec, out, market, progress=False)
    rows = (out / "results.csv").read_bytes().splitlines(keepends=True)
    (out / "results.csv").write_bytes(b"".join(rows[:2]))
    (out / "output_files.json").unlink(missing_ok=True)  # (as an interrupt leaves it: no record)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    with pytest.raises(ConfigError) as refused:
        sw.run_sweep(dataclasses.replace(spec, engine="backtrader"), out, market, progress=False)
    text = str(refused.value)
    assert text.startswith(f"sweep output folder {out} holds 1 point run on the kernel (sweep.kernel = 'auto'), and "
                           "--engine backtrader would run the points left on the event path"), text
    assert "resume with --engine fast, or give another --out" in text
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_point_on_the_event_path_by_its_own_config_does_not_refuse_a_resume(tmp_path) -> None:
    """SP3 (check_same_paths counting every event-path point, not only those the sweep's kernel/engine settings put
    there): a grid whose first point runs on the event path by its config (kernel.kernel_covers: portfolio margin
    with VIX option layers) and is all that finished, resumed with the same settings, was refused as a mix of paths;
    it resumes and ends with the clean sweep's rows (test_sweep_paths: the same path resumes to the same bytes)."""
    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.core import config as C

    text = SWEEP_SPEC.replace('run = { start', 'hedge = { instrument = "vix_call_spread" }\nrun = { start').replace(
        '"hedge.macd.fast" = [8, 12]', '"margin.mode" = ["portfolio", "reg_t"]')
    (tmp_path / "spec.toml").write_text(text)
    spec, market, out = sw.load_spec(tmp_path / "spec.toml"), build_market(C.MarketConfig()), tmp_path / "out"
    sw.run_sweep(spec, out, market, progress=False)
    finished = (out / "results.csv").read_bytes()
    assert (out / "paths.csv").read_text().count(",event,margin.mode = 'portfolio' with VIX option layers") == 1
    rows = finished.splitlines(keepends=True)
    (out / "results.csv").write_bytes(b"".join(rows[:2]))
    (out / "output_files.json").unlink(missing_ok=True)
    sw.run_sweep(spec, out, market, progress=False)
    assert (out / "results.csv").read_bytes() == finished


def _ci_null_legs(n: int = 40):
    """test_ci_null's made-up legs (only their shape matters): no-hedge and alvh."""
    import numpy as np

    rng = np.random.default_rng(3)
    r0, rf, nav0 = rng.normal(0.0005, 0.01, n), np.full(n, 0.0001), np.full(n, 1e6)
    return (r0, np.zeros(n), rf, nav0), (r0 + rng.normal(-0.0002, 0.004, n), rng.normal(200.0, 500.0, n), rf, nav0)


def test_ci_null_counts_both_sides_of_0_on_the_pairs_own_block(monkeypatch) -> None:
    """CN3 (an interval counted only when above 0) and CN6 (block 1, not the pair's data-driven block): intervals
    set by hand, [-2, -1] (below 0), [-1, 1], [1, 2] (above), [-1, 1], [-1, 1], are counted 1, 0, 1, 0, 0 under each
    method, and paired_intervals gets data_block_length's block (set to 7), which the result's median block is."""
    import numpy as np

    from vixhedge import bootstrap as bs
    from vixhedge.ci_null import null_rates

    blocks = []

    def intervals(stat, a, b, block, reps, seed, method, **kwargs):
        blocks.append(block)
        return bs.Intervals(np.array([-2.0, -1, 1, -1, -1]), np.array([-1.0, 1, 2, 1, 1]), [method] * 5,
                            np.zeros((reps, 5)))

    monkeypatch.setattr(bs, "paired_intervals", intervals)
    monkeypatch.setattr(bs, "data_block_length", lambda x: 7)
    base, alvh = _ci_null_legs()
    got = null_rates(base, alvh, None, "hetero", 2, 100, 1)
    assert got["percentile"].tolist() == got["bca"].tolist() == [2, 0, 2, 0, 0]
    assert blocks == [7] * 4 and got["block"] == 7.0


def test_ci_null_hetero_arms_differ_by_the_real_differences_spread() -> None:
    """CN1 (the noise's size diff.std() instead of diff.std() / 2) and CN9 (the volatility not scaled to root mean
    square 1): ci_null's docstring sizes the hetero noise "so that the arms' difference has the spread of the real
    alvh - none difference": each arm vol * t4 * size, t4's variance 2, so the difference's variance is
    2 * 2 * size**2 * mean(vol**2) = diff's. 20,000 made-up days, seed 0: within 15% (the mutants give 2x and
    1/mean|r0|, about 100x)."""
    import numpy as np

    from vixhedge.ci_null import arms

    base, alvh = _ci_null_legs(20_000)
    a, b = arms("hetero", base, alvh, np.random.default_rng(0))
    ratio = np.std(a[0] - b[0]) / np.std(alvh[0] - base[0])
    assert 0.85 < ratio < 1.15, ratio


def test_ci_null_refuses_windows_it_cannot_measure(monkeypatch, capsys) -> None:
    """CN7 (--days' floor of 30 daily returns dropped) and CN8 (a window one day longer than the default run taken,
    cut short unsaid and printed under the longer length): both are usage errors (exit 2) naming the limit. The run is
    replaced by test_ci_null's 40 made-up days."""
    import vixhedge.ci_null as ci_null

    with pytest.raises(SystemExit) as exc:
        ci_null.parser().parse_args(["--days", "29"])
    assert exc.value.code == 2 and "'29' is invalid: use 30 or more daily returns" in capsys.readouterr().err
    monkeypatch.setattr(ci_null, "default_legs", lambda: (*_ci_null_legs(40), None))
    with pytest.raises(SystemExit) as exc:
        ci_null.main(["--days", "41", "--sims", "1", "--reps", "100"])
    assert exc.value.code == 2
    assert "--days 41: the default window has 40 daily returns: give at most that" in capsys.readouterr().err


def test_the_windows_recorded_are_in_whole_years_where_they_can_be() -> None:
    """X6 (WindowSpec.canonical always in months): the folder recorded ``60m/3m`` where its docstring (and README's
    reproduce commands) give ``5y/3m``; its docstring's own examples, and 18m that has no whole years."""
    from vixhedge.compare_windows import parse_windows

    assert [parse_windows(t).canonical for t in ("60m", "5y/3m", "18m", "2y/12m")] == ["5y/3m", "5y/3m", "18m/3m",
                                                                                      "2y/1y"]
