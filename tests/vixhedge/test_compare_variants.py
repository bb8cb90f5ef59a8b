"""Config variants in compare (vixhedge/compare_variants.py): the config with keys changed, run as a mode of its own.

A researcher's trial (session 14) could not test a rule on against off with compare's paired bootstrap (``--modes``
takes hedge modes and plug-ins only) and wrote its own. The window below is short (2016-01-04..04-29 on the embedded
market, 82 sessions: enough for the paired bootstrap's 20) so that the tests run in seconds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from vixhedge import api
from vixhedge.cli import main
from vixhedge.compare import comparison_id, mode_configs, paired_attrs, write_comparison
from vixhedge.compare_read import load_comparison, reproduce_command
from vixhedge.compare_variants import cli_variants, variant_config
from vixhedge.core import config as C
from vixhedge.run import run_backtest

WINDOW = {"start": "2016-01-04", "end": "2016-04-29"}
NOCONDOR = {"nocondor": {"hedge.require_condor": False, "hedge.macd.fast": 8}}


@pytest.fixture(scope="module")
def base():
    cfg = api.replace_config(api.load_default_config(), run=WINDOW)
    return cfg, api.build_market(cfg.market)


def test_a_variant_is_a_mode_paired_against_the_baseline(base, tmp_path: Path) -> None:
    cfg, market = base
    cmp = api.compare(cfg, market, modes=("none", "alvh"), baseline="alvh", n_boot=200, variants=NOCONDOR)
    assert list(cmp.results) == ["none", "alvh", "nocondor"]  # added after the modes given
    own = cmp.results["nocondor"].config
    assert (own.hedge.require_condor, own.hedge.macd.fast, own.hedge.policy_name) == (False, 8, "alvh")
    alone = run_backtest(C.replace(cfg, hedge={"require_condor": False, "macd": {"fast": 8}}), market)
    assert cmp.results["nocondor"].daily["nav_usd"].iloc[-1] == alone.daily["nav_usd"].iloc[-1]
    assert set(cmp.paired["mode"]) == {"none", "nocondor"} and set(cmp.paired["baseline"]) == {"alvh"}
    # its folder: the variant's run found under its own name (its policy is alvh's), the command that writes it
    folder = write_comparison(cmp, tmp_path)
    meta = json.loads((folder / "comparison.json").read_text())
    assert meta["variants"] == {"nocondor": {"hedge.require_condor": "false", "hedge.macd.fast": "8"}}
    # trial VIS22: the page named the variant only in its Reproduce command; now near its top, as the record has it
    page = (folder / "report.html").read_text()
    assert page.index("<li>nocondor: alvh with hedge.require_condor = false, hedge.macd.fast = 8</li>") < page.index(
        "<h2>Side by side</h2>")
    back = load_comparison(folder)
    assert list(back.results) == ["none", "alvh", "nocondor"] and back.variants == NOCONDOR
    assert back.results["nocondor"].config.hedge.require_condor is False
    assert back.results["alvh"].config.hedge.require_condor is True
    assert ("--modes none,alvh,nocondor --variant nocondor hedge.require_condor=false hedge.macd.fast=8 --baseline "
            "alvh") in reproduce_command(back, "config.toml")
    # the folder id hashes the variants; without any it is the id it always was
    attrs = paired_attrs("alvh", 200, None, "percentile", cfg.run.seed)
    modes = ("none", "alvh", "nocondor")
    assert folder.name == comparison_id(cfg, modes, attrs, NOCONDOR)
    assert comparison_id(cfg, modes[:2], attrs) == comparison_id(cfg, modes[:2], attrs, {})
    assert comparison_id(cfg, modes, attrs, NOCONDOR) != comparison_id(
        cfg, modes, attrs, {"nocondor": {"hedge.require_condor": False}})
    assert mode_configs(cfg, modes, NOCONDOR)["nocondor"].run.name == "default-nocondor"


@pytest.mark.parametrize("variants, words", [
    ({"alvh": {"hedge.require_condor": False}}, "variant name 'alvh' is invalid"),
    # trial RS38 M3: `--modes alvh,placebo --variant placebo ...` ran the variant as the placebo mode, silently
    ({"placebo": {"hedge.review_bars": 0}}, "variant name 'placebo' is invalid: .* built-in mode's name .alvh, none, "
                                            "placebo, static, vxth"),
    ({"a b": {"hedge.require_condor": False}}, "variant name 'a b' is invalid"),
    ({"x": {}}, "variant 'x' changes no key"),
    ({"x": {"run.start": "2016-02-01"}}, "variant 'x' sets run.start: a variant changes the strategy, not the window"),
    ({"x": {"hedge.require_condr": False}}, "variant x: unknown key 'hedge.require_condr': did you mean"),
    ({"x": {"hedge.macd.fast": 99}}, "variant x: hedge.macd.fast = 99"),
    ({"x": {"analysis.periods_per_year": 365}}, "variant 'x' sets analysis.periods_per_year: a variant changes the "
                                                "strategy, not the window, the market or how results are measured"),
    # MUT27 CV15: a variant's keys are a mapping, not a list of pairs
    ({"x": [("hedge.require_condor", False)]}, "variants = {'x': "),  # (then the list: regex characters)
])
def test_a_bad_variant_is_one_line_before_any_work(base, variants, words) -> None:
    cfg, _ = base
    with pytest.raises(C.ConfigError, match=words.replace("(", r"\(")):
        api.compare(cfg, market=None, modes=("none", "alvh"), variants=variants)


def test_the_command_line(tmp_path: Path, capsys) -> None:
    args = ["compare", "--start", WINDOW["start"], "--end", WINDOW["end"], "--modes", "alvh", "--baseline", "alvh",
            "--n-boot", "200", "--runs-dir", str(tmp_path), "-q"]
    assert main([*args, "--variant", "nocondor", "hedge.require_condor=false"]) == 0
    out = capsys.readouterr().out
    assert "nocondor  Sharpe (higher is better)" in out
    assert main([*args, "--variant", "nocondor"]) == 2
    assert "--variant nocondor is invalid: give a name then one or more KEY=VALUE" in capsys.readouterr().err
    assert main([*args, "--variant", "a", "hedge.require_condor=false", "--variant", "a", "hedge.macd.fast=8"]) == 2
    assert "--variant a is given twice" in capsys.readouterr().err


def test_a_variant_may_start_from_a_preset(base, tmp_path: Path) -> None:
    """``preset=NAME``: the packaged preset with the comparison's [run], [market] and [analysis]: the researcher
    trial's steward against promoter as one paired compare. Its run is `vixhedge run --preset promoter` on the same
    window, to the last digit."""
    cfg, market = base
    steward = api.replace_config(C.load_preset("steward"), run=WINDOW)
    cmp = api.compare(steward, market, modes=("none", "alvh"), baseline="alvh", n_boot=200,
                      variants={"promoter": {"preset": "promoter"}})
    alone = run_backtest(api.replace_config(C.load_preset("promoter"), run=WINDOW), market)
    assert cmp.results["promoter"].daily["nav_usd"].equals(alone.daily["nav_usd"])
    assert cmp.results["alvh"].config.hedge == steward.hedge  # the comparison's own config: steward
    folder = write_comparison(cmp, tmp_path)
    assert json.loads((folder / "comparison.json").read_text())["variants"] == {"promoter": {"preset": "promoter"}}
    assert ("<li>promoter: preset promoter on this comparison&#x27;s [run], [market] and [analysis]</li>"
            in (folder / "report.html").read_text())
    assert "--variant promoter preset=promoter --baseline alvh" in reproduce_command(load_comparison(folder), "c.toml")
    with pytest.raises(C.ConfigError, match=r"variant x: preset = 'stewart' is not a packaged preset: use one of"):
        api.compare(steward, market, modes=("none", "alvh"), variants={"x": {"preset": "stewart"}})


def test_a_variant_named_like_a_plug_in_modes_run_is_refused(base, on_path) -> None:
    """A mode 'custom_hedge:policy' runs as '<name>-custom_hedge-policy': a variant named 'custom_hedge-policy' would
    share its run's name, and a compare folder read back would take one run for both (review 14)."""
    cfg, market = base
    with pytest.raises(C.ConfigError, match=r"is invalid: custom_hedge:policy, custom_hedge-policy would name their "
                                            "runs alike: rename the variant$"):  # those two only (MUT27 AA12)
        api.compare(cfg, market, modes=("none", "custom_hedge:policy"),
                    variants={"custom_hedge-policy": {"hedge.require_condor": False}})


