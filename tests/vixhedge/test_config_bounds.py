"""Implausible config values are refused at load time in one line naming the key, the value and a plausible range.

Every refused value below is one the fuzz trial (session 9, /work/notes/trialA_findings.md, main at 52749b1) found
accepted and then crashing, eating gigabytes or silently switching a rule off; the finding's id names each test.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from vixhedge.core import config as C
from vixhedge.core.config import smilecheck

BASE = C.load_default()


def refused(sections: dict, pattern: str) -> str:
    with pytest.raises(C.ConfigError, match=pattern) as err:
        C.replace(BASE, **sections)
    assert "\n" not in str(err.value)
    return str(err.value)


@pytest.mark.parametrize("values, pattern", [
    # the trial's atm_ratio_per_log_tenor 20.0 (negative vol), 40.0 / 100.0 (MemoryError), index_wing_variance 100.0,
    # put_skew 1.7e308 (overflow warnings), skew_first_year 0 / 1e6 / 1e18 (internal date errors)
    ({"atm_ratio_per_log_tenor": 20.0}, r"^market.spx_smile.atm_ratio_per_log_tenor = 20.0 is invalid: use a value "
                                        r"in \[-1, 1\]"),
    ({"atm_ratio_per_log_tenor": 100.0}, r"^market.spx_smile.atm_ratio_per_log_tenor = 100.0 is invalid"),
    ({"index_wing_variance": 100.0}, r"^market.spx_smile.index_wing_variance = 100.0 is invalid: use a value in "
                                     r"\[0, 10\]"),
    ({"put_skew": 1.7e308}, r"^market.spx_smile.put_skew = 1.7e\+308 is invalid: use a value in \[-2, 0\]"),
    ({"call_curvature": 1.7e308}, r"^market.spx_smile.call_curvature = 1.7e\+308 is invalid"),
    ({"skew_first_year": 0}, r"^market.spx_smile.skew_first_year = 0 is invalid: .* use a year in 1990..1999"),
    ({"skew_first_year": 1_000_000}, r"^market.spx_smile.skew_first_year = 1000000 is invalid"),
    ({"skew_first_year": 10**18}, r"^market.spx_smile.skew_first_year = 1000000000000000000 is invalid"),
    ({"skew_by_year": [0.0, 3.0]}, r"^market.spx_smile.skew_by_year = \[0.0, 3.0\] is invalid: entry 2 \(3.0\)"),
    ({"index_relations": [1e6] + [0.0] * 14}, r"^market.spx_smile.index_relations = \[1000000.0, .* entry 1 "),
    # review, session 9: 50 knots blamed skew_first_year with "use a year in 1990..1986"; 1990..2035 holds 46
    ({"skew_by_year": [0.1] * 50}, r"^market.spx_smile.skew_by_year = '50 knots' is invalid: give at most 46"),
], ids=["atm-20", "atm-100", "wing-100", "put-skew", "call-curv", "year-0", "year-1e6", "year-1e18", "by-year",
        "relations", "too-many-knots"])
def test_h1_surface_keys_out_of_range(values, pattern):
    refused({"market": {"spx_smile": values}}, pattern)


def test_h1_keys_each_in_range_but_together_a_negative_vol():
    """0.9 lies inside atm_ratio_per_log_tenor's [-1, 1], but at a 1-day tenor ln(1/30) = -3.4 takes 3.06 off the
    ATM ratio 1 / sqrt(1 + 0.2858 g) (< 1): a negative vol, the trial's ValueError, refused at load naming both keys."""
    msg = refused({"market": {"spx_smile": {"atm_ratio_per_log_tenor": 0.9}}},
                  r"^market.spx_smile: atm_ratio_per_log_tenor = 0.9 and index_wing_variance = 0.2858 .* give an ATM "
                  r"vol of -0.\d+ at a 1-day tenor")
    assert "keep it in (0, 3]" in msg
    # the vix_anchored model does not read the surface: only the per-key ranges apply
    C.replace(BASE, market={"spx_smile": {"model": "vix_anchored", "atm_ratio_per_log_tenor": 0.9}})


