"""Measure how often compare's 95% paired CIs exclude 0 when the two arms are exactly exchangeable (README figures).

    python -m vixhedge.ci_null [--sims N] [--seed S] [--days 63,252] [--noise hetero,garch,signflip] [--reps B]

Each simulated pair is two arms that differ only by noise drawn the same way for each, so every difference is 0 in
expectation and a 95% interval should exclude 0 in 5% of pairs. An arm is the default config's no-hedge run
(embedded market, its first N daily returns) plus noise:

  hetero    fat-tailed, volatility-clustered noise: Student t (4 degrees of freedom) scaled by the no-hedge path's
            21-day mean absolute return, sized so that the arms' difference has the spread of the real alvh - none
            difference; each arm's hedge net cost is its noise's dollar loss
  garch     as hetero, but each arm's noise clusters on its own: GARCH(1,1) (alpha 0.10, beta 0.88) on Student t (5
            degrees of freedom) shocks, the same overall size (on such nulls CVaR 95%'s intervals excluded 0 more
            often than on hetero's)
  signflip  the real alvh - none difference of daily returns (and alvh's hedge cost), half to each arm, with its sign
            flipped at random per 21-day block and the series shifted circularly at random

Each pair's five statistics (Sharpe, max drawdown, CVaR 95%, hedge net cost, total P&L) get compare's own paired
intervals (vixhedge.bootstrap.paired_intervals with compare's statistics and its data-driven block): percentile,
and BCa on every statistic (compare itself takes percentile for max drawdown and CVaR 95%). The table prints, per
noise, window length and statistic, the share of intervals excluding 0 with its binomial standard error (the
Monte-Carlo error of the share), and the shares of percentile p-values (vixhedge.bootstrap.two_sided_p) at most 1%
and 0.5%, the tail compare's Holm line reads; then per window a pair's five intervals together: the pairs with any
excluding 0, and with any difference holding after compare's Holm line. The same seed prints the same table.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Callable

from vixhedge.argtypes import MAX_BOOT, whole
from vixhedge.guard import Parser

PROG = "python -m vixhedge.ci_null"
NOISES = ("hetero", "garch", "signflip")
GARCH = (0.10, 0.88)  # the garch noise's alpha and beta (a daily equity-like persistence, 0.98)
BLOCK = 21  # the noise's volatility window and signflip's block of days (a trading month)


MAX_SIMS = 10_000  # pairs a line: a 5% share's s.e. 0.22%; 2-7 hours at 1,000 draws (0.75-2.5 s a 63-1,217-day pair)


def _count(least: int, most: int | None = None, what: str = "") -> Callable[[str], int]:
    """argparse type of a count: compare's digits 0-9 alone (:func:`vixhedge.argtypes.whole`), then ``least`` up
    to ``most`` of ``what`` (trial FUZZ40 M8, L2: ``int()`` took ``+5``, ``1_0``; ``--reps 10000000000`` grew without
    end)."""
    def parse(text: str) -> int:
        n = whole(text)
        if n < least or most is not None and n > most:
            span = f"{least}..{most:,}" if most is not None else f"{least} or more"
            raise argparse.ArgumentTypeError(f"{text!r} is invalid: use {span} {what}".rstrip())
        return n
    return parse


def _once(text: str, values: tuple, what: str) -> tuple:
    """``values`` (of the comma-separated ``text``) unless one is given twice (its line ran twice: FUZZ40 L2)."""
    if twice := [v for i, v in enumerate(values) if v in values[:i]]:
        raise argparse.ArgumentTypeError(f"{text!r} gives {twice[0]} twice: give each {what} once")
    return values


def _days(text: str) -> tuple[int, ...]:
    """argparse type of --days: comma-separated window lengths (daily returns), each at least 30, each once."""
    return _once(text, tuple(_count(30, None, "daily returns")(t.strip()) for t in text.split(",")), "length")


def _noises(text: str) -> tuple[str, ...]:
    out = tuple(t.strip() for t in text.split(","))
    if bad := [t for t in out if t not in NOISES]:
        raise argparse.ArgumentTypeError(f"{bad[0]!r} is not a noise: use {', '.join(NOISES)}, comma-separated")
    return _once(text, out, "noise")


def parser() -> Parser:
    """Return the command's parser (built before numpy loads: ``--help`` needs none of it)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sims", type=_count(1, MAX_SIMS, "pairs"), default=200, metavar="N",
                   help=f"simulated pairs per noise and window length, 1..{MAX_SIMS:,} (default 200: the default run "
                        "takes about 5 minutes on one core, 0.7-1.3 s a pair, and a 5%% share has a standard error of "
                        "1.5%%)")
    p.add_argument("--seed", type=_count(0), default=1, help="the noise's seed (default 1)")
    p.add_argument("--days", type=_days, default=(63, 252), metavar="N,N",
                   help="window lengths in daily returns, each 30 or more and at most the default window's, from its "
                        "start (default 63,252)")
    p.add_argument("--noise", type=_noises, default=("hetero",), metavar="KIND",
                   help=f"the noise: {', '.join(NOISES)}, one or more, comma-separated (default hetero)")
    p.add_argument("--reps", type=_count(100, MAX_BOOT, "bootstrap draws"), default=1000, metavar="B",
                   help=f"bootstrap draws per interval, 100..{MAX_BOOT:,} as compare's --n-boot (default 1000; "
                        "compare's default is 2000)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy and the run load
    parser().parse_args()

import math  # noqa: E402

import numpy as np  # noqa: E402

from vixhedge import bootstrap as bs  # noqa: E402
from vixhedge.compare import STATS, leg_stats  # noqa: E402
from vixhedge.fmt import pct  # noqa: E402
from vixhedge.verdicts import LEVEL, holm  # noqa: E402

LABELS = {"sharpe": "Sharpe", "max_drawdown": "max drawdown", "cvar95": "CVaR 95%", "hedge_cost_usd": "hedge net cost",
          "pnl_usd": "total P&L"}


def arms(noise: str, base: tuple, alvh: tuple, rng: np.random.Generator) -> tuple[tuple, tuple]:
    """Return two exchangeable arms (compare's leg series: returns, hedge net cost, risk-free returns, start NAV)
    built on ``base`` (the no-hedge leg) with ``noise``; ``alvh`` (alvh's leg) sets its size or is its source."""
    r0, _, rf, nav0 = base
    n = len(r0)
    diff = alvh[0] - r0
    if noise == "hetero":
        vol = np.convolve(np.abs(r0), np.ones(BLOCK), "full")[:n] / np.minimum(np.arange(1, n + 1), BLOCK)
        vol = vol / math.sqrt(np.mean(vol ** 2))  # a trailing 21-day mean |return|, root mean square 1
        size = diff.std() / 2.0  # t4's variance is 2: the arms' difference has about diff's spread
        ea, eb = (vol * rng.standard_t(4, n) * size for _ in range(2))
        ca, cb = -ea * nav0, -eb * nav0
    elif noise == "garch":
        size = diff.std() / math.sqrt(2.0)  # each arm's unconditional sd: the difference has about diff's spread
        ea, eb = (garch_noise(n, size, rng) for _ in range(2))
        ca, cb = -ea * nav0, -eb * nav0
    else:
        sign = np.repeat(rng.choice([-1.0, 1.0], size=-(-n // BLOCK)), BLOCK)[:n]
        shift = int(rng.integers(0, n))
        d, c = np.roll(diff, shift), np.roll(alvh[1], shift)
        ea, eb = sign * d / 2.0, -sign * d / 2.0
        ca, cb = np.where(sign > 0, c, 0.0), np.where(sign > 0, 0.0, c)
    return (r0 + ea, ca, rf, nav0), (r0 + eb, cb, rf, nav0)


def garch_noise(n: int, size: float, rng: np.random.Generator) -> np.ndarray:
    """``n`` days of GARCH(1,1) noise (:data:`GARCH`; omega sets the unconditional sd ``size``) on unit-variance
    Student t(5) shocks, started at its unconditional variance."""
    alpha, beta = GARCH
    z = rng.standard_t(5, n) / math.sqrt(5.0 / 3.0)
    var, h, out = size ** 2, size ** 2, np.empty(n)
    for t in range(n):
        out[t] = math.sqrt(h) * z[t]
        h = var * (1.0 - alpha - beta) + alpha * out[t] ** 2 + beta * h
    return out


def null_rates(base: tuple, alvh: tuple, analysis, noise: str, sims: int, reps: int, seed: int,
               on_sim=None) -> dict:
    """Return, for ``sims`` exact-null pairs of ``noise`` on the legs ``base`` and ``alvh``, the count of 95% CIs
    excluding 0 per statistic (``percentile``, ``bca``: arrays in :data:`STATS` order), the BCa intervals that fell
    back to percentile (``fallback``), per statistic the percentile draws' p-values at most 1% and 0.5% (``p01``,
    ``p005``: :func:`vixhedge.bootstrap.two_sided_p`, the tail a Holm line reads), the pairs with any of their five
    percentile intervals excluding 0 (``any_raw``) and with any difference that holds after compare's Holm adjustment
    of their five p-values (``any_holm``: :func:`vixhedge.verdicts.holm`), the pairs' median block and ``sims``."""
    def stats(r, hedge_cost, rf, nav0):
        return leg_stats(r, hedge_cost, rf, nav0, analysis)

    rng = np.random.default_rng(seed)
    counts = {"percentile": np.zeros(len(STATS), int), "bca": np.zeros(len(STATS), int),
              "fallback": np.zeros(len(STATS), int), "p01": np.zeros(len(STATS), int),
              "p005": np.zeros(len(STATS), int), "any_raw": 0, "any_holm": 0}
    blocks = []
    for _ in range(sims):
        a, b = arms(noise, base, alvh, rng)
        block = bs.data_block_length(a[0] - b[0])  # compare's data-driven block of the pair
        draw_seed = int(rng.integers(0, 2 ** 31))
        for method, only in (("percentile", ()), ("bca", ())):  # BCa on every statistic, for the measurement
            ci = bs.paired_intervals(stats, a, b, block, reps, draw_seed, method, percentile_only=only, rows=True)
            counts[method] += (ci.low > 0) | (ci.high < 0)
            if method == "percentile":  # the family of one compare: its five intervals, as its Holm line reads them
                p = np.array([bs.two_sided_p(d) for d in ci.draws.T])
                counts["p01"] += p <= 0.01
                counts["p005"] += p <= 0.005
                counts["any_raw"] += bool(((ci.low > 0) | (ci.high < 0)).any())
                counts["any_holm"] += bool((holm(p) <= LEVEL).any())
            if method == "bca":
                counts["fallback"] += np.array([u != "bca" for u in ci.used])
        blocks.append(block)
        if on_sim is not None:
            on_sim()
    return {**counts, "block": float(np.median(blocks)), "sims": sims}


def rate(k: int, sims: int) -> str:
    """``k`` of ``sims`` as a share with its binomial standard error: ``7.3% +- 2.1%``."""
    p = k / sims
    return f"{pct(p, 1)} +- {pct(math.sqrt(p * (1.0 - p) / sims), 1)}"


def table(rows: list[tuple[str, int, dict]]) -> list[str]:
    """The printed table: one line per (noise, days, statistic)."""
    out = [f"{'noise':<9} {'days':>5} {'block':>5}  {'statistic':<15} {'percentile':>15} {'BCa':>15} "
           f"{'p <= 1%':>15} {'p <= 0.5%':>15}"]
    for noise, days, res in rows:
        for i, s in enumerate(STATS):
            fell = int(res["fallback"][i])
            cells = [rate(int(res[k][i]), res["sims"]) for k in ("percentile", "bca", "p01", "p005")]
            out.append(f"{noise:<9} {days:>5} {res['block']:>5.0f}  {LABELS[s]:<15} "
                       + " ".join(f"{c:>15}" for c in cells)
                       + (f"  ({fell} BCa fell back to percentile)" if fell else ""))
        holm = rate(res["any_holm"], res["sims"])
        out.append(f"{noise:<9} {days:>5} {res['block']:>5.0f}  {'any of the 5':<15} "
                   f"{rate(res['any_raw'], res['sims']):>15} {'':>15}  after Holm: {holm}")
    return out


def default_legs():
    """Return the default config's no-hedge and alvh legs (compare's day series, over the days both have) on the
    embedded market (fast engine), and its analysis config."""
    from vixhedge.compare import legs, mode_configs
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest
    from feeds.market import market_for

    configs = mode_configs(C.load_default(), ("none", "alvh"))
    market = market_for(configs.values())
    res = {m: run_backtest(c, market, engine="fast") for m, c in configs.items()}
    have = min(len(legs(r)[0][0]) for r in res.values())
    return legs(res["none"], have)[0], legs(res["alvh"], have)[0], configs["none"].analysis


def window_returns() -> int:
    """The default window's daily returns, from the exchange calendar (no run): its sessions less the first, the
    days :func:`default_legs` gives."""
    from feeds import calendars
    from vixhedge.core import config as C

    run = C.load_default().run
    return len(calendars.trading_days(run.start, run.end)) - 1


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    package = logging.getLogger("vixhedge")
    level = package.level
    package.setLevel(logging.ERROR)  # (the two runs' notes: not this report's; restored, main runs in tests too)
    try:
        _report(args)
    finally:
        package.setLevel(level)


def _report(args) -> None:
    """Measure and print the table of ``args`` (:func:`main`)."""
    from vixhedge.progress import bar

    def check_days(have: int) -> None:
        if max(args.days) > have:
            parser().error(f"--days {max(args.days)}: the default window has {have} daily returns: give at most that")

    check_days(window_returns())  # before the two runs (trial FUZZ40 L3: refused 2 s after them)
    base, alvh, analysis = default_legs()
    check_days(len(base[0]))
    rows = []
    for noise in args.noise:
        for days in args.days:
            with bar(args.sims, f"{noise}, {days} days", "pair") as b:
                res = null_rates(tuple(x[:days] for x in base), tuple(x[:days] for x in alvh), analysis, noise,
                                 args.sims, args.reps, args.seed, on_sim=b.update)
            rows.append((noise, days, res))
    print(f"exact nulls, default config's no-hedge run (embedded market) + {'/'.join(args.noise)} noise: "
          f"{args.sims} pairs per line, {args.reps} bootstrap draws, seed {args.seed}; share of 95% paired CIs "
          "excluding 0 (nominal 5%) +- 1 binomial s.e.; p <= 1% / 0.5%: the share of the percentile draws' p-values "
          "that low (nominal 1% / 0.5%); 'any of the 5': the pairs where any of a pair's five "
          "percentile intervals excludes 0, and where any difference holds after compare's Holm line (nominal 5% at "
          "most)")
    print("\n".join(table(rows)))


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
