"""Trial STAT32 (session 32): compare's statistics recomputed independently. Every number matched; these are the
findings it made on what compare does with them:

* F1: an estimate outside its own percentile / BCa interval (a skewed bootstrap: the trial's placebo-seed pair s4
  vs s0 on 2014-03-03..2015-03-02, max drawdown -0.008221 against [-0.007503, +0.022609]) made paired.png's
  errorbar refuse a negative error: `vixhedge compare` ended in an internal error, nothing written.
* F5: the verdict's direction came from the estimate's sign, not from the side of 0 the CI lies on.
* F2: BCa intervals of max drawdown and CVaR excluded 0 on 15 and 11 of 80 exactly exchangeable pairs (placebo
  seeds), 23% / 16% of simulated nulls, where 5% is nominal: under ``--ci-method bca`` they take percentile.
* F4: fewer than 100 paired daily returns got no caveat (8% of 63-session null intervals excluded 0)."""

import numpy as np
import pandas as pd

from tests.vixhedge.compare_cases import synthetic
from vixhedge import bootstrap as bs
from vixhedge.verdicts import OUTSIDE, verdict_words


def _outside_row():
    """synthetic()'s comparison with static's max drawdown moved outside its CI (the trial's s4 row, in its units)."""
    cmp = synthetic(("static",))
    p = cmp.paired
    row = (p["mode"] == "static") & (p["stat"] == "max_drawdown")
    p.loc[row, ["diff", "ci_low", "ci_high"]] = [-0.008221, -0.007503, 0.022609]
    return cmp


def test_paired_png_draws_an_estimate_outside_its_own_ci():
    from vixhedge.compare_report import fig_paired

    fig = fig_paired(_outside_row())  # the old code: ValueError: 'xerr' must not contain negative values
    dd = fig.axes[1]  # STATS' second panel: max drawdown, in points of %
    dots = next(ln for ln in dd.lines if ln.get_marker() == "o").get_xdata()
    np.testing.assert_allclose(dots[0], -0.8221)  # the estimate drawn where it is (100 x -0.008221), left of its bar
    caps = sorted(x for ln in dd.lines if ln.get_marker() == "|" for x in ln.get_xdata())
    np.testing.assert_allclose(caps, [-0.7503, 2.2609])  # the bar spans the CI itself, as before


def test_the_verdict_follows_the_side_of_0_the_ci_lies_on_and_says_an_estimate_lies_outside():
    # a CI wholly above 0 for a statistic where higher is better is "better", whatever the estimate's sign
    assert verdict_words(-0.5, 0.1, 0.9, "higher") == f"better ({OUTSIDE})"
    assert verdict_words(0.5, 0.1, 0.9, "higher") == "better"
    assert verdict_words(0.5, -0.9, -0.1, "lower") == f"better ({OUTSIDE})"  # the old code: "worse"
    assert verdict_words(-0.008221, -0.007503, 0.022609, "lower") == f"unclear (CI includes 0; {OUTSIDE})"
    # a degenerate interval of draws that equal the estimate up to float rounding holds it
    assert verdict_words(0.1, 0.1 + 1e-15, 0.1 + 2e-15, "higher") == "better"
    assert verdict_words(np.nan, -1.0, 1.0, "higher") == "unclear (CI includes 0)"


def test_a_comparison_with_an_estimate_outside_its_ci_is_written(tmp_path):
    import dataclasses

    from tests.vixhedge.compare_cases import default_comparison
    from vixhedge.compare import write_comparison

    cmp = default_comparison()
    p = cmp.paired.copy()
    p.attrs.update(cmp.paired.attrs)
    row = (p["mode"] == "static") & (p["stat"] == "max_drawdown")
    p.loc[row, "diff"] = float(p.loc[row, "ci_low"].iloc[0]) - 0.001  # below its CI, as the trial's s4 row
    folder = write_comparison(dataclasses.replace(cmp, paired=p), tmp_path)  # the old code: ValueError (paired.png)
    assert (folder / "paired.png").is_file()
    assert f"unclear (CI includes 0; {OUTSIDE})" in (folder / "report.html").read_text()


def test_under_bca_max_drawdown_and_cvar_take_the_percentile_interval():
    """paired_intervals' ``percentile_only``: those statistics get the percentile interval of the same draws (equal
    to method="percentile"'s), the others BCa; the progress ticks count the BCa statistics only."""
    rng = np.random.default_rng(4)
    a, b = rng.lognormal(0.0, 1.0, 300), rng.normal(0.0, 0.1, 300)

    def two(x: np.ndarray) -> np.ndarray:
        return np.array([x.mean(), x.max()])

    pct = bs.paired_intervals(two, (a,), (b,), block=1, reps=500, seed=2)
    ticks = []
    mixed = bs.paired_intervals(two, (a,), (b,), block=1, reps=500, seed=2, method="bca", percentile_only=(1,),
                                on_draw=lambda: ticks.append(1))
    assert mixed.used == ["bca", "percentile"]
    assert (mixed.low[1], mixed.high[1]) == (pct.low[1], pct.high[1])
    assert mixed.low[0] != pct.low[0]  # BCa moved the skewed mean's interval
    assert len(ticks) == bs.draws(1, 500, 1, "bca") == 500


def test_compare_under_bca_gives_percentile_for_max_drawdown_and_cvar_and_says_why():
    from tests.vixhedge.compare_cases import default_comparison
    from vixhedge.compare import PERCENTILE_ONLY, _paired
    from vixhedge.compare_text import ci_words

    cmp = default_comparison()
    p = _paired(cmp.results, "none", cmp.config, 300, 10, "bca")
    assert set(p.loc[p["ci_method"] == "percentile", "stat"]) == set(PERCENTILE_ONLY) == {"max_drawdown", "cvar95"}
    assert set(p.loc[~p["stat"].isin(PERCENTILE_ONLY), "ci_method"]) == {"bca"}
    pct = _paired(cmp.results, "none", cmp.config, 300, 10, "percentile").set_index(["mode", "stat"])
    bca = p.set_index(["mode", "stat"])
    for key in [k for k in bca.index if k[1] in PERCENTILE_ONLY]:
        assert (bca.loc[key, "ci_low"], bca.loc[key, "ci_high"]) == (pct.loc[key, "ci_low"], pct.loc[key, "ci_high"])
    p.attrs.update(baseline="none", n_boot=300, block_days=10, ci_method="bca", seed=7)
    assert ("bca intervals; max drawdown and CVaR 95% take percentile intervals (BCa excludes 0 too often on a "
            "statistic of a few days); block days") in ci_words(p)
    assert "fell back" not in ci_words(p)  # (the old words said every percentile row was a fallback)


def test_fewer_than_100_paired_returns_get_a_caveat():
    from vixhedge.compare_text import paired_caveats

    p = pd.DataFrame({"mode": ["static"], "stat": ["sharpe"], "block_days": [3], "days": [99], "ci_low": [-0.1],
                      "ci_high": [0.2]})
    line = ("CI caveat: the intervals rest on 99 daily returns: on simulated nulls of 63 sessions about 8% of such "
            "95% intervals excluded 0 by chance, not 5%, so a verdict here is weaker than its 95% says; a longer "
            "window gives more")
    assert line in paired_caveats(p, 200)
    p["days"] = 100
    assert not [ln for ln in paired_caveats(p, 200) if "daily returns: on simulated nulls" in ln]
