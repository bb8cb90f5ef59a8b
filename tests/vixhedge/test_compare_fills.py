"""Whether each compare mode's condor fills are the baseline's (vixhedge.compare_condors): from which day they
differ, what the policy or a capital cap did, margin calls and ruin, capital_cuts.csv, on the page and in the text."""

import datetime as dt

import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.compare import compare
from vixhedge.compare_text import format_comparison
from strategies.capital import CapitalCut, cuts_frame
from tests.vixhedge.compare_cases import default_comparison


@pytest.fixture(scope="module")
def cmp():
    return default_comparison()


def test_same_path_same_condor_fills(cmp):
    from tests.vixhedge.test_run import _first_condor_cut

    cut = min(_first_condor_cut(r) for r in cmp.results.values())  # until a capital cap sized on NAV cuts one
    condor = [r.trades[r.trades["component"].str.startswith("condor") & (r.trades.index < cut)]
              for r in cmp.results.values()]
    assert len(condor[0]) >= 8  # at least two condors of four legs
    for other in condor[1:]:
        pd.testing.assert_frame_equal(condor[0], other)


def test_condor_fills_are_measured_against_the_baseline():
    """Each mode's condor fills against the baseline's, from its own frames (made-up books): a mode with the
    baseline's condor fills (only hedge fills added) says so; one whose fills differ says from which day, how many
    condors, what its condors.csv shows the policy did (3 contracts cut, one condor opened at vega_scale 0.5) and
    its days of a capital cap cutting a condor order beside the baseline's (2 vs 1)."""
    from vixhedge.compare_condors import condor_fills

    days = pd.to_datetime(["2015-06-01", "2015-06-01", "2015-06-22"])
    condor = pd.DataFrame({"component": ["condor:put", "condor:call", "condor:put"], "qty": [-10, -10, 10],
                           "price": [13.0, 4.5, 2.0], "fee_usd": [11.0, 11.0, 11.0]}, index=days)
    hedge = pd.DataFrame({"component": ["hedge:L1"], "qty": [2], "price": [15.0], "fee_usd": [3.0]},
                         index=pd.to_datetime(["2015-06-01"]))
    cut = condor.copy()
    cut.iloc[2, 1] = 7  # the second condor's buy-back: 7 contracts, not 10
    condors = pd.DataFrame({"entry_date": pd.to_datetime(["2015-06-01", "2015-06-22"]), "contracts": [10, 10],
                            "vega_scale": [1.0, 1.0], "contracts_cut": [0, 0], "nav_at_entry_usd": [1e6, 1e6]})
    scaled = condors.assign(vega_scale=[1.0, 0.5], contracts_cut=[0, 3], nav_at_entry_usd=[1e6, 0.99e6])
    cut_on = lambda *rows: cuts_frame([(dt.date.fromisoformat(d), k, c) for d, k, c in rows])  # noqa: E731
    books = {"none": (condor, condors, cut_on(("2015-06-10", "cap", CapitalCut("condor", "reduce", 10, 9, "cap")))),
             "static": (pd.concat([condor, hedge]), condors.assign(nav_at_entry_usd=[1e6, 0.98e6]), cut_on()),
             "alvh": (cut, scaled, cut_on(("2015-06-01", "cap", CapitalCut("condor", "reduce", 10, 9, "cap")),
                                          ("2015-06-10", "margin_call", CapitalCut("add layer x2", "refuse", 2, 0, "")),
                                          ("2015-06-10", "buying_power", CapitalCut("condor", "refuse", 8, 0, "bp"))))}
    # a fill differing in its reason's words alone is the same fill (trial RS21: "differ ... (0 of 31 ... differ)")
    worded = condor.assign(reason=["open", "open", "vega_cut (bullish_divergence+fomc)"])
    assert condor_fills({"none": (condor.assign(reason=["open", "open", "vega_cut (bullish_divergence)"]), condors,
                                  cut_on()), "rsion": (worded, condors, cut_on())}, "none")["rsion"] == \
        "same condor fills as none"
    assert condor_fills(books, "none") == {
        "none": "the baseline", "static": "same condor fills as none",
        "alvh": "condor fills differ from none's from 2015-06-22 (1 of alvh's 2 condors and 1 of none's 2 differ): "
                "alvh's policy cut the condor opened 2015-06-22 (the first to differ) by 3 contracts and opened it at "
                "vega_scale 0.5; over the run alvh's policy cut 3 contracts of 1 condor and opened 1 condor scaled "
                "(vega_scale < 1) (none's: cut no contract and opened no condor scaled); a capital cap cut a condor "
                "order on 2 days (none: 1)"}
    # the baseline's policy cut it (trial CO: `--baseline alvh --variant ...` named no cause): named by its mode
    flipped = condor_fills({"alvh": books["alvh"], "none": books["none"]}, "alvh")["none"]
    assert ("alvh's policy cut the condor opened 2015-06-22 (the first to differ) by 3 contracts and opened it at "
            "vega_scale 0.5; over the run none's policy cut no contract and opened no condor scaled (alvh's: cut 3 "
            "contracts of 1 condor and opened 1 condor scaled (vega_scale < 1))") in flipped
    # neither cut nor scaled by the policy: said so in words (the trial's "the policy cut or scaled none")
    books["alvh"] = (cut, condors.assign(contracts=[10, 7]), cut_on())
    assert condor_fills(books, "none")["alvh"] == (
        "condor fills differ from none's from 2015-06-22 (1 of alvh's 2 condors and 1 of none's 2 differ): alvh's "
        "policy cut no contract and opened no condor scaled (none's: cut no contract and opened no condor scaled); a "
        "capital cap cut a condor order on 0 days (none: 1)")


