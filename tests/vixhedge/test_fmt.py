"""vixhedge.fmt: money and percents written once, with one rounding rule (half away from zero on the decimal value).

Audit (session of 2026-12-04): formatting was written about nine times across the package with disagreeing
rounding: the sweep summary printed a hedge cost of $20,184.50 as "$20,184" (Python's format rounds an exact half
to even) where the sweep's report.html printed "$20,185"; "-$0" and "-$0.0k" appeared for figures that round to
zero; presets (now vixhedge/presets_figures.py), vixhedge/skew_error.py, model_vs_real.py and model_vs_real_gap.py each had a `_k`;
summary.py, sweep_summary.py and html.py their own usd / pct helpers.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from vixhedge import fmt

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("value, text", [
    (20184.50, "$20,185"),  # the trial's hedge net cost (metrics.json): f"{20184.5:,.0f}" is "20,184"
    (-20184.50, "-$20,185"),  # a cost and the same P&L negated show the same digits
    (20184.49, "$20,184"),
    (2.5, "$3"), (3.5, "$4"),  # both halves up in magnitude (half-even: 2 and 4)
    (-0.4, "$0"), (0.4, "$0"), (-0.0, "$0"),  # never "-$0"
    (-0.5, "-$1"),
    (1234567.5, "$1,234,568"),
    (1e20, "$100,000,000,000,000,000,000"),  # huge: separators, no exponent, no overflow
    (-1.7e308, "-$" + f"{17 * 10 ** 307:,}"),  # the decimal 1.7e308, not its binary digits
    (None, "n/a"), (math.nan, "n/a"), (math.inf, "n/a"), (-math.inf, "n/a"),
    (np.float64(20184.5), "$20,185"), (np.int64(-5), "-$5"), (7, "$7"),
], ids=str)
def test_whole_dollars(value, text) -> None:
    assert fmt.usd(value) == text


def test_signed_money_and_thousands() -> None:
    """``signed`` puts "+" on positive figures only (a gap, a shift: model_vs_real_gap, skew_error); a figure that
    rounds to zero has no sign at all. Thousands: model_vs_real's "$43.5k", presets' whole "-$120k"."""
    assert (fmt.usd(5, signed=True), fmt.usd(-5, signed=True), fmt.usd(0.4, signed=True)) == ("+$5", "-$5", "$0")
    assert (fmt.usd_k(-100_000.0), fmt.usd_k(43_500.0), fmt.usd_k(-40.0), fmt.usd_k(-50.0)) == (
        "-$100.0k", "$43.5k", "$0.0k", "-$0.1k")  # skew_error's _k printed -40 as "-$0.0k"
    assert (fmt.usd_k(-120_190.0, 0), fmt.usd_k(783_139.0, 0), fmt.usd_k(-499.0, 0), fmt.usd_k(-500.0, 0)) == (
        "-$120k", "$783k", "$0k", "-$1k")
    assert (fmt.usd_k(1_234, signed=True), fmt.usd_k(-1_234, signed=True), fmt.usd_k(49, signed=True)) == (
        "+$1.2k", "-$1.2k", "$0.0k")
    assert [fmt.usd_k(v, 1, trim=True) for v in (-100_000, 0, 2_500, -40, 1e6)] == [  # compare's axis ticks
        "-$100k", "$0", "$2.5k", "$0", "$1,000k"]
    assert fmt.usd_k(None) == fmt.usd_k(math.nan) == "n/a"


def test_cents_under_a_hundred_dollars() -> None:
    """Trial VIS27: a 2008-2012 real-data run's cost per contract-session, -1.55 in metrics.json, printed "-$2"."""
    assert [fmt.usd_cents(v) for v in (-1.55, 44.17, 0.004, -0.004, 99.994, 99.995, -1234.5)] == [
        "-$1.55", "$44.17", "$0.00", "$0.00", "$99.99", "$100", "-$1,235"]
    assert (fmt.usd_cents(2.675, signed=True), fmt.usd_cents(None)) == ("+$2.68", "n/a")  # half up on the text


@pytest.mark.parametrize("value, digits, text", [
    (0.2164, 2, "21.64%"), (-0.2164, 1, "-21.6%"),
    (0.0125, 1, "1.3%"),  # the decimal 1.25%: f"{100 * 0.0125:.1f}%" is "1.2%" (half to even)
    (0.00125, 2, "0.13%"),  # 0.125%: format's even "0.12%"
    (-0.00001, 2, "0.00%"), (-0.0000004, 4, "0.0000%"), (-0.000049, 2, "0.00%"),  # never "-0.00%"
    (0.005, 0, "1%"),  # provenance's exactly 0.5%: format's even "0%"
    (1e18, 0, "100000000000000000000%"),
    (None, 2, "n/a"), (math.nan, 1, "n/a"), (math.inf, 0, "n/a"),
])
def test_percent_of_a_fraction(value, digits, text) -> None:
    assert fmt.pct(value, digits) == text


