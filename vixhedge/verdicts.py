"""How a paired difference and its confidence interval are said: the figure (:func:`signed_figure`), the verdict
(:func:`verdict_words`, :data:`BORDERLINE`), how many intervals would exclude 0 by chance (:func:`chance_words`) and
which hold after Holm's adjustment (:func:`holm_words`); compare's table and caveats (:mod:`vixhedge.compare_text`),
its windows and periods, and a walk-forward say them so."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping

import numpy as np

from vixhedge import bootstrap as bs
from vixhedge import fmt as F

__all__ = ["BORDERLINE", "FLAT_WORDS", "HOLM_P_WORDS", "LEVEL", "OUTSIDE", "can_hold", "chance_and_holm",
           "chance_words", "draws_to_hold", "flat", "holm",
           "holm_figures", "holm_held", "holm_sources", "holm_undecided", "holm_words", "outside", "p_figure",
           "rough_tag", "side", "signed_figure", "testable", "undecided_clause", "verdict_words"]


#: the verdict's tag when 0 lies within the Monte-Carlo error of a CI endpoint (paired.csv ``ci_borderline``)
BORDERLINE = "borderline: another seed could flip it"
#: the verdict's tag when the estimate lies outside its own CI (a skewed bootstrap: the interval fits it badly)
OUTSIDE = "the estimate lies outside its CI"


def signed_figure(v: float | None, scale: float = 1.0, digits: int = 3) -> str:
    """``scale * v`` with ``digits`` decimals and its sign; a nonzero figure that rounds to 0 keeps its first
    significant digit (trial RS21: "[-0.049, 0.000] better" read as an interval holding 0; it ended at -0.0002):
    compare's paired cells and a walk-forward's (trial RS23: "[0.00, +0.32] worse" and "[0.00, +0.18] unclear");
    n/a when missing."""
    if F.missing(v):
        return F.MISSING
    d = digits
    if v != 0 and F.rounded(scale * v, digits).is_zero():  # the decimal of its first significant digit once rounded
        first = float(f"{abs(scale * v):.0e}")  # to one (9.7e-5: 1e-4); trial STAT23: decimals were added until the
        d = min(digits + 6, -math.floor(math.log10(first)))  # figure was nonzero, so 5.2e-5 read 0.0001
    return F.num(scale * v, d, signed=True)


def chance_words(n: int, null: str, holm_below: bool = False) -> str:
    """How many of ``n`` intervals at 95% would exclude 0 by chance alone if ``null`` held ("no mode differed from
    the baseline"): compare's CI caveat and a walk-forward's; "" for fewer than two intervals. ``holm_below``: the
    next line is :func:`holm_words`' adjustment, which the ending names."""
    if n < 2:
        return ""
    end = "each at its own 95%: the Holm line below adjusts" if holm_below else "no multiple-comparison adjustment"
    return (f"CI caveat: {n} intervals at 95% each: if {null}, about {F.num(0.05 * n, 1)} of them would still "
            f"exclude 0 by chance ({end})")


#: the verdict of a difference 0 in every bootstrap draw (trial RS38 L2: a variant that changed only the condor read
#: "hedge net cost 0 [0, 0] unclear", counted among the intervals Holm adjusts)
FLAT_WORDS = "no difference in any draw: nothing to test"


def flat(diff: float, low: float, high: float) -> bool:
    """Whether a paired difference and both CI endpoints are 0 (within :data:`vixhedge.bootstrap.FLAT`): the
    statistic equal in every draw, so not a test (:func:`testable`)."""
    return bool(max(abs(diff), abs(low), abs(high)) <= bs.FLAT)


def testable(diff: float | None, low: float | None, high: float | None) -> bool:
    """Whether a paired interval is a test of the Holm family: both CI endpoints defined (None: a JSON null) and not
    :func:`flat`; one definition for compare's family (:func:`vixhedge.compare_family.tested`) and a walk-forward's
    or a split sweep's (:func:`vixhedge.paired_tracks.tested`), whose tables say either case in words
    (:func:`verdict_words`)."""
    diff, low, high = (np.nan if v is None else v for v in (diff, low, high))
    return bool(np.isfinite(low) and np.isfinite(high)) and not flat(diff, low, high)


#: the family-wise level of the Holm lines: a difference holds where its adjusted p-value is at most this
LEVEL = 0.05

#: what a page's Holm p column means (compare's and a walk-forward's paired tables, trial VIS35 H1 / VIS36)
HOLM_P_WORDS = ("Holm p is its p-value adjusted for every interval tested here (Holm 1979): at most 0.05, the "
                "difference holds with at most a 5% chance of any false verdict among them; undecided: within the "
                "bootstrap's Monte-Carlo error of 0.05 (more draws may settle it)")


def holm(p: np.ndarray) -> np.ndarray:
    """Return Holm's step-down adjusted p-values of ``p`` (Holm 1979, "A simple sequentially rejective multiple test
    procedure", Scand. J. Statist. 6: the i-th smallest of m times m - i + 1, kept non-decreasing, at most 1): a test
    whose adjusted p-value is at most a level rejects at that family-wise level, whatever the tests' dependence."""
    p = np.asarray(p, dtype=float)
    order = np.argsort(p, kind="stable")
    m = len(p)
    stepped = np.minimum(1.0, np.maximum.accumulate(p[order] * (m - np.arange(m))))
    out = np.empty(m)
    out[order] = stepped
    return out


def holm_sources(p: np.ndarray) -> np.ndarray:
    """Each test's raw p-value whose step set its Holm adjusted p-value (the largest (m - j + 1) p_(j) up to its
    rank, :func:`holm`): the one whose Monte-Carlo error moves it (trial RS37 L3: its own p was read)."""
    order = np.argsort(p, kind="stable")
    stepped = p[order] * (len(p) - np.arange(len(p)))
    out, best, source = np.empty(len(p)), -np.inf, 0.0
    for k, i in enumerate(order):
        if stepped[k] >= best:
            best, source = stepped[k], p[i]
        out[i] = source
    return out


def p_figure(p: float, digits: int = 3) -> str:
    """A p-value with ``digits`` decimals, more (6 at most) where fewer would put it on the other side of
    :data:`LEVEL` than it is (trial STAT32: 1/19 = 0.0526 printed "0.05" beside "not distinguishable from random";
    trial STAT34: a Holm p of 0.0501 would read 0.050) or at 0 where it is above (trial RD36: 1/301 read 0.00, now
    0.003); ``< 0.001`` below it at 3; ``n/a`` for NaN."""
    if p != p:
        return "n/a"
    if digits == 3 and p < 0.0005:
        return "< 0.001"
    d = digits
    while d < 6 and ((float(f"{p:.{d}f}") <= LEVEL) != (p <= LEVEL) or 0 < p and float(f"{p:.{d}f}") == 0):
        d += 1  # (nor 0 for a p above it: trial RD36, a placebo's 1/301 read "p = 0.00")
    return f"{p:.{d}f}"


def side(diff: float, low: float, high: float, better: str) -> str:
    """"better" or "worse": the side of 0 the CI lies on (as :func:`verdict_words`), else the estimate's sign, in
    the direction ``better`` ("higher" / "lower") calls better; a Holm line names each difference with it (trial RS37:
    "alvh CVaR 95% (Holm p 0.010)" held where the table said worse)."""
    up = low > 0 if low > 0 or high < 0 else diff > 0
    return "better" if up == (better == "higher") else "worse"


def holm_words(names: list[str], p: np.ndarray, method: str = "percentile", draws: int | None = None,
               rough: Collection[str] = ()) -> str:
    """Compare's Holm line: which of the paired differences ``names`` (their unadjusted percentile-bootstrap
    ``p``-values, paired.csv ``p_value``) still differ from 0 at a family-wise :data:`LEVEL` once Holm's adjustment
    (:func:`holm`) counts every one of them; "" for fewer than two. Under ``method`` "bca" the line says that its
    p-values come from the percentile draws, so a BCa verdict can disagree. With the bootstrap's ``draws`` B: where
    the smallest p a difference can have, 2 / (B + 1), times their count is above the level, none can hold and the
    line names the draws that would let one (trial STAT34: at --n-boot 300, "none holds" of 10 whose 2000 draws held
    5); and the differences whose adjusted p lies within Monte-Carlo error of the level are named (another seed can
    flip them, trial STAT34: alvh's Sharpe held on 9 of 20 seeds): the error taken as the exact binomial one of the
    tail draws behind the tail share q = p / 2 of B draws (p the raw p-value whose step set the adjusted one), scaled
    by Holm's multiplier, and a difference whose 95% band holds the level: undecided at the level, not counted among
    those that hold (:func:`holm_undecided`; trial RS37: 0.049-0.069 over seeds and 20,000 draws); rerunning seeds
    until it holds is the search Holm guards against. A name in ``rough`` (an interval of few blocks or days, as its
    caveats say) is tagged so (trial RS37: flash-crash's 19 returns held at Holm p 0.032)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m < 2:
        return ""
    adj = holm(p)
    bca = "; a BCa verdict can disagree" if method == "bca" else ""
    out = (f"CI caveat: Holm's adjustment of their p-values (percentile bootstrap, the same draws{bca}) for at most a "
           f"{F.pct(LEVEL, 0)} chance of any false verdict: ")
    raw = int((p <= LEVEL).sum())
    near = holm_undecided(p, adj, draws)
    if draws and not can_hold(m, draws):
        floor = 2.0 * m / (draws + 1)
        why = "" if floor > LEVEL else (f", within Monte-Carlo error of {F.pct(LEVEL, 0)}, as a p resting on no "
                                        f"draw past 0 {floor_words(draws)}")
        return out + (f"none can hold at {draws} draws (the smallest p, 2/{draws + 1}, times {m} is "
                      f"{F.num(floor, 3)}{why}: --n-boot {draws_to_hold(m)} or more lets one; {raw} of {m} had "
                      f"p <= {F.num(LEVEL, 2)} unadjusted)") + undecided_clause(names, adj, near, rough)
    held = holm_held([n for n, u in zip(names, near) if not u], adj[~near], rough)
    if held:
        out += (f"{F.plural(len(held), 'difference')} {'holds' if len(held) == 1 else 'hold'}: {', '.join(held)} "
                f"({raw} of {m} had p <= {F.num(LEVEL, 2)} unadjusted)")
    else:
        out += ("no difference holds (" + (f"{raw} of {m} had p <= {F.num(LEVEL, 2)} unadjusted: each could be "
                                           "chance)" if raw else f"none had p <= {F.num(LEVEL, 2)} even unadjusted)"))
    return out + undecided_clause(names, adj, near, rough)


def undecided_clause(names: list[str], adj: np.ndarray, near: np.ndarray, rough: Collection[str] = (),
                     draws: str = "draws") -> str:
    """The Holm line's clause naming the differences ``names`` whose adjusted p ``adj`` is within Monte-Carlo error
    of the level (``near``, :func:`holm_undecided`), lowest first; "" where none is. Counted neither as holding nor
    not (trial VIS35 H2); named also where none can hold (trial VIS36 L6: the table marked five rows undecided that
    the line did not name)."""
    if not near.any():
        return ""
    named = [f"{n} (Holm p {p_figure(a)}{rough_tag(n, rough)})"
             for n, a, u in sorted(zip(names, adj, near), key=lambda t: t[1]) if u]
    return (f"; within Monte-Carlo error of {F.pct(LEVEL, 0)}, undecided (more {draws} may settle it; rerunning "
            f"seeds until it holds would not): {', '.join(named)}")


def floor_words(draws: int) -> str:
    """How far a p resting on no draw (placebo) past the reference may be from the true one at ``draws``: "could be
    up to 3.7 times as large" (the exact 95% binomial bound of a tail share seen 0 times in B, 1 - 0.025^(1 / B),
    over the p's 1 / (B + 1))."""
    ratio = (1.0 - 0.025 ** (1.0 / draws)) * (draws + 1)
    return f"could be up to {F.num(ratio, 1)} times as large (an exact 95% bound)"


def can_hold(m: int, draws: int, tails: int = 2) -> bool:
    """Whether a difference of ``m`` can hold at ``draws`` bootstrap draws: the smallest p, 2 / (B + 1), times m at
    most :data:`LEVEL` and not within its Monte-Carlo error of it (:func:`holm_undecided`; trial RS38 M1: at 2000
    draws and m = 50 the floor, 0.04998, passed by 2e-5, so every difference that held was also undecided).
    ``tails`` 1: a one-sided p of ``draws`` placebos, floor 1 / (N + 1) (:func:`vixhedge.placebo_stats.holm_tails`)."""
    p = np.array([tails / (draws + 1)])
    adj = np.minimum(1.0, m * p)
    return bool(adj[0] <= LEVEL and not holm_undecided(p, adj, draws, tails)[0])


def draws_to_hold(m: int, tails: int = 2) -> int:
    """The fewest bootstrap draws at which a difference of ``m`` can hold (:func:`can_hold`): at the floor (no draw
    past 0) the exact 95% upper bound of the tail share is 1 - 0.025^(1 / B), about 3.69 / B, so 3.69 x 2 m / B under
    0.05: B about 147.5 m (10 intervals: 1,474); of one-sided placebo p-values (``tails`` 1) N about 73.7 m (14 tails:
    1,032)."""
    low, high = 1, 1
    while not can_hold(m, high, tails):
        low, high = high, 2 * high
    while low < high:  # (can_hold rises with the draws: the floor falls and so does its error)
        mid = (low + high) // 2
        low, high = (mid + 1, high) if not can_hold(m, mid, tails) else (low, mid)
    return high


def holm_figures(p: np.ndarray, adj: np.ndarray, draws: int | None) -> list[str]:
    """Each Holm adjusted p-value ``adj`` (of the raw ``p``) as a table cell shows it beside its verdict:
    :func:`p_figure`, ``undecided`` added where :func:`holm_undecided` says so at ``draws`` (trial VIS35 H1: the
    table said worse where the Holm line said undecided); compare's and a walk-forward's tables."""
    near = holm_undecided(p, adj, draws)
    return [p_figure(a) + (" undecided" if u else "") for a, u in zip(adj, near)]


def holm_undecided(p: np.ndarray, adj: np.ndarray, draws: int | None, tails: int = 2) -> np.ndarray:
    """Whether each Holm adjusted p-value ``adj`` (of the raw ``p``, B = ``draws`` bootstrap draws) lies within its
    Monte-Carlo error of :data:`LEVEL`, either side (:func:`holm_words`): the p-value whose step set it
    (:func:`holm_sources`) rests on k = q (B + 1) - 1 tail draws past 0 (q = p / 2; q = p of a one-sided p, ``tails``
    1: a placebo's); the exact (Clopper-Pearson) 95% interval of the tail share k / B, times Holm's multiplier
    adj / q, is the band the adjusted p could have at unlimited draws, and one whose band holds the level is
    undecided, neither holding nor not (trial VIS35 H2 read "1 difference holds: static CVaR 95% better (Holm p
    0.050)" and "undecided: static CVaR 95% better (Holm p 0.050)" in one line). None without ``draws``. (Trial
    STAT39 M1: the normal approximation, 1.96 x adj x sqrt((1 - q) / (q B)), called a Holm p of 0.395 resting on 4
    tail draws undecided; its exact band is 0.09..0.81.)"""
    if not draws:
        return np.zeros(len(adj), dtype=bool)
    from scipy.stats import beta

    q = holm_sources(np.asarray(p, dtype=float)) / tails
    k = np.clip(np.rint(q * (draws + 1)) - 1.0, 0.0, draws)  # the tail draws past 0 (the p's own + 1 off)
    with np.errstate(invalid="ignore"):
        low = np.where(k > 0, beta.ppf(0.025, np.maximum(k, 1.0), draws - k + 1.0), 0.0)
        high = np.where(k < draws, beta.ppf(0.975, k + 1.0, np.maximum(draws - k, 1.0)), 1.0)
    scale = np.asarray(adj, dtype=float) / q  # Holm's multiplier of the tail share
    return (adj < 1.0) & (scale * low <= LEVEL) & (LEVEL <= scale * high)


def rough_tag(name: str, rough: Collection[str] | Mapping[str, str]) -> str:
    """``; rough CI`` for a name in ``rough``, with why where ``rough`` maps it to a reason (``; rough CI: 19
    returns``; trial VIS36 L5: the tag read alike for fewer than 100 returns and for few blocks); "" otherwise."""
    if name not in rough:
        return ""
    return f"; rough CI: {rough[name]}" if isinstance(rough, Mapping) else "; rough CI"


def holm_held(names: list[str], adj: np.ndarray, rough: Collection[str] | Mapping[str, str] = ()) -> list[str]:
    """The names whose Holm adjusted p-value ``adj`` is at most :data:`LEVEL`, lowest first, each as
    ``name (Holm p 0.010)`` (:func:`rough_tag` added for a name in ``rough``): compare's line and the placebo's."""
    return [f"{n} (Holm p {p_figure(a)}{rough_tag(n, rough)})"
            for n, a in sorted(zip(names, adj), key=lambda t: t[1]) if a <= LEVEL]


def chance_and_holm(null: str, names: list[str], p: np.ndarray | None, method: str = "percentile",
                    draws: int | None = None, rough: Collection[str] = ()) -> list[str]:
    """The by-chance count of the intervals ``names`` (:func:`chance_words`, ``null`` the hypothesis) and, where every
    one has its p-value in ``p`` (None, or a NaN: a folder written before p-values, none), the Holm line under it
    (:func:`holm_words`): compare's caveats, `compare --period all`'s table and a walk-forward's."""
    held = "" if p is None or np.isnan(p).any() else holm_words(names, p, method, draws, rough)
    return [line for line in (chance_words(len(names), null, bool(held)), held) if line]


def verdict_words(diff: float, low: float, high: float, better: str, method: str = "", borderline: bool = False
                  ) -> str:
    """Return 'better' / 'worse' when the CI excludes 0 in the direction that is better / worse, else 'unclear';
    'no verdict' when no CI could be estimated (``method``, paired.csv ``ci_method``, says why: the statistic is
    undefined on every bootstrap draw, :func:`vixhedge.bootstrap.defined_interval`). Draws dropped for an
    undefined statistic are named after the verdict; ``borderline`` (:func:`vixhedge.bootstrap.borderline`) adds
    :data:`BORDERLINE` to a verdict. A missing endpoint (None: a JSON null, as walkforward.json keeps NaN) is none.
    The side of 0 the CI lies on says better or worse, not the estimate's sign: a percentile or BCa interval need not
    hold its estimate (a skewed bootstrap), and one that does not is said so, :data:`OUTSIDE` (trial STAT32). A
    difference 0 in every draw is :data:`FLAT_WORDS` (:func:`flat`)."""
    low, high = (np.nan if v is None else v for v in (low, high))
    if not (np.isfinite(low) and np.isfinite(high)):
        return f"no verdict: CI {method}" if bs.UNDEFINED in method else "no verdict: CI not estimable"
    if flat(diff, low, high):
        return FLAT_WORDS
    note = f" ({method.split('(', 1)[1]}" if "undefined" in method else ""
    if not (low > 0 or high < 0):
        cue = "unclear (CI includes 0)" + note
    else:
        cue = side(diff, low, high, better) + note
    for tag, applies in ((OUTSIDE, outside(diff, low, high)), (BORDERLINE, borderline)):
        if applies:  # in the verdict's parentheses, or in its own
            cue = f"{cue[:-1]}; {tag})" if cue.endswith(")") else f"{cue} ({tag})"
    return cue


def outside(diff: float, low: float, high: float) -> bool:
    """Whether the estimate ``diff`` lies outside its CI [low, high] by more than float rounding (a degenerate
    interval of draws that all equal the estimate holds it: their sums differ in the last bits)."""
    tol = 1e-9 * max(1.0, abs(low), abs(high))
    return bool(np.isfinite(diff)) and not low - tol <= diff <= high + tol
