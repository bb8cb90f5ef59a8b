"""vixhedge.presets_figures (the README's presets tables): its summary line agrees with its rules table; README_TABLE is
the README's table, and the command prints it (a rerun, marked slow)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from strategies.book import RULE_IDS
from vixhedge.presets_figures import idle_rules, parser, rule_ids

# the README's "What each preset fired" table (2014-03 .. 2018-12, embedded market, `python -m vixhedge.presets_figures`):
# rule id -> (default, steward, promoter); ad_filter is the one row at 0 in all three
README_TABLE = {"cross_up": (55, 24, 66), "cross_down": (53, 23, 70), "review": (135, 47, 284),
                "divergence_bullish": (17, 10, 17), "condor_vega_cut": (20, 20, 0),
                "expansion_sizing": (39, 19, 105), "expansion_cadence": (56, 15, 106), "slope_breakeven": (4, 4, 12),
                "flattening_placement": (33, 3, 55), "fomc_cadence": (0, 0, 7), "fomc_divergence": (4, 1, 4),
                "event_window": (0, 0, 8), "rsi_filter": (0, 21, 0), "ad_filter": (0, 0, 0),
                "term_structure_filter": (0, 18, 0), "front_run": (0, 0, 114), "condor_required": (14, 9, 18),
                "roll": (22, 24, 22)}
FIRED = {n: {r: v[i] for r, v in README_TABLE.items() if v[i]} for i, n in enumerate(("default", "steward", "promoter"))}
README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def _rules_table(text: str) -> dict[str, tuple[int, ...]]:
    """The rows ``| `rule` | n | n | n |`` of the first rules table (header ``| rule id |``) in ``text``."""
    block = text.split("| rule id |", 1)[1].split("\n\n", 1)[0]
    return {m[0]: tuple(int(x) for x in m[1].split(" | "))
            for m in re.findall(r"^\| `([a-z_]+)` \| ([\d | ]+?) \|$", block, flags=re.M)}


def test_readme_table_is_the_readmes_what_each_preset_fired() -> None:
    """README_TABLE, which the tests here read, is the README's table row for row (a trial found the README's
    promoter review 283 and expansion_cadence 107 stale against the command's 290 and 108, pinned here too)."""
    section = README.split("**What each preset fired**", 1)[1]
    assert _rules_table(section) == README_TABLE and list(_rules_table(section)) == list(README_TABLE)


@pytest.mark.slow
def test_the_command_prints_the_readmes_tables(capsys) -> None:
    """`python -m vixhedge.presets_figures` (default, steward, promoter: six runs and two sizing runs on the fast engine,
    16 s on the project's 2-core machine, 39 s in a trial) prints README_TABLE and the README's presets row."""
    from vixhedge.presets_figures import main

    assert main([]) == 0
    out = capsys.readouterr().out
    assert _rules_table(out) == README_TABLE
    row = next(ln for ln in out.splitlines() if ln.startswith("| layers / condors / hedge P&L / final NAV |"))
    cells = row.split(" | ", 1)[1]
    assert f"embedded market: layers / condors / hedge P&L / final NAV (`python -m vixhedge.presets_figures`) | {cells}" in README
    tail = next(ln for ln in out.splitlines() if ln.startswith("| CVaR 95% (daily) / max drawdown |"))
    assert f"embedded market: CVaR 95% (daily) / max drawdown | {tail.split(' | ', 1)[1]}" in README
    # "How the rules meet" (methodology trial 2026-12-04): its three rows as the command prints them
    meet = README.split("**How the rules meet**", 1)[1].split("\n\n", 2)[1]
    for line in meet.splitlines()[2:]:
        assert line in out.splitlines(), line
    assert ("`default` with `hedge.divergence.hold_adds = 5`: bullish divergences that removed layers, then an add "
            "within 5 sessions 2 of 17; layers 134; hedge P&L -$116k; final NAV $770k") in out.splitlines()
    # mutation trial MUT29 (MU60-65, MU70-74): the other figures the README quotes from this command
    # crossover timing, README "Steward confirms, promoter front-runs": default on the cross bar 108 of 108, steward
    # after it 47 of 47 at 3.34 bars, promoter 95 before and 22 on it at -2.08, 19 projections never crossed
    assert _row(out, "crossover acts: before / on / after the cross bar, mean bars from it") == [
        "0 / 108 / 0, +0.00", "0 / 0 / 47, +3.34", "95 / 22 / 0, -2.08 (19 never crossed)"]
    # README's rule table, condor_required: 0 layers opened without a condor in each preset, 5 / 4 / 7 with
    # `require_condor = false`; layers on through a gap between condors 61 / 61 / 62 days
    assert _row(out, "layers opened without a condor (in brackets: with `require_condor = false`) / days carrying "
                     "layers without one") == ["0 (5) / 61", "0 (4) / 61", "0 (7) / 62"]
    # README "1.5x vs 2x": 39 layers smaller at 1.5x, 38 of one contract and one of two; plain rounding: 54 of one
    sizes = next(ln for ln in out.splitlines() if ln.startswith("`default` layers sized at 1.5x"))
    assert "fractional carry: {1: 38, 2: 1}," in sizes and "(fractional_carry = false): {1: 54}," in sizes


