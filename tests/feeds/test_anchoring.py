"""feeds.anchoring: the vol gaps of one real day solved together equal those solved one contract at a time.

Trial finding (quoteperf, 2026-12-03): a 2019-2022 real-data run spent 24 of its 55 profiled seconds solving
~2,200 one-element implied vols, one per anchored contract (MarketQuotes.vol_gap through anchor_gap). The first gap
asked of a real day now solves every strike the files quote that day for that expiry and right in one pass
(AnchoredQuotes.day_vol_gaps). The numbers must agree bit for bit (``==``, not approx) with the per-contract path
(AnchoredQuotes.vol_gap), and so must every quote priced from them. Code review: the two repeated the gap arithmetic;
both now call one array helper (AnchoredQuotes._vol_gaps_of, vol_gap with one strike), equal by construction; the
reference kept here (:func:`_reference_gap`) is vol_gap's scalar arithmetic as it was before.

Quotes: a generic file written here, SPX 2018-02-16 and VIX 2018-02-14 options on the embedded market's
2018-01-02 and 2018-01-04, priced by vixhedge.core.pricing at vols off the model's (so the gaps are not 0), the
3000P's mid typed below its intrinsic value (a gap of 0) and the 3000C's mid typed dearer than the 2975C's (a pair
out of strike order: feeds.strikeorder moves them). Both at the chain's end: the loader leaves out a quote out of
strike order between two neighbours that agree (feeds.loaders.options; the 2900P and 2900C typed so until session 13).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from feeds.chains import spx_chain
from feeds.embedded import load_embedded
from feeds.loaders.options import OptionQuotes, load_generic
from feeds.market import Market
from feeds.realquotes import FILE_IV_RANGE
from vixhedge.core import implied, pricing
from vixhedge.core.config import MarketConfig
from vixhedge.core.instruments import Contract, Kind, Right

D = dt.date
SPX_EXP, VIX_EXP = D(2018, 2, 16), D(2018, 2, 14)
REAL_DAYS = (D(2018, 1, 2), D(2018, 1, 4))
SPX_STRIKES = np.arange(2300.0, 3001.0, 25.0)
VIX_STRIKES = np.arange(10.0, 25.0, 1.0)
CFG = MarketConfig()  # the calibrated defaults: the surface smile a run prices with
COLUMNS = {"quote_date": "date", "expiration": "expiry", "strike": "k", "right": "cp", "bid": "b", "ask": "a"}


def _rows(m: Market) -> tuple[list[str], list[str]]:
    spx, vix = [], []
    for n, day in enumerate(REAL_DAYS):
        i = m.index_of(day)
        s, rate = float(m.data.spx_close[i]), float(m.short_rates[i])
        fut = float(m.vx.prices[i, m.vx.column(VIX_EXP)])
        for right in ("C", "P"):
            t = (SPX_EXP - day).days / 365.0
            vols = 0.13 + 0.0004 * (2700.0 - SPX_STRIKES) / 25.0 + 0.01 * n
            price = pricing.bsm_price(s, SPX_STRIKES, t, rate, CFG.div_yield, vols, right == "C")
            for k, p in zip(SPX_STRIKES.tolist(), price.tolist()):
                p = {(3000.0, "P"): 250.0, (3000.0, "C"): 1.6}.get((k, right), p)  # below intrinsic; out of order
                spx.append(f"{day},{SPX_EXP},{k:g},{right},{max(p - 0.1, 0.05):.2f},{p + 0.1:.2f}")
            t = (VIX_EXP - day).days / 365.0
            price = pricing.black76_price(fut, VIX_STRIKES, t, rate, 0.9 + 0.02 * n, right == "C")
            vix += [f"{day},{VIX_EXP},{k:g},{right},{max(p - 0.05, 0.05):.2f},{p + 0.05:.2f}"
                    for k, p in zip(VIX_STRIKES.tolist(), price.tolist())]
    return spx, vix


def _market(tmp_path: Path) -> Market:
    bare = Market(load_embedded(), CFG)
    files = []
    for root, rows in zip(("SPX", "VIX"), _rows(bare)):
        path = tmp_path / f"{root}.csv"
        path.write_text("date,expiry,k,cp,b,a\n" + "\n".join(rows) + "\n", encoding="utf-8")
        files.append(load_generic(path, COLUMNS, root=root))
    return Market(load_embedded(), CFG, options=OptionQuotes.concat(files))


def _contracts() -> list[Contract]:
    return [Contract(kind, exp, k, right) for kind, exp, strikes in (
        (Kind.SPX_OPTION, SPX_EXP, SPX_STRIKES), (Kind.VIX_OPTION, VIX_EXP, VIX_STRIKES))
        for k in strikes.tolist() for right in (Right.CALL, Right.PUT)]


def _reference_gap(m: Market, contract: Contract, k: int, real_mid: float) -> float:
    """AnchoredQuotes.vol_gap as it was before it shared day_vol_gaps' array helper: scalar solves, the model's vol
    of the one strike, 0 outside FILE_IV_RANGE (NaN too) before any model chain is priced."""
    is_call, t, rate = contract.right is Right.CALL, m.t_years(k, contract.expiry), float(m.short_rates[k])
    if contract.kind is not Kind.SPX_OPTION:
        fut = m._vx_future(k, contract.expiry)[0]
        iv = float(implied.implied_vol_black76(real_mid, fut, contract.strike, t, rate, is_call))
        return iv - m._model_vol(contract, k) if FILE_IV_RANGE[0] <= iv <= FILE_IV_RANGE[1] else 0.0
    cfg, real = m.cfg, m._real_chain(contract.kind, k, contract.expiry)
    spot = float(m.data.spx_close[k]) if real is None else real.underlying
    iv = float(implied.implied_vol_bsm(real_mid, spot, contract.strike, t, rate, cfg.div_yield, is_call))
    if not FILE_IV_RANGE[0] <= iv <= FILE_IV_RANGE[1]:
        return 0.0
    model = spx_chain(spot, float(m.data.vix_close[k]), contract.expiry, t, rate, cfg.div_yield, cfg.spx_smile,
                      cfg.vx_curve, cfg.spreads, np.array([contract.strike]), m.day_levels(k))
    return iv - float(model.side(contract.right).iv[0])


def test_a_days_vol_gaps_together_equal_each_alone(tmp_path: Path) -> None:
    together, alone = _market(tmp_path), _market(tmp_path)
    assert together.real is not None
    zero = 0
    for kind, exp in ((Kind.SPX_OPTION, SPX_EXP), (Kind.VIX_OPTION, VIX_EXP)):
        for day in REAL_DAYS:
            k = together.index_of(day)
            for right in (Right.CALL, Right.PUT):
                gaps = together.day_vol_gaps(kind, exp, right, k)
                strikes = SPX_STRIKES if kind is Kind.SPX_OPTION else VIX_STRIKES
                assert sorted(c.strike for c in gaps) == strikes.tolist()
                for c, gap in gaps.items():
                    hit = together.real.last_real("SPX" if kind is Kind.SPX_OPTION else "VIX", exp, c.strike,
                                                  right.value, k)
                    assert hit is not None and hit[0] == k
                    mid = float(together.real.mid[hit[1]])
                    assert gap == alone.vol_gap(c, k, mid) == _reference_gap(alone, c, k, mid), (c, day)
                    zero += gap == 0.0
    assert zero == 2  # the 3000P below its intrinsic value, on each real day; every other gap is not 0


def test_quotes_from_the_batched_gaps_equal_the_per_contract_path(tmp_path: Path) -> None:
    """Every contract on every day from the first real day to the expiries (real, anchored, moved into strike
    order, modelled): the same Quote, float for float, and the same origin, with the day's gaps solved together
    as without (day_vol_gaps answering nothing sends each gap to vol_gap alone)."""
    batched, single = _market(tmp_path), _market(tmp_path)
    single.day_vol_gaps = lambda *args: {}  # the per-contract path of before
    alone = {"batched": 0, "single": 0}
    for name, m in (("batched", batched), ("single", single)):
        def counted(c, k, mid, m=m, name=name, solve=m.vol_gap):
            alone[name] += 1
            return solve(c, k, mid)
        m.vol_gap = counted
    moved = anchored = 0
    for i in range(batched.index_of(REAL_DAYS[0]), batched.index_of(VIX_EXP) + 1):
        for c in _contracts():
            assert batched.quote(c, i) == single.quote(c, i), (c, batched.days[i])
            assert batched.option_origin(c, i) == single.option_origin(c, i)
            anchored += batched.option_origin(c, i) == "anchored"
    for key, fixes in batched._order_fixes.items():
        assert single._order_fixes[key] == fixes
        moved += len(fixes)
    assert anchored > 1000 and moved >= 2
    assert alone == {"batched": 0, "single": len(single._vol_gaps)} and len(batched._vol_gaps) == alone["single"]


@pytest.mark.parametrize("kind", [Kind.SPX_OPTION, Kind.VIX_OPTION])
def test_no_real_quote_that_day_no_gaps(tmp_path: Path, kind: Kind) -> None:
    m = _market(tmp_path)
    exp = SPX_EXP if kind is Kind.SPX_OPTION else VIX_EXP
    assert m.day_vol_gaps(kind, exp, Right.PUT, m.index_of(D(2018, 1, 3))) == {}


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------


def test_an_anchored_vol_is_floored_at_the_file_iv_range() -> None:
    """MUT23 (the floor at FILE_IV_RANGE[0] in AnchoredQuotes._anchored_vols removed survived): a model vol 0.10 with a
    gap of -0.30 one session on decays to 0.10 - 0.30 e^(-1/13) = -0.178 (by hand), floored at 0.01 (the method's
    docstring; feeds.marketquotes: "floored at FILE_IV_RANGE[0]")."""
    from feeds.anchoring import AnchoredQuotes

    assert FILE_IV_RANGE[0] == 0.01
    assert 0.10 - 0.30 * np.exp(-1 / 13) == pytest.approx(-0.1778, abs=1e-4)
    np.testing.assert_array_equal(AnchoredQuotes._anchored_vols(10, np.array([0.10]), np.array([-0.30]), [9]), [0.01])
    # unfloored where the sum is above it: 0.20 - 0.05 e^(-1/13) = 0.15370
    assert AnchoredQuotes._anchored_vols(10, [0.20], [-0.05], [9])[0] == pytest.approx(0.20 - 0.05 * np.exp(-1 / 13))


@pytest.mark.realdata
def test_a_real_quote_that_implies_no_vol_is_marked_at_the_close_by_its_delta(shared_data: Path) -> None:
    """MUT23 (the ``gaps == 0`` branch of AnchoredQuotes._at_the_close replaced by the anchored price survived): on an
    intraday snapshot day a real quote whose mid implies no vol in FILE_IV_RANGE is marked moved to the close by its
    delta (the code comment: a 2315 call marked 624.91 for a 1-cent move before the fix). 2019-05-01: the file's SPX
    2946.73 (underlying_last of SPX_20190501.csv.gz), the close 2923.73 (spx_index_daily). SPX190517C02315000 in that
    file: bid 628.6, ask 632.2 (mid 630.40, below its intrinsic 2946.73 - 2315 = 631.73: no implied vol), impliedvol
    0.3981, delta 0.9974 (the chain keeps the file's delta: its iv is plausible and BSM at 0.3981 agrees within 0.05).
    Mark = 630.40 + 0.9974 x (2923.73 - 2946.73) = 630.40 - 22.9402 = 607.4598 (by hand)."""
    from feeds.market import build_market
    from vixhedge.core.config import MarketSource

    m = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    i = m.index_of(D(2019, 5, 1))
    assert m.data.spx_close[i] == 2923.73
    c = Contract(Kind.SPX_OPTION, D(2019, 5, 17), 2315.0, Right.CALL)
    q = m.quote(c, i)
    assert (q.bid, q.ask, q.delta) == (628.6, 632.2, 0.9974) and m.option_origin(c, i) == "real"
    assert m.vol_gap(c, i, 630.40) == 0.0
    assert m.mark(c, i) == pytest.approx(607.4598, abs=1e-9)


def test_a_vix_option_mid_implying_a_vol_above_the_file_iv_range_has_no_gap(tmp_path: Path) -> None:
    """MUT23 (the upper bound FILE_IV_RANGE[1] of the VIX option gaps in AnchoredQuotes._vol_gaps_of dropped
    survived): "0 where the real mid implies no vol in FILE_IV_RANGE" (vol_gap's docstring). The 2018-02-14 24 call
    on 2018-01-02 at a mid of 3.00 implies (Black-76 on the day's VX Feb future, 11.16 on the embedded market) a vol
    of 3.61, above 3.0: its gap is 0; a mid of 1.00 (2.23) has one."""
    m = _market(tmp_path)
    k = m.index_of(REAL_DAYS[0])
    c = Contract(Kind.VIX_OPTION, VIX_EXP, 24.0, Right.CALL)
    fut, t = m._vx_future(k, VIX_EXP)[0], m.t_years(k, VIX_EXP)
    iv = float(implied.implied_vol_black76(3.00, fut, 24.0, t, float(m.short_rates[k]), True))
    assert FILE_IV_RANGE[1] == 3.0 and 3.0 < iv < 10.0
    assert m.vol_gap(c, k, 3.00) == 0.0
    assert m.vol_gap(c, k, 1.00) != 0.0  # (a mid inside the range has one)


def test_a_strike_real_today_is_no_fixed_point_of_the_anchored_strike_order(tmp_path: Path) -> None:
    """MUT23 (``hit[0] < i`` -> ``<=`` in AnchoredQuotes._order_anchored survived): the strike-order pass runs over the
    day's anchored quotes only; "the day's real quotes ... are left as the files give them and are not fixed points"
    (its docstring). The 2018-02-16 2900C and 2950C quoted on 2018-01-02 (mids 1.00, 1.40), the 2950C again on
    2018-01-03 (mid 1.40): on 01-03 the 2900C is the only anchored quote of that expiry and right, so nothing is
    moved and it quotes its own anchored price (AnchoredQuotes._anchored)."""
    path = tmp_path / "eod.csv"
    path.write_text("date,expiry,k,cp,b,a\n2018-01-02,2018-02-16,2900,C,0.90,1.10\n"
                    "2018-01-02,2018-02-16,2950,C,1.30,1.50\n2018-01-03,2018-02-16,2950,C,1.30,1.50\n",
                    encoding="utf-8")
    m = Market(load_embedded(), CFG, options=load_generic(path, COLUMNS, root="SPX"))
    k, i = m.index_of(REAL_DAYS[0]), m.index_of(D(2018, 1, 3))
    low = Contract(Kind.SPX_OPTION, SPX_EXP, 2900.0, Right.CALL)
    assert m._order_anchored(low, i) == {}
    assert m.quote(low, i) == m._anchored([low], i, [k], [1.00])[0]
    assert m.option_origin(low, i) == "anchored"


def test_a_real_bid_moved_to_the_close_stays_at_or_above_zero(tmp_path: Path) -> None:
    """MUT23 (the floor at 0 of the moved bid in AnchoredQuotes._at_the_close dropped survived): a real quote taken at
    another SPX level than the close is moved to the close with "its real bid / ask width kept around that mid (the
    bid not below 0)" (its docstring). A file quoting the 2018-02-16 3300C at bid 0 / ask 0.05 (mid 0.025, half-width
    0.025) with SPX at 2750.00, on 2018-01-02 (close 2695.81, 2% lower): the call's moved mid is below 0.025, so
    mid - 0.025 < 0 and the bid is 0; the ask keeps the half-width above the mid."""
    path = tmp_path / "snap.csv"
    path.write_text("date,expiry,k,cp,b,a,u\n2018-01-02,2018-02-16,3300,C,0.00,0.05,2750.00\n", encoding="utf-8")
    m = Market(load_embedded(), CFG, options=load_generic(path, {**COLUMNS, "underlying": "u"}, root="SPX"))
    i = m.index_of(REAL_DAYS[0])
    assert m.data.spx_close[i] == pytest.approx(2695.81, abs=1e-4)
    chain = m._real_chain_at_close(Kind.SPX_OPTION, i, SPX_EXP)
    j = chain.index(3300.0)
    mid, bid, ask = chain.call.mid[j], chain.call.bid[j], chain.call.ask[j]
    assert 0.0 < mid < 0.025 and bid == 0.0 and ask == pytest.approx(mid + 0.025, abs=1e-12)
    assert chain.underlying == m.data.spx_close[i]
    assert m.mark(Contract(Kind.SPX_OPTION, SPX_EXP, 3300.0, Right.CALL), i) == mid
