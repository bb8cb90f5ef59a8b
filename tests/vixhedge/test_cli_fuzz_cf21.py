"""Trial CF21 (a fuzz of every config key and CLI flag, session 21): bad input is one line naming the flag or key,
its value and the fix, exit 2, before any work and nothing written; never a traceback nor an input ignored."""

from __future__ import annotations

import argparse
import math
import tomllib

import pytest

from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge import argtypes, sweep as sw
from vixhedge.cli import main
from vixhedge.core import config as C

def spec(tmp_path, extra="", start="2015-06-01", end="2015-09-30"):
    """ok.toml: two points over 2015-06-01..2015-09-30 (86 sessions), [sweep]'s ``extra`` lines beside workers = 1."""
    return write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', f"workers = 1\n{extra}", "ok", start, end)


def one_line(capsys) -> str:
    cap = capsys.readouterr()
    lines = cap.err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in cap.err and "internal error" not in cap.err, cap.err
    return lines[0]


# --- 1. SPA / StepM's block shorter than the days they test, as compare's --block-days ---------------------------

def test_spa_block_days_at_or_beyond_the_window_is_refused_before_any_work(tmp_path, capsys) -> None:
    """The trial's --spa-block-days 100000 on an 86-session window read p 0.00 and "2 of 2 points beat no hedge"."""
    out = tmp_path / "out"
    for block in ("100000", "86"):
        assert main(["sweep", str(spec(tmp_path)), "--out", str(out), "--spa-block-days", block]) == 2
        assert one_line(capsys) == (f"vixhedge: --spa-block-days {block} is invalid: use a block of 1..85 days (SPA / "
                                    "StepM test the window 2015-06-01..2015-09-30, 86 sessions), or 0 for the "
                                    "data-driven block")
    assert not out.exists()
    assert sw.with_overrides(sw.load_spec(spec(tmp_path)), "--", spa_block_days=85).spa_block_days == 85


def test_the_specs_spa_block_days_is_bounded_by_its_in_sample_side(tmp_path) -> None:
    p = spec(tmp_path, "in_sample_end = 2015-07-31\nspa_block_days = 50")
    with pytest.raises(C.ConfigError) as err:
        sw.load_spec(p)
    assert str(err.value) == (f"{p}: sweep.spa_block_days = 50 is invalid: use a block of 1..43 days (SPA / StepM "
                              "test in sample 2015-06-01..2015-07-31, 44 sessions), or 0 for the data-driven block")
    assert sw.load_spec(spec(tmp_path, "in_sample_end = 2015-07-31\nspa_block_days = 43")).spa_block_days == 43


def test_a_walk_forwards_spa_block_is_bounded_by_each_folds_fit_period(tmp_path, capsys) -> None:
    """The spec's window (3 years) takes a 300-day block; each fold chooses on its 1-year fit period."""
    p, out = spec(tmp_path, start="2014-01-02", end="2016-12-30"), tmp_path / "wf"
    assert main(["sweep", str(p), "--out", str(out), "--quiet", "--walk-forward", "1,1", "--spa-block-days", "300"]) == 2
    assert one_line(capsys) == ("vixhedge: --spa-block-days 300 is invalid: use a block of 1..251 days (SPA / StepM "
                                "test on fold 1's fit period 2014-01-02..2015-01-01, 252 sessions), or 0 for the "
                                "data-driven block")
    assert not out.exists()


# --- 2. dates outside the exchange calendar: one line naming the flag or key --------------------------------------

@pytest.mark.parametrize("flag, value", [("--start", "1900-01-01"), ("--start", "1989-12-29"),
                                         ("--end", "2040-01-01"), ("--end", "2035-12-01")])
def test_data_fetch_refuses_a_day_outside_the_calendar_before_any_work(tmp_path, capsys, flag, value) -> None:
    """Exit 3 `internal error: ValueError: start (1900-01-01) is outside the supported calendar range` after the
    "fetching" line; a December 2035 settlement is dated from January 2036, outside it too."""
    cache = tmp_path / "fc"
    with pytest.raises(SystemExit) as exit_:  # an argument's error: argparse's exit 2, one line
        main(["data", "fetch", "--cache", str(cache), flag, value, "--base-url", "http://127.0.0.1:1"])
    assert exit_.value.code == 2
    assert one_line(capsys) == (f"vixhedge data fetch: error: argument {flag}: '{value}' is outside the exchange "
                                "calendar's VX settlements: use a day in 1990-01-01..2035-11-30 (see vixhedge data "
                                "fetch --help)")
    assert not cache.exists()


