"""feeds.snapshot_level: the vol levels a snapshot of SPX quotes was taken at, by Cboe's index formula.

Synthetic chains first: on Black-Scholes prices at one flat vol, Cboe's VIX formula and the at-the-money vol both
return that vol (the formula up to its strike discretisation, Cboe "VIX White Paper"), with a dividend yield too
(review 16: the ATM vol read it off by up to 0.7 points); then the 2019 sample against Cboe's published indices.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import snapshot_level as S
from vixhedge.core import pricing


def _flat_chain(vol: float, t: float, q: float = 0.0, rate: float = 0.02, spot: float = 2900.0, step: float = 5.0):
    strikes = np.arange(0.4 * spot, 1.6 * spot + step, step)
    k = np.concatenate([strikes, strikes])
    call = np.concatenate([np.ones(len(strikes), bool), np.zeros(len(strikes), bool)])
    px = np.array([float(pricing.bsm_price(spot, kk, t, rate, q, vol, bool(c))) for kk, c in zip(k, call)])
    return k, call, px, px, t, rate  # bid = ask = the price (a quote with no width)


@pytest.mark.parametrize("vol, days, q", [(0.15, 28, 0.0), (0.30, 35, 0.0), (0.12, 28, 0.02), (0.12, 32, 0.02)])
def test_on_one_flat_vol_both_estimators_return_it(vol, days, q) -> None:
    chain = _flat_chain(vol, days / 365.0, q)
    assert S.term_variance(*chain) == pytest.approx(vol ** 2, rel=0.01)  # 5-point strikes
    assert S.atm_variance(*chain) == pytest.approx(vol ** 2, rel=1e-4)  # on the parity forward: q is in it


def test_horizons_interpolate_in_total_variance() -> None:
    """Two expiries at 0.04 and 0.09 variance, 23 and 37 days: 30 days sits halfway, so the total variance is the
    mean of 23 x 0.04 and 37 x 0.09 (in days / 365) and the level 100 sqrt(that / (30 / 365))."""
    t1, t2 = 23 / 365, 37 / 365
    want = 100 * math.sqrt((t1 * 0.04 + t2 * 0.09) / 2 / (30 / 365))
    assert S.horizon_level([(t1, 0.04), (t2, 0.09)], 30 / 365) == pytest.approx(want, rel=1e-12)
    assert S.horizon_level([(t1, 0.04)], 30 / 365) is None and S.horizon_level([], 9 / 365) is None


def test_horizons_off_the_midpoint_weigh_the_nearer_expiry_more() -> None:
    """Trial MUT2 (S10): the midpoint case above cannot tell the two weights apart. 23 and 44 days at 0.04 and 0.09,
    30 days: total variance (23 x 0.04 x 14 + 44 x 0.09 x 7) / 21 / 365 = 1.93333 / 365, level 100 sqrt(1.93333 /
    30) = 25.38591 (Cboe VIX white paper, step 3, by hand)."""
    assert S.horizon_level([(23 / 365, 0.04), (44 / 365, 0.09)], 30 / 365) == pytest.approx(25.38591, abs=1e-5)


def test_the_forward_carries_the_parity_difference_at_the_rate() -> None:
    """Trial MUT2 (S7): F = K* + e^(RT) (C - P) at the strike where |C - P| is least (white paper, step 1): K* 100,
    C - P = 10, R 5%, T 1 year: 100 + e^0.05 x 10 = 110.51271 (the mutant without e^(RT): 110)."""
    calls, puts = {90.0: (24.9, 25.1), 100.0: (11.9, 12.1)}, {90.0: (0.9, 1.1), 100.0: (1.9, 2.1)}
    forward, both = S._forward(calls, puts, 1.0, 0.05)
    assert forward == pytest.approx(110.51271, abs=1e-5) and both == [90.0, 100.0]


def test_the_variance_of_a_small_chain_by_hand() -> None:
    """Trial MUT2 (S8, S9, S11): the formula's steps were caught only by the realdata test. A chain of strikes 80..110
    (r = 0, T = 0.1), by hand with the white paper's rules: K* = 100 (|C - P| = 1 the least), F = 101, K0 = 100; the 85
    put (a zero bid) is skipped and the 80 put (bid 0.05 after one zero) kept; Q(K0) the mean of the two mids, 2.5;
    dK at the edges the one neighbour's distance (80: 10, 110: 5), else half the two. Sum of dK / K^2 x Q =
    0.00015625 + 0.00046296 + 0.00055402 + 0.00125 + 0.00022676 + 0.00008264 = 0.00273263158, so sigma^2 =
    2 / 0.1 x that - (101 / 100 - 1)^2 / 0.1 = 0.0536526316."""
    k = np.array([80, 85, 90, 95, 100, 105, 110], dtype=float)
    put_bid, put_ask = [0.05, 0.0, 0.45, 0.95, 1.95, 4.4, 8.9], [0.15, 0.10, 0.55, 1.05, 2.05, 4.6, 9.1]
    call_bid, call_ask = [20.8, 15.9, 10.9, 6.4, 2.95, 0.45, 0.15], [21.2, 16.1, 11.1, 6.6, 3.05, 0.55, 0.25]
    strikes = np.concatenate([k, k])
    is_call = np.concatenate([np.ones(7, bool), np.zeros(7, bool)])
    bid, ask = np.array(call_bid + put_bid), np.array(call_ask + put_ask)
    assert S.term_variance(strikes, is_call, bid, ask, 0.1, 0.0) == pytest.approx(0.0536526316, abs=1e-10)


def test_a_chain_without_two_strikes_quoting_both_rights_has_no_level() -> None:
    k = np.array([2900.0, 2950.0])
    assert S.term_variance(k, np.array([True, False]), np.array([10.0, 12.0]), np.array([11.0, 13.0]), 0.08,
                           0.02) is None


@pytest.mark.realdata
def test_the_2019_snapshots_reproduce_cboes_indices_and_price_their_own_day(shared_data: Path) -> None:
    """On the snapshots taken at the close (04-26, 04-29: the file's SPX is the close) the formula is Cboe's
    published VIX9D, VIX, VIX3M, VIX6M and VIX1Y within 0.05 (cboe_volatility_indices, the wide file's closes);
    on 05-01 (intraday, an FOMC day: VIX low 12.74, close 14.80) it reads VIX 13.34, and the Market prices that
    day's model there (Market.quoted_levels), SKEW the close's; a day without a snapshot keeps the closes."""
    from feeds.market import build_market
    from vixhedge.core.config import MarketConfig, MarketSource

    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    found = {i: S.day_nodes(market.real, i, market.days[i], float(market.short_rates[i]))
             for i in map(market.index_of, (dt.date(2019, 4, 26), dt.date(2019, 4, 29), dt.date(2019, 5, 1)))}
    for day in (dt.date(2019, 4, 26), dt.date(2019, 4, 29)):
        i = market.index_of(day)
        assert S.at_close(found[i][0], float(market.data.spx_close[i]))
        np.testing.assert_allclose(found[i][1], market.vol_levels[i][:5], rtol=0, atol=0.05)
    i = market.index_of(dt.date(2019, 5, 1))
    vix, levels = market.quoted_levels(i)
    assert vix == pytest.approx(13.34, abs=0.005) and levels[1] == vix and levels[-1] == market.vol_levels[i][-1]
    assert abs(found[i][2] * 1.2907 - vix) < 0.3  # the ATM cross-check, scaled as the command prints it
    j = market.index_of(dt.date(2019, 4, 26))
    assert market.quoted_levels(j)[0] == float(market.data.vix_close[j])
    np.testing.assert_array_equal(market.quoted_levels(j)[1], market.day_levels(j))
    k = market.index_of(dt.date(2019, 6, 3))
    np.testing.assert_array_equal(market.quoted_levels(k)[1], market.day_levels(k))
    # the packaged SPX surface was fitted at these levels (feeds/calibration/spx_smile.json, python -m feeds.calibrate)
    fitted = json.loads((Path(S.__file__).parent / "calibration" / "spx_smile.json").read_text())["surface"]
    days = pd.DatetimeIndex(sorted(fitted["snapshot_levels"]))
    np.testing.assert_allclose(S.market_levels(market, days).to_numpy(),
                               [[fitted["snapshot_levels"][str(d.date())][n] for n in S.LEVELS] for d in days], atol=5e-4)


@pytest.mark.realdata
def test_the_snapshot_note_is_said_where_a_price_reads_the_snapshot(shared_data: Path) -> None:
    """Trial RS29: a 2020-01..04 run noted the 2019 intraday snapshots because its condor's strikes were last quoted
    there, ~200 sessions before: the anchor's weight e^(-200/13) moves no price (the same files byte for byte without
    the chains). A quote anchored on 2019-05-01 (quoted intraday, SPX 2946.73 against a 2923.73 close) 60 sessions
    on, weight e^(-60/13) = 0.01 < ANCHOR_LABEL_FLOOR 0.05 (labelled modelled), notes nothing; the next day's,
    weight e^(-1/13) = 0.93, notes it once."""
    from feeds.anchoring import SNAPSHOT_NOTE
    from feeds.market import build_market
    from vixhedge.core.config import MarketConfig, MarketSource
    from vixhedge.core.instruments import Contract, Kind, Right

    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    k = market.index_of(dt.date(2019, 5, 1))
    put = Contract(Kind.SPX_OPTION, dt.date(2020, 3, 20), 2900.0, Right.PUT)
    assert market.real.last_real("SPX", put.expiry, put.strike, put.right, k + 60)[0] == k
    market.quote(put, k + 60)
    assert SNAPSHOT_NOTE not in market.notes_logged
    market.quote(put, k + 1)
    assert SNAPSHOT_NOTE in market.notes_logged


def test_a_chain_too_sparse_for_the_formula_keeps_the_closes() -> None:
    """A file of five strikes near the money (zero-width quotes at 12% vol) reads the 30-day level far below 12:
    outside BAND x the close's VIX (here 20), so the day keeps its closes; a full chain is used."""
    from types import SimpleNamespace

    def book(step: float, width: float):
        k, call, px, _, t, rate = _flat_chain(0.12, 30 / 365.0, step=step)
        keep = np.abs(k - 2900.0) <= width
        rows = np.flatnonzero(keep)
        return SimpleNamespace(strike=k, is_call=call, bid=px, ask=px, underlying=np.full(len(k), 2900.0),
                               chains_on=lambda i: [("SPX", dt.date(2019, 5, 3), rows), ("SPX", dt.date(2019, 5, 31),
                                                                                         rows)])
    closes = np.array([20.0, 20.0, 21.0, 22.0, 23.0, 130.0])
    day = dt.date(2019, 4, 16)  # 17 and 45 days to the two Fridays: 30 days between them
    sparse = S.snapshot_levels(book(5.0, 10.0), 0, day, 0.02, 2950.0, closes)
    np.testing.assert_array_equal(sparse, closes)  # the formula read too little: the closes stand
    full = S.snapshot_levels(book(5.0, 2000.0), 0, day, 0.02, 2950.0, closes)
    assert full[1] == pytest.approx(12.0, rel=0.02) and full[-1] == 130.0
    assert S.snapshot_levels(book(5.0, 2000.0), 0, day, 0.02, 2900.0, closes) is None  # taken at the close


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------

# a hand chain, r = 0, T = 30/365: calls 95 (5.9/6.1), 100 (2.9/3.1), 105 (0.9/1.1), 110 (0.2/0.3); puts 80 (0.05/0.15),
# 85 (0/0.05), 90 (0/0.10), 95 (0.9/1.1), 100 (2.9/3.1), 105 (5.9/6.1)
_HAND = [(95, True, 5.9, 6.1), (100, True, 2.9, 3.1), (105, True, 0.9, 1.1), (110, True, 0.2, 0.3),
         (80, False, 0.05, 0.15), (85, False, 0.0, 0.05), (90, False, 0.0, 0.10), (95, False, 0.9, 1.1),
         (100, False, 2.9, 3.1), (105, False, 5.9, 6.1)]


def _hand(rows=_HAND):
    k, c, b, a = (np.array(x) for x in zip(*rows))
    return k.astype(float), c.astype(bool), b.astype(float), a.astype(float), 30 / 365, 0.0


def test_a_wing_stops_after_two_zero_bids_in_a_row() -> None:
    """MUT23 (``zeros == 2`` -> ``3`` survived): Cboe's VIX white paper excludes a strike with a zero bid and stops a
    wing "once two puts with consecutive strike prices are found to have zero bid prices" (module docstring: "a wing
    cut after two in a row"). The hand chain above: C - P is least (0) at 100, so F = 100 + e^0 x 0 = 100 and K0 =
    100; the put wing reads 95 (bid 0.9), skips 90 and 85 (bid 0) and stops: the 80 put (bid 0.05) is left out. Q:
    95P 1.00, K0 (3.00 + 3.00) / 2 = 3.00, 105C 1.00, 110C 0.25; dK 5 each (the end strikes: the one gap), so
    sigma^2 = 2/T x 5 (1/95^2 + 3/100^2 + 1/105^2 + 0.25/110^2) - (100/100 - 1)^2 / T = 24.3333 x 0.0026108371
    = 0.0635304 (by hand; with the 80 put, 0.0760). (K0 = 95 reads the same here: the (F/K0 - 1)^2 term offsets the
    95 strike's call and put mean; the next test tells the two apart.)"""
    want = 2 / (30 / 365) * 5 * (1 / 95 ** 2 + 3 / 100 ** 2 + 1 / 105 ** 2 + 0.25 / 110 ** 2)
    assert want == pytest.approx(0.0635304, abs=1e-7)
    assert S.term_variance(*_hand()) == pytest.approx(want, rel=1e-12)


def test_k0_is_the_strike_equal_to_the_forward() -> None:
    """MUT23 (``k <= F`` -> ``k < F`` survived): K0 is "the strike price equal to or otherwise immediately below the
    forward index level" (Cboe VIX white paper, step 1). The hand chain above without its zero-bid puts: C = P at 100
    (r = 0), so F = 100 exactly and K0 = 100 (the mutant took 95, adding (100/95 - 1)^2 / T and the 95 strike's call
    and put mean at K0): Q 80P 0.10, 95P 1.00, K0 3.00, 105C 1.00, 110C 0.25; dK 15, 10, 5, 5, 5, so sigma^2 =
    2/T (15 x 0.10/80^2 + 10 x 1/95^2 + 5 x 3/100^2 + 5 x 1/105^2 + 5 x 0.25/110^2) (by hand; the F/K0 term is 0)."""
    calls, puts = {k: (b, a) for k, c, b, a in _HAND if c}, {k: (b, a) for k, c, b, a in _HAND if not c}
    assert S._forward(calls, puts, 30 / 365, 0.0)[0] == 100.0
    rows = [r for r in _HAND if r[0] not in (85, 90)]
    want = 2 / (30 / 365) * (15 * 0.10 / 80 ** 2 + 10 / 95 ** 2 + 5 * 3 / 100 ** 2 + 5 / 105 ** 2 + 5 * 0.25 / 110 ** 2)
    assert S.term_variance(*_hand(rows)) == pytest.approx(want, rel=1e-12)


def test_the_command_defaults_its_data_folder_and_ends_a_data_error_in_one_stderr_line(tmp_path: Path) -> None:
    """HELP32 (M): ``--data-dir`` was required where every measure script defaults to ../shared/data beside the repo
    (feeds.measure_cli), and a DataError printed on stdout (``--data-dir /nonexistent 2>/dev/null`` still showed it)."""
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]
    assert S.parser().parse_args([]).data_dir == root.parent / "shared" / "data"
    done = subprocess.run([sys.executable, "-m", "feeds.snapshot_level", "--data-dir", str(tmp_path / "none")],
                          capture_output=True, text=True, cwd=root, timeout=120)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith("python -m feeds.snapshot_level: ") and done.stderr.count("\n") == 1, done.stderr
