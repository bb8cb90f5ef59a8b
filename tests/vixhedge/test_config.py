import datetime as dt
import tomllib

import pytest

from vixhedge.core import config as C
from vixhedge.core.config.load import read_toml


def test_default_loads_and_round_trips_through_toml():
    cfg = C.load_default()
    assert cfg.hedge.macd == C.MacdConfig(fast=12, slow=26, signal=9, series=C.VxSeries.CONSTANT_30D)
    assert C.from_dict(tomllib.loads(C.to_toml(cfg))) == cfg


@pytest.mark.parametrize("section, values, message", [
    ("hedge", {"macd": {"fast": 26, "slow": 12}}, r"hedge.macd.fast = 26 is invalid: must be smaller than "
                                                  r"hedge.macd.slow \(12\): swap them or lower fast"),
    # the trial: fast=1, slow=2, signal=1 was accepted; a 1-bar signal EMA is the MACD itself (no crossing)
    ("hedge", {"macd": {"fast": 1, "slow": 2, "signal": 1}}, r"^hedge.macd.signal = 1 is invalid: must be 2 or more: "
                                                             r"a 1-bar signal EMA equals the MACD.*use e.g. 9$"),
    ("condor", {"contracts": -1}, r"condor.contracts = -1 is invalid: must be a positive number"),
    ("hedge", {"expanding_layer_multiple": 2.5}, r"hedge.expanding_layer_multiple = 2.5 is invalid: must be in "
                                                 r"\(0, next_layer_multiple=2.0\]"),
    ("condor", {"wing_delta": 0.3}, r"condor.wing_delta = 0.3 is invalid: must be in \(0, short_delta=0.2\)"),
    ("run", {"start": "2018-01-01", "end": "2017-01-01"}, r"run.start = '2018-01-01' is invalid: must be before"),
    ("run", {"start": "01/02/2018"}, r"run.start = '01/02/2018' is invalid: write a date as YYYY-MM-DD"),
    ("run", {"start": "2015-02-30"}, r"run.start = '2015-02-30' is not a calendar date \(YYYY-MM-DD, but no such "
                                     r"day\)"),
    ("hedge", {"mode": "dynamic"}, r"hedge.mode = 'dynamic' is invalid: use one of \['none', 'static', 'alvh', 'vxth'\]"),
    ("hedge", {"max_layers": "four"}, r"hedge.max_layers = 'four' is invalid: use a whole number"),
    # the trial: a TOML boolean was echoed as Python's True; the error spells it as the file does
    ("execution", {"signal_delay_bars": True}, r"^execution.signal_delay_bars = true is invalid: use a whole number$"),
    ("hedge", {"mode": False}, r"^hedge.mode = false is invalid: use one of"),
    ("analysis", {"hedge_ratio_band": [True]}, r"^analysis.hedge_ratio_band = \[true\] is invalid: use a list of 2"),
    ("execution", {"fee_vx_future_usd": -1.0}, r"execution.fee_vx_future_usd = -1.0 is invalid: fees per contract"),
    ("market", {"spx_smile": {"skew": 0.2}}, r"market.spx_smile.skew = 0.2 is invalid: SPX skew is negative"),
    ("market", {"spx_smile": {"skew_by_year": 3}}, r"market.spx_smile.skew_by_year = 3 is invalid: use a list, "
                                                   r"e.g. \[0.05, -0.02\]"),
    ("analysis", {"hedge_ratio_band": [0.8, 0.2]}, r"analysis.hedge_ratio_band = \[0.8, 0.2\] is invalid"),
    ("hedge", {"colour": "red"}, r"unknown key 'hedge.colour': remove it or use one of \["),
    ("condor", {"contracs": 3}, r"^unknown key 'condor.contracs': did you mean 'condor.contracts'\?$"),
    ("analysis", {"risk_free_rate": 0.02}, r"analysis.risk_free_rate = 0.02 is invalid: it is read only with "
                                           r"analysis.risk_free = \"constant\""),
    # default.toml's window is min_dte 30, target_dte 45, max_dte 60: a reversed window names min_dte, not target_dte
    ("condor", {"min_dte": 60, "max_dte": 30}, r"^condor.min_dte = 60 is invalid: must not exceed condor.max_dte "
                                               r"\(30\): swap them$"),
    ("condor", {"target_dte": 70}, r"^condor.target_dte = 70 is invalid: need min_dte \(30\) <= target_dte <= "
                                   r"max_dte \(60\)$"),
    # the trial: seed = -5 was accepted; compare then crashed in numpy's generator ("expected non-negative
    # integer"), a sweep after all its points, a synthetic market at its first draw
    ("run", {"seed": -5}, r"^run.seed = -5 is invalid: use a whole number 0 or more \(numpy's random generators "
                          r"take no negative seed\), e.g. 7$"),
    ("market", {"synthetic": {"seed": -1}}, r"^market.synthetic.seed = -1 is invalid: use a whole number 0 or more"),
], ids=["fast>=slow", "signal-1-never-crosses", "negative-size", "1.5x-above-2x", "wing-inside-short",
        "start-after-end", "bad-date",
        "no-such-day",
        "unknown-mode", "text-in-number", "bool-in-number", "bool-in-choice", "bool-in-list", "negative-fee",
        "positive-skew", "number-not-list", "band-reversed",
        "unknown-key", "typo-key", "rate-without-constant", "dte-window-reversed", "target-outside-window",
        "negative-run-seed", "negative-synthetic-seed"])
