"""Plausibility rules (feeds.loaders.plausible, plausible_vx): real spikes pass, wrong values are bad rows.

Synthetic directories come from tests/feeds/synthdir.py (a coherent seeded market with a real-like
x2.15 VIX spike on 2018-02-05); the real-data test runs the rules over ../shared/data.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from feeds import calendars
from feeds.directory import CoverageError, load_directory
from feeds.loaders.plausible import load_rules
from feeds.loaders.vx import load_vx
from feeds.marketdata import DataError
from tests.feeds import synthdir
from vixhedge.cli import main

D = dt.date


def _edit(path: Path, fn) -> None:
    lines = path.read_text().splitlines()
    path.write_text("\n".join(fn(lines)) + "\n")


def _vx_line(root: Path, expiry: str, day: dt.date) -> tuple[Path, int]:
    path = root / "vx" / f"VX_{expiry}.csv"
    lines = path.read_text().splitlines()
    return path, next(k for k, line in enumerate(lines) if line.startswith(str(day)))


def _ohlc(line: str, factor: float) -> str:
    day, *px = line.split(",")
    return ",".join([day, *(f"{float(x) * factor:.2f}" for x in px)])


def _implausible(data) -> list[str]:
    return [str(b) for h in (data.spx, data.vix, data.vx) for b in h.bad_rows if b.implausible]


def test_a_coherent_market_with_a_real_spike_raises_no_alarm(tmp_path: Path) -> None:
    data = load_directory(synthdir.write(tmp_path / "d"))
    assert _implausible(data) == []
    spike = data.vx.rows[data.vx.rows["trade_date"] == "2018-02-05"]
    assert len(spike) == 8  # every contract's spike day is used


@pytest.mark.parametrize("factor", [1e12, 3.0, 0.25])
def test_one_wrong_settle_is_a_bad_row_and_its_neighbours_are_not(tmp_path: Path, factor: float) -> None:
    root = synthdir.write(tmp_path / "d")
    path, k = _vx_line(root, "2018-05-16", D(2018, 3, 14))

    def scale(lines: list[str]) -> list[str]:
        cells = lines[k].split(",")
        cells[2:7] = [f"{float(cells[6]) * factor:g}"] * 5
        lines[k] = ",".join(cells)
        return lines

    _edit(path, scale)
    data = load_directory(root)
    bad = _implausible(data)
    assert len(bad) == 1 and bad[0].startswith(f"VX_2018-05-16.csv, line {k + 1}: implausible"), bad
    assert [b.day for b in data.vx.bad_rows if b.implausible] == [D(2018, 3, 14)]  # the panel screen dates it too


def test_a_whole_file_x10_is_named_as_the_pre_2007_convention(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "d")
    path = root / "vx" / "VX_2018-06-20.csv"
    _edit(path, lambda lines: lines[:1] + [",".join(c[:2] + [f"{float(x) * 10:g}" for x in c[2:7]] + c[7:])
                                           for c in (line.split(",") for line in lines[1:])])
    bad = _implausible(load_directory(root))
    assert len(bad) == len(path.read_text().splitlines()) - 1
    assert all("looks quoted x10 (the x10 convention applies only to VX before 2007-03-26" in b for b in bad)


def test_a_pre_2007_file_already_in_vix_points_is_named(tmp_path: Path) -> None:
    path = tmp_path / "CFE_K06_VX.csv"
    path.write_text("Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest\n"
                    "1/3/2006,K (May 06),13.5,13.6,13.4,13.5,13.52,0,10,0,100\n")
    bad = [str(b) for b in load_vx(path).bad_rows]
    assert bad == ["CFE_K06_VX.csv, line 2: implausible settle 1.352 (below 5 VIX points): looks divided by 10 twice "
                   "(CFE quoted VX x10 before 2007-03-26 and the loader divides; this file seems to be in VIX points "
                   "already)"]


def test_a_pre_2007_settle_too_low_even_undivided_is_not_called_divided_twice(tmp_path: Path) -> None:
    """MUT26 VR8 (``settle * 10`` -> ``settle * 100``): the hint "divided by 10 twice" fits a settle that undivided
    (x10) would reach 5 VIX points (MIN_SETTLE, README); the file's 3 (0.3 after the pre-2007-03-26 /10) is below 5
    even undivided: the row is implausible with no hint."""
    path = tmp_path / "CFE_K06_VX.csv"
    path.write_text("Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest\n"
                    "1/3/2006,K (May 06),3,3,3,3,3,0,10,0,100\n")
    assert [str(b) for b in load_vx(path).bad_rows] == [
        "CFE_K06_VX.csv, line 2: implausible settle 0.3 (below 5 VIX points)"]


def test_settles_lagged_a_day_are_flagged(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "d")
    path = root / "vx" / "VX_2018-07-18.csv"

    def lag(lines: list[str]) -> list[str]:
        rows = [line.split(",") for line in lines[1:]]
        shifted = [r[:2] + rows[max(i - 1, 0)][2:] for i, r in enumerate(rows)]
        return lines[:1] + [",".join(r) for r in shifted]

    _edit(path, lag)
    bad = _implausible(load_directory(root))
    assert bad and all("follow VIX a day late" in b for b in bad)


def test_close_far_from_settle_is_a_bad_row(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "d")
    path, k = _vx_line(root, "2018-04-18", D(2018, 3, 1))

    def close_x10(lines: list[str]) -> list[str]:
        cells = lines[k].split(",")
        cells[3] = cells[5] = f"{float(cells[5]) * 10:g}"  # high and close
        lines[k] = ",".join(cells)
        return lines

    _edit(path, close_x10)
    bad = [str(b) for b in load_vx(path).bad_rows]
    assert len(bad) == 1 and "implausible VX close" in bad[0] and f"line {k + 1}" in bad[0]


def test_a_rejected_vix_row_stops_the_window_by_name(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "d")
    _edit(root / "vix.csv", lambda lines: [*lines[:60], "03/28/2018,17,1e12,16,1e12", *lines[61:]])
    data = load_directory(root)
    md = data.market_data()  # the latest gap-free span starts after the bad row, and says why
    assert md.days[0] == D(2018, 3, 29) and md.cut == (
        "vix.csv: VIX missing on 2018-03-28 (a session the SPX file has); its row exists but was rejected: vix.csv, "
        "line 61: implausible VIX close 1e+12: outside 5..150")
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.window import check_window

    cfg = C.replace(C.load_default(), run={"start": D(2018, 3, 1), "end": D(2018, 6, 29)},
                    market={"source": "directory", "data_dir": str(root)})
    # 2018-05-17: the 35th session from 2018-03-29 (Good Friday 03-30 closed): 34 bars of MACD warm-up before it; a
    # rejected value might be real (trial H: a 1987-size day), so the fix names plausibility.toml too
    with pytest.raises(C.ConfigError, match=r"^vix\.csv: VIX missing on 2018-03-28 .* line 61: implausible VIX close "
                                            r"1e\+12: outside 5\.\.150: the gap lies inside the run "
                                            r"2018-03-01\.\.2018-06-29: restore the row \(if the value is real, widen "
                                            r"its limit in the data directory's plausibility\.toml: README, Plausibility "
                                            r"rules\), or start the run on 2018-05-17 or later"):
        check_window(cfg, build_market(cfg.market))
    with pytest.raises(CoverageError, match="rejected"):
        data.market_data(D(2018, 3, 1), D(2018, 4, 30))
    assert data.market_data(D(2018, 4, 2), D(2018, 6, 29)).days[0] == D(2018, 4, 2)


def test_data_check_reports_implausible_rows_and_exits_1_on_them_only_with_strict(tmp_path: Path, capsys) -> None:
    """Exit policy (vixhedge data check --help): 0 when every file loads, its bad rows skipped; 1 with --strict."""
    root = synthdir.write(tmp_path / "d")
    assert main(["data", "check", str(root), "--strict"]) == 0
    _edit(root / "spx.csv", lambda lines: [*lines[:30], _ohlc(lines[30], 10), *lines[31:]])
    assert main(["data", "check", str(root)]) == 0
    assert "IMPLAUSIBLE VALUES: 1 row(s)" in capsys.readouterr().out
    assert main(["data", "check", str(root), "--strict"]) == 1
    assert "IMPLAUSIBLE VALUES: 1 row(s)" in capsys.readouterr().out


def _close(line: str, close: str) -> str:
    return ",".join([*line.split(",")[:4], close])


@pytest.mark.parametrize("file, close, reason", [
    # the trial's edits: a VIX close of 1650 (high/low no longer bracket it) and an SPX close of -11939
    ("vix.csv", "1650", "line 31: implausible VIX close 1650: outside 5..150"),
    ("spx.csv", "-11939", "line 31: implausible SPX close -11939: outside 1..100000"),
], ids=["vix-unbracketed", "spx-negative"])
def test_an_absurd_close_is_implausible_even_when_the_row_is_bad_for_another_reason(tmp_path: Path, capsys, file,
                                                                                    close, reason) -> None:
    """README: --strict exits 1 when any row breaks the plausibility rules; range limits from Rules (5..150, 1..1e5)."""
    root = synthdir.write(tmp_path / "d")
    _edit(root / file, lambda lines: [*lines[:30], _close(lines[30], close), *lines[31:]])
    assert any(reason in b for b in _implausible(load_directory(root)))
    assert main(["data", "check", str(root), "--strict"]) == 1
    assert "IMPLAUSIBLE VALUES: 1 row(s)" in capsys.readouterr().out


def test_rules_are_configurable_per_directory(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "d")
    _edit(root / "spx.csv", lambda lines: [*lines[:30], _ohlc(lines[30], 1.3), *lines[31:]])
    assert len(_implausible(load_directory(root))) == 1
    (root / "plausibility.toml").write_text("[spx]\njump_log = 0.5\n")
    assert _implausible(load_directory(root)) == []
    (root / "plausibility.toml").write_text("[spx]\njump_log = inf\n")
    with pytest.raises(DataError, match=r"plausibility.toml: spx.jump_log = inf is invalid: use a finite number"):
        load_rules(root / "plausibility.toml")
    (root / "plausibility.toml").write_text("[vx]\nratio = 2\n")
    with pytest.raises(DataError, match=r"unknown key vx.ratio"):
        load_directory(root)


@pytest.mark.parametrize("text, message", [
    # the trial's three: a range upside down, a jump limit of 0 (every move flagged), a value where a table goes
    ("[vix]\nlow = 100\nhigh = 5\n", r"plausibility.toml: vix.low = 100 is not below vix.high = 5: every row would be "
                                    r"implausible; make low < high \(defaults 5 and 150\)$"),
    ("[vix]\nlow = 200\n", r"vix.low = 200 is not below vix.high = 150"),  # the default high, 150 (Rules.vix)
    ("[spx]\njump_log = 0\n", r"plausibility.toml: spx.jump_log = 0 is invalid: use a finite number > 0 "
                              r"\(default 0.25\)$"),
    ("[vx]\nmax_gap_days = 0\n", r"vx.max_gap_days = 0 is invalid: use a finite number > 0 \(default 7\)$"),
    ("[vx]\nvix_ratio = [3, 0.2]\n", r"vx.vix_ratio = \[3, 0.2\] is not ascending: write \[lower, upper\] with "
                                     r"lower < upper \(default \[0.2, 3.0\]\)$"),
    ("vix = 3\n", r"plausibility.toml: vix = 3 is not a table: write \[vix\] on its own line, then its keys "
                  r"\(low, high, jump_log, max_gap_days, median\) one per line$"),
], ids=["low-above-high", "low-above-default-high", "jump-zero", "gap-zero", "pair-reversed", "not-a-table"])
def test_contradictory_rules_are_one_line_naming_the_file_before_any_row_is_judged(tmp_path: Path, text: str,
                                                                                   message: str) -> None:
    path = tmp_path / "plausibility.toml"
    path.write_text(text)
    with pytest.raises(DataError, match=message) as exc:
        load_rules(path)
    assert "\n" not in str(exc.value)


def test_a_rule_low_of_zero_is_allowed(tmp_path: Path) -> None:
    """A low of 0 only drops the lower limit (closes must be > 0 anyway); default high 150 (Rules.vix)."""
    path = tmp_path / "plausibility.toml"
    path.write_text("[vix]\nlow = 0\n")
    assert (load_rules(path).vix.low, load_rules(path).vix.high) == (0, 150.0)


@pytest.mark.realdata
def test_real_stress_days_raise_no_false_alarm(shared_data: Path) -> None:
    data = load_directory(shared_data)
    # 2008, 2015-08-24, 2018-02-05 and 2020-03 pass; the six rows flagged are real data errors: CFE's 1.00
    # settles of 2008-04-21 (four files), VXQ09 18.14 on 2008-10-30 between 32.16 and 35.00 (no trade), and
    # VXG14's listing-day 10.25 on 2013-05-28 before its first trade at 20.00.
    assert sorted(_implausible(data)) == sorted([
        "CFE_F09_VX.csv, line 3: implausible settle 1 (below 5 VIX points)",
        "CFE_G09_VX.csv, line 45: implausible settle 1 (below 5 VIX points)",
        "vx_close_settle_2004_2023.csv.gz, line 5578: implausible settle 1 (below 5 VIX points)",
        "vx_settle_all_listed_2004_2025.csv.gz, line 5574: implausible settle 1 (below 5 VIX points)",
        "CFE_Q09_VX.csv, line 8: implausible VX settle 18.14: a day-over-day move of 0.564x (limit 1.49x) that "
        "VIX or the other contracts did not make",
        "CFE_G14_VX.csv, line 3: implausible VX settle 10.25: a day-over-day move of 0.513x (limit 1.49x) that "
        "VIX or the other contracts did not make"])
    rows = data.vx.rows
    for day in ("2008-10-24", "2008-11-20", "2015-08-24", "2018-02-05", "2020-03-16", "2020-03-18"):
        assert (rows["trade_date"] == day).sum() >= 6, day
    assert data.market_data().days[0] == D(2000, 1, 3)


def test_a_scaled_contract_of_a_consolidated_vx_file_is_named_not_the_file() -> None:
    """The trial: one contract's median was reported as "the file's median 1e+09". In a file of two contracts, the
    one scaled x100 (settles 1500..1540, the other's 15.0..15.4) is named with its expiry; the other passes."""
    import numpy as np

    from feeds.loaders.plausible_vx import file_reasons

    days = np.array([f"2018-01-{d:02d}" for d in (2, 3, 4, 5, 8)] * 2, dtype="datetime64[D]")
    expiry = np.array(["2018-02-14"] * 5 + ["2018-03-21"] * 5, dtype="datetime64[D]")
    settle = np.array([15.0, 15.1, 15.2, 15.3, 15.4] + [1500.0, 1510.0, 1520.0, 1530.0, 1540.0])
    cols = {"trade_date": days, "expiry": expiry, "settle": settle, "close": settle.copy(),
            "contract": np.array(["VXG18"] * 5 + ["VXH18"] * 5, dtype=object)}
    out = file_reasons(cols, np.ones(10, dtype=bool))
    assert list(out[:5]) == [""] * 5
    assert set(out[5:]) == {"implausible VX settle: the median of contract VXH18 (expiring 2018-03-21), 1520, is "
                            "outside 8..75, its whole series looks scaled"}


def _scale_vix(root: Path, first: dt.date, last: dt.date, factor: float) -> list[dt.date]:
    """Multiply the VIX rows dated first..last by ``factor``; return their dates."""
    days = [d for d in synthdir.series()[0] if first <= d <= last]
    keys = {f"{d:%m/%d/%Y}" for d in days}
    _edit(root / "vix.csv", lambda lines: [_ohlc(line, factor) if line.split(",")[0] in keys else line
                                           for line in lines])
    return days


@pytest.mark.parametrize("factor", [8.0, 9.0], ids=["inside-range", "partly-outside-range"])
def test_a_block_of_vix_closes_keyed_xn_is_flagged_whole_and_vx_is_not_blamed(tmp_path: Path, factor: float) -> None:
    """Trial DF26 (vix_x10_aug2016): VIX keyed x10 for seven weeks (110-140, inside 5..150) kept the block, flagged only
    its two edges, named the good row after it and rejected ~400 correct VX settles as "divided by 10 twice". Now
    the rows of the block are the bad rows, the row after it is used, and no VX settle is blamed (x9: some rows of
    the block leave the range; they still carry the block's moves in and out)."""
    root = synthdir.write(tmp_path / "d")
    block = _scale_vix(root, D(2018, 4, 2), D(2018, 4, 20), factor)
    data = load_directory(root)
    vix_bad = [b for b in data.vix.bad_rows if b.implausible]
    assert [b.day for b in vix_bad] == block
    shifted = [b.reason for b in vix_bad if "outside 5..150" not in b.reason]
    assert shifted and all("in a block of rows 2018-04-02..2018-04-20 shifted" in r for r in shifted), shifted
    assert factor != 8.0 or len(shifted) == len(block)
    assert [b for b in data.vx.bad_rows if b.implausible] == []
    assert data.market_data().days[0] == D(2018, 4, 23)  # the good row after the block is used (it was the cut)


def test_vx_settles_are_not_blamed_where_vix_is_the_outlier(tmp_path: Path) -> None:
    """VIX x8 from 2018-05-01 to the end of the file (no move back: its own screen flags only the first row): the
    VX contracts did not move, VIX did, so the settles beside the wrong closes are not bad rows. The wrong closes
    after the first are (review of DFX26: they were kept, and the market, cut at the first, was the x8 closes alone,
    used without a word): VIX is rejected on the days its VX settles (two contracts or more) find it the outlier, each
    row named with its line, and the market ends before the shift."""
    root = synthdir.write(tmp_path / "d")
    shifted = _scale_vix(root, D(2018, 5, 1), D(2018, 6, 29), 8.0)
    data = load_directory(root)
    bad = [b for b in data.vix.bad_rows if b.implausible]
    listed = {d for d in shifted if (data.vx.rows["trade_date"].dt.date == d).sum() >= 2}  # VX quoted that day
    assert bad[0].day == D(2018, 5, 1) and {b.day for b in bad[1:]} == listed - {D(2018, 5, 1)} and len(listed) > 30
    assert all("the VIX row looks mis-keyed" in b.reason and b.line > 1 for b in bad[1:]), bad[1]
    lines = (root / "vix.csv").read_text().splitlines()
    assert all(lines[b.line - 1].startswith(f"{b.day:%m/%d/%Y},") for b in bad)  # the line is the row's own
    assert [str(b) for b in data.vx.bad_rows if b.implausible] == []
    assert data.market_data().days[-1] == D(2018, 4, 30)


def test_every_vx_contract_scaled_is_still_blamed_on_vx(tmp_path: Path) -> None:
    """The counterpart: every VX file x8 from 2018-05-01 on, VIX right: the VX settles moved, VIX did not."""
    root = synthdir.write(tmp_path / "d")
    for path in (root / "vx").glob("VX_*.csv"):
        _edit(path, lambda lines: lines[:1] + [
            ",".join(c[:2] + [f"{float(x) * 8:g}" for x in c[2:7]] + c[7:]) if c[0] >= "2018-05-01" else ",".join(c)
            for c in (line.split(",") for line in lines[1:])])
    data = load_directory(root)
    assert [b for b in data.vix.bad_rows if b.implausible] == []
    bad = [b for b in data.vx.bad_rows if b.implausible]
    assert bad and all(b.day >= D(2018, 5, 1) for b in bad)


def test_a_vx_contract_s_shifted_block_says_who_did_not_make_it_inside_its_words() -> None:
    """Review 26: a VX contract's block x3 read "... the whole block looks mis-keyed that the file's other contracts
    did not make" (the clause appended after the conclusion). The clause now follows the shift."""
    import numpy as np

    from feeds.loaders.plausible_vx import file_reasons

    days = np.array(calendars.trading_days(D(2018, 1, 2), D(2018, 3, 9)).values.astype("datetime64[D]"))
    n = len(days)
    base = 15.0 + 0.05 * np.arange(n)
    expiries = ("2018-04-18", "2018-05-16", "2018-06-20")
    settle = np.concatenate([base + k for k in range(3)])
    settle[20:30] *= 3  # the first contract's rows 20..29
    cols = {"trade_date": np.tile(days, 3), "expiry": np.repeat(np.array(expiries, dtype="datetime64[D]"), n),
            "settle": settle, "close": settle.copy()}
    out = file_reasons(cols, np.ones(3 * n, dtype=bool))
    flagged = [str(r) for r in out if r]
    assert len(flagged) == 10 and all(r.startswith("implausible VX settle ") for r in flagged)
    assert all(f"in a block of rows {days[20]}..{days[29]} shifted 3.01x from the rows around it that the file's other "
               "contracts did not make (and back 0.3" in r and r.endswith("the whole block looks mis-keyed")
               for r in flagged), flagged[0]


def test_a_settle_above_the_upper_vix_ratio_is_a_bad_row_naming_the_ratio() -> None:
    """MUT26 P12 (only the lower vix_ratio bound applied): the Scale rule (feeds.loaders.plausible: a settle outside
    ``vix_ratio`` x the same day's VIX close; default 0.2..3): two contracts over three sessions, VIX 15 each day,
    settles 15.5 and 16 but one of 60: 60 / 15 = 4 (by hand) > 3 is that row's reason, in those words; no other row
    is bad."""
    import numpy as np
    import pandas as pd

    from feeds.loaders.plausible_vx import screen_panel

    days = pd.to_datetime(["2018-01-02", "2018-01-03", "2018-01-04"] * 2)
    rows = pd.DataFrame({"trade_date": days, "expiry": pd.to_datetime(["2018-02-14"] * 3 + ["2018-03-21"] * 3),
                         "settle": [15.5, 60.0, 15.5, 16.0, 16.0, 16.0], "file": "vx.csv", "line": range(2, 8)})
    keep, bad, wrong = screen_panel(rows, pd.DatetimeIndex(days[:3]), np.array([15.0, 15.0, 15.0]))
    assert keep.tolist() == [True, False, True, True, True, True] and wrong == {}
    assert [(b.line, b.reason, b.day) for b in bad] == [
        (3, "implausible VX settle 60: 4x the VIX close 15 (allowed 0.2..3x)", D(2018, 1, 3))]


@pytest.mark.parametrize("settle, hint", [
    (150.0, ": looks quoted x10 (the x10 convention applies only to VX before 2007-03-26 and is undone by the loader)"),
    (1.5, ": looks divided by 10 twice"),
], ids=["x10", "x0.1"])
def test_a_settle_near_10x_or_0_1x_the_vix_close_names_the_likely_scale(settle: float, hint: str) -> None:
    """MUT26 P2 P3 (the hints' ranges emptied): the Scale rule of feeds.loaders.plausible's docstring, "a ratio near
    10 says "quoted x10" ..., near 0.1 "divided by 10 twice""; three contracts, VIX 15: 150 / 15 = 10 and
    1.5 / 15 = 0.1 (by hand), the day's median ratio stays ~1.07 (VIX is not the outlier)."""
    import numpy as np
    import pandas as pd

    from feeds.loaders.plausible_vx import screen_panel

    days = pd.to_datetime(["2018-01-02", "2018-01-03", "2018-01-04"] * 3)
    rows = pd.DataFrame({"trade_date": days, "expiry": pd.to_datetime(
        ["2018-02-14"] * 3 + ["2018-03-21"] * 3 + ["2018-04-18"] * 3),
        "settle": [15.5, settle, 15.5, 16.0, 16.0, 16.0, 16.5, 16.5, 16.5], "file": "vx.csv", "line": range(2, 11)})
    keep, bad, wrong = screen_panel(rows, pd.DatetimeIndex(days[:3]), np.array([15.0, 15.0, 15.0]))
    assert keep.tolist() == [True, False] + [True] * 7 and wrong == {}
    ratio = "10" if settle > 15 else "0.1"
    assert [(b.line, b.reason) for b in bad] == [
        (3, f"implausible VX settle {settle:g}: {ratio}x the VIX close 15 (allowed 0.2..3x){hint}")]


def _alone(settles: list[list[float]], days: list[str]) -> list[str]:
    """file_reasons (a VX file judged alone: alone_jump_log 1.0, its own contracts the neighbours) of contracts
    with ``settles`` each on ``days``."""
    import numpy as np

    from feeds.loaders.plausible_vx import file_reasons

    expiries = ["2018-04-18", "2018-05-16", "2018-06-20", "2018-07-18", "2018-08-22"][:len(settles)]
    cols = {"trade_date": np.array(days * len(settles), dtype="datetime64[D]"),
            "expiry": np.repeat(np.array(expiries, dtype="datetime64[D]"), len(days)),
            "settle": np.array([s for row in settles for s in row])}
    cols["close"] = cols["settle"].copy()
    return [str(r) for r in file_reasons(cols, np.ones(len(cols["settle"]), dtype=bool))]


WEEK = ["2018-01-02", "2018-01-03", "2018-01-04", "2018-01-05", "2018-01-08"]


def test_a_move_all_contracts_make_is_explained_only_with_three_other_contracts() -> None:
    """MUT26 P7 (``count > min_neighbours`` -> ``>=``): feeds.loaders.plausible's docstring, a move is explained by
    "the median move of the other contracts that day (at least ``min_neighbours`` contracts)", default 3. Every
    contract x3 from 2018-01-04 on (log 1.10 > alone_jump_log 1.0): with 4 contracts each has 3 others and none is
    flagged; with 3 contracts each has 2, and each contract's first row of the shift is flagged (a lasting shift)."""
    four = [[15.0 + k, 15.0 + k, 45.0 + 3 * k, 45.0 + 3 * k, 45.0 + 3 * k] for k in range(4)]
    assert _alone(four, WEEK) == [""] * 20
    out = _alone(four[:3], WEEK)
    assert [i for i, r in enumerate(out) if r] == [2, 7, 12]
    assert all(out[i].startswith("implausible VX settle ") for i in (2, 7, 12))


def test_a_move_over_a_gap_of_exactly_max_gap_days_is_explained_by_the_other_contracts() -> None:
    """MUT26 P8 (neighbour moves only over gaps < max_gap_days): moves "over a gap of more than ``max_gap_days``
    calendar days are not judged" (feeds.loaders.plausible's docstring; default 7), so a move over exactly 7 days
    (2018-01-03 -> 01-10, by hand) is judged, and the same move of the other 3 contracts over it explains it."""
    days = ["2018-01-02", "2018-01-03", "2018-01-10", "2018-01-11"]
    four = [[15.0 + k, 15.0 + k, 45.0 + 3 * k, 45.0 + 3 * k] for k in range(4)]
    assert _alone(four, days) == [""] * 16
    assert [i for i, r in enumerate(_alone(four[:3], days)) if r] == [2, 6, 10]  # judged: unexplained with 2 others


def test_a_contract_of_two_rows_has_its_jump_judged() -> None:
    """MUT26 P9 (``len(settle) < 2`` -> ``< 3``: two rows never judged): feeds.loaders.plausible's docstring, "a
    series' first row with an unexplained move out, such as CFE's 10.25 listing-day settle ... is flagged on its own
    row only": 10 then 30 (log 1.10 > alone_jump_log 1.0), one contract, the first row is flagged."""
    out = _alone([[10.0, 30.0]], WEEK[:2])
    assert out[0].startswith("implausible VX settle 10: ") and out[1] == ""


def test_a_row_out_of_range_keeps_its_reason_and_is_no_jump_for_its_neighbours() -> None:
    """MUT26 P11 (rows already bad judged for jumps too): file_reasons judges jumps among the rows still plausible
    (feeds.loaders.plausible: range first); 150 among 15s is outside 5..100 (vx.low..vx.high) and near x10, so its
    reason is the range's with the x10 hint, not a jump, and the 15s around it are good."""
    out = _alone([[15.0, 15.0, 150.0, 15.0, 15.0]], WEEK)
    assert out == ["", "", "implausible VX settle 150: outside 5..100: looks quoted x10 (the x10 convention applies "
                           "only to VX before 2007-03-26 and is undone by the loader)", "", ""]


def _series(values: list[float]):
    """One series of consecutive calendar days from 2016-01-04 (no gap over max_gap_days)."""
    first = np.datetime64("2016-01-04", "D")  # (units throughout: numpy 2.5 deprecates adding a bare int, COMPAT39)
    days = np.arange(first, first + np.timedelta64(len(values), "D"))
    return np.zeros(len(values)), days, np.array(values, dtype=float)


def test_a_move_back_of_another_size_closes_no_block() -> None:
    """MUT28 pl12: a shifted block needs "the series' next unexplained move the opposite way and of about the same
    size" (feeds.loaders.plausible's docstring; the code's "about": |in + out| <= half the smaller). By hand: 10 ->
    20 (log +0.693) at row 4, 20 -> 14 (log -0.357) at row 7: |0.693 - 0.357| = 0.336 > 0.178, so no block: two
    lasting shifts, each flagged on its first row (4 and 7), not rows 4-6."""
    from feeds.loaders.plausible import jump_flags

    flagged, moves, block = jump_flags(*_series([10.0] * 4 + [20.0] * 3 + [14.0] * 5), limit=0.25, max_gap_days=7)
    assert np.flatnonzero(flagged).tolist() == [4, 7]
    assert moves[[4, 7]] == pytest.approx([np.log(2.0), np.log(0.7)]) and (block[:, 0] == -1).all()


def test_a_block_as_long_as_the_rows_outside_it_is_no_block() -> None:
    """MUT28 pl13: a shifted block has "fewer rows between them than outside them" (the module docstring). By hand:
    10, 10, then four rows x2, then 10, 10: 4 rows in it, 4 outside, not fewer: the moves in (row 2) and back (row
    6) are each a lasting shift, flagged on their first rows; with 3 rows outside more (11 rows) it is a block, rows
    2-5 flagged whole."""
    from feeds.loaders.plausible import jump_flags

    flagged, _, _ = jump_flags(*_series([10.0, 10.0] + [20.0] * 4 + [10.0, 10.0]), limit=0.25, max_gap_days=7)
    assert np.flatnonzero(flagged).tolist() == [2, 6]
    flagged, _, block = jump_flags(*_series([10.0, 10.0] + [20.0] * 4 + [10.0] * 5), limit=0.25, max_gap_days=7)
    assert np.flatnonzero(flagged).tolist() == [2, 3, 4, 5] and block[2, :2].tolist() == [2.0, 5.0]


def test_a_lone_move_out_of_a_row_out_of_range_blames_no_good_row() -> None:
    """MUT28 pl14: "a move from or to one [a row already bad] never flags a good row by itself" (jump_flags'
    docstring). VIX 200 (outside 5..150, README *Plausibility* table) then five closes of 20: the first row's reason
    is the range's; the move out of it, log(20 / 200) = -2.30 beyond VIX's 1.0, blames none of the 20s."""
    from feeds.loaders.plausible import index_reasons

    _, days, close = _series([200.0] + [20.0] * 5)
    out = index_reasons("VIX", days, close, np.ones(len(close), dtype=bool))
    assert out.tolist() == ["implausible VIX close 200: outside 5..150"] + [""] * 5


def test_an_spx_close_past_1_6_times_its_years_range_is_implausible() -> None:
    """MUT28 pl16: README *Plausibility* table, SPX range "1.6 x its 1990-2026 yearly range". 2008's closes
    752.44..1447.16 (../shared/data/spx_index_daily/SPX_daily_combined_1927_2026.csv.gz, pandas; SPX_YEARLY
    752..1447): 1447 x 1.6 = 2315.2 < 2400 (a 2.0 band, 2894, would pass it), so a 2008 close of 2400 is the
    range's bad row, not a jump."""
    from feeds.loaders.plausible import index_reasons

    days = np.arange(np.datetime64("2008-06-02"), np.datetime64("2008-06-12"))
    close = np.array([1400.0] * 5 + [2400.0] + [1400.0] * 4)
    out = index_reasons("SPX", days, close, np.ones(len(close), dtype=bool))
    assert out.tolist() == [""] * 5 + ["implausible SPX close 2400: far outside SPX's 2008 range 752..1447"] + [""] * 4


@pytest.mark.parametrize("text, message", [
    ("[vix]\nlow = 20\nhigh = 20\n", r"vix.low = 20 is not below vix.high = 20: every row would be implausible"),
    ("[vx]\nvix_ratio = [1, 1]\n", r"vx.vix_ratio = \[1, 1\] is not ascending: write \[lower, upper\] with lower < "
                                   r"upper"),
    ("[vx]\nmin_neighbours = 2.5\n", r"vx.min_neighbours = 2.5 is invalid: use a finite number > 0 \(default 3\)$"),
], ids=["low-equal-high", "pair-equal", "count-not-whole"])
def test_an_empty_range_and_a_fractional_count_are_refused(tmp_path: Path, text: str, message: str) -> None:
    """MUT28 pl3, pl4, pl18: README *Plausibility*: "a range not ascending (low < high, pairs [lower, upper]) is a
    one-line error naming the file": low == high and a pair of equal ends are not ascending (strict); a count whose
    default is whole (vx.min_neighbours, 3 contracts) takes no fraction."""
    path = tmp_path / "plausibility.toml"
    path.write_text(text)
    with pytest.raises(DataError, match=message):
        load_rules(path)
