"""Real option quotes on the market's days, indexed per contract and per chain, and real chains.

:class:`RealQuotes` holds the usable rows of the chain files (:mod:`feeds.loaders.options`, which
already left out crossed, zero-width, offer-less and out-of-bounds rows) that fall on a day of the
market, as flat arrays plus two dict indexes:

* per contract ``(root, expiration, strike, right)``: the market days with a real quote, in order,
  so the last real quote on or before day ``i`` is one dict look-up and one bisection;
* per chain ``(root, day, expiration)``: the rows of that day's chain.

Roots are part of every key: an SPX (AM-settled) and an SPXW (PM-settled) series sharing an
expiration date are different contracts. The Market prices :class:`~vixhedge.core.instruments.Kind`
``SPX_OPTION`` from root ``SPX`` and ``VIX_OPTION`` from root ``VIX`` only (``ROOT_OF_KIND``);
SPXW rows are indexed but never price a contract of this project.

Left out when indexing (counted in ``RealQuotes.left_out``): rows of a quote date that is not a
day of the market, rows quoted on or after their expiration (the project's options settle at the
open of the expiration day), and a (day, root, expiration, strike, right) given again by a later
file (the first file in the layout's order wins). A root ``SPX`` expiration on a Saturday (the
OCC convention for standard monthlies before 2015) is read as that month's standard expiration
(:func:`feeds.calendars.spx_monthly_expiration`: the Friday before, or the Thursday when the Friday
is a holiday).

Real chains (:func:`real_chain`) list only the strikes the file quotes, with the real bid, ask and
mid. Greeks: the file's delta and gamma where the file's implied vol is plausible (within
``FILE_IV_RANGE``; the snapshot files carry IVs up to 36 on deep in-the-money rows); vega and
theta, and delta/gamma where the file has none, from the project's pricing (:mod:`vixhedge.core.pricing`)
at the file's implied vol, or else at the vol implied by the real mid; where neither exists (a mid
at or below intrinsic value), the model's greeks for that strike. A strike quoted for one right only
has NaN in the other right's arrays (:meth:`feeds.chains.OptionChain.quote` raises KeyError for it,
``nearest_delta`` skips it).
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.chains import OptionChain, Side
from vixhedge.core.instruments import Kind
from vixhedge.core.pricing import Greeks

if TYPE_CHECKING:
    from feeds.loaders.options import OptionQuotes  # built by feeds.directory: not loaded by model-only runs

__all__ = ["FILE_IV_RANGE", "MIN_CHAIN_QUOTES", "ROOT_OF_KIND", "RealQuotes", "real_chain"]

#: The root whose quotes price each option kind of the project (monthly, AM-settled series).
ROOT_OF_KIND: dict[Kind, str] = {Kind.SPX_OPTION: "SPX", Kind.VIX_OPTION: "VIX"}
#: A real chain is used for strike selection when it quotes at least this many strikes per right.
MIN_CHAIN_QUOTES = 10
#: File implied vols (fraction) outside this range are not trusted (nor the file's greeks).
FILE_IV_RANGE = (0.01, 3.0)
DELTA_AGREE = 0.05  # a file's delta is used where it is within this of the delta priced at the file's own vol

_SATURDAY = 5
ContractKey = tuple[str, dt.date, int, str]  # root, expiration, strike x 1000, right ("C"/"P")


def strike_key(strike: float) -> int:
    """Return the strike in thousandths (the OCC symbol's integer strike) used in index keys."""
    return round(strike * 1000.0)


@dataclass(frozen=True)
class RealQuotes:
    """Usable real option quotes on the market's days (see the module docstring)."""

    day: np.ndarray  # market day index per row
    strike: np.ndarray
    is_call: np.ndarray
    bid: np.ndarray
    ask: np.ndarray
    mid: np.ndarray
    iv: np.ndarray
    delta: np.ndarray
    gamma: np.ndarray
    underlying: np.ndarray
    root: np.ndarray
    left_out: dict[str, int]
    _series: dict[ContractKey, tuple[list[int], list[int]]] = field(repr=False)
    _chains: dict[tuple[str, int, dt.date], np.ndarray] = field(repr=False)
    _strikes: dict[tuple[str, dt.date, str], tuple[float, ...]] = field(repr=False, default_factory=dict)
    _by_day: dict[int, list[tuple[str, dt.date, np.ndarray]]] = field(repr=False, default_factory=dict)

    @classmethod
    def build(cls, quotes: OptionQuotes, dates: pd.DatetimeIndex) -> RealQuotes | None:
        """Index the rows of ``quotes`` quoted on ``dates``; None when no row is usable."""
        r = quotes.rows
        qd = r["quote_date"].to_numpy().astype("datetime64[D]")
        roots = r["root"].to_numpy(dtype=object)
        exp = _standard_expirations(r["expiration"].to_numpy().astype("datetime64[D]"), roots)
        days = dates.to_numpy().astype("datetime64[D]")
        pos = np.minimum(np.searchsorted(days, qd), max(len(days) - 1, 0))
        on_day = (days[pos] == qd) if len(days) else np.zeros(len(qd), dtype=bool)
        live = exp > qd
        sk = np.rint(r["strike"].to_numpy() * 1000.0).astype(np.int64)
        rights = r["right"].to_numpy(dtype=object)
        cand = on_day & live
        ids = pd.DataFrame({"d": pos, "r": roots, "e": exp, "k": sk, "c": rights})
        dup = np.zeros(len(r), dtype=bool)
        dup[cand] = ids[cand].duplicated(keep="first").to_numpy()
        keep = cand & ~dup
        left_out = {"quote date not a market day": int((~on_day).sum()),
                    "quoted on or after the expiration": int((on_day & ~live).sum()),
                    "given again by a later file": int(dup.sum())}
        if not keep.any():
            return None
        take = lambda col: r[col].to_numpy(dtype=np.float64)[keep]
        bid, ask = take("bid"), take("ask")
        day, roots, exp, sk, rights = pos[keep], roots[keep], exp[keep], sk[keep], rights[keep]
        series, chains = _index(day, roots, exp.astype(object), sk, rights)
        return cls(day=day, strike=take("strike"), is_call=rights == "C", bid=bid, ask=ask, mid=np.round((bid + ask) / 2.0, 6),
                   iv=take("iv"), delta=take("delta"), gamma=take("gamma"), underlying=take("underlying"),
                   root=roots, left_out=left_out, _series=series, _chains=chains)

    def series(self) -> Iterable[tuple[ContractKey, tuple[list[int], list[int]]]]:
        """Every real contract, ``(root, expiry, strike key, right)``, with its real days and their rows."""
        return self._series.items()

    def last_real(self, root: str, expiry: dt.date, strike: float, right: str, i: int) -> tuple[int, int] | None:
        """Return ``(day, row)`` of the contract's last real quote on or before day ``i``, or None."""
        hit = self._series.get((root, expiry, strike_key(strike), right))
        if hit is None:
            return None
        days, rows = hit
        n = bisect.bisect_right(days, i)
        return None if n == 0 else (days[n - 1], rows[n - 1])

    def strikes(self, root: str, expiry: dt.date, right: str) -> tuple[float, ...]:
        """Return the ascending strikes of ``right`` the files quote for ``root``'s ``expiry`` on any day."""
        key = (root, expiry, right)
        got = self._strikes.get(key)
        if got is None:
            if not self._strikes:  # one pass over the contracts indexes them all
                by: dict[tuple[str, dt.date, str], list[float]] = {}
                for r, e, sk, c in self._series:
                    by.setdefault((r, e, c), []).append(sk / 1000.0)
                self._strikes.update({k: tuple(sorted(v)) for k, v in by.items()})
            got = self._strikes.setdefault(key, ())
        return got

    def chain_rows(self, root: str, i: int, expiry: dt.date) -> np.ndarray | None:
        """Return the rows of the ``root`` chain of ``expiry`` quoted on day ``i`` (by strike), or None."""
        return self._chains.get((root, i, expiry))

    def chain_items(self) -> Iterable[tuple[tuple[str, int, dt.date], np.ndarray]]:
        """Every chain the files quote: ``((root, day index, expiry), rows)``."""
        return self._chains.items()

    def chains_on(self, i: int) -> list[tuple[str, dt.date, np.ndarray]]:
        """The chains the files quote on day ``i``: ``(root, expiry, rows)`` each (feeds.snapshot_level reads them)."""
        by_day = self._by_day
        if not by_day:  # one pass over the chains indexes every day
            for (root, day, expiry), rows in self._chains.items():
                by_day.setdefault(day, []).append((root, expiry, rows))
        return by_day.get(i, [])

    def counts(self) -> dict[str, int]:
        """Return the number of usable real quotes per root on the market's days."""
        names, n = np.unique(self.root.astype(str), return_counts=True)
        return {str(a): int(b) for a, b in zip(names, n)}


def _standard_expirations(exp: np.ndarray, roots: np.ndarray) -> np.ndarray:
    weekday = (exp.astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday; Monday = 0
    sat = (weekday == _SATURDAY) & (roots == "SPX")
    if not sat.any():
        return exp
    out = exp.copy()
    for s in np.unique(exp[sat]):
        d = s.astype(object)
        std = calendars.spx_monthly_expiration(d.year, d.month)
        if 1 <= (d - std).days <= 2:
            out[sat & (exp == s)] = np.datetime64(std, "D")
    return out


def _index(day: np.ndarray, roots: np.ndarray, exp: np.ndarray, sk: np.ndarray, rights: np.ndarray) -> tuple[
        dict[ContractKey, tuple[list[int], list[int]]], dict[tuple[str, int, dt.date], np.ndarray]]:
    root_code = pd.factorize(roots)[0]
    exp_code = pd.factorize(exp)[0]
    right_code = (rights == "C").astype(np.int8)
    series: dict[ContractKey, tuple[list[int], list[int]]] = {}
    days, rts, exps, sks = day.tolist(), roots.tolist(), exp.tolist(), sk.tolist()
    for row in np.lexsort((day, right_code, sk, exp_code, root_code)).tolist():
        key = (rts[row], exps[row], sks[row], rights[row])
        hit = series.get(key)
        if hit is None:
            series[key] = ([days[row]], [row])
        else:
            hit[0].append(days[row])
            hit[1].append(row)
    order = np.lexsort((right_code, sk, exp_code, day, root_code))
    group = np.stack([root_code, day, exp_code])[:, order]
    starts = np.flatnonzero(np.r_[True, (group[:, 1:] != group[:, :-1]).any(axis=0)])
    chains = {(rts[order[a]], days[order[a]], exps[order[a]]): order[a:b]
              for a, b in zip(starts.tolist(), [*starts[1:].tolist(), len(order)])}
    return series, chains


def real_chain(book: RealQuotes, rows: np.ndarray, model: OptionChain,
               greeks: Callable[[np.ndarray, np.ndarray, bool], Greeks],
               implied: Callable[[np.ndarray, np.ndarray, bool], np.ndarray]) -> OptionChain:
    """Return the real chain of ``rows`` (one root, day and expiration).

    ``model`` is the model chain priced on exactly the listed strikes (the fallback greeks);
    ``greeks(vol, strikes, is_call)`` and ``implied(mid, strikes, is_call)`` are the project's
    pricing for the kind (BSM on the chain's spot, Black-76 on the same-expiry VX future).
    """
    strikes = model.strikes
    sides = [_side(book, rows[book.is_call[rows] == is_call], strikes, is_call, model.call if is_call else model.put, greeks,
                   implied) for is_call in (True, False)]
    return OptionChain(model.expiry, model.t_years, model.underlying, model.forward, strikes, sides[0], sides[1],
                       vix_beta=model.vix_beta)


def listed_strikes(book: RealQuotes, rows: np.ndarray) -> np.ndarray:
    """Return the sorted distinct strikes of ``rows``."""
    return np.unique(book.strike[rows])


def quoted_per_right(chain: OptionChain) -> int:
    """Return the smaller number of quoted strikes of the two rights of ``chain``."""
    return int(min(np.isfinite(chain.call.mid).sum(), np.isfinite(chain.put.mid).sum()))


def _side(book: RealQuotes, sel: np.ndarray, strikes: np.ndarray, is_call: bool, model: Side,
          greeks: Callable[[np.ndarray, np.ndarray, bool], Greeks],
          implied: Callable[[np.ndarray, np.ndarray, bool], np.ndarray]) -> Side:
    j = np.searchsorted(strikes, book.strike[sel])
    k, mid = strikes[j], book.mid[sel]
    lo, hi = FILE_IV_RANGE
    file_iv = book.iv[sel]
    with np.errstate(invalid="ignore"):
        trusted = (file_iv >= lo) & (file_iv <= hi)
    vol = file_iv.copy()
    if (~trusted).any():
        vol[~trusted] = implied(mid[~trusted], k[~trusted], is_call)
    has_vol = np.isfinite(vol)
    g = greeks(vol, k, is_call)
    # the file's delta and gamma where they agree with its own vol (a deep in-the-money call of the 2019 files reads
    # delta 0.0 at iv 0.02, where that vol gives 0.99): within DELTA_AGREE of the delta priced at it, else computed
    with np.errstate(invalid="ignore"):
        agree = np.abs(book.delta[sel] - g.delta) <= DELTA_AGREE
    use = lambda file_value, computed, fallback: np.where(
        trusted & agree & np.isfinite(file_value), file_value, np.where(has_vol, computed, fallback))
    nan = lambda: np.full(len(strikes), np.nan)
    out = {name: nan() for name in ("bid", "ask", "mid", "iv", "delta", "gamma", "vega", "theta")}
    out["bid"][j], out["ask"][j], out["mid"][j] = book.bid[sel], book.ask[sel], mid
    out["iv"][j] = np.where(has_vol, vol, model.iv[j])
    out["delta"][j] = use(book.delta[sel], g.delta, model.delta[j])
    out["gamma"][j] = use(book.gamma[sel], g.gamma, model.gamma[j])
    out["vega"][j] = np.where(has_vol, g.vega, model.vega[j])
    out["theta"][j] = np.where(has_vol, g.theta, model.theta[j])
    return Side(**out)