def test_impossible_values_name_field_value_and_fix(section, values, message):
    with pytest.raises(C.ConfigError, match=message):
        C.replace(C.load_default(), **{section: values})


def test_a_seed_from_zero_to_the_largest_toml_integer_is_accepted():
    """numpy's default_rng takes any integer >= 0 (numpy.random.SeedSequence); TOML's integers end at 2**63 - 1."""
    for seed in (0, 2**63 - 1):
        cfg = C.replace(C.load_default(), run={"seed": seed}, market={"synthetic": {"seed": seed}})
        assert (cfg.run.seed, cfg.market.synthetic.seed) == (seed, seed)


def test_every_unknown_key_is_named_at_once_on_one_line():
    with pytest.raises(C.ConfigError) as err:
        C.from_dict({"condor": {"contracs": 3}, "hedge": {"colour": "red", "macd": {"fsat": 8}}})
    assert str(err.value) == ("unknown keys 'condor.contracs' (did you mean 'condor.contracts'?), 'hedge.colour', "
                              "'hedge.macd.fsat' (did you mean 'hedge.macd.fast'?): rename or remove them "
                              "(vixhedge run --print-config lists every key)")


def test_unknown_section_and_bad_toml_name_the_file(tmp_path):
    with pytest.raises(C.ConfigError, match=r"unknown key 'hegde'"):
        C.from_dict({"hegde": {}})
    bad = tmp_path / "broken.toml"
    bad.write_text("[run\nname = 1")
    with pytest.raises(C.ConfigError, match=r"broken.toml: not valid TOML"):
        C.load(bad)
    with pytest.raises(C.ConfigError, match=r"does not exist"):
        C.load(tmp_path / "missing.toml")
    wrong = tmp_path / "wrong.toml"
    wrong.write_text("[condor]\nshort_delta = 0.7\n")
    with pytest.raises(C.ConfigError, match=r"wrong.toml: condor.short_delta = 0.7 is invalid"):
        C.load(wrong)


@pytest.mark.parametrize("encoding, message", [
    ("utf-16", r"c.toml: is UTF-16 text \(Windows Notepad's 'Unicode'\), not UTF-8: save it as UTF-8$"),
    ("utf-16-le", r"c.toml: holds NUL bytes \(UTF-16 text without a byte-order mark\?\), not UTF-8 text: save it "
                  r"as UTF-8$"),
    # Latin-1 writes "é" as the one byte 0xe9: the 12th byte of line 2, name = "café"
    ("latin-1", r"c.toml: is not UTF-8 text \(byte 0xe9 at line 2, column 12: Latin-1 or another code page\?\): "
                r"save it as UTF-8$"),
], ids=["utf-16-notepad", "utf-16-no-bom", "latin-1"])
def test_a_config_not_in_utf8_is_one_line_naming_the_file_and_the_fix(tmp_path, encoding, message):
    path = tmp_path / "c.toml"
    path.write_bytes('[run]\nname = "café"\n'.encode(encoding))
    with pytest.raises(C.ConfigError, match=message) as exc:
        C.load(path)
    assert "\n" not in str(exc.value)


