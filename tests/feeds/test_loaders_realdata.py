"""The loaders on the real files of ../shared/data (marker ``realdata``; skipped when absent).

Expected counts and values come from each folder's README (rows, bad values it lists) and
MARKET_RULES.md (VIX closes 80.86 on 2008-11-20, 82.69 on 2020-03-16, 37.32 on 2018-02-05).
"""

from __future__ import annotations

import collections
import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.directory import load_directory
from feeds.loaders.index import load_cboe_index, load_ohlc
from feeds.loaders.options import load_datashop, load_generic, load_snapshot
from feeds.loaders.vx import load_vx, load_vx_files

pytestmark = pytest.mark.realdata
D = dt.date
CFE = "vix_futures_cfe_per_contract_2004_2015"


def _reasons(bad_rows) -> collections.Counter:
    return collections.Counter(b.reason.split(" (")[0] for b in bad_rows)


@pytest.fixture(scope="module")
def cfe_raw(shared_data: Path):
    return load_vx_files(sorted((shared_data / CFE / "raw").glob("CFE_*_VX.csv")))


def test_cfe_archive_files_load_with_their_bad_rows(cfe_raw) -> None:
    assert len(cfe_raw.files) == 136 and len(cfe_raw.rows) == 21_422
    # README: 338 rows with settle 0 (all prices 0, listing days) and the 1.00 settles of 2008-04-21
    assert _reasons(cfe_raw.bad_rows) == {"all prices are 0": 338, "implausible settle 1": 2}
    bad_day = [b for b in cfe_raw.bad_rows if b.reason.startswith("implausible")]
    assert {b.file for b in bad_day} == {"CFE_F09_VX.csv", "CFE_G09_VX.csv"}
    assert cfe_raw.notes == ()  # every expired contract's last row is its calendar settlement date
    k07 = cfe_raw.rows[cfe_raw.rows["contract"] == "VXK07"].set_index("trade_date")["settle"]
    # README: VXK07 settled 138.70 on 2007-03-23 (x10 quotes) and 13.79 on 2007-03-26
    assert k07[pd.Timestamp("2007-03-23")] == pytest.approx(13.87, abs=1e-12)
    assert k07[pd.Timestamp("2007-03-26")] == pytest.approx(13.79, abs=1e-12)


def test_expired_contracts_end_on_the_settlement_calendar(cfe_raw) -> None:
    rows = cfe_raw.rows
    last = rows.groupby("expiry")["trade_date"].max()
    expired = last[last.index <= rows["trade_date"].max()]
    assert len(expired) == 127
    assert (expired.index == expired.to_numpy()).all()
    holiday_moved = {pd.Timestamp("2008-02-19"), pd.Timestamp("2014-03-18")}  # Tuesdays (Presidents' Day, Good Friday)
    assert holiday_moved <= set(expired.index)


def test_consolidated_files_agree_with_the_archive(shared_data: Path, cfe_raw) -> None:
    consolidated = load_vx(shared_data / CFE / "vx_futures_daily_2004_2015.csv")
    pd.testing.assert_series_equal(consolidated.rows["settle"], cfe_raw.rows["settle"], check_exact=True)
    close_settle = load_vx(shared_data / "vix_futures_close_settle_per_contract_2004_2023" /
                           "vx_close_settle_2004_2023.csv.gz")
    assert close_settle.span == (D(2004, 3, 26), D(2023, 10, 26))
    assert _reasons(close_settle.bad_rows) == {"trade date is not an exchange session": 9, "implausible settle 1": 1,
                                               "trade date 2018-12-05 is an unscheduled closure of the NYSE": 8}
    merged = load_vx_files([shared_data / CFE / "vx_futures_daily_2004_2015.csv",
                            shared_data / "vix_futures_close_settle_per_contract_2004_2023" /
                            "vx_close_settle_2004_2023.csv.gz"])
    assert not [b for b in merged.bad_rows if "different settle" in b.reason]  # README: 0 differences
    monthly_weekly = close_settle.rows.drop_duplicates("expiry")["is_monthly"].value_counts()
    # README counts 238 monthly / 334 weekly expiries; June 2024 (Tue 06-18, Juneteenth) is monthly here
    assert monthly_weekly[True] == 239 and monthly_weekly[False] == 333


