"""A VX file holding another contract's data, or cut short, is named before a run (robustness trial finding).

Standard-layout directories are written to tmp_path: SPX and VIX on every session of 2018-01-02..07-18, and Cboe-layout
VX files for the Feb..Jul 2018 monthly contracts from 2018-01-02 to their final settlement, priced by a formula that
gives every contract its own settle. VXM18 lacks its settlement-day row (one session short: common, not noted by a
run). In the bad directory VX_2018-04-18.csv holds VXH18's rows relabelled "J (Apr 2018)" (so VXJ18 also stops on
2018-03-21) and VX_2018-05-16.csv stops 30 sessions before its settlement.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from feeds import calendars
from feeds.check import check
from feeds.datanotes import window_notes
from feeds.directory import load_directory
from feeds.loaders.vx import VxCopy, VxStop
from feeds.market import Market, build_market
from vixhedge.core.config import MarketConfig, MarketSource

D = dt.date
START, END = D(2018, 1, 2), D(2018, 7, 18)
H18, J18, K18, M18 = D(2018, 3, 21), D(2018, 4, 18), D(2018, 5, 16), D(2018, 6, 20)
COPY_NOTE = "same settle as VX expiring"


def _vx_lines(expiry: dt.date, days, label_of: dt.date | None = None) -> list[str]:
    label_of = label_of or expiry
    label = f"{calendars.VX_MONTH_CODES[label_of.month - 1]} ({label_of:%b %Y})"
    lines = ["Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest"]
    for i, d in enumerate(days):
        day = d.date()
        if day > expiry or (expiry == M18 and day == M18):  # VXM18: no final-settlement row
            continue
        s = round(14.0 + 0.05 * i + 0.03 * (expiry - day).days, 4)
        lines.append(f"{day},{label},{s},{s},{s},{s},{s},0,100,0,1000")
    return lines


def _write(root: Path, bad: bool) -> Path:
    days = calendars.trading_days(START, END)
    (root / "vx").mkdir(parents=True)
    (root / "spx.csv").write_text("\n".join(["date,open,high,low,close"] + [
        f"{d.date()},{2700 + i},{2710 + i},{2690 + i},{2705 + i}" for i, d in enumerate(days)]) + "\n")
    (root / "vix.csv").write_text("\n".join(["DATE,OPEN,HIGH,LOW,CLOSE"] + [
        f"{d:%m/%d/%Y},{15.5 + 0.05 * i:.2f},{16 + 0.05 * i:.2f},{14 + 0.05 * i:.2f},{15 + 0.05 * i:.2f}"
        for i, d in enumerate(days)]) + "\n")
    for c in calendars.vx_contracts(D(2018, 2, 1), END):
        lines = _vx_lines(c.settlement, days)
        if bad and c.settlement == J18:  # the March file, relabelled April
            lines = _vx_lines(H18, days, label_of=J18)
        if bad and c.settlement == K18:  # cut 30 rows early
            lines = lines[:-30]
        (root / "vx" / f"VX_{c.settlement}.csv").write_text("\n".join(lines) + "\n")
    return root


@pytest.fixture(scope="module")
def bad_dir(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("bad"), bad=True)


@pytest.fixture(scope="module")
def clean_dir(tmp_path_factory) -> Path:
    return _write(tmp_path_factory.mktemp("clean"), bad=False)


def _market(root: Path) -> Market:
    return build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(root)))


def test_the_panel_holds_the_copy_and_the_stops(bad_dir: Path) -> None:
    p = load_directory(bad_dir).vx
    sessions = len(calendars.trading_days(START, H18))
    assert p.copies == (VxCopy(H18, "VX_2018-03-21.csv", J18, "VX_2018-04-18.csv", sessions, START, H18),)
    k_last = calendars.trading_days(START, K18)[-31].date()
    assert p.stops == (VxStop(J18, H18, "VX_2018-04-18.csv"), VxStop(K18, k_last, "VX_2018-05-16.csv"),
                       VxStop(M18, calendars.previous_trading_day(M18), "VX_2018-06-20.csv"))
    assert any(COPY_NOTE in n and "VX_2018-04-18.csv" in n for n in p.notes)
    assert any(n.startswith(f"VX expiring {K18}: rows stop on {k_last}") for n in p.notes)  # the truncation note kept


def test_window_notes_name_the_copy_and_the_cut(bad_dir: Path) -> None:
    notes, record = window_notes(_market(bad_dir), D(2018, 4, 2), END)
    copied = [n for n in notes if COPY_NOTE in n]
    assert len(copied) == 1 and f"VX expiring {H18} (VX_2018-03-21.csv)" in copied[0]
    assert f"VX expiring {J18} (VX_2018-04-18.csv)" in copied[0] and "relabelled" in copied[0]
    stops = [n for n in notes if "real settles of VX expiring" in n]
    assert [n.split(" stop on ")[0][-10:] for n in stops] == [str(J18), str(K18)]  # not VXM18: one session short
    assert "19 sessions before its final settlement" in stops[0] and "30 sessions before" in stops[1]
    assert all("anchored on real" in n and "give its missing rows" in n for n in stops)
    assert copied[0] in record["data_notes"] and stops[1] in record["data_notes"]


def test_a_stop_after_the_window_is_not_named_but_the_copy_is(bad_dir: Path) -> None:
    notes, _ = window_notes(_market(bad_dir), START, D(2018, 2, 28))
    assert not [n for n in notes if "real settles of VX expiring" in n]
    assert len([n for n in notes if COPY_NOTE in n]) == 1  # its sessions 2018-01-02..03-21 overlap the window


def test_a_clean_directory_gives_neither(clean_dir: Path) -> None:
    p = load_directory(clean_dir).vx
    assert p.copies == () and [s.expiry for s in p.stops] == [M18]
    notes, _ = window_notes(_market(clean_dir), START, END)
    assert not [n for n in notes if COPY_NOTE in n or "real settles of VX expiring" in n]


def test_data_check_shows_the_copy(bad_dir: Path) -> None:
    report, _ = check(bad_dir)
    assert f"  note: VX expiring {H18} (VX_2018-03-21.csv) has the same settle as VX expiring {J18}" in report


@pytest.mark.realdata
def test_shared_data_has_no_copied_contract(shared_data: Path) -> None:
    market = _market(shared_data)
    assert market.vx_panel.copies == () and market.vx_panel.stops == ()
    notes, _ = window_notes(market, market.vx_panel.span[0], market.vx_panel.span[1])
    assert not [n for n in notes if COPY_NOTE in n or "real settles of VX expiring" in n]


def test_a_relabelled_file_whose_contract_goes_on_in_another_source_is_named(tmp_path: Path) -> None:
    """Trial DF26: CFE_K15_VX.csv replaced by April's file relabelled May, ending 2015-04-01 while the consolidated
    file's May rows go on to May's settlement. The copy test needed equal settles on every session both contracts
    hold after the merge (the relabelled rows then the consolidated file's), so nothing was noted and the
    consolidated file's correct rows were dropped as "duplicate ... with a different settle; CFE_K15_VX.csv is used".
    Now a contract's rows are judged file by file: the copy is noted and each dropped row names the suspect file."""
    days = calendars.trading_days(START, END)
    vx = tmp_path / "vx"
    vx.mkdir()
    (vx / "VX_2018-03-21.csv").write_text("\n".join(_vx_lines(H18, days)) + "\n")
    (vx / "VX_2018-04-18.csv").write_text("\n".join(_vx_lines(H18, days, label_of=J18)) + "\n")  # March's data
    real = [line.split(",") for line in _vx_lines(J18, days)[1:]]
    (vx / "close_settle.csv").write_text("trade_date,expiry,is_monthly,close,settle,calendar_days_to_expiry,"
                                         "price_divisor\n" + "".join(
        f"{c[0]},{J18},True,{c[6]},{c[6]},{(J18 - D.fromisoformat(c[0])).days},1\n" for c in real))
    from feeds.loaders.vx import load_vx_files

    p = load_vx_files([vx / "VX_2018-03-21.csv", vx / "VX_2018-04-18.csv", vx / "close_settle.csv"])
    sessions = len(calendars.trading_days(START, H18))
    assert p.copies == (VxCopy(H18, "VX_2018-03-21.csv", J18, "VX_2018-04-18.csv", sessions, START, H18),)
    dropped = [b.reason for b in p.bad_rows if b.reason.startswith("duplicate")]
    assert len(dropped) == sessions and all(
        r.endswith(f"VX_2018-04-18.csv is used, but VX_2018-04-18.csv looks relabelled: its settles equal VX expiring "
                   f"{H18}'s on all {sessions} sessions both hold ({START}..{H18}): check it (if it is the other "
                   "contract's data, delete or replace it, and this file's row is used)") for r in dropped), dropped[0]


def test_a_consolidated_file_is_suspect_only_for_the_contract_it_copies(tmp_path: Path) -> None:
    """Review 26: the "looks relabelled" suffix was keyed by file: a consolidated file holding a copied March (and
    April and May) made an unrelated May disagreement with another file read "close_settle.csv looks relabelled ...
    delete or replace it". The suffix is for the copied contract's rows only."""
    from feeds.loaders.vx import load_vx_files

    days = calendars.trading_days(START, END)
    vx = tmp_path / "vx"
    vx.mkdir()
    # March's data under April's label
    (vx / "VX_2018-04-18.csv").write_text("\n".join(_vx_lines(H18, days, label_of=J18)) + "\n")

    def rows(expiry: dt.date, bump: str = "") -> list[str]:
        out = []
        for line in _vx_lines(expiry, days)[1:]:
            c = line.split(",")
            s = float(c[6]) + (0.5 if c[0] == bump else 0.0)
            out.append(f"{c[0]},{expiry},True,{s},{s},{(expiry - D.fromisoformat(c[0])).days},1\n")
        return out

    head = "trade_date,expiry,is_monthly,close,settle,calendar_days_to_expiry,price_divisor\n"
    (vx / "close_settle.csv").write_text(head + "".join(sorted(rows(H18) + rows(J18) + rows(K18))))
    (vx / "settle_all.csv").write_text(head + "".join(rows(K18, bump="2018-05-01")))
    panel = load_vx_files([vx / "VX_2018-04-18.csv", vx / "close_settle.csv", vx / "settle_all.csv"])
    assert [(c.expiry, c.files, c.other) for c in panel.copies] == [(H18, "close_settle.csv", J18)]
    may = [b.reason for b in panel.bad_rows if b.file == "settle_all.csv" and b.day == D(2018, 5, 1)]
    assert may == ["duplicate of close_settle.csv line 213 for VXK18 on 2018-05-01 with a different settle (19.05 vs "
                   "18.55); close_settle.csv is used"]
