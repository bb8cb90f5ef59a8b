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

The anchoring (vol gaps, anchored greeks, the strike-order pass) is :class:`feeds.anchoring.AnchoredQuotes`, which
MarketQuotes inherits; a real day's vol gaps of one expiry and right are solved together there.

VX futures have their own rule (:func:`feeds.vxcurve.with_real_settles`). Real quotes are the day's
quote whatever time the file took them (fills, strike selection); a position is marked at the close (:meth:`mark`):
the 2019 SPX snapshots are intraday, 15-min delayed (e.g. SPX 2946.73 in the 2019-05-01 file against a 2923.73
close), and on those days a real quote is marked moved to the close as the next day's anchored quote would price
it (:meth:`~feeds.anchoring.AnchoredQuotes._at_the_close`). :meth:`spx_chain`
and :meth:`vix_chain` return the real chain on days the files quote at least
``MIN_CHAIN_QUOTES`` strikes per right of that root and expiration (strikes are then selected on
real deltas, among listed strikes only), else the model chain with each strike the files quoted at its quote of the
day (anchored, or real in a thinner chain: :meth:`_quoted_chain`), so strikes are selected on the prices they fill
at. :meth:`option_origin` says
whether an option quote is real, anchored or modelled (:func:`feeds.provenance.data_provenance` counts them).
Settlement values do not use chains.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np

from feeds.anchoring import ANCHOR_LABEL_FLOOR, ANCHOR_TAU, AnchoredQuotes
from feeds.chains import OptionChain, Side, spx_chain, spx_chains, vix_chain
from feeds.marketdata import DataError
from feeds.realquotes import MIN_CHAIN_QUOTES, ROOT_OF_KIND, listed_strikes, quoted_per_right, real_chain
from feeds.snapshot_level import AT_CLOSE
from feeds.vxcurve import ANCHORED, MODEL, REAL
from vixhedge.core import implied, pricing
from vixhedge.core.instruments import Contract, Kind, Quote, Right

VX_TICK = 0.05
_SIDE_FIELDS = [f.name for f in dataclasses.fields(Side)]
PRICE_AHEAD = 10  # days of one expiry's model SPX chains priced together (MarketQuotes._price_spx_ahead)