def test_a_variant_that_never_acts_is_said_so_not_called_borderline(base) -> None:
    """A variant equal to the baseline on every day (its rule never acted: a researcher's trial, session 14) had
    [0, 0] intervals marked "borderline" and a 1-day-block caveat; now one line says the two ran the same book."""
    from vixhedge.compare_text import paired_caveats

    cfg, market = base
    cmp = api.compare(cfg, market, modes=("none", "alvh"), n_boot=200, variants={"a": {"hedge.mode": "none"}})
    rows = cmp.paired[cmp.paired["mode"] == "a"]
    assert (rows[["diff", "ci_low", "ci_high"]].to_numpy() == 0).all() and not rows["ci_borderline"].any()
    caveats = paired_caveats(cmp.paired)
    assert "CI caveat: a: every statistic and interval equals none's: the two ran the same book" in caveats[0]
    assert not any("a: the data-driven block is 1 day" in c for c in caveats)
    # and its rows are not printed with verdicts (trial RS21: four rows of "0.000 [0.000, 0.000] unclear")
    from vixhedge.compare_text import format_comparison

    text = format_comparison(cmp)
    assert not [ln for ln in text.splitlines() if ln.startswith("  a  ")] and "  alvh  " in text
    # trial RS38 L7: paired.png drew its row of dots at 0 unmarked, where the overlay says "(same as none)"
    from vixhedge.compare_report import fig_paired

    ticks = [t.get_text() for t in fig_paired(cmp).axes[0].get_yticklabels()]
    assert ticks == ["alvh", "a (same as none)"]