def test_h1_joint_check_is_feeds_surface_on_the_same_points():
    """The load-time check runs in pure Python (a config's load imports no numpy, the core no feeds); each of its
    points equals feeds.surface's own ATM vol there (indices_from_vix, atm_base, atm_ratio), for the defaults and a
    config with every surface key moved (values inside the ranges, made up for the comparison)."""
    from feeds import surface
    from feeds.chains import index_relations, surface_params

    moved = C.replace(BASE, market={"spx_smile": {"atm_ratio_per_log_tenor": -0.05, "index_wing_variance": 0.5,
                                                  "skew_by_year": [-0.2, 0.1, 0.3]}}).market.spx_smile
    for smile in (BASE.market.spx_smile, moved):
        points = list(smilecheck.atm_points(smile))
        assert len(points) == 2 * 3 * 3 * 7  # VIX x ln(A / VIX) x SKEW offsets x tenors
        for vol, days, vix, lr, skew in points:
            off = np.log(skew) - np.log(surface.indices_from_vix(np.array([vix]), index_relations(smile),
                                                                 np.array([vix * np.exp(lr)]))[0, -1])
            levels = surface.indices_from_vix(np.array([vix]), index_relations(smile), np.array([vix * np.exp(lr)]),
                                              np.array([off]))
            t = np.array([days / 365.0])
            want = surface.atm_base(t, levels) * surface.atm_ratio(surface_params(smile), t,
                                                                   surface.index_skewness(levels[:, -1]))
            assert vol == pytest.approx(float(want[0]), rel=1e-12)


def test_h1_surface_ranges_are_the_calibrations_box():
    """A fit (feeds.surface.fit, bounded by LOWER / UPPER) never writes a value the config refuses."""
    from feeds import surface

    assert {n: (lo, hi) for n, lo, hi in zip(surface.PARAMS, surface.LOWER, surface.UPPER)} == \
        smilecheck.SURFACE_RANGES


@pytest.mark.parametrize("name", C.PRESETS)
def test_the_presets_and_the_default_pass_every_bound(name):
    smilecheck.check_surface_atm(C.load_preset(name).market.spx_smile)  # its own surface (loading checked it too)


def test_h2_synthetic_spx_start_is_an_spx_level():
    """The trial's spx_start = 1e6: 52 s and 6.9 GB RSS (the strike grid grows with the level); 800.0 (test_report's
    synthetic run) stays valid."""
    refused({"market": {"source": "synthetic", "synthetic": {"spx_start": 1e6}}},
            r"^market.synthetic.spx_start = 1000000.0 is invalid: use a value in \[50, 50000\]")
    C.replace(BASE, market={"source": "synthetic", "synthetic": {"spx_start": 800.0}})


@pytest.mark.parametrize("values, pattern", [
    ({"vx_curve": {"mean_reversion_per_year": 5e-324}},
     r"^market.vx_curve.mean_reversion_per_year = 5e-324 is invalid: give a speed per year in \[0.01, 50\)"),
    ({"vx_curve": {"slow_gain": 1e-300}}, r"^market.vx_curve.slow_gain = 1e-300 is invalid: use 0 or a value in "
                                          r"\[0.0001, 1\]"),
    ({"spreads": {"vx_future": 1.7e308}}, r"^market.spreads.vx_future = 1.7e\+308 is invalid: use a width in index "
                                          r"points in \[0, 5\]"),
], ids=["kappa", "slow-gain", "vx-spread"])
def test_h3_tiny_and_huge_numbers_that_crashed(values, pattern):
    refused({"market": values}, pattern)


def test_h3_slow_gain_zero_is_still_the_models_own_case():
    assert C.replace(BASE, market={"vx_curve": {"slow_gain": 0.0}}).market.vx_curve.slow_gain == 0.0
    # review, session 9: the least nonzero gain feeds.calibrate writes (4 decimals) loads
    assert C.replace(BASE, market={"vx_curve": {"slow_gain": 0.0001}}).market.vx_curve.slow_gain == 0.0001


def test_m4_next_layer_multiple_a_handful():
    """The trial's 1.7e308 failed on 2015-06-04 inside the policy (OverflowError), exit 2: now refused at load."""
    refused({"hedge": {"next_layer_multiple": 1.7e308}},
            r"^hedge.next_layer_multiple = 1.7e\+308 is invalid: use a value in \(0, 10\]")
    C.replace(BASE, hedge={"next_layer_multiple": 3.0})  # the promoter preset's


@pytest.mark.parametrize("name, hi", [("vx_future", 5), ("spx_option_max", 50), ("vix_option_max", 5),
                                      ("spx_option_min", 50), ("vix_option_min", 5)])
def test_m5_spread_widths_have_an_upper_bound(name, hi):
    """The trial's vx_future = 1e300: accepted, never hedged, a capital note hundreds of digits long."""
    refused({"market": {"spreads": {name: 1e300}}},
            rf"^market.spreads.{name} = 1e\+300 is invalid: use a width in index points in \[0, {hi}\]")