class MarketQuotes(AnchoredQuotes):
    """The chains and quotes of :class:`feeds.market.Market` (a mixin: it reads the Market's data, models and
    caches; each chain is priced once per day and expiry, each quote once per day and contract)."""

    def t_years(self, i: int, expiry: dt.date) -> float:
        return (expiry - self.days[i]).days / 365.0

    def spx_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) SPX chain of ``expiry`` on day ``i``: real where the files quote it, else modelled with
        the strikes the files quoted at their day's quotes (:meth:`_quoted_chain`)."""
        return self._chain(Kind.SPX_OPTION, i, expiry)

    def vix_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) VIX option chain settling on ``expiry`` on day ``i``: as :meth:`spx_chain`."""
        return self._chain(Kind.VIX_OPTION, i, expiry)

    def _chain(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain:
        if self.real is not None:
            real = self._real_chain(kind, i, expiry)
            if real is not None and quoted_per_right(real) >= MIN_CHAIN_QUOTES:
                return real
            return self._quoted_chain(kind, i, expiry)
        return self._model_chain(kind, i, expiry)

    def _quoted_chain(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain:
        """Return (cached) the model chain of ``expiry`` on day ``i`` with each grid strike the files quote on this
        day or an earlier one at its :meth:`quote` (real, or anchored on its last real day), greeks included, and
        the vol they are priced at as ``iv`` (:meth:`_quoted_vols`): strikes are selected on the prices and deltas
        they fill at (trial CX: on 2019-05-10 a condor chose its wings on the model chain's deltas and filled at the
        anchored quotes, credit 23.45 against the chain's 23.70). The model chain itself where the files quote no
        strike of it."""
        key = (kind, i, expiry, "quoted")
        if key in self._real_cache:
            return self._real_cache[key]
        assert self.real is not None
        model = self._model_chain(kind, i, expiry)
        root, sides = ROOT_OF_KIND[kind], {}
        for right in (Right.CALL, Right.PUT):
            side, pos, hits = model.side(right), [], []
            for k in self.real.strikes(root, expiry, right) if self.days[i] < expiry else ():
                j = int(np.searchsorted(model.strikes, k - 1e-9))
                hit = self.real.last_real(root, expiry, k, right, i)
                if j < len(model.strikes) and abs(model.strikes[j] - k) <= 1e-9 and hit is not None:
                    pos.append(j)
                    hits.append(hit)
            quotes = self._quotes_of([Contract(kind, expiry, float(model.strikes[j]), right) for j in pos], i, hits)
            if pos:
                side = dataclasses.replace(side, **{f: getattr(side, f).copy() for f in _SIDE_FIELDS})
                for name in ("bid", "ask", "mid", "delta", "gamma", "vega", "theta"):
                    getattr(side, name)[pos] = [getattr(q, name) for q in quotes]
                side.iv[pos] = self._quoted_vols(kind, i, expiry, right, model.strikes[pos], side.iv[pos], hits)
            sides[right] = side
        chain = model
        if sides[Right.CALL] is not model.call or sides[Right.PUT] is not model.put:
            chain = dataclasses.replace(model, call=sides[Right.CALL], put=sides[Right.PUT])  # (its own nearest_delta)
        self._real_cache[key] = chain
        return chain

    def _quotes_of(self, contracts: list[Contract], i: int, hits: list[tuple[int, int]]) -> list[Quote]:
        """:meth:`quote` of each of ``contracts`` (one expiry and right, each with its last real quote ``hits``: on
        day ``i`` or before), the anchored ones not yet asked for priced together and cached as :meth:`quote`
        caches them (a VXTH run asked ~6,000 one by one for its daily VIX chains: +60% of its time, review 19)."""
        todo = [n for n, (c, (k, _)) in enumerate(zip(contracts, hits)) if k < i and (i, c) not in self._quotes]
        if todo:
            for n, (q, origin) in zip(todo, self._anchored_quotes([contracts[n] for n in todo], i,
                                                                  [hits[n] for n in todo])):
                self._quotes[(i, contracts[n])], self._origins[(i, contracts[n])] = q, origin
        return [self.quote(c, i) for c in contracts]

    def _quoted_vols(self, kind: Kind, i: int, expiry: dt.date, right: Right, strikes: np.ndarray,
                     model_vols: np.ndarray, hits: list[tuple[int, int]]) -> np.ndarray:
        """The vols the quotes of ``strikes`` (with their last real quotes ``hits``) are priced at on day ``i``: the
        anchored vol (:meth:`~feeds.anchoring.AnchoredQuotes._anchored_vols`; a quote moved into strike order keeps
        it, as its greeks do) or the real chain's."""
        assert self.real is not None
        vols = np.array(model_vols, dtype=np.float64)
        old = [n for n, (k, _) in enumerate(hits) if k < i]
        if old:
            gaps = [self.anchor_gap(Contract(kind, expiry, float(strikes[n]), right), hits[n][0],
                                    float(self.real.mid[hits[n][1]])) for n in old]
            vols[old] = self._anchored_vols(i, vols[old], gaps, [hits[n][0] for n in old])
        today = [n for n, (k, _) in enumerate(hits) if k == i]
        if today:  # real quotes of a chain too thin to select on
            real = self._real_chain(kind, i, expiry)
            assert real is not None
            vols[today] = [real.side(right).iv[real.index(float(strikes[n]))] for n in today]
        return vols

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
                         self.cfg.spreads, strikes, float(self.vix_atm[i]))

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

    def _real_chain(self, kind: Kind, i: int, expiry: dt.date, note: bool = True) -> OptionChain | None:
        """Return the (cached) real chain of ``kind``'s root for ``expiry`` on day ``i``, or None; ``note``: a chain
        the day's prices use (an anchor's gap solve on a past day reads it too: :meth:`note_snapshot` there)."""
        key = (kind, i, expiry)
        if key not in self._real_cache:
            assert self.real is not None
            rows = self.real.chain_rows(ROOT_OF_KIND[kind], i, expiry)
            self._real_cache[key] = None if rows is None else self._price_real(kind, i, expiry, rows)
        if note and self._real_cache[key] is not None:
            self.note_snapshot(i)
        return self._real_cache[key]

    def mark(self, contract: Contract, i: int) -> float:
        """Return the mid a position in ``contract`` is marked at on day ``i``'s close: its quote's
        (:meth:`quote`), but a real SPX quote of a file taken at another level than the close (an intraday
        snapshot) moved to the close (:meth:`_real_chain_at_close`). The quote itself, its fills and the
        day's strike selection stay the file's: they are what the file says traded then."""
        q = self.quote(contract, i)
        if self.real is None or contract.kind is not Kind.SPX_OPTION or self._origins.get((i, contract)) != REAL:
            return q.mid
        chain = self._real_chain_at_close(contract.kind, i, contract.expiry)
        assert chain is not None and contract.right is not None
        return float(chain.side(contract.right).mid[int(np.searchsorted(chain.strikes, contract.strike))])

    def option_origins(self, contract: Contract, first: int, stop: int) -> dict[int, int]:
        """Return how many of option ``contract``'s quotes on days ``first..stop - 1`` are REAL, ANCHORED and MODEL
        (:meth:`~feeds.market.Market.option_origin`, day by day; all MODEL on a market without real chains)."""
        if self.real is None:  # every option quote is the model's (_option_quote)
            return {MODEL: stop - first}
        counts = {REAL: 0, ANCHORED: 0, MODEL: 0}
        for i in range(first, stop):
            counts[self._origin_of(contract, i)] += 1
        return counts

    def _real_chain_at_close(self, kind: Kind, i: int, expiry: dt.date) -> OptionChain | None:
        """Return (cached) :meth:`_real_chain` at the day's close: moved there
        (:meth:`~feeds.anchoring.AnchoredQuotes._at_the_close`) where the file quoted SPX options at another level
        (an intraday snapshot), else itself; the anchoring's vol gaps read the file's own level (:meth:`_real_chain`)."""
        key = (kind, i, expiry, "close")
        if key not in self._real_cache:
            chain = self._real_chain(kind, i, expiry)
            close = float(self.data.spx_close[i])
            moved = chain is not None and kind is Kind.SPX_OPTION and abs(chain.underlying / close - 1.0) > AT_CLOSE
            self._real_cache[key] = self._at_the_close(chain, i) if moved else chain
        return self._real_cache[key]

    def _price_real(self, kind: Kind, i: int, expiry: dt.date, rows: np.ndarray) -> OptionChain:
        assert self.real is not None
        cfg, t, rate = self.cfg, self.t_years(i, expiry), float(self.short_rates[i])
        strikes = listed_strikes(self.real, rows)
        if kind is Kind.VIX_OPTION:
            fut, beta = self._vx_future(i, expiry)
            model = vix_chain(fut, beta, expiry, t, rate, cfg.vix_smile, cfg.spreads, strikes, float(self.vix_atm[i]))
            return real_chain(self.real, rows, model,
                              lambda v, k, c: pricing.black76_greeks(fut, k, t, rate, v, c),
                              lambda m, k, c: implied.implied_vol_black76(m, fut, k, t, rate, c))
        under = self.real.underlying[rows]  # the level the file quoted against (intraday for snapshots)
        spot = float(np.median(under[np.isfinite(under)])) if np.isfinite(under).any() else float(
            self.data.spx_close[i])
        vix, levels = self.quoted_levels(i)  # (the file's moment's: feeds.snapshot_level)
        model = spx_chain(spot, vix, expiry, t, rate, cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads, strikes,
                          levels)
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
        return self._anchored_quotes([contract], i, [hit])[0]

    def _anchored_quotes(self, contracts: list[Contract], i: int, hits: list[tuple[int, int]]
                         ) -> list[tuple[Quote, int]]:
        """The day-``i`` quotes and origins of ``contracts`` (one expiry and right) whose last real quote, ``hits``
        (day, row), came before day ``i``: anchored on it (:meth:`~feeds.anchoring.AnchoredQuotes._anchored`, priced
        together), labelled ANCHORED while the gap keeps ANCHOR_LABEL_FLOOR of its weight, MODEL after, and moved
        into strike order among the day's anchored quotes (greeks of its own vol)."""
        assert self.real is not None
        quotes = self._anchored(contracts, i, [k for k, _ in hits], [float(self.real.mid[row]) for _, row in hits])
        out = []
        for contract, (k, _), q in zip(contracts, hits, quotes):
            origin = ANCHORED if math.exp(-(i - k) / ANCHOR_TAU) >= ANCHOR_LABEL_FLOOR else MODEL
            if origin == ANCHORED:
                self.note_snapshot(k)
            mid = self._strike_order_fixes(contract, i).get(contract.strike) if origin == ANCHORED else None
            if mid is not None:
                bid, ask = self._anchored_bid_ask(contract.kind, mid)
                q = dataclasses.replace(q, bid=bid, ask=ask, mid=mid)
            out.append((q, origin))
        return out

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
