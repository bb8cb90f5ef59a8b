"""The tables `compare --period all` and `compare --windows` write keep each float as the console formats it: their
shortest repr, as paired.csv (vixhedge/compare.py, trial RS38 L1), not 10 significant digits. At %.10g a P&L
difference of 74316.49999999999 was written 74316.5, and the periods page drew +$74,317 from periods.csv beside
periods.txt's +$74,316 (the console's, from the figure itself)."""

from __future__ import annotations

import re

import pandas as pd

from tests.vixhedge.test_cli_fuzz37 import _periods_folder

#: RS38 L1's hedge cost: a float just below a half dollar, whose %.10g form (74316.5) rounds up
HALF_BELOW = 74316.49999999999
NAN = float("nan")


def test_the_periods_page_shows_the_difference_periods_txt_shows(tmp_path) -> None:
    out = _periods_folder(tmp_path, HALF_BELOW)
    assert re.findall(r"\+\$74,31\d", (out / "periods.txt").read_text()) == ["+$74,316"] * 2  # fmt.usd of the float
    assert re.findall(r"74,31\d", (out / "report.html").read_text()) == ["74,316"] * 2  # (old: 74,317 twice)
    back = pd.read_csv(out / "periods.csv")
    assert back["pnl_diff_usd"].tolist()[1::2] == [HALF_BELOW] * 2  # each float read back as written


def test_windows_csv_keeps_each_float_whole(tmp_path, monkeypatch) -> None:
    """write_windows' table read back holds the rows' floats exactly (the page draws its rows from it)."""
    from vixhedge import cli_windows, compare_windows_page
    from vixhedge.core import config as C

    monkeypatch.setattr(compare_windows_page, "draw_pages", lambda folder, home=None: folder / "report.html")
    rows = [{"window": 1, "start": "2015-01-02", "end": "2015-06-30", "mode": "alvh", "baseline": "none",
             "nav_diff_usd": HALF_BELOW, "sharpe_diff": 0.1 + 0.2}]
    out = cli_windows.write_windows(tmp_path, "w", C.load_default(), rows, {})
    back = pd.read_csv(out / "windows.csv")
    assert back["nav_diff_usd"].tolist() == [HALF_BELOW] and back["sharpe_diff"].tolist() == [0.1 + 0.2]


def test_placebo_csv_keeps_each_float_whole(tmp_path) -> None:
    """Trial STAT39 L1: placebo.csv wrote each seed's figures at six decimals, so a CVaR kept 4-5 significant digits
    and its 5% quantile read 0.00946655 from the file beside placebo.json's 0.00946686; every placebo statistic is
    read from these rows. A CVaR of 0.0094668612... and the half-below hedge cost read back exactly."""
    from tests.vixhedge.test_placebo_chance import _placebo, _rows
    from vixhedge import placebo as PL

    rows = _rows()
    rows[0].update(cvar95=0.00946686123456789, hedge_pnl_usd=-HALF_BELOW, sharpe=NAN)
    p = _placebo({**rows[9], "seed": 0}, rows)
    back = pd.read_csv(PL.write_folder(p, tmp_path / "p") / "placebo.csv")
    assert back["cvar95"][0] == 0.00946686123456789 and back["hedge_pnl_usd"][0] == -HALF_BELOW  # (0.009467 before)
    assert back["sharpe"].isna()[0] and back["seed"].tolist() == list(range(1, 20))
    assert back["layers_opened"].dtype.kind == "i"