@pytest.mark.parametrize("name, value", [("slope_bars", 1_000_000), ("expansion_bars", 2**63 - 1)])
def test_m7_slope_and_expansion_bars_cannot_switch_their_rules_off(name, value):
    """The trial's values left macd_slope (expansion) NaN on every bar, exit 0 with no note (its 2^63 is now beyond
    64 bits: test_cli_fuzz_cf21)."""
    refused({"hedge": {"macd": {name: value}}},
            rf"^hedge.macd.{name} = {value} is invalid: use 1..252 bars \(a year of sessions\)")


def test_m8_spread_width_within_the_vix_strikes():
    """The trial's 1e300 sold a VIX 1000 call at bid 0.00, paying the fee."""
    refused({"hedge": {"instrument": "vix_call_spread", "spread_width_points": 1e300}},
            r"^hedge.spread_width_points = 1e\+300 is invalid: call-spread width in whole VIX points, 1..50")
    C.replace(BASE, hedge={"instrument": "vix_call_spread", "spread_width_points": 50.0})


def test_l9_each_error_names_the_wrong_key():
    """The trial: start = 1900-01-01 blamed market.synthetic.end; vx_initial_usd [-1, -1, -1] (or zeros) blamed
    margin.vx_maintenance_usd."""
    refused({"market": {"source": "synthetic", "synthetic": {"start": dt.date(1900, 1, 1)}}},
            r"^market.synthetic.start = '1900-01-01' is invalid: keep the path inside the exchange calendar")
    refused({"market": {"source": "synthetic", "synthetic": {"end": dt.date(2040, 1, 1)}}},
            r"^market.synthetic.end = '2040-01-01' is invalid")
    for bad in ([-1.0, -1.0, -1.0], [0.0, 0.0, 0.0]):
        refused({"margin": {"vx_initial_usd": bad}}, r"^margin.vx_initial_usd = \[.*\] is invalid: per-contract USD, "
                                                     r"positive")


@pytest.mark.parametrize("cash", [1e-300, 5e-324, 1e-12])
def test_l11_initial_cash_buys_a_contract(cash):
    """The trial's values ran on with NAV 0.000000 in daily.csv; $1,000 (test_report's capital-cap run) stays valid."""
    refused({"run": {"initial_cash_usd": cash}}, rf"^run.initial_cash_usd = {cash!r} is invalid: must be an amount "
                                                 r"of dollars from 100")
    C.replace(BASE, run={"initial_cash_usd": 1000.0})