@pytest.mark.parametrize("argv, line", [
    (["compare", "--start", "1900-01-01"], "--start 1900-01-01 is invalid"),  # was exit 3 (the calendar's error)
    (["run", "--end", "2040-01-01"], "--end 2040-01-01 is invalid"),
    (["run", "--set", "run.end=2036-01-02"], "--set run.end=2036-01-02: run.end = '2036-01-02' is invalid"),
])
def test_a_run_window_outside_the_calendar_is_one_line(tmp_path, capsys, argv, line) -> None:
    assert main([*argv, "--runs-dir", str(tmp_path / "runs")]) == 2
    assert one_line(capsys) == f"vixhedge: {line}: use a date in 1990-01-01..2035-12-31 (the exchange calendar's range)"
    assert not (tmp_path / "runs").exists()


def test_the_reports_day_type_and_the_configs_range_are_the_calendars() -> None:
    from feeds import sessions

    assert C.base.CALENDAR_RANGE == (sessions.SUPPORTED_START, sessions.SUPPORTED_END)
    with pytest.raises(argparse.ArgumentTypeError, match="'1900-01-01' is outside the exchange calendar: use a day in "
                                                         "1990-01-01..2035-12-31"):
        argtypes.iso_day("1900-01-01")  # python -m vixhedge.vxth_index --start 1900-01-01 ran, cut to the data
    assert argtypes.iso_day("2035-12-31") == "2035-12-31"
    assert argtypes.iso_day("1990-01-01") == "1990-01-01"  # both ends inside (trial MUT21 K9)


# --- 3. --hedge-mode owns hedge.policy and hedge.policy_params, which it clears ------------------------------------

@pytest.mark.parametrize("argv", [["run"], ["replay", "volmageddon"]], ids=" ".join)
@pytest.mark.parametrize("key", ["hedge.policy=alvh", "hedge.policy_params.window=5"])
def test_set_hedge_policy_beside_hedge_mode_is_refused(tmp_path, capsys, argv, key) -> None:
    assert main([*argv, "--runs-dir", str(tmp_path), "--hedge-mode", "none", "--set", key]) == 2
    name = key.partition("=")[0]
    assert one_line(capsys) == f"vixhedge: --set {name} and --hedge-mode both set {name}: give one"


# --- 4. integers within 64 bits, money within a plausible bound ----------------------------------------------------

@pytest.mark.parametrize("key", ["run.seed", "market.synthetic.seed", "hedge.max_layers"])
def test_an_integer_beyond_64_bits_is_refused(key) -> None:
    """TOML 1.0 readers refuse an integer beyond 64 bits: config.toml held `seed = 100000000000000000000000`."""
    section, _, rest = key.partition(".")
    change = {section: {rest: 10**23}} if "." not in rest else {"market": {"synthetic": {"seed": -10**23}}}
    with pytest.raises(C.ConfigError) as err:
        C.replace(C.load_default(), **change)
    sign = "-" * (key == "market.synthetic.seed")
    assert str(err.value) == (f"{key} = {sign}{10**23} is invalid: use a whole number within 64 bits "
                              "(-9,223,372,036,854,775,808..9,223,372,036,854,775,807; TOML readers refuse larger ones)")
    assert C.replace(C.load_default(), run={"seed": 2**63 - 1}).run.seed == 2**63 - 1
    with pytest.raises(C.ConfigError, match=r"hedge.policy_params.x\[1\] = 100000000000000000000000 is invalid"):
        C.replace(C.load_default(), hedge={"policy_params": {"x": [1, 10**23]}})


def test_an_integer_beyond_a_float_is_one_line_not_an_overflow(tmp_path, capsys) -> None:
    assert main(["run", "--set", f"run.initial_cash_usd=1{'0' * 400}", "--print-config"]) == 2
    assert one_line(capsys).endswith("run.initial_cash_usd = an integer of about 401 digits is invalid: use a finite "
                                     "number")


def test_money_keys_have_a_plausible_bound() -> None:
    cfg = C.load_default()
    with pytest.raises(C.ConfigError, match=r"margin.vx_initial_usd = \[1e\+300, 3850.0, 3410.0\] is invalid: "
                                            "per-contract USD, positive and at most 100,000"):
        C.replace(cfg, margin={"vx_initial_usd": [1e300, 3850.0, 3410.0]})
    assert C.replace(cfg, margin={"vx_initial_usd": [100_000.0, 3850.0, 3410.0]}).margin.vx_initial_usd[0] == 1e5
    for key in ("max_notional_usd", "premium_budget_usd"):
        with pytest.raises(C.ConfigError, match=f"hedge.{key} = 1e\\+300 is invalid: must be a positive amount of USD "
                                                "up to 1e\\+12"):
            C.replace(cfg, hedge={key: 1e300})
        assert getattr(C.replace(cfg, hedge={key: math.inf}).hedge, key) == math.inf
        assert getattr(C.replace(cfg, hedge={key: 1e12}).hedge, key) == 1e12


