"""Trial MUT31 (2026-12-06): hand mutants of sessions 30-31's code that no test noticed, each pinned here by the
case the trial's report gave (/work/notes/mut31_report.md, ids in each docstring). Every number is worked by hand in
the test's own words."""

from __future__ import annotations

import math

import pandas as pd
import pytest


def _period_rows(diffs: list[float]) -> pd.DataFrame:
    """Hand-made periods.csv rows: per period a static baseline row and an alvh row whose total P&L difference is
    the given one (no CI: the difference alone)."""
    rows = []
    for k, d in enumerate(diffs):
        common = {"period": f"p{k}", "start": "2020-01-02", "end": "2020-01-31", "sessions": 21, "baseline": "static",
                  "end_nav_usd": 1e6, "hedge_pnl_usd": 0.0, "condor_pnl_usd": 0.0, "folder": f"f{k}"}
        rows.append({**common, "mode": "static", "pnl_diff_usd": math.nan, "ci_low_usd": math.nan,
                     "ci_high_usd": math.nan, "verdict": ""})
        rows.append({**common, "mode": "alvh", "pnl_diff_usd": d, "ci_low_usd": math.nan, "ci_high_usd": math.nan,
                     "verdict": "no CI: 19 sessions"})
    return pd.DataFrame(rows)


def test_the_periods_headline_counts_the_periods_ahead() -> None:
    """P9 (`> 0` as `< 0`: the headline counted the periods lost): +100, +50, -10 is ahead in 2 of 3."""
    from vixhedge.cli_periods import period_table

    lines = period_table(_period_rows([100.0, 50.0, -10.0]))
    assert "alvh ended ahead of static on total P&L in 2 of 3 periods" in lines


@pytest.mark.parametrize("diff, low, high", [(0.3, 0.0, 0.6), (-0.3, -0.6, 0.0)])
def test_a_ci_touching_0_is_unclear(diff, low, high) -> None:
    """V3 (`>`/`<` as `>=`/`<=`): a CI with an endpoint at 0 does not exclude 0 (0 [0, 0] is no test at all:
    verdicts.FLAT_WORDS, test_holm's test_a_difference_zero_in_every_draw_is_no_test)."""
    from vixhedge.verdicts import verdict_words

    assert verdict_words(diff, low, high, "higher") == "unclear (CI includes 0)"


def test_draws_dropped_are_named_after_the_verdict() -> None:
    """V6 (the note dropped): a percentile CI with 1 of 101 draws undefined keeps saying so."""
    from vixhedge.verdicts import verdict_words

    assert verdict_words(0.5, 0.1, 0.9, "higher", "percentile (1 of 101 draws undefined, dropped)") == \
        "better (1 of 101 draws undefined, dropped)"


def test_a_column_zero_for_one_point_only_is_drawn() -> None:
    """S4 (`.all()` as `.any()`): hedge_layers 0 and 4 is a column, not "0 for every point shown"."""
    from vixhedge import sweep_report

    df = pd.DataFrame({"point": ["a", "b"], "k": [1, 2], "sharpe": [0.2, 0.1], "hedge_layers": [0, 4],
                       "end_nav_usd": [1e6, 1e6]})
    html = sweep_report._top_points(df, ["k"], "sharpe")
    assert "Not drawn" not in html and "hedge layers opened" in html


def test_a_ruin_on_the_second_last_session_tags_the_ci() -> None:
    """P3: a pair whose days (19) are fewer than the window's sessions less one (21 - 1 = 20) was cut by a ruin:
    its CI covers the days to it."""
    from vixhedge import cli_periods

    p = pd.DataFrame([{"mode": "alvh", "stat": "pnl_usd", "diff": 5.0, "ci_low": 1.0, "ci_high": 9.0, "days": 19,
                       "block_days": 2, "ci_method": "percentile", "ci_borderline": False}]).set_index(["mode", "stat"])
    low, high, words = cli_periods._ci(p, "alvh", 21)
    assert (low, high) == (1.0, 9.0) and words.endswith("(CI to the ruin)")
    assert not cli_periods._ci(p.assign(days=20), "alvh", 21)[2].endswith("(CI to the ruin)")  # 20 = 21 - 1: whole


def test_compare_years_all_row_is_the_by_cause_tables() -> None:
    """C3: the compare page's by-year table's "all" row takes each mode's metrics.json causes, as the run page's
    (test_report_causes' fixture: carry -2.6 -> -$3, hedge P&L -2.6 + 80 - 9 = 68.4 -> $68)."""
    from tests.vixhedge.test_report_causes import DAILY, _cells, _files
    from vixhedge.report_causes import compare_years

    files = _files(DAILY)
    files.metrics["hedge_cost"].update(vx_carry_usd=-2.6, vx_vix_move_usd=80.0, option_marks_usd=0.0,
                                       fills_vs_mid_usd=-9.0)
    assert _cells(compare_years({"alvh": files}))[-1][-4:] == ["-$3", "$80", "-$9", "$68"]


def test_the_trigger_key_keeps_known_words_only() -> None:
    """R2 (the filter dropped: a static run's page raised KeyError on its trigger "static")."""
    from vixhedge.rule_words import RULE_WORDS, trigger_rows

    assert trigger_rows(["static", "roll", "macd_cross_up+hist_expanding"]) == [
        ("macd_cross_up", "cross_up", RULE_WORDS["cross_up"]),
        ("hist_expanding", "expansion_sizing", RULE_WORDS["expansion_sizing"])]


