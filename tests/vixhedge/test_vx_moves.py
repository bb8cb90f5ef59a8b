"""A held VX future's one-day move against the maintenance margin the run charged for it (vixhedge/vx_moves.py;
README *Margin model*). Fails on the old code: no such module, and metrics.json capital had no
vx_moves_over_maintenance (trial RS29: one contract moved 2-3x the $5,000 charged on 2008-10 and 2020-03 days with no
word in the run's figures)."""

import datetime as dt

import pandas as pd
import pytest

from vixhedge.core import config as C
from vixhedge.vx_moves import vx_moves, vx_moves_words

D = [dt.date(2020, 3, d) for d in (2, 3, 4, 5, 6)]
FEB, MAR, JUN = dt.date(2020, 3, 18), dt.date(2020, 4, 15), dt.date(2020, 7, 22)  # (VX settlement Wednesdays)


class Market:
    """Marks by (expiry, day index); front month March 2020 (the March contract settles 03-18), every month listed."""

    def __init__(self, marks):
        self.marks = marks

    def index_of(self, day):
        return D.index(day)

    def vx_listing(self, day):
        return (2020, 3), ()

    def mark(self, contract, i):
        return self.marks[contract.expiry][i]


def trades(rows):
    return pd.DataFrame([{"kind": k, "expiry": e, "qty": q} for _, k, e, q in rows],
                        index=pd.DatetimeIndex([d for d, *_ in rows], name="date"))


def test_the_sessions_a_held_contract_moved_past_its_maintenance_by_hand():
    # CFE RG13-019 (margin.vx_maintenance_usd): $5,000 for listed months 1-3, $3,500 for 4-6. March (month 1) held
    # 2 from 03-02: +6.00 points on 03-03 ($6,000 a contract > $5,000: 1.2x), +4.00 on 03-04 (under); closed on 03-04
    # (its 03-05 move not held). June 2020 (month 4, $3,500) bought on 03-04: +4.10 on 03-05 ($4,100: 1.1714x); an
    # SPX option's row is not a VX future's.
    marks = {MAR: [20.0, 26.0, 30.0, 50.0, 50.0], JUN: [19.0, 19.0, 19.0, 23.1, 23.0], FEB: [0.0] * 5}
    t = trades([(D[0], "vx_future", MAR, 2), (D[0], "spx_option", FEB, -10), (D[2], "vx_future", MAR, -2),
                (D[2], "vx_future", JUN, 1)])
    got = vx_moves(t, pd.DatetimeIndex(D), Market(marks), C.MarginConfig())
    assert got == {"sessions": 2, "levels": "cfe_2013", "worst": {"date": "2020-03-03", "expiry": "2020-04-15", "move_usd": 6000.0,
                                            "maintenance_usd": 5000.0, "ratio": 1.2}}
    assert vx_moves_words({"vx_moves_over_maintenance": got}).startswith(
        "2 sessions a held VX future moved more than its maintenance in a day (worst 2020-03-03: the 2020-04-15 "
        "contract $6,000, 1.20x the $5,000 charged")
    # no VX held: None (no figure), a VX held with no such move: 0 and no words
    assert vx_moves(t[t["kind"] == "spx_option"], pd.DatetimeIndex(D), Market(marks), C.MarginConfig()) is None
    calm = {MAR: [20.0] * 5, JUN: [19.0] * 5}
    assert vx_moves(t, pd.DatetimeIndex(D), Market(calm), C.MarginConfig()) == {"sessions": 0, "levels": "cfe_2013"}
    assert vx_moves_words({"vx_moves_over_maintenance": {"sessions": 0}}) == ""
    # levels the config sets are not CFE's 2013 (trial RS30: $15,000 read "charged at CFE's 2013 level")
    own = C.MarginConfig(vx_initial_usd=(5500.0, 3850.0, 3410.0), vx_maintenance_usd=(5000.0, 3000.0, 3100.0))  # June
    # (month 4) at $3,000: its $4,100 is now the worst, 1.37x
    mine = vx_moves(t, pd.DatetimeIndex(D), Market(marks), own)
    assert mine["levels"] == "configured" and mine["sessions"] == 2
    assert "1.37x the $3,000 charged at margin.vx_maintenance_usd as configured): the requirement and capital needed " \
        "are a floor on those days" in vx_moves_words({"vx_moves_over_maintenance": mine})


def test_a_contract_is_not_counted_on_its_settlement_day():
    # a held contract's move on its settlement day is its final settlement (MARKET_RULES: the special opening
    # quotation), not a day's mark: the expiry set to the third day, its +19.00 that day not counted
    expiry = D[2]
    marks = {expiry: [20.0, 21.0, 40.0, 40.0, 40.0]}
    t = trades([(D[0], "vx_future", expiry, 1)])
    assert vx_moves(t, pd.DatetimeIndex(D), Market(marks), C.MarginConfig()) == {"sessions": 0, "levels": "cfe_2013"}


@pytest.mark.realdata
def test_the_covid_window_on_real_settles(shared_data):
    """Trial RS29's hand figure: on 2020-03-16 the default book held April 2020 VX, settle 43.90 on 03-13 -> 59.15
    (+15.25, vix_futures_settle_all_listed_2004_2025), $15,250 a contract against the $5,000 charged: 3.05x."""
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": dt.date(2020, 1, 2), "end": dt.date(2020, 4, 30)},
                    market={"source": "directory", "data_dir": str(shared_data)})
    v = run_backtest(cfg).metrics["capital"]["vx_moves_over_maintenance"]
    assert v["worst"] == {"date": "2020-03-16", "expiry": "2020-04-15", "move_usd": 15250.0,
                          "maintenance_usd": 5000.0, "ratio": 3.05}
    assert v["sessions"] >= 1


def test_compare_carries_each_modes_sessions():
    """Trial RS30: compare printed no VX margin figure (each mode's run page alone). comparison.csv's row is each
    mode's metrics.json count; the none mode held no VX future: blank (n/a on the page)."""
    from vixhedge.compare import compare
    from vixhedge.compare_rows import table_csv

    cmp = compare(C.load_default(), modes=("none", "static", "alvh"), n_boot=100)
    for m in ("static", "alvh"):
        v = cmp.results[m].metrics["capital"]["vx_moves_over_maintenance"]
        assert cmp.table.at["vx_moves_over_maintenance", m] == v["sessions"]
    assert "vx_moves_over_maintenance" not in cmp.results["none"].metrics["capital"]
    assert "vx_moves_over_maintenance,,4,3" in table_csv(cmp.table).splitlines()