def test_condor_fills_name_the_margin_call_or_ruin_that_closed_a_condor():
    """Trial (2026-12-03, /tmp/v/ruin.toml): "condor fills differ from none's from 2017-10-27 (1 of 1 condor differ):
    the policy cut no contract and opened no condor scaled" although the ruin closed static's only condor (condors.csv
    exit_reason ruin) and none held 10; on /tmp/v/mcw.toml the margin calls that closed alvh's condors went unnamed.
    Made-up books: static's one condor closed by the ruin on 2017-10-27, none's two by their exit rules; alvh's
    first condor cut 3 contracts by its policy and closed by a margin call on 2015-06-18. The differing condors are
    counted on both sides; the close is the first differing condor's cause and counted over the run. A margin call's
    close row in capital_cuts.csv (kind margin_call, what condor) is not a capital cap's cut of a condor order."""
    from vixhedge.compare_condors import condor_fills

    days = pd.to_datetime(["2017-10-02", "2017-10-27"])
    fills = pd.DataFrame({"component": ["condor:put", "condor:put"], "qty": [-2, 2]}, index=days)
    base = pd.DataFrame({"entry_date": pd.to_datetime(["2017-10-02", "2017-11-15"]), "contracts": [2, 2],
                         "exit_date": pd.to_datetime(["2017-11-15", "2017-11-30"]),
                         "exit_reason": ["profit_take", "stop"], "contracts_cut": [0, 0]})
    ruined = base.iloc[:1].assign(exit_date=pd.to_datetime(["2017-10-27"]), exit_reason=["ruin"])
    books = {"none": (fills.assign(qty=[-2, 3]), base, cuts_frame([])), "static": (fills, ruined, cuts_frame([]))}
    assert condor_fills(books, "none")["static"] == (
        "condor fills differ from none's from 2017-10-27 (1 of static's 1 condor and 2 of none's 2 differ): in static, "
        "the ruin closed the condor opened 2017-10-02 (the first to differ) on 2017-10-27; over the run static's "
        "policy cut no contract and opened no condor scaled (none's: cut no contract and opened no condor scaled); "
        "the ruin closed 1 condor (none: 0); a capital cap cut a condor order on 0 days (none: 0)")
    called = base.assign(contracts=[7, 2], contracts_cut=[3, 0], exit_date=pd.to_datetime(["2017-10-27", "2017-11-30"]),
                         exit_reason=["margin_call", "stop"])
    close = cuts_frame([(dt.date(2017, 10, 27), "margin_call", CapitalCut("condor", "close", 7, 0, "margin call"))])
    books["alvh"] = (fills, called, close)
    assert condor_fills(books, "none")["alvh"] == (
        "condor fills differ from none's from 2017-10-27 (1 of alvh's 2 condors and 1 of none's 2 differ): alvh's "
        "policy cut the condor opened 2017-10-02 (the first to differ) by 3 contracts and a margin call closed it on "
        "2017-10-27; over the run alvh's policy cut 3 contracts of 1 condor (none's: cut no contract and opened no "
        "condor scaled); margin calls closed 1 condor (none: 0); a capital cap cut a condor order on 0 days (none: 0)")