def _row(out: str, label: str) -> list[str]:
    """The cells after ``label`` of the row ``| label | a | b | c |`` of the command's output."""
    row = next(ln for ln in out.splitlines() if ln.startswith(f"| {label} |"))
    return row.removesuffix(" |").split(" | ")[1:]


def test_summary_names_every_rule_the_table_shows_at_zero_ad_filter_included() -> None:
    names = list(FIRED)
    line = idle_rules(names, FIRED, {n: False for n in names})
    assert rule_ids(FIRED) == list(README_TABLE)  # the table's rows, in its order
    assert line == (f"rules that acted in none of {names}: ad_filter (needs an A/D file, hedge.fomc.ad_csv with "
                    "require_ad on: none of these runs has one)")  # was "none" while the table showed 0 / 0 / 0


def test_a_single_preset_lists_ad_filter_too_and_no_note_when_an_ad_file_was_given() -> None:
    one = {"steward": {**{r: 1 for r in RULE_IDS}, "ad_filter": 0}}
    assert idle_rules(["steward"], one, {"steward": True}) == "rules that acted in none of ['steward']: ad_filter"
    every = {"steward": {r: 1 for r in RULE_IDS}}
    assert idle_rules(["steward"], every, {"steward": False}) == "rules that acted in none of ['steward']: none"


def test_arguments_are_preset_names_checked_before_any_run(capsys) -> None:
    assert parser().parse_args([]).presets == []  # main() then runs default, steward, promoter
    assert parser().parse_args(["steward", "cndr"]).presets == ["steward", "cndr"]
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["default", "--help"])
    assert exc.value.code == 0 and "PRESET" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["nope"])
    assert exc.value.code == 2 and "preset 'nope' does not exist" in capsys.readouterr().err


def test_the_flags_put_every_preset_on_a_data_folder_and_window(capsys) -> None:
    """``--data-dir`` / ``--start`` / ``--end`` (a researcher's trial, session 14, could not run the presets' tables on
    real data): every preset's config on that folder and window; a date that is none is refused by the parser."""
    import datetime as dt

    from vixhedge.core import config as C
    from vixhedge.presets_figures import Presets

    args = parser().parse_args(["steward", "--data-dir", "data", "--start", "2020-01-02", "--end", "2020-06-30"])
    cfg = Presets(args.data_dir, args.start, args.end).config("steward", require_condor=False)
    assert (cfg.market.source.value, cfg.market.data_dir) == ("directory", "data")
    assert (cfg.run.start, cfg.run.end, cfg.hedge.require_condor) == (dt.date(2020, 1, 2), dt.date(2020, 6, 30), False)
    assert Presets().config("steward") == C.load_preset("steward")
    with pytest.raises(SystemExit) as exc:
        parser().parse_args(["--start", "2020-13-01"])
    assert exc.value.code == 2 and "'2020-13-01' is not a calendar day: write YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.realdata
