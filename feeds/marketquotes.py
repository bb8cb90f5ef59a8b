"""The Market's chains and quotes: SPX and VIX option chains, VX quotes and any contract's quote of a day.

Option quotes (``options``: the real chain files of a directory source, :mod:`feeds.realquotes`).
Without them every SPX and VIX option is priced by the models of :mod:`feeds.chains`. With them,
per option contract (kind SPX_OPTION from root ``SPX``, the AM-settled monthlies, never ``SPXW``;
VIX_OPTION from root ``VIX``) and day ``i``, causally (nothing after day ``i`` is read):

* ``REAL``: the files quote that exact contract (expiration, strike, right, root) on day ``i``:
  the real bid, ask and mid as given, greeks from the file or from the project's pricing at the
  real implied vol (:func:`feeds.realquotes.real_chain`);
* ``ANCHORED``: no real quote on day ``i`` but one on an earlier day ``k`` (the last such day),
  anchored in implied vol: ``gap = IV_real(k) - IV_model(k)`` (the vol the real mid implies with
  day ``k``'s underlying, the file's level for SPX, rate, dividend yield and time: Black-Scholes-Merton
  for SPX, Black-76 on the same-expiry VX future for VIX options; the model's vol of that contract at
  that same underlying),
  and day ``i`` is priced, greeks included, at ``IV_model(i) + gap x exp(-(i - k) / ANCHOR_TAU)``
  (sessions; floored at ``FILE_IV_RANGE[0]``), bid and ask by the model's spread rule around that mid
  (labelled MODEL once the gap's weight is below ``ANCHOR_LABEL_FLOOR``: by then the quote is the model's own)
  (:func:`feeds.chains.make_quote`); then the day's anchored quotes of one expiry and right are moved to the
  nearest prices in strike order among themselves (:func:`feeds.strikeorder.strike_ordered`: each strike's own
  gap can cross two, as it priced a 4100C 0.004 above the 4000C; a moved quote keeps the greeks of its own vol;
  the day's real quotes are left as the files give them, not used as fixed points).
  A held position leaving the real data moves by about the model's
  own move (no jump to the model's level), and far from real data the quote converges to the model's,
  with price and delta (which strike selection reads) at one vol. Where the real mid implies no vol
  in ``FILE_IV_RANGE`` (at or below intrinsic value) the gap is 0. A price difference carried instead
  (``real_mid(k) + model_mid(i) - model_mid(k)``, before 2026-12) priced a put that was 300 in the
  money on the real day at 0.00 nine months later, below a lower-strike put of the same expiry;
* ``MODEL``: before the contract's first real quote, and on or after its expiration day.

VX futures have their own rule (:func:`feeds.vxcurve.with_real_settles`). Real quotes are the day's
quote whatever time the file took them: the 2019 SPX snapshots are intraday, 15-min delayed
(e.g. SPX 2946.73 in the 2019-05-01 file against a 2923.73 close), so on those days a mark can
differ from a close mark by about delta x that move (a documented simplification). :meth:`spx_chain`
and :meth:`vix_chain` return the real chain on days the files quote at least
``MIN_CHAIN_QUOTES`` strikes per right of that root and expiration (strikes are then selected on
real deltas, among listed strikes only), else the model chain. :meth:`option_origin` says
whether an option quote is real, anchored or modelled (:func:`feeds.provenance.data_provenance` counts them).
Settlement values do not use chains.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np

from feeds.chains import OptionChain, make_quote, spx_chain, spx_chains, vix_chain
from feeds.marketdata import DataError
from feeds.realquotes import FILE_IV_RANGE, MIN_CHAIN_QUOTES, ROOT_OF_KIND, listed_strikes, quoted_per_right, real_chain
from feeds.strikeorder import ORDER_TOLERANCE, strike_ordered
from feeds.vxcurve import ANCHORED, MODEL, REAL
from vixhedge.core import implied, pricing
from vixhedge.core.instruments import Contract, Kind, Quote, Right

VX_TICK = 0.05
#: Sessions over which an anchored quote's implied-vol gap to the model (real minus model, on the last real day)
#: decays by a factor e (MarketQuotes._anchored). Measured: on the five 2019 SPX snapshot days, the gap of 841
#: contracts (|delta| 0.05-0.5, real on all five) regressed on its value j sessions earlier has slopes 0.94, 0.92,
#: 0.85, 0.51 (mean over the day pairs, j = 1..4); exp(-j / tau) fitted to the ten pairs gives tau = 12.8
#: (``python -m feeds.anchor_measure --data-dir ../shared/data``).
ANCHOR_TAU = 13.0
#: an anchored quote is labelled (provenance) anchored while the real gap keeps this weight, modelled after (its
#: price unchanged: the model's vol plus a gap under 5% of the real one, from ~3 x ANCHOR_TAU = 39 sessions on)
ANCHOR_LABEL_FLOOR = 0.05
PRICE_AHEAD = 10  # days of one expiry's model SPX chains priced together (MarketQuotes._price_spx_ahead)


class MarketQuotes:
    """The chains and quotes of :class:`feeds.market.Market` (a mixin: it reads the Market's data, models and
    caches; each chain is priced once per day and expiry, each quote once per day and contract)."""

    def t_years(self, i: int, expiry: dt.date) -> float:
        return (expiry - self.days[i]).days / 365.0

    def spx_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) SPX chain of ``expiry`` on day ``i``: real where the files quote it, else modelled."""
        return self._chain(Kind.SPX_OPTION, i, expiry)

    def vix_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) VIX option chain settling on ``expiry`` on day ``i``: real or modelled."""
        return self._chain(Kind.VIX_OPTION, i, expiry)

    def _chain(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain:
        if self.real is not None:
            real = self._real_chain(kind, i, expiry)
            if real is not None and quoted_per_right(real) >= MIN_CHAIN_QUOTES:
                return real
        return self._model_chain(kind, i, expiry)

    def _model_chain(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain:
        """Return the model chain of ``kind`` (cached per day and expiry; priced once, one vectorised call)."""
        spx = kind is Kind.SPX_OPTION
        cache = self._spx_cache if spx else self._vix_cache
        chain = cache.get((i, expiry))
        if chain is None and spx:
            chain = self._price_spx_ahead(i, expiry)
        elif chain is None:
            chain = cache[(i, expiry)] = self._price_vix(i, expiry, None)
        return chain

    def _price_spx_ahead(self, i: int, expiry: dt.date, strike: float | None = None) -> OptionChain:
        """Price and cache the model SPX chains of ``expiry`` (``strike`` alone if given: a strike off the day's
        grid) on day ``i`` and the next PRICE_AHEAD - 1 days (not past the expiry or the data) in one vectorised
        pass; return day ``i``'s. A position is marked on its expiry's chain every day it is open, so those are the
        chains asked for next; each chain is still its day's alone, the same numbers as pricing it then
        (feeds.chains.spx_chains; a cold run priced ~1,500 chains one by one, issue 16)."""
        cache = self._spx_cache if strike is None else self._strike_cache
        key = (lambda j: (j, expiry)) if strike is None else (lambda j: (j, expiry, strike))
        days = [i] + [j for j in range(i + 1, min(i + PRICE_AHEAD, len(self.days)))
                      if self.days[j] <= expiry and key(j) not in cache]
        cfg, d = self.cfg, self.data
        chains = spx_chains(d.spx_close[days], d.vix_close[days], expiry, [self.t_years(j, expiry) for j in days],
                            self.short_rates[days], cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads,
                            None if strike is None else [np.array([strike])] * len(days),
                            self.vol_levels[days])
        cache.update(zip(map(key, days), chains))
        return chains[0]

    def _price_vix(self, i: int, expiry: dt.date, strikes: np.ndarray | None) -> OptionChain:
        fut, beta = self._vx_future(i, expiry)
        return vix_chain(fut, beta, expiry, self.t_years(i, expiry), float(self.short_rates[i]), self.cfg.vix_smile,
                         self.cfg.spreads, strikes)

    def _vx_future(self, i: int, expiry: dt.date) -> tuple[float, float]:
        j = self._vx_column(expiry)
        fut = float(self.vx.prices[i, j])
        if not np.isfinite(fut):
            raise DataError(f"VX {expiry} has no price on {self.days[i]}")
        return fut, float(self.vx.beta[i, j])

    def _vx_column(self, expiry: dt.date, future: bool = False) -> int:
        """Return the VX curve's column of the contract settling on ``expiry``; an expiry no monthly VX future
        settles on (a weekly: Cboe lists VIX options, and VX weeklies, on Wednesdays between the monthlies) raises
        one DataError naming it and the monthlies around it, for a VIX option or (``future``) a VX future. Such an
        option would price off a forward the curve does not hold: the project's curve is the monthly VX
        contracts', and interpolating one in time between two monthlies is not a quote of any future (none is
        built)."""
        try:
            return self.vx.column(expiry)
        except KeyError:
            settles = [c.settlement for c in self.vx.contracts]
            before = [d for d in settles if d < expiry][-1:]
            after = [d for d in settles if d > expiry][:1]
            near = " or ".join(str(d) for d in (*before, *after)) or "a monthly VX settlement date"
            why = ("the curve holds the monthly VX contracts only (a weekly VX future is not modelled)" if future
                   else "and VIX options are priced off the VX future of their own expiry (a weekly has none; "
                   "no forward is interpolated)")
            raise DataError(f"{'VX future' if future else 'VIX option'} expiry {expiry} is not a monthly VIX "
                            f"expiration: no VX future settles on it, {why}; use a monthly expiry, e.g. {near}"
                            ) from None

    def _real_chain(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain | None:
        """Return the (cached) real chain of ``kind``'s root for ``expiry`` on day ``i``, or None."""
        key = (kind, i, expiry)
        if key in self._real_cache:
            return self._real_cache[key]
        assert self.real is not None
        rows = self.real.chain_rows(ROOT_OF_KIND[kind], i, expiry)
        chain = None if rows is None else self._price_real(kind, i, expiry, rows)
        self._real_cache[key] = chain
        return chain

    def _price_real(self, kind: Kind, i: int, expiry: dt.date, rows: np.ndarray) -> OptionChain:
        assert self.real is not None
        cfg, t, rate = self.cfg, self.t_years(i, expiry), float(self.short_rates[i])
        strikes = listed_strikes(self.real, rows)
        if kind is Kind.VIX_OPTION:
            fut, beta = self._vx_future(i, expiry)
            model = vix_chain(fut, beta, expiry, t, rate, cfg.vix_smile, cfg.spreads, strikes)
            return real_chain(self.real, rows, model,
                              lambda v, k, c: pricing.black76_greeks(fut, k, t, rate, v, c),
                              lambda m, k, c: implied.implied_vol_black76(m, fut, k, t, rate, c))
        under = self.real.underlying[rows]  # the level the file quoted against (intraday for snapshots)
        spot = float(np.median(under[np.isfinite(under)])) if np.isfinite(under).any() else float(
            self.data.spx_close[i])
        model = spx_chain(spot, float(self.data.vix_close[i]), expiry, t, rate, cfg.div_yield, cfg.spx_smile,
                          cfg.vx_curve, cfg.spreads, strikes, self.day_levels(i))
        return real_chain(self.real, rows, model,
                          lambda v, k, c: pricing.bsm_greeks(spot, k, t, rate, cfg.div_yield, v, c),
                          lambda m, k, c: implied.implied_vol_bsm(m, spot, k, t, rate, cfg.div_yield, c))

    def vx_quote(self, i: int, expiry: dt.date) -> Quote:
        """Return the quote of the VX future settling on ``expiry`` on day ``i`` (cached)."""
        q = self._quotes.get((i, expiry))
        if q is None:
            q = self._quotes[(i, expiry)] = self._vx_quote(i, expiry)
        return q

    def _vx_quote(self, i: int, expiry: dt.date) -> Quote:
        j = self._vx_column(expiry, future=True)
        mid = float(self.vx.prices[i, j])
        if not np.isfinite(mid):
            raise DataError(f"VX {expiry} is not listed on {self.days[i]}")
        bid, ask = vx_bid_ask(mid, self.cfg.spreads.vx_future)
        beta = float(self.vx.beta[i, j])
        return Quote(bid=bid, ask=ask, mid=mid, delta=1.0, vix_beta=beta)

    def quote(self, contract: Contract, i: int) -> Quote:
        """Return today's two-sided quote and greeks for any contract (cached per day and contract).

        Options: real, anchored on the last real quote, or modelled (see the module docstring).
        """
        key = (i, contract)
        q = self._quotes.get(key)
        if q is None:
            if contract.kind is Kind.VX_FUTURE:
                q = self._vx_quote(i, contract.expiry)
            else:
                q, self._origins[key] = self._option_quote(contract, i)
            self._quotes[key] = q
        return q

    def _option_quote(self, contract: Contract, i: int) -> tuple[Quote, int]:
        if self.real is None:
            return self._model_quote(contract, i), MODEL
        assert contract.strike is not None and contract.right is not None
        hit = self.real.last_real(ROOT_OF_KIND[contract.kind], contract.expiry, contract.strike, contract.right, i)
        if hit is None or self.days[i] >= contract.expiry:
            return self._cached_model_quote(contract, i), MODEL
        k, row = hit
        if k == i:
            chain = self._real_chain(contract.kind, i, contract.expiry)
            assert chain is not None
            return chain.quote(contract.strike, contract.right), REAL
        origin = ANCHORED if math.exp(-(i - k) / ANCHOR_TAU) >= ANCHOR_LABEL_FLOOR else MODEL
        q = self._anchored(contract, i, k, float(self.real.mid[row]))
        mid = self._strike_order_fixes(contract, i).get(contract.strike) if origin == ANCHORED else None
        if mid is not None:  # moved into strike order among the day's anchored quotes: greeks of its own vol
            bid, ask = self._anchored_bid_ask(contract.kind, mid)
            q = dataclasses.replace(q, bid=bid, ask=ask, mid=mid)
        return q, origin

    def _strike_order_fixes(self, contract: Contract, i: int) -> dict[float, float]:
        """Return ``{strike: mid}`` of the anchored quotes of ``contract``'s expiry and right on day ``i`` that
        :func:`feeds.strikeorder.strike_ordered` moves (cached per day, expiry and right; empty when in order)."""
        assert contract.right is not None
        key = (contract.kind, contract.expiry, contract.right, i)
        fixes = self._order_fixes.get(key)
        if fixes is None:
            fixes = self._order_fixes[key] = self._order_anchored(contract, i)
        return fixes

    def _order_anchored(self, contract: Contract, i: int) -> dict[float, float]:
        """The day's anchored mids of ``contract``'s expiry and right (every strike the files quoted before day
        ``i`` and not on it, still labelled anchored: a gap's weight of 5% or more), priced together as :meth:`_anchored` prices each (:meth:`_anchored_greeks`), put in
        strike order among themselves: the day's real quotes of that expiry and right are left as the files give
        them and are not fixed points of the projection (a real quote out of order stays so)."""
        assert self.real is not None and contract.right is not None
        kind, expiry, right, root = contract.kind, contract.expiry, contract.right, ROOT_OF_KIND[contract.kind]
        hits = [(k, self.real.last_real(root, expiry, k, right, i)) for k in self.real.strikes(root, expiry, right)]
        hits = [(k, hit) for k, hit in hits if hit is not None and hit[0] < i  # labelled anchored, as _option_quote
                and math.exp(-(i - hit[0]) / ANCHOR_TAU) >= ANCHOR_LABEL_FLOOR]  # (older: modelled, not reordered)
        if len(hits) < 2:
            return {}
        strikes = np.array([k for k, _ in hits])
        gaps = np.array([self._gap(Contract(kind, expiry, k, right), day, float(self.real.mid[row]))
                         for k, (day, row) in hits])
        days = [day for _, (day, _) in hits]
        if kind is Kind.SPX_OPTION:
            cfg, t = self.cfg, self.t_years(i, expiry)
            model = spx_chain(float(self.data.spx_close[i]), float(self.data.vix_close[i]), expiry, t,
                              float(self.short_rates[i]), cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads,
                              strikes, self.day_levels(i))
        else:
            model = self._price_vix(i, expiry, strikes)
        mids = np.asarray(self._anchored_greeks(kind, expiry, right, i, strikes, model.side(right).iv, gaps,
                                                days).price, dtype=np.float64)
        rate, t = float(self.short_rates[i]), self.t_years(i, expiry)
        fixed = strike_ordered(mids, strikes, right is Right.CALL, math.exp(-rate * t))
        moved = np.abs(fixed - mids) > ORDER_TOLERANCE
        return {float(k): max(float(x), 0.0) for k, x in zip(strikes[moved], fixed[moved])}

    def _anchored_greeks(self, kind: Kind, expiry: dt.date, right: Right, i: int, strikes: np.ndarray,
                         model_vols: np.ndarray, gaps: np.ndarray, days: list[int]) -> pricing.Greeks:
        """Price and greeks on day ``i`` of options of one expiry and right anchored on their real days ``days``:
        at ``vol = model_vols + gaps x exp(-(i - day) / ANCHOR_TAU)``, floored at ``FILE_IV_RANGE[0]``
        (Black-Scholes-Merton at the day's SPX close, Black-76 on the same-expiry VX future)."""
        decay = np.array([math.exp(-(i - k) / ANCHOR_TAU) for k in days])
        vols = np.maximum(np.asarray(model_vols, dtype=np.float64) + np.asarray(gaps) * decay, FILE_IV_RANGE[0])
        is_call, t, rate = right is Right.CALL, self.t_years(i, expiry), float(self.short_rates[i])
        if kind is Kind.SPX_OPTION:
            return pricing.bsm_greeks(float(self.data.spx_close[i]), strikes, t, rate, self.cfg.div_yield, vols,
                                      is_call)
        return pricing.black76_greeks(self._vx_future(i, expiry)[0], strikes, t, rate, vols, is_call)

    def _anchored(self, contract: Contract, i: int, k: int, real_mid: float) -> Quote:
        """The quote of day ``i`` anchored in implied vol on the last real day ``k`` (see the module docstring)."""
        assert contract.strike is not None and contract.right is not None
        now = self._cached_model_quote(contract, i)  # first: an off-grid strike's model vol reads its chain
        g = self._anchored_greeks(contract.kind, contract.expiry, contract.right, i, np.array([contract.strike]),
                                  np.array([self._model_vol(contract, i)]),
                                  np.array([self._gap(contract, k, real_mid)]), [k])
        if contract.kind is Kind.SPX_OPTION:
            beta = now.vix_beta
        else:  # as feeds.chains.OptionChain.quote: delta x dF/dVIX
            beta = float(g.delta[0]) * self._vx_future(i, contract.expiry)[1]
        mid = float(g.price[0])
        bid, ask = self._anchored_bid_ask(contract.kind, mid)
        return Quote(bid=bid, ask=ask, mid=mid, delta=float(g.delta[0]), gamma=float(g.gamma[0]),
                     vega=float(g.vega[0]), theta=float(g.theta[0]), vix_beta=beta)

    def _anchored_bid_ask(self, kind: Kind, mid: float) -> tuple[float, float]:
        s = self.cfg.spreads
        if kind is Kind.SPX_OPTION:
            return make_quote(mid, s.spx_option_fraction, s.spx_option_min, s.spx_option_max, s.spx_option_power)
        return make_quote(mid, s.vix_option_fraction, s.vix_option_min, s.vix_option_max, s.vix_option_power)

    def _gap(self, contract: Contract, k: int, real_mid: float) -> float:
        gap = self._vol_gaps.get((contract, k))
        if gap is None:  # one per contract and real day: every later day of its anchor reads it
            gap = self._vol_gaps[(contract, k)] = self.vol_gap(contract, k, real_mid)
        return gap

    def vol_gap(self, contract: Contract, k: int, real_mid: float) -> float:
        """Return ``IV_real(k) - IV_model(k)`` of ``contract`` on its real day ``k``; 0 where the real mid implies
        no vol in ``FILE_IV_RANGE`` (at or below intrinsic value: no vega to carry a price difference by)."""
        assert contract.strike is not None and contract.right is not None
        is_call, t, rate = contract.right is Right.CALL, self.t_years(k, contract.expiry), float(self.short_rates[k])
        if contract.kind is not Kind.SPX_OPTION:
            fut = self._vx_future(k, contract.expiry)[0]
            iv = float(implied.implied_vol_black76(real_mid, fut, contract.strike, t, rate, is_call))
            return iv - self._model_vol(contract, k) if FILE_IV_RANGE[0] <= iv <= FILE_IV_RANGE[1] else 0.0
        cfg, real = self.cfg, self._real_chain(contract.kind, k, contract.expiry)
        spot = float(self.data.spx_close[k]) if real is None else real.underlying  # the level the file quoted at
        iv = float(implied.implied_vol_bsm(real_mid, spot, contract.strike, t, rate, cfg.div_yield, is_call))
        if not FILE_IV_RANGE[0] <= iv <= FILE_IV_RANGE[1]:  # NaN too
            return 0.0
        # the model's vol at that same level (an intraday snapshot's SPX, not the close): the gap is the real
        # quote's premium over the model in one market state, as feeds.realquotes.real_chain compares them
        model = spx_chain(spot, float(self.data.vix_close[k]), contract.expiry, t, rate, cfg.div_yield, cfg.spx_smile,
                          cfg.vx_curve, cfg.spreads, np.array([contract.strike]), self.day_levels(k))
        return iv - float(model.side(contract.right).iv[0])

    def _model_vol(self, contract: Contract, i: int) -> float:
        """Return the model's implied vol of ``contract`` on day ``i`` (the vol its model quote is priced at)."""
        assert contract.strike is not None and contract.right is not None
        chain = self._model_chain(contract.kind, i, contract.expiry)
        try:
            j = chain.index(contract.strike)
        except KeyError:  # off the day's grid: the one-strike chain _model_quote priced
            if contract.kind is Kind.SPX_OPTION:
                alone = self._strike_cache.get((i, contract.expiry, contract.strike))
                chain = alone if alone is not None else self._price_spx_ahead(i, contract.expiry, contract.strike)
            else:
                chain = self._price_vix(i, contract.expiry, np.array([contract.strike]))
            j = 0
        return float(chain.side(contract.right).iv[j])

    def _cached_model_quote(self, contract: Contract, i: int) -> Quote:
        key = (i, contract)
        q = self._model_quotes.get(key)
        if q is None:
            q = self._model_quotes[key] = self._model_quote(contract, i)
        return q

    def _model_quote(self, contract: Contract, i: int) -> Quote:
        assert contract.strike is not None and contract.right is not None
        chain = self._model_chain(contract.kind, i, contract.expiry)
        try:
            return chain.quote(contract.strike, contract.right)
        except KeyError:  # a strike the day's grid does not cover: price it alone (callers cache the quote)
            if contract.kind is Kind.SPX_OPTION:
                alone = self._strike_cache.get((i, contract.expiry, contract.strike))
                if alone is None:
                    alone = self._price_spx_ahead(i, contract.expiry, contract.strike)
            else:
                alone = self._price_vix(i, contract.expiry, np.array([contract.strike]))
            return alone.quote(contract.strike, contract.right)


def vx_bid_ask(mid: float, spread: float) -> tuple[float, float]:
    """Return a VX bid/ask exactly ``spread`` wide (rounded to whole ticks, at least one) on the tick grid.

    The bid is the tick nearest to ``mid - spread/2`` (halves round up), so ``bid <= mid <= ask``. Rounding
    each side outward instead made a one-tick (0.05) spread 0.10 wide whenever the model mid was off the
    grid: every modelled VX fill paid twice the configured spread.
    """
    ticks = max(1, round(spread / VX_TICK))
    bid_ticks = math.floor((mid - ticks * VX_TICK / 2.0) / VX_TICK + 0.5 + 1e-9)
    return round(bid_ticks * VX_TICK, 2), round((bid_ticks + ticks) * VX_TICK, 2)