def test_capital_cuts_are_read_from_capital_cuts_csv_and_an_older_folder_is_named(tmp_path):
    """compare_condors reads the capital cuts from the run folder's capital_cuts.csv (structured rows of
    strategies.capital.cuts_frame, no text read back from signals.csv): written and read back, a cut keeps its
    fields; a folder written before capital_cuts.csv (RunFiles.capital_cuts None) is named with what to rerun."""
    from vixhedge.compare_condors import _condor_cuts, condor_fills
    from vixhedge.csvout import write_csv
    from vixhedge.frames import dated_frames
    from vixhedge.runfolder import _csv

    cuts = cuts_frame([(dt.date(2015, 8, 24), "cap", CapitalCut("condor", "reduce", 10, 9, "max loss cap 0.25 x NAV")),
                       (dt.date(2015, 8, 24), "buying_power", CapitalCut("condor", "reduce", 9, 8, "bp $1, 9 ..."))])
    write_csv(dated_frames(cuts)[0], tmp_path / "capital_cuts.csv")
    back = _csv(tmp_path / "capital_cuts.csv")
    assert list(back.columns) == ["kind", "what", "verb", "wanted", "allowed", "why"]
    assert _condor_cuts(back).to_dict() == {pd.Timestamp("2015-08-24"): [(10, 9), (9, 8)]}  # in the order made
    write_csv(dated_frames(cuts_frame([]))[0], tmp_path / "capital_cuts.csv")  # a run without cuts: the header
    assert _condor_cuts(_csv(tmp_path / "capital_cuts.csv")).empty
    trades = pd.DataFrame({"component": ["condor:put"], "qty": [-10]}, index=pd.to_datetime(["2015-06-01"]))
    condors = pd.DataFrame({"entry_date": pd.to_datetime(["2015-06-01"]), "contracts": [10]})
    words = condor_fills({"none": (trades, condors, None), "alvh": (trades.assign(qty=-9), condors, back)}, "none")
    assert words["alvh"].endswith("the capital cuts of none are not known: its run folder predates "
                                  "capital_cuts.csv (rerun `vixhedge compare` to count them)")


