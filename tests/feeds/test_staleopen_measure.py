"""feeds.staleopen_measure: the command behind feeds.staleopen.PROXY_ERROR and the README's stale-open figures."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from feeds import staleopen_measure as sm
from feeds.staleopen import PROXY_ERROR

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_scores_each_proxy_on_real_opens_only_against_the_open() -> None:
    """Three 2006 sessions by hand: the second's open is real (100 -> open 101, range 100.5-103, close 102), the
    third's stale (its open 102 = the previous close) and left out; the first has no previous close."""
    years = np.array([2006, 2006, 2006])
    o, h, lo, c = (np.array(v) for v in ([99.0, 101.0, 102.0], [100.0, 103.0, 104.0], [98.0, 100.5, 101.0],
                                          [100.0, 102.0, 103.0]))
    res = sm.proxy_errors(years, o, h, lo, c)
    assert list(res) == ["2006-2007, 2011-2013"]  # the groups with sessions only
    got = res["2006-2007, 2011-2013"]
    bp = lambda proxy: abs(proxy - 101.0) / 101.0 * 1e4  # distance from the real open, in bp of it
    assert got["previous close"] == pytest.approx({"sessions": 1, "mean_bp": bp(100.0), "median_bp": bp(100.0),
                                                   "p95_bp": bp(100.0)})
    # the stale row's range widened to the previous close: low 100.5 -> 100
    assert got["(O+H+L+C)/4"]["mean_bp"] == pytest.approx(bp((100.0 + 103.0 + 100.0 + 102.0) / 4))
    assert got["0.75 previous close + 0.25 close"]["mean_bp"] == pytest.approx(bp(0.75 * 100.0 + 0.25 * 102.0))


def test_a_hand_case_that_tells_the_weights_the_widened_high_and_a_zero_open_apart() -> None:
    """MUT27 SO4, SO2, SO5, by hand (2006: the test group). Session 1: previous close 100, open 100.2, range
    100.5-103, close 102: 0.75 x 100 + 0.25 x 102 = 100.5 (the swapped weights' 101.5 would be 10x as far); its low
    widened to the previous close, 100. Session 2 gaps down: previous close 102 above its high 99 (open 98.5, low
    97, close 98): the high widened to 102, so (H+L)/2 = (102 + 97) / 2 = 99.5, not 98. Session 3's open is 0 (not a
    price): left out, as the first session, which has no previous close."""
    years = np.full(4, 2006)
    o, h, lo, c = (np.array(v) for v in ([99.0, 100.2, 98.5, 0.0], [100.0, 103.0, 99.0, 99.0],
                                          [98.0, 100.5, 97.0, 97.0], [100.0, 102.0, 98.0, 98.5]))
    got = sm.proxy_errors(years, o, h, lo, c)["2006-2007, 2011-2013"]
    bp = lambda proxy, open_: abs(proxy - open_) / open_ * 1e4  # noqa: E731
    assert {m["sessions"] for m in got.values()} == {2}
    blend = [bp(100.5, 100.2), bp(0.75 * 102.0 + 0.25 * 98.0, 98.5)]  # 29.94 and 253.81 bp
    assert got["0.75 previous close + 0.25 close"]["mean_bp"] == pytest.approx(np.mean(blend), rel=1e-12)
    mid = [bp((103.0 + 100.0) / 2, 100.2), bp((102.0 + 97.0) / 2, 98.5)]
    assert got["(H+L)/2"]["mean_bp"] == pytest.approx(np.mean(mid), rel=1e-12)
    assert got["(H+L)/2"]["median_bp"] == pytest.approx(np.median(mid), rel=1e-12)


def test_the_spx_file_is_read_with_the_folder_s_plausibility_rules(tmp_path: Path) -> None:
    """As a run reads it (feeds.directory.load_directory): the folder's plausibility.toml caps SPX closes at 2700
    here, so only the rows of tests/feeds/synthdir.py's SPX closing at or below it are scored (every open is real
    there: each row's open is its own close, never the previous one); the first kept row has no previous close."""
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "d")
    closes = synthdir.series()[2]
    group = "2008-2010, 2014-2018"  # synthdir's year, 2018
    assert sm.measure(root)[group]["previous close"]["sessions"] == len(closes) - 1
    (root / "plausibility.toml").write_text("[spx]\nhigh = 2700.0\n")
    kept = int((closes <= 2700.0).sum())
    assert 0 < kept < len(closes)
    assert sm.measure(root)[group]["previous close"]["sessions"] == kept - 1


@pytest.mark.realdata
def test_the_command_gives_proxy_error_and_the_readme_figures(shared_data: Path, capsys) -> None:
    """PROXY_ERROR is the command's test group, previous close, to one decimal; the README's sentence names the
    command and its figures: 5.4 bp mean, 95th percentile 22.7 bp, (O+H+L+C)/4 35 bp (trial: 22.6 measured by hand
    in bp of the previous close; the command's unit is bp of the real open: 22.65 -> 22.7)."""
    res = sm.measure(shared_data)
    test = res[PROXY_ERROR["years"]]
    prev = test["previous close"]
    assert prev["sessions"] == PROXY_ERROR["sessions"] == 958
    assert [round(prev[k], 1) for k in ("mean_bp", "median_bp", "p95_bp")] == [
        PROXY_ERROR["mean_bp"], PROXY_ERROR["median_bp"], PROXY_ERROR["p95_bp"]]
    assert round(test["(O+H+L+C)/4"]["mean_bp"]) == 35
    assert min(test, key=lambda n: test[n]["mean_bp"]) == "previous close"  # the best measured
    assert min(res["2008-2010, 2014-2018"], key=lambda n: res["2008-2010, 2014-2018"][n]["mean_bp"]) == "previous close"
    assert round(res["2019-"]["previous close"]["mean_bp"]) == 38  # feeds/staleopen.py docstring: 38 bp since 2019
    assert "python -m feeds.staleopen_measure" in README
    assert (f"{PROXY_ERROR['mean_bp']} bp from the open on average (95th percentile {PROXY_ERROR['p95_bp']} bp)"
            in " ".join(README.split()))
    assert sm.main(["--data-dir", str(shared_data)]) == 0
    out = capsys.readouterr().out
    assert "| 2006-2007, 2011-2013 | previous close | 958 | 5.4 | 1.8 | 22.7 |" in out
    # README "Real data": "87 of 320 monthly expiries since 2000" (the README figures trial, 2026-12-04, found no
    # command printing it; computed by hand with feeds.staleopen.stale_expiries: 87 / 320)
    assert "SPX monthly expiries 2000-2026 with a stale open: 87 of 320" in out


def test_each_group_scores_the_years_its_label_and_the_readme_name() -> None:
    """MUT27 SO10: README (stale opens): "on real opens of 2006-2007 and 2011-2013 ... about three times that in
    2008-2010 and 2014-2018 ... seven times since 2019": each group holds exactly the years its label spells, so a
    year dropped from a group (the figure then scored on fewer years) is seen without the data."""
    def spelled(label: str) -> set[int]:
        years: set[int] = set()
        for part in label.split(", "):
            lo, _, hi = part.partition("-")
            years.update(range(int(lo), int(hi) + 1 if hi else 2100))
        return years

    assert list(sm.GROUPS) == ["2006-2007, 2011-2013", "2008-2010, 2014-2018", "2019-"]
    for label, years in sm.GROUPS.items():
        assert set(years) == spelled(label) and len(years) == len(set(years)), label
    words = " ".join(README.split())
    assert "real opens of 2006-2007 and 2011-2013" in words and "in 2008-2010 and 2014-2018" in words