def test_numbers_round_the_decimal_value() -> None:
    """2.675 is 2.67499999999999982236431605997495353221893310546875 in binary; its decimal text "2.675" rounds
    to 2.68 (format: "2.67"); a Sharpe of -0.004 is "0.00" (format: "-0.00")."""
    assert f"{2.675:.2f}" == "2.67" and fmt.num(2.675) == "2.68"
    assert (fmt.num(-0.004), fmt.num(1234.5, 0), fmt.num(0.1 + 0.2, 17)) == ("0.00", "1,235", "0.30000000000000004")
    assert fmt.num(1234.567, 1, sep=False) == "1234.6" and fmt.num(0.1234, 3, signed=True) == "+0.123"
    assert fmt.num(None) == fmt.num(math.nan) == "n/a" and fmt.missing(math.inf) and not fmt.missing(0)
    assert fmt.rounded(-0.4).is_signed() is False and str(fmt.rounded(20184.5)) == "20185"


@pytest.fixture(scope="module")
def stress_half():
    """A real figure at an exact half: the static hedge on the embedded market, 2014-03-03 .. 2015-06-30 (fast
    engine): its hedge P&L on stress days, $55,982.50 in metrics.json (the ledger's cents)."""
    from feeds.market import market_for
    from vixhedge.core import config as C
    from vixhedge.model_vs_real_gap import run_quietly

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2015-06-30"}, hedge={"mode": "static"})
    return run_quietly(cfg, market_for(cfg))


def test_a_real_half_dollar_reads_the_same_in_every_output(stress_half) -> None:
    """The audit's case on a real figure: the sweep summary (its own `:,.0f`) printed the half down to even where
    the sweep's report.html (html.usd, half up) printed it up. The run's summary, its report, the sweep summary
    and the sweep report now print one figure; the trial's $20,184.50 likewise."""
    from vixhedge import sweep_report
    from vixhedge.html import usd as html_usd
    from vixhedge.summary import summary_table
    from vixhedge.sweep_text import format_summary

    v = stress_half.metrics["hedge_cost"]["stress_pnl_usd"]
    assert v == 55982.5 and f"{v:,.0f}" == "55,982"  # the old sweep summary's digits
    assert html_usd is fmt.usd
    assert re.search(r"^ *hedge in stress +\$55,983 on ", summary_table(stress_half), re.M)
    for figure, text in ((v, "$55,983"), (20184.5, "$20,185")):
        summary = {"best": {"point": "a" * 16, "hedge_cost_usd": figure}, "baseline_none": {"hedge_cost_usd": -figure}}
        line = next(x for x in format_summary(summary, "s", [], Path("o")).splitlines() if "hedge cost" in x)
        assert line.split() == ["hedge", "cost", "whole", "window", text, "(no", "hedge", f"-{text});", "ex", "fees,",
                                "as", "results.csv"], line  # (trial TASK42 M2: ex fees, as results.csv and the page)
        assert sweep_report._cell("hedge_cost_usd", figure) == text


def test_every_copy_is_gone() -> None:
    """The copies the audit listed are vixhedge.fmt's functions now, and no module of the package formats money or
    a percent inline (`${x:,.0f}`, `{x:.0%}`, `{100 * x:.2f}%`): a new one would round its own way."""
    import vixhedge.presets_figures as presets
    import vixhedge.html as html
    import vixhedge.model_vs_real as mvr
    import vixhedge.skew_error as skew
    import vixhedge.summary as summary
    import vixhedge.sweep_summary as sweep_summary

    assert (html.usd, html.pct, html.num, presets.usd_k, mvr.usd_k, skew.usd_k) == (
        fmt.usd, fmt.pct, fmt.num, fmt.usd_k, fmt.usd_k, fmt.usd_k)
    assert not any(hasattr(m, name) for m, name in ((presets, "_k"), (mvr, "_k"), (skew, "_k"),
                                                     (sweep_summary, "_usd"), (sweep_summary, "_pct")))
    assert summary._pct(-0.00001, 2) == "0.00%"  # its own round() before
    inline = re.compile(r"\$\{[^{}]*:[^{}]*f\}|\{[^{}]*:[+ ]?,?\.\d+%\}|\{[^{}]*:[^{}]*f\}%")
    found = [f"{p.relative_to(ROOT)}:{n}: {line.strip()}"
             for folder in ("vixhedge", "analyzers", "strategies", "feeds")
             for p in sorted((ROOT / folder).rglob("*.py")) if p.name != "fmt.py"
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if inline.search(line)]
    assert not found, "\n".join(found)