def test_the_tables_on_real_data(shared_data, capsys) -> None:
    """2020 H1 on ../shared/data: the default preset's hedge P&L is the README's *Where a window starts* figure for
    a run of that window ($90,950: $91k at the table's rounding), and promoter's beats steward's there (the trial)."""
    from vixhedge.presets_figures import main

    assert main(["default", "steward", "promoter", "--data-dir", str(shared_data), "--start", "2020-01-02",
                 "--end", "2020-06-30"]) == 0
    out = capsys.readouterr().out.splitlines()
    row = next(r for r in out if r.startswith("| layers / condors"))
    assert row.split(" | ")[1:] == ["12 / 7 / $91k / $988k", "6 / 7 / $15k / $912k", "19 / 7 / $190k / $1,094k |"]
    tail = next(r for r in out if r.startswith("| CVaR 95% (daily) / max drawdown |"))  # the README's row
    assert tail.split(" | ")[1:] == ["2.45% / 8.46%", "2.80% / 13.39%", "3.26% / 15.89% |"]


def test_money_is_written_sign_first_in_whole_thousands() -> None:
    """The README's presets row writes -$120k (the default run's hedge P&L -$120,190) and $770k (its final NAV
    $770,093; metrics.json of `python -m vixhedge run`), as the CLI does: vixhedge.fmt.usd_k at 0 decimals (the
    presets' own _k before)."""
    from vixhedge import presets_figures as presets
    from vixhedge.fmt import usd_k

    assert presets.usd_k is usd_k
    assert tuple(usd_k(v, 0) for v in (-120_190.0, 770_093.0, -499.0, -1_234_567.0, -500.0)) == (
        "-$120k", "$770k", "$0k", "-$1,235k", "-$1k")


def test_notes_name_the_preset_they_are_about(capsys) -> None:
    """The README's A/D row: notes printed during a command name their run (`vixhedge [alvh]: ...`); here the preset.
    steward on the embedded market has no A/D file: its hedge.fomc note, once, under its name (was unlabelled)."""
    from vixhedge.presets_figures import main

    assert main(["steward"]) == 0
    notes = capsys.readouterr().err.splitlines()
    # the preset's run and its require_condor = false variant (the "without a condor" row), each under its own name
    # (verification trial: the variant's notes were filed under the preset's label)
    own, variant = "vixhedge [steward]: ", "vixhedge [steward, require_condor = false]: "
    assert notes and all(n.startswith((own, variant)) for n in notes), notes
    for label in (own, variant):
        assert any(n.startswith(label) and "hedge.fomc: no S&P 500 advance/decline input" in n for n in notes)
    assert len(notes) == len(set(notes))  # each note of each run once


def test_interactions_count_readds_and_expanding_bars_on_a_crafted_log() -> None:
    """How the rules meet (methodology trial 2026-12-04): a divergence that removed a layer, then a review add 3
    sessions later (re-added); one 7 sessions later is not within 5; a later layer and a review add on an expanding
    bar, a first layer on one (not later)."""
    from types import SimpleNamespace

    import pandas as pd

    from vixhedge.presets_figures import interactions

    rows = [("cross_up", "add L1 x1 (macd_cross_up)", 1, True),  # a first layer on an expanding bar: not later
            ("divergence_bullish;condor_vega_cut", "remove L1 (bullish_divergence);cut_condor x5", 0, False),
            ("", "", 0, False), ("", "", 0, False),
            ("review", "add L2 x1 (review_fear_rising)", 1, False),  # 3 sessions after the cut: re-added
            ("review;expansion_cadence", "add L3 x1 (review_fear_rising+expansion_cadence)", 2, True),
            ("fomc_divergence", "remove L3 (bullish_divergence+fomc);remove L2 (bullish_divergence+fomc)", 0, False)]
    rows += [("", "", 0, False)] * 6 + [("cross_up", "add L4 x1 (macd_cross_up)", 1, False)]  # 7 sessions after
    log = pd.DataFrame(rows, columns=["rule_ids", "actions", "layers_open", "expanding_above_zero"])
    assert interactions(SimpleNamespace(signals_log=log)) == {
        "readded": (1, 2), "later_expanding": (1, 1), "reviews_expanding": (1, 2)}
