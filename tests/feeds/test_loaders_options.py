"""Tests for feeds.loaders.options: DataShop, delayed-quote snapshot and generic chains.

The fixtures put an SPX (AM-settled) and an SPXW (PM-settled) series on the same expiration,
2018-03-16 (the third Friday), as Cboe lists them (MARKET_RULES.md: keep roots apart).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from feeds.loaders import LoadError
from feeds.loaders.options import (
    COLUMNS,
    OptionQuotes,
    load_chain_file,
    load_datashop,
    load_generic,
    load_snapshot,
)
from tests.feeds.conftest import FIXTURES

D = dt.date
CALCS = "chains/UnderlyingOptionsEODCalcs_2018-02-05.csv"
SNAPSHOT = "chains/SPX_20180205_snapshot.csv"
VIX_QUOTES = "chains/UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv"
MAR = D(2018, 3, 16)


def test_datashop_keeps_spx_and_spxw_apart() -> None:
    q = load_datashop(FIXTURES / CALCS)
    assert list(q.rows.columns) == list(COLUMNS)
    assert q.roots() == ["SPX", "SPXW"] and q.quote_dates() == [D(2018, 2, 5)]
    spx, spxw = q.chain(D(2018, 2, 5), "SPX", MAR), q.chain(D(2018, 2, 5), "SPXW", MAR)
    assert spx["strike"].tolist() == [2600.0, 2600.0, 2700.0, 2700.0] and spxw["strike"].tolist() == [2600.0] * 2
    assert set(spx["settlement"]) == {"AM"} and set(spxw["settlement"]) == {"PM"}
    call = spx[spx["right"] == "C"].iloc[0]
    # closing quotes (eod) by default, 15:45 greeks, underlying = mid of the EOD underlying bid/ask
    assert (call["bid"], call["ask"], call["iv"], call["delta"]) == (96.2, 98.4, 0.3012, 0.5861)
    assert call["underlying"] == 2648.94 and call["open_interest"] == 20145
    snap = load_datashop(FIXTURES / CALCS, quotes="1545").chain(D(2018, 2, 5), "SPX", MAR)
    assert (snap.loc[0, "bid"], snap.loc[0, "ask"], snap.loc[0, "underlying"]) == (99.1, 101.3, 2660.12)
    with pytest.raises(ValueError, match=r"quotes \('close'\) must be 'eod'"):
        load_datashop(FIXTURES / CALCS, quotes="close")


def test_datashop_quotes_layout_without_calcs() -> None:
    q = load_datashop(FIXTURES / VIX_QUOTES)
    assert q.roots() == ["VIX"] and set(q.rows["settlement"]) == {"AM"}
    assert q.rows["iv"].isna().all() and q.rows["delta"].isna().all()
    assert q.rows["bid"].tolist() == [13.1, 0.1]


def test_snapshot_takes_the_root_from_the_occ_symbol() -> None:
    q = load_snapshot(FIXTURES / SNAPSHOT)
    assert q.expirations(D(2018, 2, 5), "SPXW") == [D(2018, 2, 9), MAR]
    assert q.expirations(D(2018, 2, 5), "SPX") == [MAR]
    put = q.chain(D(2018, 2, 5), "SPX", MAR).iloc[1]
    assert (put["right"], put["bid"], put["ask"], put["underlying"]) == ("P", 87.9, 89.9, 2655.10)


def test_generic_layout_by_column_mapping(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("day,exp,k,cp,b,a,vol\n2018-02-05,2018-03-16,2600,put,87.9,89.9,0.312\n"
                    "2018-02-05,2018-03-16,2600,call,96.2,98.4,0\n", encoding="utf-8")
    cols = {"quote_date": "day", "expiration": "exp", "strike": "k", "right": "cp", "bid": "b", "ask": "a",
            "iv": "vol"}
    q = load_generic(path, cols, root="SPX")
    assert q.rows["right"].tolist() == ["P", "C"] and q.rows["settlement"].tolist() == ["AM", "AM"]
    assert q.rows["iv"].iloc[0] == 0.312 and np.isnan(q.rows["iv"].iloc[1])  # IV 0 means "not computed"
    with pytest.raises(ValueError, match=r"exactly one of columns\['root'\] or root="):
        load_generic(path, cols)
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['theta'\]"):
        load_generic(path, {**cols, "theta": "t"}, root="SPX")


def _edit(src: str, tmp_path: Path, line: int, old: str, new: str) -> Path:
    lines = (FIXTURES / src).read_text().splitlines()
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    path = tmp_path / Path(src).name
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("src, line, old, new, message", [
    (CALCS, 1, ",bid_eod,", ",bideod,", r"line 1: missing column\(s\) \['bid_eod'\]"),
    (CALCS, 3, "2018-03-16", "2018-03-32", r"line 3: column 'expiration': bad date '2018-03-32'"),
    (CALCS, 4, ",95.8000,", ",95.8O00,", r"line 4: column 'bid_eod': '95\.8O00' is not a number"),
    (CALCS, 5, ",87.5000,10,89.6000,", ",91.5000,10,89.6000,",
     r"line 5: crossed quote: bid 91\.5 above ask 89\.6: fix or delete the row; a chain file with such a row stops "
     r"the whole directory: move the file out of chains/ to run without it"),
    (CALCS, 6, ",SPX,", ",SPXX,", r"line 6: unknown root 'SPXX'"),
    (CALCS, 7, ",P,", ",C,", r"line 7: duplicate row for SPX 2018-03-16 2700 C on 2018-02-05; first on line 6"),
    (CALCS, 2, "2018-02-05,SPX,", "2018-02-06,SPX,", r"line 3: rows are not sorted by quote date"),
    (CALCS, 2, ",C,", ",X,", r"line 2: column 'option_type': right 'X' is not C/P/call/put"),
    (CALCS, 2, "2018-03-16", "2018-02-02", r"line 2: expiration 2018-02-02 is before the quote date 2018-02-05: a "
                                           r"file copied to a later date\? fix or delete the row"),
    (SNAPSHOT, 3, "SPXW180209P02600000", "SPXW180209P02650000",
     r"line 3: symbol SPXW180209P02650000 does not match the row"),
    (SNAPSHOT, 4, "SPX180316C02600000", "SPX-MAR-2600", r"line 4: column 'optionroot': 'SPX-MAR-2600' is not an OCC"),
    (SNAPSHOT, 5, ",87.9,89.9,", ",-0.05,89.9,", r"line 5: negative quote \(bid -0\.05, ask 89\.9\): fix or delete "
                                                 r"the row"),
], ids=["missing-column", "bad-date", "text-in-number", "crossed", "unknown-root", "duplicate", "unsorted",
        "bad-right", "expired", "symbol-mismatch", "bad-symbol", "negative-bid"])
def test_malformed_chain_names_file_line_and_problem(tmp_path: Path, src, line, old, new, message) -> None:
    path = _edit(src, tmp_path, line, old, new)
    loader = load_snapshot if src == SNAPSHOT else load_datashop
    with pytest.raises(LoadError, match=rf"{path.name}, " + message):
        loader(path)


def test_unusable_markets_are_reported_not_kept(tmp_path: Path) -> None:
    def edit(line: int, old: str, new: str) -> None:
        lines[line - 1] = lines[line - 1].replace(old, new)
        assert old in (FIXTURES / SNAPSHOT).read_text().splitlines()[line - 1]

    lines = (FIXTURES / SNAPSHOT).read_text().splitlines()
    edit(2, ",68.5,71.2,", ",0.0,0.0,")  # SPXW 2600C: no offer
    edit(3, ",18.9,20.4,", ",19.5,19.5,")  # SPXW 2600P: zero width
    edit(5, ",87.9,89.9,", ",2650.0,2651.0,")  # SPX 2600P: above its strike
    edit(4, ",96.2,98.4,", ",2700.0,2701.0,")  # SPX 2600C: above the underlying 2655.10
    path = tmp_path / "SPX_20180205_snapshot.csv"
    path.write_text("\n".join(lines) + "\n")
    q = load_chain_file(path)
    assert q.rows["line"].tolist() == [6, 7]  # the two untouched rows
    assert [str(b) for b in q.bad_rows] == [
        "SPX_20180205_snapshot.csv, line 2: no offer (ask 0)",
        "SPX_20180205_snapshot.csv, line 3: zero-width quote (bid = ask = 19.5)",
        "SPX_20180205_snapshot.csv, line 4: call mid 2700.5 above the underlying 2655.1 (no-arbitrage bound)",
        "SPX_20180205_snapshot.csv, line 5: put mid 2650.5 above the strike 2600 (no-arbitrage bound)"]
    assert {b.day for b in q.bad_rows} == {dt.date(2018, 2, 5)}  # the quote date the loader parsed
    # a bid of 0 under an offer is a market (far out of the money) and is kept
    lines = (FIXTURES / SNAPSHOT).read_text().splitlines()
    edit(2, ",68.5,71.2,", ",0.0,0.05,")
    path.write_text("\n".join(lines) + "\n")
    assert len(load_chain_file(path).rows) == 6


def test_load_chain_file_recognises_the_layout(tmp_path: Path) -> None:
    assert load_chain_file(FIXTURES / CALCS).rows.equals(load_datashop(FIXTURES / CALCS).rows)
    assert load_chain_file(FIXTURES / SNAPSHOT).rows.equals(load_snapshot(FIXTURES / SNAPSHOT).rows)
    both = OptionQuotes.concat([load_chain_file(FIXTURES / SNAPSHOT), load_chain_file(FIXTURES / VIX_QUOTES)])
    assert both.roots() == ["SPX", "SPXW", "VIX"] and [f for f, _ in both.files] == [
        "SPX_20180205_snapshot.csv", "UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv"]
    empty = OptionQuotes.concat(())
    assert empty.rows.empty and list(empty.rows.columns) == list(COLUMNS)
    path = tmp_path / "x.csv"
    path.write_text("date,close\n2018-02-05,1\n")
    with pytest.raises(LoadError, match=r"x\.csv, line 1: not an option chain file"):
        load_chain_file(path)


@pytest.mark.parametrize("keyed", ["38.0,40.0", "0.38,0.40"])
def test_a_quote_out_of_strike_order_between_agreeing_neighbours_is_a_bad_row(tmp_path: Path, keyed: str) -> None:
    """Loader fuzz, session 13 (2026-12-05): the 2019-04-30 SPX 2525 put of a real chain keyed x10 (38 / 40 between
    the 2520 put's 3.7 / 3.9 and the 2530 put's 3.9 / 4.1) loaded as a real quote and a condor was closed on it at 38
    (+$42.9k). It breaks a vertical spread's bounds against a neighbour (x10: dearer than the 2520 put by more than
    the 5 points between them; /10: cheaper than it) while its neighbours keep them: a bad row. The calls of the
    same chain, in order, and a row within two strikes of the chain's end (an end row unvouched for) are kept."""
    rows = [("2515", "P", "3.5,3.7"), ("2520", "P", "3.7,3.9"), ("2525", "P", keyed), ("2530", "P", "3.9,4.1"),
            ("2535", "P", "4.1,4.3"), ("2515", "C", "9.8,10.2"), ("2520", "C", "9.0,9.4"), ("2525", "C", "8.0,8.4"),
            ("2530", "C", "7.1,7.5"), ("2535", "C", "6.3,6.7")]
    path = tmp_path / "mine.csv"
    path.write_text("day,exp,k,cp,b,a\n" + "".join(f"2019-04-30,2019-06-21,{k},{cp},{q}\n" for k, cp, q in rows),
                    encoding="utf-8")
    cols = {"quote_date": "day", "expiration": "exp", "strike": "k", "right": "cp", "bid": "b", "ask": "a"}
    q = load_generic(path, cols, root="SPX")
    assert len(q.rows) == 9 and [b.line for b in q.bad_rows] == [4]
    bid, ask = keyed.split(",")
    assert str(q.bad_rows[0]).endswith(f"out of strike order: bid {float(bid):g} / ask {float(ask):g} against the "
                                       "2520 strike's 3.7 / 3.9 (a vertical spread's bounds), while the strikes 2520 "
                                       "and 2530 on either side keep them")
    end = path.read_text(encoding="utf-8").replace(keyed, "3.8,4.0").replace(",2535,P,4.1,4.3", ",2535,P,41.0,43.0")
    path.write_text(end, encoding="utf-8")  # the same x10 at the chain's end: no strike beyond it to vouch for it,
    assert load_generic(path, cols, root="SPX").bad_rows == ()  # nor for the 2530 put beside it


def test_a_vix_option_expiring_on_no_vx_settlement_date_is_a_bad_row(tmp_path: Path) -> None:
    """Trial DF26: a VIX option row expiring Thursday 2016-07-21 (no VIX expiry: they expire on the VX settlement
    dates, MARKET_RULES.md) was kept as a 10th expiration. Here: Thursday 2018-02-15."""
    path = _edit(VIX_QUOTES, tmp_path, 2, "2018-02-14", "2018-02-15")
    q = load_datashop(path)
    assert q.rows["line"].tolist() == [3] and q.expirations(D(2018, 2, 5), "VIX") == [D(2018, 2, 14)]
    assert [str(b) for b in q.bad_rows] == [
        f"{path.name}, line 2: expiration 2018-02-15 is not a VIX expiration (VIX options expire on the VX settlement "
        "dates: a Wednesday 30 days before an SPX third Friday, a weekly's Wednesday, or the session before one a "
        "holiday moves; MARKET_RULES.md): a mistyped date? not used"]
