"""Anchored option quotes: a contract without a real quote today, priced at the model's vol plus its last real
implied-vol gap, decayed (the ``ANCHORED`` rule of :mod:`feeds.marketquotes`), and the day's anchored quotes of one
expiry and right put in strike order (:mod:`feeds.strikeorder`).

A mixin of :class:`feeds.marketquotes.MarketQuotes` (it reads the Market's data, models, real quotes and caches).
The vol gaps of one real day are solved together: :meth:`AnchoredQuotes.anchor_gap` solves, on the first one asked, those
of every strike the files quote for that expiry and right on that day in one vectorised pass
(:meth:`AnchoredQuotes.day_vol_gaps`); :meth:`AnchoredQuotes.vol_gap` (one strike) runs the same array arithmetic
on one element (a 2019-2022 real-data run solved ~2,200 one-element implied vols one by one: 24 of its 55 profiled
seconds).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np

from feeds.chains import OptionChain, Side, make_quote, spx_chain
from feeds.datanotes import note_once
from feeds.realquotes import FILE_IV_RANGE, ROOT_OF_KIND
from feeds.snapshot_level import snapshot_levels
from feeds.strikeorder import ORDER_TOLERANCE, strike_ordered
from vixhedge.core import implied, pricing
from vixhedge.core.instruments import Contract, Kind, Quote, Right

#: Sessions over which an anchored quote's implied-vol gap to the model (real minus model, on the last real day)
#: decays by a factor e (MarketQuotes._anchored). An assumption, stated: on the five 2019 SPX snapshot days the gap of
#: 841 contracts (|delta| 0.05-0.5, real on all five) regressed on its value j sessions earlier keeps slopes 1.00,
#: 1.00, 0.99, 1.01 (j = 1..4; ``python -m feeds.anchor_measure --data-dir ../shared/data``): exp(-j / tau) fitted
#: gives tau = 947 (179 before session 17's surface refit), which four sessions cannot pin, for a fixed strike whose
#: moneyness drifts. The 13 fitted before session 16 (slopes 0.94 .. 0.51) read the intraday snapshots against the
#: close's vol indices, whose move decayed as noise (feeds.snapshot_level); it is kept as the conservative choice: a
#: gap fades over ~40 sessions, not ~2,800.
ANCHOR_TAU = 13.0
#: the run's note the first time a file away from the close is priced at its own vol indices (review 16b)
SNAPSHOT_NOTE = ("SPX option files quoted away from the close (intraday snapshots): the model is priced there at the vol "
                 "indices Cboe's formula reads from their quotes (feeds/snapshot_level.py, within 0.05 of the published "
                 "ones on the 2019 files taken at the close); a chain whose wings are cut reads them low")
#: an anchored quote is labelled (provenance) anchored while the real gap keeps this weight, modelled after (its
#: price unchanged: the model's vol plus a gap under 5% of the real one, from ~3 x ANCHOR_TAU = 39 sessions on)
ANCHOR_LABEL_FLOOR = 0.05


class AnchoredQuotes:
    """Anchored quotes and their vol gaps (a mixin of :class:`feeds.marketquotes.MarketQuotes`)."""

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
        gaps = np.array([self.anchor_gap(Contract(kind, expiry, k, right), day, float(self.real.mid[row]))
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

    @staticmethod
    def _anchored_vols(i: int, model_vols: np.ndarray, gaps, days: list[int]) -> np.ndarray:
        """The vols of day ``i``'s anchored quotes: ``model_vols + gaps x exp(-(i - day) / ANCHOR_TAU)``, floored at
        ``FILE_IV_RANGE[0]`` (each on its last real day in ``days``)."""
        decay = np.array([math.exp(-(i - k) / ANCHOR_TAU) for k in days])
        return np.maximum(np.asarray(model_vols, dtype=np.float64) + np.asarray(gaps) * decay, FILE_IV_RANGE[0])

    def _anchored_greeks(self, kind: Kind, expiry: dt.date, right: Right, i: int, strikes: np.ndarray,
                         model_vols: np.ndarray, gaps: np.ndarray, days: list[int]) -> pricing.Greeks:
        """Price and greeks on day ``i`` of options of one expiry and right anchored on their real days ``days``:
        at ``vol = model_vols + gaps x exp(-(i - day) / ANCHOR_TAU)``, floored at ``FILE_IV_RANGE[0]``
        (Black-Scholes-Merton at the day's SPX close, Black-76 on the same-expiry VX future)."""
        vols = self._anchored_vols(i, model_vols, gaps, days)
        is_call, t, rate = right is Right.CALL, self.t_years(i, expiry), float(self.short_rates[i])
        if kind is Kind.SPX_OPTION:
            return pricing.bsm_greeks(float(self.data.spx_close[i]), strikes, t, rate, self.cfg.div_yield, vols,
                                      is_call)
        return pricing.black76_greeks(self._vx_future(i, expiry)[0], strikes, t, rate, vols, is_call)

    def _anchored(self, contracts: list[Contract], i: int, days: list[int], real_mids: list[float]) -> list[Quote]:
        """The quotes of day ``i`` of ``contracts`` (one expiry and right), each anchored in implied vol on its last
        real day ``days[j]`` (see the module docstring), priced together: one contract's quote is the same numbers
        alone or among others (element-wise array arithmetic; tests/feeds/test_market_realdata.py)."""
        c0 = contracts[0]
        assert c0.right is not None
        nows = [self._cached_model_quote(c, i) for c in contracts]  # first: an off-grid strike's model vol reads
        # its chain
        g = self._anchored_greeks(c0.kind, c0.expiry, c0.right, i, np.array([c.strike for c in contracts]),
                                  np.array([self._model_vol(c, i) for c in contracts]),
                                  np.array([self.anchor_gap(c, k, m) for c, k, m in zip(contracts, days, real_mids)]),
                                  days)
        beta = None if c0.kind is Kind.SPX_OPTION else self._vx_future(i, c0.expiry)[1]  # VIX: delta x dF/dVIX
        out = []
        for j, now in enumerate(nows):
            mid = float(g.price[j])
            bid, ask = self._anchored_bid_ask(c0.kind, mid)
            out.append(Quote(bid=bid, ask=ask, mid=mid, delta=float(g.delta[j]), gamma=float(g.gamma[j]),
                             vega=float(g.vega[j]), theta=float(g.theta[j]),
                             vix_beta=now.vix_beta if beta is None else float(g.delta[j]) * beta))
        return out

    def _at_the_close(self, chain: OptionChain, i: int) -> OptionChain:
        """Return day ``i``'s real SPX ``chain``, quoted at the file's intraday level, moved to the day's close as the
        next day's anchored quote would price it, at weight 1: each quote at the model's vol at the close plus its
        real-minus-model vol gap at the file's level (:meth:`_vol_gaps_of`, :meth:`_anchored_greeks`), its real bid /
        ask width kept around that mid (the bid not below 0), greeks at the close. The 2019 snapshots are intraday
        (SPX 2946.73 in the 2019-05-01 file against a 2923.73 close): marked as quoted, a condor held into the next
        day booked the day's move a day late (window-edge trial, session 13: its 3005 call 20.25 -> 10.75 on a flat
        day, the day's P&L 4.7x the median |day|)."""
        cfg, close, rate = self.cfg, float(self.data.spx_close[i]), float(self.short_rates[i])
        model = spx_chain(close, float(self.data.vix_close[i]), chain.expiry, chain.t_years, rate, cfg.div_yield,
                          cfg.spx_smile, cfg.vx_curve, cfg.spreads, chain.strikes, self.day_levels(i))
        sides = []
        for right in (Right.CALL, Right.PUT):
            side, quoted = chain.side(right), np.isfinite(chain.side(right).mid)
            strikes, model_vols = chain.strikes[quoted], model.side(right).iv[quoted]
            gaps = self._vol_gaps_of(Kind.SPX_OPTION, chain.expiry, right, i, strikes, side.mid[quoted])
            g = self._anchored_greeks(Kind.SPX_OPTION, chain.expiry, right, i, strikes, model_vols, gaps,
                                      [i] * len(strikes))
            out = {f: getattr(side, f).copy() for f in ("bid", "ask", "mid", "iv", "delta", "gamma", "vega", "theta")}
            half = (side.ask[quoted] - side.bid[quoted]) / 2.0
            # a mid that implies no vol (gap 0: deep in the money, at or below intrinsic) moves by its delta, not to
            # the model's price (review of session 13: a 2315 call 623.1 was marked 624.91 for a 1-cent move)
            mid = np.where(gaps == 0.0, side.mid[quoted] + side.delta[quoted] * (close - chain.underlying), g.price)
            out["mid"][quoted], out["ask"][quoted] = mid, mid + half
            out["bid"][quoted] = np.maximum(mid - half, 0.0)
            out["iv"][quoted] = np.maximum(model_vols + gaps, FILE_IV_RANGE[0])
            for f in ("delta", "gamma", "vega", "theta"):
                out[f][quoted] = getattr(g, f)
            sides.append(Side(**out))
        return dataclasses.replace(chain, underlying=close, forward=model.forward, call=sides[0], put=sides[1])

    def quoted_levels(self, k: int) -> tuple[float, np.ndarray]:
        """Day ``k``'s VIX and vol index levels (:meth:`day_levels`) at the moment its SPX option files quoted: the
        close's, or on a snapshot day away from the close the snapshot's own
        (:func:`feeds.snapshot_level.snapshot_levels`, computed once a day on the first ask)."""
        if k not in self._quote_levels:
            self._quote_levels[k] = None if self.real is None else snapshot_levels(
                self.real, k, self.days[k], float(self.short_rates[k]), float(self.data.spx_close[k]),
                self.day_levels(k))
        levels = self._quote_levels[k]
        return (float(self.data.vix_close[k]), self.day_levels(k)) if levels is None else (float(levels[1]), levels)

    def note_snapshot(self, k: int) -> None:
        """The run's note (:data:`SNAPSHOT_NOTE`, once per market) where a price it uses reads day ``k``'s file quoted
        away from the close: a real quote of that day, or one anchored on it while the gap keeps
        ``ANCHOR_LABEL_FLOOR`` of its weight (trial RS29: a 2020 run noted the 2019 snapshots its condor's strikes
        were last quoted in, ~200 sessions before, at a weight of e^(-200/13): not a price it moved)."""
        if self._quote_levels.get(k) is not None:
            note_once(self, SNAPSHOT_NOTE)

    def _anchored_bid_ask(self, kind: Kind, mid: float) -> tuple[float, float]:
        s = self.cfg.spreads
        if kind is Kind.SPX_OPTION:
            return make_quote(mid, s.spx_option_fraction, s.spx_option_min, s.spx_option_max, s.spx_option_power)
        return make_quote(mid, s.vix_option_fraction, s.vix_option_min, s.vix_option_max, s.vix_option_power)

    def anchor_gap(self, contract: Contract, k: int, real_mid: float) -> float:
        """Return :meth:`vol_gap` of ``contract`` on its real day ``k`` (``real_mid``: the files' mid of that day),
        cached per contract and real day: every later day of its anchor reads it. The first one asked of a day
        solves the day's whole expiry and right (:meth:`day_vol_gaps`); a strike that batch does not name (a
        caller's own float for a listed strike) is solved alone."""
        key = (contract, k)
        gap = self._vol_gaps.get(key)
        if gap is None:
            assert contract.right is not None
            self._vol_gaps.update(((c, k), g) for c, g in self.day_vol_gaps(contract.kind, contract.expiry,
                                                                            contract.right, k).items()
                                  if (c, k) not in self._vol_gaps)
            gap = self._vol_gaps.get(key)
        if gap is None:
            gap = self._vol_gaps[key] = self.vol_gap(contract, k, real_mid)
        return gap

    def day_vol_gaps(self, kind: Kind, expiry: dt.date, right: Right, k: int) -> dict[Contract, float]:
        """Return :meth:`vol_gap` of every contract of ``kind``'s root, ``expiry`` and ``right`` the files quote on
        day ``k`` (at the files' mid), solved together by :meth:`_vol_gaps_of` (one implied-vol solve and one model
        chain for all strikes), which :meth:`vol_gap` calls with its one strike: the same numbers by construction
        (tests/feeds/test_anchoring.py holds them bit for bit). Empty when the files quote none."""
        assert self.real is not None
        book = self.real
        rows = book.chain_rows(ROOT_OF_KIND[kind], k, expiry)
        if rows is None:
            return {}
        is_call, strike = right is Right.CALL, book.strike[rows]
        with np.errstate(invalid="ignore"):
            rows = rows[(book.is_call[rows] == is_call) & np.isfinite(strike) & (strike > 0)]  # a Contract's strike
        if len(rows) == 0:
            return {}
        strikes, mids = book.strike[rows], book.mid[rows]
        gaps = self._vol_gaps_of(kind, expiry, right, k, strikes, mids)
        return {Contract(kind, expiry, s, right): g for s, g in zip(strikes.tolist(), gaps.tolist())}

    def vol_gap(self, contract: Contract, k: int, real_mid: float) -> float:
        """Return ``IV_real(k) - IV_model(k)`` of ``contract`` on its real day ``k``; 0 where the real mid implies
        no vol in ``FILE_IV_RANGE`` (at or below intrinsic value: no vega to carry a price difference by)."""
        assert contract.strike is not None and contract.right is not None
        return float(self._vol_gaps_of(contract.kind, contract.expiry, contract.right, k,
                                       np.array([contract.strike], dtype=np.float64),
                                       np.array([real_mid], dtype=np.float64))[0])

    def _vol_gaps_of(self, kind: Kind, expiry: dt.date, right: Right, k: int, strikes: np.ndarray,
                     mids: np.ndarray) -> np.ndarray:
        """The gaps ``IV_real(k) - IV_model(k)`` of the options of one expiry and right on real day ``k`` at
        ``strikes`` whose real mids are ``mids``: one implied-vol solve and one model chain for all of them (both
        element by element: a strike's gap is the same number alone or among others); 0 where the real mid implies
        no vol in ``FILE_IV_RANGE`` (NaN too)."""
        lo, hi = FILE_IV_RANGE
        is_call, t, rate = right is Right.CALL, self.t_years(k, expiry), float(self.short_rates[k])
        gaps = np.zeros(len(strikes))
        if kind is not Kind.SPX_OPTION:
            fut = self._vx_future(k, expiry)[0]
            ivs = np.atleast_1d(implied.implied_vol_black76(mids, fut, strikes, t, rate, is_call))
            ok = (ivs >= lo) & (ivs <= hi)
            gaps[ok] = [iv - self._model_vol(Contract(kind, expiry, s, right), k)
                        for iv, s in zip(ivs[ok].tolist(), strikes[ok].tolist())]
            return gaps
        cfg, real = self.cfg, self._real_chain(kind, k, expiry, note=False)
        spot = float(self.data.spx_close[k]) if real is None else real.underlying  # the level the file quoted at
        ivs = np.atleast_1d(implied.implied_vol_bsm(mids, spot, strikes, t, rate, cfg.div_yield, is_call))
        ok = (ivs >= lo) & (ivs <= hi)
        if not ok.any():  # no gap to take: no model chain to price
            return gaps
        # the model's vol at that same level (an intraday snapshot's SPX, not the close): the gap is the real
        # quote's premium over the model in one market state, as feeds.realquotes.real_chain compares them
        vix, levels = self.quoted_levels(k)
        model = spx_chain(spot, vix, expiry, t, rate, cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads,
                          strikes, levels).side(right).iv
        gaps[ok] = ivs[ok] - np.asarray(model, dtype=np.float64)[ok]
        return gaps