def test_condor_fills_name_the_capital_cap_that_sized_the_first_differing_condor():
    """The trial: alvh's condor fills differed from none's by one condor and the text named no cause. Since a flat
    book opens the closest untraded expiry (README, Condor and baselines) SHORT's fills are the same; over the
    embedded 2014-03..2018-12 (without the divergence's condor cut) signals.csv (column capital) of the two runs: on
    2018-03-19 the max-loss cap sized the condor 10->7 in alvh, 10->8 in none, each on its own NAV (condors.csv
    nav_at_entry_usd); the condor fills before it are the same, so the hedge moved NAV. The words state the day,
    both sizes and both NAVs."""
    from vixhedge.compare_condors import condor_fills, run_books

    cfg = C.replace(C.load_default(), hedge={"divergence": {"condor_cut": 0.0}})
    cmp = compare(cfg, build_market(cfg.market), modes=("none", "alvh"), n_boot=100)
    nav = {m: cmp.results[m].condors.loc["2018-03-19", "nav_at_entry_usd"] for m in ("alvh", "none")}
    assert nav["alvh"] < nav["none"]  # $871,781 vs $966,322 since the SPX surface refit (f9ebd2d)
    words = condor_fills(run_books(cmp.results), "none")["alvh"]
    assert words.startswith(
        f"condor fills differ from none's from 2018-03-19 (8 of alvh's 59 condors and 8 of none's "
        f"{len(cmp.results['none'].condors)} differ): a capital cap sized the condor "
        f"opened 2018-03-19 (the first to differ) differently: alvh 10->7, none 10->8, on NAV ${nav['alvh']:,.0f} "
        f"vs ${nav['none']:,.0f} (the hedge had moved NAV); alvh's policy cut no contract and opened no condor "
        "scaled (none's: cut no contract and opened no condor scaled); "), words
    assert "cut or scaled none" not in words


def test_compare_page_and_text_state_each_modes_condor_fills_measured(cmp, tmp_path):
    """The page does not assert "the same condor fills": per mode it says what its files measure, the same words as
    the console's, "same condor fills as none" exactly where the mode's condor trades equal none's."""
    import html

    from vixhedge.compare import write_comparison
    from vixhedge.compare_condors import condor_fills, run_books

    words = condor_fills(run_books(cmp.results), "none")
    condor = {m: r.trades[r.trades["component"].str.startswith("condor")] for m, r in cmp.results.items()}
    for mode in ("static", "alvh"):
        assert (words[mode] == "same condor fills as none") == condor[mode].equals(condor["none"]), mode
    page = (write_comparison(cmp, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "with the same condor fills" not in page
    text = format_comparison(cmp)
    for mode, w in words.items():
        assert f"<li>{mode}: {html.escape(w)}</li>" in page and f"condors, {mode}: {w}" in text


def test_either_modes_policy_is_named_and_a_scale_alone_is_a_cause():
    """Trial MUT20's survivors: a condor the policy opened scaled but cut no contract of (vega_scale 0.5) is named
    as the first differing condor's cause, and when both modes' policies acted on it, both are named, the mode's
    first. Made-up books as above."""
    from vixhedge.compare_condors import condor_fills

    days = pd.to_datetime(["2015-06-01", "2015-06-22"])
    fills = pd.DataFrame({"component": ["condor:put", "condor:put"], "qty": [-10, 10], "price": [13.0, 2.0],
                          "fee_usd": [11.0, 11.0]}, index=days)
    condors = pd.DataFrame({"entry_date": days, "contracts": [10, 10], "vega_scale": [1.0, 1.0],
                            "contracts_cut": [0, 0]})
    books = {"none": (fills, condors, cuts_frame([])),
             "alvh": (fills.assign(qty=[-10, 5]), condors.assign(vega_scale=[1.0, 0.5]), cuts_frame([])),
             "both": (fills.assign(qty=[-10, 6]), condors.assign(contracts_cut=[0, 4]), cuts_frame([]))}
    words = condor_fills(books, "none")
    assert ("alvh's policy cut the condor opened 2015-06-22 (the first to differ) by 0 contracts and opened it at "
            "vega_scale 0.5; over the run") in words["alvh"]
    books["none"] = (fills.assign(qty=[-10, 5]), condors.assign(vega_scale=[1.0, 0.5]), cuts_frame([]))
    assert ("both's policy cut the condor opened 2015-06-22 (the first to differ) by 4 contracts; none's policy cut "
            "the condor opened 2015-06-22 (the first to differ) by 0 contracts and opened it at vega_scale 0.5; over "
            "the run") in condor_fills(books, "none")["both"]
