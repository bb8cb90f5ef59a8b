"""What a run's expiries settled on, named where the run shows its data (feeds.provenance.settlements).

Fresh-user trial (2026-12-03, finding 2): report.html said VX settlements were "at the VRO proxy" even where the real
final settlement value (VRO) of the VX files was used (a hard-coded phrase), and no summary named the SPX AM
settlement approximation (the expiry day's SPX open, manifest settlement_proxies.spx_am_soq = spx_open), which
MARKET_RULES asks to be named as such.
"""

from __future__ import annotations

import datetime as dt

from feeds.market import build_market
from feeds.provenance import settlement_note, settlements
from tests.feeds.test_directory import _write_dir
from vixhedge.core.config import MarketConfig, MarketSource
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.report_sections import vro_words

D = dt.date
VXH18, VXJ18 = Contract(Kind.VX_FUTURE, D(2018, 3, 21)), Contract(Kind.VX_FUTURE, D(2018, 4, 18))
PUT = Contract(Kind.SPX_OPTION, D(2018, 3, 16), 2600.0, Right.PUT)
CALL = Contract(Kind.SPX_OPTION, D(2018, 3, 16), 2900.0, Right.CALL)


def test_vx_expiries_are_counted_by_what_they_settled_on(tmp_path) -> None:
    """The test directory's VXH18 has its final-settlement row (the real VRO), VXJ18 none (the proxy, the VIX
    open); the two SPX legs of one expiry are one AM expiry, settled on the SPX open."""
    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(_write_dir(tmp_path / "d"))))
    assert market.settles_on_real_vro(VXH18) and not market.settles_on_real_vro(VXJ18)
    i = market.index_of(VXJ18.expiry)
    assert market.settlement_value(VXJ18) == market.vro_proxy[i]  # unchanged: the proxy where no real row
    s = settlements(market, {VXH18, VXJ18, PUT, CALL})
    # values: the test directory's (_write_dir): VXH18's final-settlement row 17.4, the VIX open of 2018-04-18 19.8,
    # the SPX open of 2018-03-16 2751.0, each beside what it is
    assert s == {"vx_future": {"real_vro": 1, "vro_proxy": 1, "proxy": "vix_open",
                               "values": {"2018-03-21": {"value": 17.4, "on": "real_vro"},
                                          "2018-04-18": {"value": 19.8, "on": "vro_proxy"}}},
                 "spx_option": {"expiries": 1, "on": "spx_open",
                                "values": {"2018-03-16": {"value": 2751.0, "on": "spx_open"}}}}
    assert settlement_note(s) == (
        "Settled on approximations: SPX options: 1 AM-settled expiry at the expiry day's SPX open (an approximation of "
        "the exchange's Special Opening Quotation, SET); VX futures: 1 expiry at the day's VIX open (an approximation "
        "of VRO, the VIX Special Opening Quotation), 1 at the real VRO of the VX files.")
    # its instruments in one order whatever the set's (trial DET: the keys followed the hash seed)
    assert list(settlements(market, {PUT, VXJ18, CALL, VXH18})) == list(settlements(market, {VXH18, CALL, PUT, VXJ18}))
    assert list(s) == ["spx_option", "vx_future"]
    # every VX expiry on the real VRO, no SPX expiry: no approximation to name
    assert settlement_note(settlements(market, {VXH18})) == ""


def test_the_report_row_words_what_was_used() -> None:
    m = lambda **vx: {"data_provenance": {"settlements": {"vx_future": {"proxy": "vix_open", **vx}}}}
    assert vro_words(m(real_vro=3, vro_proxy=0)) == ("at the real VRO value (the VX files' final settlement) on all "
                                                    "3 expiries")
    assert vro_words(m(real_vro=0, vro_proxy=1)) == "at the VRO proxy (the day's VIX open) on 1 expiry"
    assert vro_words(m(real_vro=2, vro_proxy=1)) == ("2 expiries at the real VRO value (the VX files' final "
                                                    "settlement), 1 expiry at the VRO proxy (the day's VIX open)")
    assert vro_words({"data_provenance": {"settlements": {}}}) == ("none: no VX future or VIX option was held to "
                                                                  "its settlement")
    assert vro_words({}).startswith("at VRO: the VX files' final settlement where they hold it, else the proxy")


def test_the_default_run_names_the_spx_am_approximation() -> None:
    """The embedded default run: its condors held to expiry settled on the SPX open (9 AM-settled expiries, 11 before
    session 17's SPX surface refit; the README's *Settlements* paragraph quotes the line), its VX layers
    all rolled before settlement (none settled); the data line and report.html's banner say so (the README's
    opening block holds the printed line: tests/vixhedge/test_readme_opening.py)."""
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest
    from vixhedge.summary import summary_table

    result = run_backtest(C.load_default())
    p = result.metrics["data_provenance"]
    s = p["settlements"]["spx_option"]
    assert (set(p["settlements"]), s["expiries"], s["on"], len(s["values"])) == ({"spx_option"}, 9, "spx_open", 9)
    market = build_market(C.load_default().market)  # each expiry's value: the embedded market's SPX open that day
    assert all(v == {"value": float(market.data.spx_open[market.index_of(D.fromisoformat(day))]), "on": "spx_open"}
               for day, v in s["values"].items())
    # review finding 2: "SPX options on 11 AM expiries" read as 11 a.m.; the count leads, "AM-settled" is one word
    assert p["notes"][0].startswith("Settled on approximations: SPX options: 9 AM-settled expiries at the expiry "
                                    "day's SPX open")
    assert "9 AM expiries" not in summary_table(result)
    assert p["notes"][0] in summary_table(result)