def test_a_preset_variant_keeps_the_comparisons_run_market_and_analysis() -> None:
    """MUT27 CV8: README "`preset=NAME` starts the variant from a packaged preset, with the comparison's own `[run]`,
    `[market]` and `[analysis]`". The presets share the default [analysis], so only a comparison whose [analysis]
    differs (periods_per_year 365, README's key table: 252 or 365) shows which one the variant
    read; its hedge is the preset's. Also a quoted preset name (`preset="promoter"`, MUT27 CV6) and a variant name
    with '=' (`--variant a=b c=d`, MUT27 CV5: it fell through to the name check's less helpful line)."""
    cfg = C.replace(C.load_default(), run=WINDOW, analysis={"periods_per_year": 365})
    got = variant_config(cfg, "promoter", {"preset": "promoter"})
    assert got.analysis.periods_per_year == 365 and got.analysis == cfg.analysis
    assert (got.run, got.market) == (cfg.run, cfg.market) and got.hedge == C.load_preset("promoter").hedge
    assert cli_variants([["p", 'preset="promoter"'], ["q", "preset='steward'"]]) == \
        {"p": {"preset": "promoter"}, "q": {"preset": "steward"}}
    with pytest.raises(C.ConfigError, match=r"^--variant a=b c=d is invalid: give a name then one or more KEY=VALUE"):
        cli_variants([["a=b", "c=d"]])


def test_a_variant_is_named_from_the_configs_own_policy_and_its_values_keep_their_type(base) -> None:
    """MUT27 CV12, CV11: variant_words starts from the comparison config's own hedge policy (its docstring: "the
    config's own hedge policy"), here vxth, not alvh; the folder id hashes each value with its type, so 8 and "8"
    (or a date and its ISO text) are not one comparison."""
    import datetime as dt

    from vixhedge.compare_variants import variant_words, variants_key

    cfg, _ = base
    vxth = C.replace(cfg, hedge={"policy": "vxth"})
    assert variant_words(vxth, {"nocondor": {"hedge.require_condor": False}}) == [
        "nocondor: vxth with hedge.require_condor = false"]
    assert variants_key({"x": {"hedge.macd.fast": 8}}) != variants_key({"x": {"hedge.macd.fast": "8"}})
    assert variants_key({"x": {"k": dt.date(2016, 1, 4)}}) != variants_key({"x": {"k": "2016-01-04"}})


def test_a_variant_s_value_is_hashed_as_the_config_holds_it(base) -> None:
    """Trial DET32 M4: ``--variant wide condor.stop_multiple=3`` and ``=3.0`` ran the same variant (its run
    default-wide-92f25c3d) but wrote two comparison folders (default-compare-cc23e969 and -772ee224), comparison.json
    holding "3" and "3.0"; a variant's value is now the config's (a float key's 3 is 3.0, as --set gives it)."""
    from vixhedge.compare import MODE_NAMES
    from vixhedge.compare_variants import checked_variants, variants_record

    given = [checked_variants(cli_variants([["wide", f"condor.stop_multiple={v}"]]), MODE_NAMES) for v in ("3", "3.0")]
    given.append(checked_variants({"wide": {"condor.stop_multiple": 3}}, MODE_NAMES))  # (compare(variants=) in Python)
    cfg = base[0]
    attrs = paired_attrs("none", 500, "auto", "percentile", cfg.run.seed)
    assert len({comparison_id(cfg, ("none", "wide"), attrs, v) for v in given}) == 1
    assert all(variants_record(v) == {"wide": {"condor.stop_multiple": "3.0"}} for v in given)
    # a plug-in's own parameter has no type the config knows: as given
    assert checked_variants(cli_variants([["w", "hedge.policy_params.k=3"]]), MODE_NAMES) == \
        {"w": {"hedge.policy_params.k": 3}}