def test_h1_a_cli_run_stops_in_one_line_before_any_work(tmp_path, capsys):
    """The trial's exit 3 (internal error) after 13-17 s: now exit 2, one line, no run folder."""
    from vixhedge.cli import main

    cfg = tmp_path / "x.toml"
    cfg.write_text("[run]\nstart = 2015-06-01\nend = 2015-09-30\n[market.spx_smile]\natm_ratio_per_log_tenor = 40.0\n")
    assert main(["run", str(cfg), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "market.spx_smile.atm_ratio_per_log_tenor = 40.0 is invalid" in err[0], err
    assert not (tmp_path / "runs").exists()


def test_a_steep_slopes_option_layer_stays_within_spread_long_otms_range():
    """Review 25: spread_long_otm -0.5 with the slope rule's near_otm 0.05 placed a steep slope's call spread at
    -0.55 (strategies.placement: spread_long_otm - near_otm), which the action check refuses for a plug-in wrapping
    alvh: refused at load, naming the most near_otm can be (spread_long_otm + 0.5); VX layers have no strike."""
    low = {"instrument": "vix_call_spread", "spread_long_otm": -0.5, "slope": {"enabled": True}}
    refused({"hedge": low}, r"^hedge.slope.near_otm = 0.05 is invalid: a steep slope's option layer would sit -0.55 "
                            r"above the VX future, below -0.5 \(spread_long_otm -0.5\): use at most 0$")
    C.replace(BASE, hedge={**low, "slope": {"enabled": False}})  # the rule off, or VX futures: no strike to place
    C.replace(BASE, hedge={**low, "instrument": "vx_future"})
    C.replace(BASE, hedge={**low, "spread_long_otm": -0.45})  # -0.45 - 0.05 = -0.5, the range's end


def test_an_atm_vol_over_300_percent_at_vix_80_alone_is_refused():
    """MUT28 sc1, sc10: the joint check's upper bound, MAX_ATM_VOL (3.0), on VIX up to 80 ("keep it in (0, 3] on
    tenors 1 day..2 years, VIX 9..80"). VIX9D's relation set to c = -2.8, d = 1, e = 0: ln(VIX9D / VIX) = -2.8 + ln
    VIX, so VIX9D = VIX^2 e^-2.8. By hand at VIX 80, its 20-day average 40 (ln(A / VIX) = -ln 2), the lowest
    skew_by_year offset -0.1084: SKEW = 80 exp(4.9365 - 1.0433 ln 80 + 0.0142 ln 2) e^-0.1084 = 104.4 (the default
    relations), base = 1 + 0.2858 (104.4 - 100) / 10 = 1.1258, the 1-day ratio 1 / sqrt(1.1258) + 0.0228 ln(1 / 30) =
    0.8649, VIX9D 6400 e^-2.8 = 389.2: ATM 3.892 x 0.8649 = 3.37 > 3. At VIX 40 VIX9D is 97.3: under 1.0."""
    rel = list(BASE.market.spx_smile.index_relations)
    rel[:3] = [-2.8, 1.0, 0.0]
    refused({"market": {"spx_smile": {"index_relations": rel}}},
            r"^market.spx_smile: .* give an ATM vol of 3.37 at a 1-day tenor, VIX 80, 20-day average 40, estimated "
            r"SKEW 104.4: keep it in \(0, 3\]")


@pytest.mark.parametrize("values, pattern", [
    ({"index_relations": [-11.0] + [0.0] * 14}, r"^market.spx_smile.index_relations = .* entry 1 \(-11.0\) is out of "
                                                r"range: each c, d, e lies in \[-10, 10\]"),
    ({"skew_by_year": [0.0, -0.6]}, r"^market.spx_smile.skew_by_year = \[0.0, -0.6\] is invalid: entry 2 \(-0.6\) is "
                                    r"out of range: each is a small ln SKEW offset in \[-0.5, 0.5\]"),
], ids=["relation-below", "offset-below"])
def test_surface_keys_below_their_range_are_refused(values, pattern):
    """MUT28 sc7, sc11: the lower ends of the ranges the messages give ([-RELATION_MAX, RELATION_MAX] = [-10, 10];
    [-SKEW_OFFSET_MAX, SKEW_OFFSET_MAX] = [-0.5, 0.5])."""
    refused({"market": {"spx_smile": values}}, pattern)


def test_skew_knots_may_fill_the_calendars_years_to_their_last():
    """MUT28 sc2, sc3: skew_by_year holds "at most 46, one a year of 1990..2035" (the message, YEARS): 46 knots from
    1990 end on 2035 (1990 + 46 - 1), and 3 knots from 2033 end on 2035 (2033 + 3 - 1): both fit; one year later
    does not."""
    smile = C.replace(BASE, market={"spx_smile": {"skew_by_year": [0.0] * 46, "skew_first_year": 1990}})
    assert len(smile.market.spx_smile.skew_by_year) == 46
    assert C.replace(BASE, market={"spx_smile": {"skew_by_year": [0.0] * 3, "skew_first_year": 2033}})
    refused({"market": {"spx_smile": {"skew_by_year": [0.0] * 3, "skew_first_year": 2034}}},
            r"^market.spx_smile.skew_first_year = 2034 is invalid: .* use a year in 1990..2033")


@pytest.mark.parametrize("values, pattern", [
    ({"levels": [15.0, 15.0, 50.0]}, r"^hedge.vxth.levels = \[15.0, 15.0, 50.0\] is invalid: give three increasing"),
    ({"levels": [0.0, 30.0, 50.0]}, r"^hedge.vxth.levels = \[0.0, 30.0, 50.0\] is invalid: give three increasing "
                                    r"positive"),
    ({"weights": [0.0, 0.2, 0.005, 0.0]}, r"^hedge.vxth.weights = \[0.0, 0.2, 0.005, 0.0\] is invalid: premium as "
                                          r"fractions of NAV in \[0, 0.1\]"),
    ({"min_sessions": 61}, r"^hedge.vxth.min_sessions = 61 is invalid: .* 1..60"),
], ids=["levels-equal", "level-zero", "weight-over-0.1", "sessions-over-60"])
def test_vxth_keys_out_of_their_stated_ranges_are_refused(values, pattern):
    """MUT28 vc2-vc5: hedge.vxth's messages state the ranges: levels "three increasing positive" (strictly: 15, 15 is
    not increasing, 0 not positive), weights in [0, 0.1], min_sessions 1..60."""
    refused({"hedge": {"vxth": values}}, pattern)