# --- 5. small CLI gaps ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, line", [
    (["compare", "--modes", "none,,alvh"], "--modes 'none,,alvh' is invalid: it holds an empty mode: remove the extra "
                                           "comma, e.g. none,static,alvh"),
    (["compare", "--variant", "v1", "hedge.macd.fast"], "--variant v1 'hedge.macd.fast' is invalid: write a dotted "
                                                         "config key, '=' and a value, e.g. --variant v1 "
                                                         "hedge.require_condor=false"),
    (["replay", "--list", "volmageddon"], "replay --list lists the named periods and takes nothing else: drop "
                                          "volmageddon"),
    (["replay", "--list", "--set", "x=1"], "replay --list lists the named periods and takes nothing else: drop --set"),
    (["replay", "--list", "--engine", "backtrader"], "replay --list lists the named periods and takes nothing else: "
                                                     "drop --engine"),  # (trial MUT21 K21)
    (["compare", "--modes", "none,"], "--modes 'none,' is invalid: it holds an empty mode: remove the extra comma, "
                                      "e.g. none,static,alvh"),  # (trial MUT21 A1)
    (["replay"], "replay needs a named period NAME: one of gfc, flash-crash, us-downgrade, china-deval, volmageddon, "
                 "q4-2018, covid, bear-2022, yen-carry (vixhedge replay --list describes them)"),
    (["replay", "covid", "--data-dir", "/nonexistent"], "--data-dir '/nonexistent' does not exist: give the folder "
                                                         "of the data files (e.g. ../shared/data)"),
])
def test_small_cli_gaps_are_one_line(tmp_path, capsys, argv, line) -> None:
    assert main([*argv, "--runs-dir", str(tmp_path / "runs")] if argv[0] == "compare" else argv) == 2
    assert one_line(capsys) == f"vixhedge: {line}"
    assert main(["replay", "--list"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 9


def test_a_folder_or_a_bad_sweep_config_names_the_sweep_spec_and_its_key(tmp_path, capsys) -> None:
    assert main(["sweep", str(tmp_path)]) == 2
    assert one_line(capsys) == f"vixhedge: sweep spec '{tmp_path}' is a folder, not a file: give a .toml file"
    for value, words in (('"."', f"sweep.config = '.': config file '{tmp_path}' is a folder, not a file: give a "
                                 ".toml file"),
                         ('"nope.toml"', f"sweep.config = 'nope.toml': config file '{tmp_path / 'nope.toml'}' does not "
                                         "exist: check the path"),
                         ("1", 'sweep.config = 1 is invalid: give the run config\'s file, relative to the spec, e.g. '
                               '"base.toml"')):  # 1: an internal TypeError
        p = spec(tmp_path, f"config = {value}")
        assert main(["sweep", str(p)]) == 2
        assert one_line(capsys) == f"vixhedge: {p}: {words}"


# --- 6. --print-config prints every key ----------------------------------------------------------------------------

def test_print_config_prints_the_keys_config_toml_leaves_out_commented(capsys) -> None:
    """README: `--print-config` prints a whole config; the omit_default keys were missing from it. config.toml (and so
    every run id) is as before: they stay out of it."""
    assert main(["run", "--print-config"]) == 0
    text = capsys.readouterr().out
    default = C.load_default()
    for key in ("signal_delay_bars = 0", "selector = \"\"", "selector_params = {}", "policy = \"\"",
                "policy_params = {}", "signals = []", "hold_adds = 0", "risk_free_rate = 0.01", "analyzers = []"):
        assert f"\n# {key}  (its default: a run's config.toml leaves it out)" in text, key  # (its meaning after)
        assert f"\n{key.partition(' ')[0]} =" not in C.to_toml(default)
    uncommented = "\n".join(line[2:].partition("  (its default")[0] if line.startswith("# ") else line
                            for line in text.splitlines())
    for toml in (text, uncommented):  # as printed and with every key stated: the default config
        assert C.to_toml(C.from_dict(tomllib.loads(toml))) == C.to_toml(default)
