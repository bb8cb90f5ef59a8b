"""Robustness-trial findings on the short-rate file (feeds.loaders.rates): an isolated spike is a bad row (A), and a
rate folder the run cannot use is one line naming it, what it holds and the fix (B).

The files are written here, by hand, a few rows each; the real files are read by the ``realdata`` test only.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import numpy as np
import pytest

from feeds.check import check
from feeds.loaders import LoadError
from feeds.loaders import rates as R
from feeds.loaders.rates import SPIKE_POINTS, find_rate_file, load_fred_csv, shipped_monthly

#: the trial's repro: 25.0 typed between 0.08 and 0.10 (2014-06-02, line 4 of the file)
SPIKED = "date,value\n2014-05-30,0.09\n2014-06-01,0.08\n2014-06-02,25.0\n2014-06-03,0.10\n2014-06-04,0.09\n"


def _file(tmp_path: Path, text: str, name: str = "DFF.csv") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


# --- A: an isolated in-and-out spike is a bad row --------------------------------------------------------------------

def test_an_isolated_spike_is_a_bad_row_and_skipped(tmp_path: Path) -> None:
    r = load_fred_csv(_file(tmp_path, SPIKED))
    assert [str(b) for b in r.bad_rows] == [
        "DFF.csv, line 4: implausible rate 25.0: an isolated spike from 0.08 before it and 0.1 after it (more than 5 "
        "points from both: feeds.loaders.rates)"]
    assert r.bad_rows[0].implausible and r.bad_rows[0].day == dt.date(2014, 6, 2)
    assert r.percent.max() == 0.10 and len(r.dates) == 4
    # the day after it is priced with the value before it (0.08), as after a '.' row
    assert r.on([dt.date(2014, 6, 3)])[0] == pytest.approx(0.0008)


def test_a_spike_beside_a_missing_value_is_judged_against_the_next_value(tmp_path: Path) -> None:
    r = load_fred_csv(_file(tmp_path, "date,value\n2014-05-30,0.09\n2014-06-02,25.0\n2014-06-03,.\n2014-06-04,0.10\n"
                                      "2014-06-05,0.09\n"))
    assert [b.reason.split(":")[0] for b in r.bad_rows] == ["implausible rate 25.0", "no value ('.')"]


@pytest.mark.parametrize("values", [
    (9.50, 6.00, 9.25),  # DFF 1970-01-07: the largest real isolated spike, 3.25 points
    (7.56, 10.39, 7.69),  # DFF 1991-01-23
    (0.08, 0.08 + SPIKE_POINTS, 0.10),  # 5 points away from 0.08, 4.98 from 0.10: not more than 5 from both
    (0.10, 25.0, 20.0),  # the neighbours disagree (19.9 points apart): a level shift, not one bad value
], ids=["dff-1970", "dff-1991", "at-the-threshold", "neighbours-disagree"])
def test_moves_that_are_no_isolated_spike_pass(tmp_path: Path, values: tuple[float, ...]) -> None:
    rows = "".join(f"2014-06-0{k + 2},{v}\n" for k, v in enumerate(values))
    assert load_fred_csv(_file(tmp_path, "date,value\n" + rows)).bad_rows == ()


def test_a_value_held_over_rows_or_at_the_ends_is_not_judged(tmp_path: Path) -> None:
    """Two 25.0 in a row (as a Friday typo over a weekend of a calendar-day file), a 25.0 first or last row, and
    spikes on neighbouring rows (which one is wrong?) are no isolated spikes."""
    for values in ((0.08, 25.0, 25.0, 0.10), (25.0, 0.08, 0.10), (0.08, 0.10, 25.0), (0.08, 25.0, 0.1, 25.0, 0.1)):
        rows = "".join(f"2014-06-0{k + 2},{v}\n" for k, v in enumerate(values))
        assert load_fred_csv(_file(tmp_path, "date,value\n" + rows)).bad_rows == (), values


def _with_rates(tmp_path: Path, folder: str = "rates", text: str | None = SPIKED, name: str = "DFF.csv") -> Path:
    """synthdir's 2018 directory plus a rate folder (``text`` None: the folder empty)."""
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "data")
    (root / folder).mkdir()
    if text is not None:
        (root / folder / name).write_text(text)
    return root


def _spiked_2018() -> str:
    days = [dt.date(2017, 12, 29) + dt.timedelta(days=k) for k in range(190)]
    return "date,value\n" + "".join(f"{d},{25.0 if d == dt.date(2018, 3, 14) else 1.42}\n" for d in days)