def test_settle_by_tenor_file_reports_its_flags(shared_data: Path) -> None:
    panel = load_vx(shared_data / "vix_futures_settle_all_listed_2004_2025" / "vx_settle_all_listed_2004_2025.csv.gz")
    reasons = _reasons(panel.bad_rows)
    assert reasons["flagged by the source: zero_settle"] == 842
    assert reasons["flagged by the source: double_rescaled_x0.1"] == 8
    assert panel.span == (D(2004, 3, 26), D(2025, 3, 19))


def test_index_histories(shared_data: Path) -> None:
    vix = load_cboe_index(shared_data / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv")
    close = pd.Series(vix.close, index=vix.dates)
    assert close["2008-11-20"] == 80.86 and close["2020-03-16"] == 82.69 and close["2018-02-05"] == 37.32
    assert close.max() == 82.69
    # Cboe publishes VIX on some exchange holidays since 2022: reported, not used
    off = [b for b in vix.bad_rows if b.reason.startswith("not an exchange session")]
    assert len(off) == 33
    spx = load_ohlc(shared_data / "spx_index_daily" / "SPX_daily_combined_1927_2026.csv.gz")
    assert pd.Series(spx.close, index=spx.dates)["2018-02-05"] == pytest.approx(2648.94, abs=1e-4)  # Yahoo float32
    assert spx.missing_sessions(D(1990, 1, 2), D(2026, 8, 21)).empty


def test_spx_snapshot_chains_keep_roots_apart(shared_data: Path) -> None:
    files = sorted((shared_data / "spx_option_chains_2019_sample" / "daily").glob("SPX_*.csv.gz"))
    q = load_snapshot(files[0])
    assert len(q.rows) == 13_340 and q.roots() == ["SPX", "SPXW"]
    day = D(2019, 4, 25)
    assert len(q.expirations(day, "SPX")) == 12 and len(q.expirations(day, "SPXW")) == 29
    friday = D(2019, 5, 17)  # a third Friday: listed under both roots
    assert friday in q.expirations(day, "SPX") and friday in q.expirations(day, "SPXW")
    assert not (q.rows["bid"] > q.rows["ask"]).any()


def test_datashop_and_generic_chain_samples(shared_data: Path) -> None:
    vix = load_datashop(shared_data / "vix_options_cboe_datashop_sample_2016" / "UnderlyingOptionsEODCalcs_2016-06-01.csv")
    # README: 724 rows, implied_volatility_1545 == 0 on 76 rows: the 2016-06-01 series, expiring that day with
    # no offer (ask_eod 0); the loader reports them as bad rows and keeps 648 rows of 9 expirations
    assert len(vix.rows) + len(vix.bad_rows) == 724 and len(vix.rows) == 648
    assert _reasons(vix.bad_rows) == {"no offer": 76}
    assert len(vix.expirations(D(2016, 6, 1), "VIX")) == 9 and vix.rows["iv"].notna().all()
    cols = {"quote_date": "quotedate", "expiration": "expiration", "strike": "strike", "right": "type",
            "bid": "bid", "ask": "ask", "iv": "impliedvol", "delta": "delta", "underlying": "underlying_last"}
    eod = load_generic(shared_data / "spx_option_eod_contract_samples" / "spx_contracts_2017-01_2017-05.csv",
                       cols, root="SPX")
    assert len(eod.rows) == 392
    first = eod.rows[eod.rows["quote_date"] == pd.Timestamp("2017-01-03")]["underlying"].unique()
    np.testing.assert_array_equal(first, [2257.83])  # README: the official SPX close of 2017-01-03


def test_shared_directory_market_data(shared_data: Path) -> None:
    data = load_directory(shared_data)
    assert data.layout.name == "shared" and len(data.layout.vx) == 138
    md = data.market_data()
    assert md.days[0] == D(2000, 1, 3)  # VIX misses 1999-12-31, the last gap
    assert calendars.trading_days(md.days[0], md.days[-1]).equals(md.dates)
    assert np.isfinite(md.vix_open).all()