@pytest.mark.parametrize("block, part", [("auto", None), (5, " --block-days 5 ")])
def test_the_rerun_command_gives_a_block_only_when_one_was(block, part) -> None:
    """D7: a data-driven block ("auto") is no --block-days (the CLI takes a whole number only)."""
    from vixhedge.compare_read import _command

    cmd = _command("", "c.toml", ["none", "alvh"], {"baseline": "none", "n_boot": 100, "block_days": block,
                                                     "ci_method": "percentile"}, "fast", {})
    assert ("--block-days" not in cmd) if part is None else (part in cmd)


def _cell_made_word(csv_text: str, column: int) -> str:
    """``csv_text`` with its first data row's ``column`` (0-based) made the word "abc"."""
    head, first, *rest = csv_text.splitlines()
    first = ",".join("abc" if k == column else c for k, c in enumerate(first.split(",")))
    return "\n".join([head, first, *rest]) + "\n"


def test_an_old_compare_folder_checks_its_columns_ci_cells_and_rows(tmp_path, capsys) -> None:
    """D1, D4, D5 (compare_read, a folder from before output_files): comparison.csv without a mode's column, a word
    in paired.csv's ci_low, a mode's paired rows missing: each one refusal line, exit 2."""
    import json

    from tests.vixhedge.test_compare_folder import default_comparison
    from vixhedge.cli import main
    from vixhedge.compare import write_comparison

    folder = write_comparison(default_comparison(), tmp_path / "cmp")
    meta = json.loads((folder / "comparison.json").read_text())
    (folder / "comparison.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "output_files"}))
    table, paired = (folder / "comparison.csv").read_text(), (folder / "paired.csv").read_text()
    for name, text, why in (
            ("comparison.csv", "\n".join(",".join(r.split(",")[:-1]) for r in table.splitlines()) + "\n",
             "its columns are not the modes"),
            ("paired.csv", _cell_made_word(paired, 4), "holds a non-number in column 'ci_low'"),  # (ci_low: 5th)
            ("paired.csv", "\n".join(r for r in paired.splitlines() if not r.startswith("static,")) + "\n",
             "its modes' rows are not one set each")):
        (folder / name).write_text(text)
        assert main(["report", str(folder)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and why in err, err
        assert err.endswith(f" --runs-dir {folder.parent}`\n")  # D6: the fix writes the folder where it is
        (folder / "comparison.csv").write_text(table)
        (folder / "paired.csv").write_text(paired)


def test_an_old_windows_csv_with_a_row_too_many_is_refused() -> None:
    """W1: windows.csv rows must be windows x compared modes exactly: 7 where 6 (a row repeated) is refused."""
    from vixhedge.compare_windows_page import _check_shape

    frame = pd.DataFrame({"nav_diff_usd": [1.0] * 7, "sharpe_diff": 0.1, "sharpe_ci_low": 0.0, "sharpe_ci_high": 0.2})
    with pytest.raises(ValueError, match="windows.csv holds 7 rows where windows.json's windows and modes make 6"):
        _check_shape(frame, 6)
    _check_shape(frame.iloc[:6], 6)


def test_the_unraisable_hook_is_the_blocks_alone() -> None:
    """G3, G5 (cli_signals._again): an exception other than an interrupt ignored in a __del__ goes to the hook
    before (here a list's append), and after the block sys.unraisablehook is that hook again."""
    import sys

    from vixhedge.cli_signals import sigterm_as_interrupt

    seen, before = [], sys.unraisablehook
    sys.unraisablehook = seen.append
    try:
        with sigterm_as_interrupt():
            class Freed:
                def __del__(self):
                    raise ValueError("in __del__")

            Freed()
        assert [type(u.exc_value) for u in seen] == [ValueError] and sys.unraisablehook == seen.append
    finally:
        sys.unraisablehook = before


def test_an_ignored_sigterm_is_sent_again_as_sigterm_and_never_after_the_block(monkeypatch) -> None:
    """G1, G2, G4: the interrupt sent again is the one ignored (Terminated: SIGTERM, exit 143 through the block's
    handler), and a timer that fires after the block has ended sends nothing (os.kill recorded, the delay 0.01 s)."""
    import os
    import signal
    import time

    from vixhedge import cli_signals

    sent = []
    monkeypatch.setattr(cli_signals, "AGAIN_AFTER_S", 0.01)
    monkeypatch.setattr(os, "kill", lambda pid, sig: sent.append(sig))
    with cli_signals.sigterm_as_interrupt():
        class Freed:
            def __del__(self):
                raise cli_signals.Terminated()

        Freed()
        time.sleep(0.2)
    assert sent == [signal.SIGTERM]
    sent.clear()
    with cli_signals.sigterm_as_interrupt():
        class Late:
            def __del__(self):
                raise KeyboardInterrupt

        Late()
    time.sleep(0.2)  # (the timer fires after the block: nothing sent)
    assert sent == []


def test_a_flag_named_as_a_nested_config_key_points_to_it(capsys) -> None:
    """U6: `vixhedge run --max-layers 3` names `--set hedge.max_layers=VALUE` (a key's last part, dashes as
    underscores)."""
    from vixhedge.cli import main

    with pytest.raises(SystemExit):
        main(["run", "--max-layers", "3"])
    assert "unrecognized arguments: --max-layers; a config key is set with --set hedge.max_layers=VALUE" in \
        capsys.readouterr().err


def test_compare_takes_its_limits(tmp_path) -> None:
    """A1, A4: the limits themselves are taken: a 3-session window (2015-06-01..06-03, compare_args.MIN_SESSIONS)
    and n_boot = 100,000 (MAX_BOOT), both checked before any work."""
    from vixhedge.compare_args import MAX_BOOT, MIN_SESSIONS, check_compare_args
    from vixhedge.core import config as C

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-03"})
    assert MIN_SESSIONS == 3 and MAX_BOOT == 100_000
    assert check_compare_args(cfg, ("none", "alvh"), "none", MAX_BOOT, None, "percentile")[1] == 3