def test_data_check_and_a_run_name_the_spike(tmp_path: Path) -> None:
    """`data check` names the row (implausible: --strict exits 1) and its range leaves it out; the run skips it (its
    rates stay at 1.42 %) and its data note names it."""
    from feeds.datanotes import window_notes
    from feeds.market import build_market
    from vixhedge.core.config import MarketConfig, MarketSource

    root = _with_rates(tmp_path, text=_spiked_2018())
    report, implausible = check(root)
    assert implausible == 1
    assert "rates/DFF.csv: 189 rate values (percent a year), 2017-12-29..2018-07-06, 1.42..1.42 %" in report
    assert "DFF.csv, line 77: implausible rate 25.0: an isolated spike from 1.42 before it and 1.42 after it" in report
    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(root)))
    assert np.allclose(market.short_rates, 0.0142) and np.allclose(market.night_rates, 0.0142)
    notes, record = window_notes(market, dt.date(2018, 2, 1), dt.date(2018, 6, 29))
    assert any(n.startswith("short-rate files: 1 row dated 2018-03-14") and "implausible rate" in n for n in notes)
    assert record["data_rejected_rows"]["short-rate"]["rows"] == 1


# --- B: a rate folder the run cannot use -----------------------------------------------------------------------------

@pytest.mark.parametrize(("name", "held"), [
    ("DFF.txt", "it holds DFF.txt (a run reads one FRED CSV file, *.csv or *.csv.gz)"),
    ("DFF.CSV", "it holds DFF.CSV (a run reads one FRED CSV file, *.csv or *.csv.gz; rename DFF.CSV to DFF.csv (names "
                "are case-sensitive))"),
    ("DFF.xlsx", "it holds DFF.xlsx (a run reads one FRED CSV file, *.csv or *.csv.gz; DFF.xlsx is a spreadsheet: "
                 "save it as CSV)"),
    (None, "it is empty (a run reads one FRED CSV file, *.csv or *.csv.gz)"),
], ids=["txt", "upper-case", "xlsx", "empty"])
@pytest.mark.parametrize("folder", ["rates", "us_short_rates"])
def test_a_rate_folder_without_a_usable_file_is_one_line(tmp_path: Path, folder: str, name: str | None,
                                                         held: str) -> None:
    root = tmp_path / "d"
    (root / folder).mkdir(parents=True)
    if name:
        (root / folder / name).write_text("date,value\n2018-01-02,1.42\n")
    with pytest.raises(LoadError) as err:
        find_rate_file(root)
    assert str(err.value) == (
        f"{root / folder}: no short-rate file: {held}: put one FRED CSV file such as DFF.csv there (`vixhedge data "
        f"fetch --cache DIR` downloads FRED's daily DFF to DIR/rates/DFF.csv), or remove the folder {root / folder} "
        "to run on the shipped monthly DFF means")


def test_an_empty_rates_folder_beside_a_good_one_loses_nothing(tmp_path: Path) -> None:
    """Review of session 8: an empty rates/ (a `data fetch --cache` left it) beside a good us_short_rates/ was refused,
    its fix ("remove the folder to run on the shipped monthly DFF means") untrue: the good folder's file is read."""
    root = tmp_path / "d"
    (root / "us_short_rates").mkdir(parents=True)
    (root / "us_short_rates" / "DFF.csv").write_text("date,value\n2018-01-02,1.42\n")
    (root / "rates").mkdir()
    assert find_rate_file(root) == root / "us_short_rates" / "DFF.csv"
    (root / "us_short_rates" / "DFF.csv").unlink()  # neither holds one: the first folder's word
    with pytest.raises(LoadError, match=r"/us_short_rates: no short-rate file: it is empty"):
        find_rate_file(root)


def test_a_good_file_beside_other_files_is_found(tmp_path: Path) -> None:
    """../shared/data's us_short_rates holds a README.md beside its CSV file: the CSV file is read."""
    root = tmp_path / "d"
    (root / "us_short_rates").mkdir(parents=True)
    (root / "us_short_rates" / "README.md").write_text("# DFF\n")
    (root / "us_short_rates" / "fred_DFF.csv.gz").write_bytes(b"")
    assert find_rate_file(root) == root / "us_short_rates" / "fred_DFF.csv.gz"
    assert find_rate_file(tmp_path) is None  # no rate folder: the shipped monthly means, as before


def test_an_unreadable_rate_folder_names_the_permission_problem(tmp_path: Path, monkeypatch) -> None:
    root = tmp_path / "d"
    (root / "rates").mkdir(parents=True)
    (root / "rates" / "DFF.csv").write_text("date,value\n2018-01-02,1.42\n")
    monkeypatch.setattr(R.os, "access", lambda *_args: False)  # as for a user without r/x on it (root has both)
    with pytest.raises(LoadError) as err:
        find_rate_file(root)
    assert str(err.value) == (f"{root / 'rates'}: the short-rate folder cannot be read (no permission to list it): "
                              f"make it readable for you (chmod u+rx {root / 'rates'}), or remove it to run on the "
                              "shipped monthly DFF means")


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a folder whatever its mode")
def test_a_folder_without_read_permission_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "rates"
    folder.mkdir()
    (folder / "DFF.csv").write_text("date,value\n2018-01-02,1.42\n")
    folder.chmod(0)
    try:
        with pytest.raises(LoadError, match="cannot be read"):
            find_rate_file(tmp_path)
    finally:
        folder.chmod(0o755)