@pytest.mark.parametrize("data, message", [
    # MUT26 U2: ASCII-only UTF-16-LE without a BOM is valid UTF-8 (a NUL after every letter): its NULs name it
    ('[run]\nname = "cafe"\n'.encode("utf-16-le"),
     r"c.toml: holds NUL bytes \(UTF-16 text without a byte-order mark\?\), not UTF-8 text: save it as UTF-8$"),
    # MUT26 U3: big-endian UTF-16 with its byte-order mark FE FF (codecs.BOM_UTF16_BE) is UTF-16 as Notepad's LE is
    (b"\xfe\xff" + '[run]\nname = "café"\n'.encode("utf-16-be"),
     r"c.toml: is UTF-16 text \(Windows Notepad's 'Unicode'\), not UTF-8: save it as UTF-8$"),
], ids=["utf-16-le-ascii-no-bom", "utf-16-be-bom"])
def test_utf16_that_decodes_as_utf8_or_is_big_endian_is_named(tmp_path, data, message):
    """vixhedge.core.utf8's docstring: "UTF-16 by its byte-order mark (Notepad's "Unicode"), UTF-16 without one by
    its NUL bytes"; the bytes are Python's own codecs'."""
    path = tmp_path / "c.toml"
    path.write_bytes(data)
    if not data.startswith(b"\xfe\xff"):  # the no-BOM case decodes as UTF-8: a NUL beside every letter
        assert data.decode("utf-8").count("\x00") == len(data) // 2
    with pytest.raises(C.ConfigError, match=message) as exc:
        C.load(path)
    assert "\n" not in str(exc.value)


def test_a_utf8_byte_order_mark_is_accepted_and_read_toml_is_the_public_reader(tmp_path):
    path = tmp_path / "c.toml"
    path.write_bytes(b"\xef\xbb\xbf" + '[run]\nname = "café"\n'.encode())  # the BOM Notepad's "UTF-8" writes
    assert C.load(path).run.name == "café"
    assert read_toml(path) == {"run": {"name": "café"}}
    with pytest.raises(C.ConfigError, match=r"^sweep spec '.*nope.toml' does not exist: check the path$"):
        read_toml(tmp_path / "nope.toml", "sweep spec")


def test_configs_are_frozen_and_dates_parse():
    cfg = C.from_dict({"run": {"start": dt.date(2015, 1, 2), "end": "2016-01-04"}})
    assert cfg.run.end == dt.date(2016, 1, 4)
    with pytest.raises(AttributeError):
        cfg.run.start = dt.date(2015, 1, 5)  # type: ignore[misc]


def test_macd_warmup_bars():
    assert C.MacdConfig().warmup_bars == 34  # backtrader MACD(12,26,9): first histogram at bar 33


def test_replace_rebuilds_only_what_it_changes_and_equals_a_whole_load() -> None:
    """replace() keeps untouched sections as they are; the result equals loading the merged table from scratch."""
    base = C.load_default()
    changes = {"hedge": {"macd": {"fast": 8}, "review_bars": 0}, "condor": {"contracts": 3}}
    got = C.replace(base, **changes)
    table = C.to_dict(base)
    table["hedge"]["macd"]["fast"], table["hedge"]["review_bars"], table["condor"]["contracts"] = 8, 0, 3
    assert got == C.from_dict(table)
    assert C.to_toml(got) == C.to_toml(C.from_dict(table))
    assert got.market is base.market and got.hedge.confirm is base.hedge.confirm
    with pytest.raises(C.ConfigError, match="hedge.macd.fast = 30 is invalid"):
        C.replace(base, hedge={"macd": {"fast": 30}})
    with pytest.raises(C.ConfigError, match="unknown key 'hedge.macd.nope'"):
        C.replace(base, hedge={"macd": {"nope": 1}})


def test_a_stated_rate_without_a_basis_means_that_rate_and_cash_shows_none() -> None:
    """Every config and run folder before the cash basis states analysis.risk_free_rate alone (the packaged default
    wrote 0.01): it keeps meaning that constant; a cash-basis config's TOML shows no rate it does not use."""
    old = C.from_dict({"analysis": {"risk_free_rate": 0.01}})
    assert (old.analysis.risk_free, old.analysis.risk_free_rate) == (C.RiskFree.CONSTANT, 0.01)
    assert C.from_dict({"analysis": {"risk_free_rate": 0.02}}).analysis.risk_free is C.RiskFree.CONSTANT
    cash = C.load_default()
    assert cash.analysis.risk_free is C.RiskFree.CASH and "risk_free_rate" not in C.to_toml(cash)
    two = C.from_dict({"analysis": {"risk_free": "constant", "risk_free_rate": 0.02}})
    assert "risk_free_rate = 0.02" in C.to_toml(two) and C.from_dict(tomllib.loads(C.to_toml(two))) == two