def test_data_check_and_a_run_refuse_the_folder_before_any_work(tmp_path: Path, monkeypatch) -> None:
    """`data check`, build_market and market_for (every run's entry point) raise before the directory loads."""
    import feeds.check
    import feeds.directory
    from feeds.market import build_market, market_for
    from vixhedge.core import config as C

    root = _with_rates(tmp_path, text=None)

    def loaded(*_args, **_kw):
        raise AssertionError("the directory was loaded")

    monkeypatch.setattr(feeds.check, "load_directory", loaded)
    monkeypatch.setattr(feeds.directory, "load_directory", loaded)
    with pytest.raises(LoadError, match=r"/rates: no short-rate file: it is empty"):
        check(root)
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(root)})
    with pytest.raises(LoadError, match=r"/rates: no short-rate file: it is empty"):
        build_market(cfg.market)
    banner = []
    with pytest.raises(LoadError, match=r"/rates: no short-rate file: it is empty"):
        market_for(cfg, before_build=lambda: banner.append(1))
    assert banner == []
    # a constant rate reads no rate folder: the run goes on to the directory
    constant = C.replace(cfg, market={"rates": "constant"})
    with pytest.raises(AssertionError, match="the directory was loaded"):
        build_market(constant.market)


def test_the_cli_says_it_in_one_line(tmp_path: Path, capsys) -> None:
    from vixhedge.cli import main

    root = _with_rates(tmp_path, text="x", name="DFF.xlsx")
    assert main(["data", "check", str(root)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "rates: no short-rate file: it holds DFF.xlsx" in err[0], err


def test_data_check_prints_a_rates_line_in_every_case(tmp_path: Path) -> None:
    from tests.feeds import synthdir

    report, _ = check(synthdir.write(tmp_path / "none"))
    assert ("rates: none: the shipped monthly DFF means (no us_short_rates/ or rates/ folder; a run reads a FRED CSV "
            "file such as rates/DFF.csv for daily rates)") in report.splitlines()
    report, _ = check(_with_rates(tmp_path / "good", text="date,value\n2018-01-02,1.42\n2018-01-03,1.5\n"))
    assert "rates/DFF.csv: 2 rate values (percent a year), 2018-01-02..2018-01-03, 1.42..1.5 %" in report
    assert "rates: none" not in report


# --- the real files ---------------------------------------------------------------------------------------------------

@pytest.mark.realdata
def test_no_row_of_the_real_rate_files_is_a_spike(shared_data: Path) -> None:
    """../shared/data's DFF (1954-2026, its largest isolated spike 3.25 points) and the shipped monthly means: no row
    flagged, and the folder (a README.md beside the CSV file) is found."""
    path = find_rate_file(shared_data)
    assert path == shared_data / "us_short_rates" / "fred_DFF_daily_1954_2026.csv"
    files = sorted(p for p in (shared_data / "us_short_rates").iterdir() if p.name.endswith((".csv", ".csv.gz")))
    for series in [*(load_fred_csv(p) for p in files), shipped_monthly()]:
        assert [b for b in series.bad_rows if b.implausible] == [], series.source
    real = load_fred_csv(path)
    values = real.percent
    before, mid, after = values[:-2], values[1:-1], values[2:]
    largest = np.max(np.maximum(mid - np.maximum(before, after), np.minimum(before, after) - mid))
    assert largest == pytest.approx(3.25) and SPIKE_POINTS - largest == pytest.approx(1.75)  # the docstring's margin


def test_a_spike_needs_neighbours_that_agree() -> None:
    """MUT23 (the neighbours-agree term of rates._spikes dropped survived): a spike is a value more than 5 points
    from both neighbours "while those two agree (differ by at most SPIKE_AGREE of the smaller move)" (module
    docstring). 0.10, 25.0, 12.0, 12.0: the moves of 25.0 are 24.90 and 13.0, its neighbours 11.90 apart, more than
    0.5 x 13.0 = 6.5: a level change, not flagged. 0.08, 25.0, 0.10 (the docstring's case): moves 24.92 and 24.90,
    neighbours 0.02 apart: flagged at position 1."""
    assert R.SPIKE_AGREE == 0.5
    assert R._spikes(np.array([0.10, 25.0, 12.0, 12.0])).tolist() == []
    assert R._spikes(np.array([0.08, 25.0, 0.10])).tolist() == [1]