@pytest.mark.parametrize("values, message", [
    # the fresh-user trial's values, accepted before: a 300-digit NAV, a $1e9 fee, a wing no strike can hold
    ({"run": {"initial_cash_usd": 1e300}}, r"^run.initial_cash_usd = 1e\+300 is invalid: must be an amount of "
                                           r"dollars from 100 \(.*\) up to 1e12"),
    ({"execution": {"fee_vx_future_usd": 1e9}}, r"^execution.fee_vx_future_usd = 1000000000.0 is invalid: fees per "
                                                r"contract in USD: use 0..1,000"),
    ({"condor": {"wing_width_points": 1e9}}, r"^condor.wing_width_points = 1000000000.0 is invalid: use 0 \(wings by "
                                             r"delta\) or a positive multiple of 5 points up to 1,000"),
], ids=["cash-1e300", "fee-1e9", "wing-1e9"])
def test_extreme_values_are_refused_in_one_line(values, message):
    with pytest.raises(C.ConfigError, match=message):
        C.replace(C.load_default(), **values)
    bounds = {"run": {"initial_cash_usd": 1e12}, "execution": {"fee_vx_future_usd": 1000.0},
              "condor": {"wing_width_points": 1000.0}}  # the bounds themselves are allowed
    C.replace(C.load_default(), **{k: bounds[k] for k in values})


def test_no_condor_with_an_alvh_hedge_that_requires_one_is_refused():
    """The trial: condor.enabled = false with hedge.require_condor = true (the default) ran and never traded."""
    with pytest.raises(C.ConfigError) as err:
        C.from_dict({"condor": {"enabled": False}})
    assert str(err.value) == ("condor.enabled = false with hedge.require_condor = true is invalid: no ALVH layer "
                              "opens while no condor is open, so this run would never trade: set "
                              "hedge.require_condor = false to run the hedge alone (or condor.enabled = true)")
    alone = C.from_dict({"condor": {"enabled": False}, "hedge": {"require_condor": False}})  # the hedge alone
    assert not alone.condor.enabled and alone.hedge.policy_name == "alvh"
    assert C.from_dict({"condor": {"enabled": False}, "hedge": {"mode": "vxth"}}).hedge.require_condor  # not read


def test_outer_vx_layers_must_open_on_a_listed_month() -> None:
    """tenor_months 6 + placement.flat_extra_tenor 3 asked for VX month 9 on days that list 8 (the plug-in action
    check then blamed the policy alvh): a config error naming the key (vixhedge.core.config.hedge.LISTED_VX_MONTHS)."""
    with pytest.raises(C.ConfigError, match=r"hedge.placement.flat_extra_tenor = 3 is invalid: with hedge.tenor_months "
                                            r"= 6 outer layers would open on VX month 9; 8 are listed every day"):
        C.replace(C.Config(), hedge={"tenor_months": 6, "placement": {"flat_extra_tenor": 3}})
    C.replace(C.Config(), hedge={"tenor_months": 6, "placement": {"flat_extra_tenor": 3, "enabled": False}})
    C.replace(C.Config(), hedge={"tenor_months": 6, "instrument": "vix_call_spread",
                                 "placement": {"flat_extra_tenor": 3}})


def test_replace_takes_a_tuple_where_the_field_is_a_tuple(on_path) -> None:
    # the trial: replace(hedge={"signals": ("myplug:vix_mom",)}) was refused "use a list" though cfg.hedge.signals is a
    # tuple; a TOML array and a Python tuple give the same config
    cfg = C.load_default()
    as_tuple = C.replace(cfg, hedge={"signals": ("custom_signal:vx_zscore",)}, analysis={"hedge_ratio_band": (0.1, 0.9)})
    as_list = C.replace(cfg, hedge={"signals": ["custom_signal:vx_zscore"]}, analysis={"hedge_ratio_band": [0.1, 0.9]})
    assert as_tuple == as_list and as_tuple.hedge.signals == ("custom_signal:vx_zscore",)


def test_max_layers_1_under_alvh_and_the_static_run_of_it_are_accepted():
    """Trial V (2026-12-05): hedge.max_layers = 1 was refused under every mode ("hedge.static_layers = 2 is invalid:
    use 1..max_layers (1)"), and so was compare's static run of such a config: static_layers (the static policy's,
    default 2) was tied to max_layers (the alvh policy's). Each policy reads its own; the kernel's slots hold the
    larger (tests/vixhedge/test_kernel.py::test_a_static_point_holds_more_layers_than_max_layers)."""
    cfg = C.replace(C.load_default(), hedge={"max_layers": 1})
    assert cfg.hedge.max_layers == 1 and C.replace(cfg, hedge={"mode": "static"}).hedge.static_layers == 2
    with pytest.raises(C.ConfigError, match=r"^hedge.static_layers = 21 is invalid: use 1..20 layers$"):
        C.replace(cfg, hedge={"static_layers": 21})
