"""feeds.anchor_measure: the command behind feeds.marketquotes.ANCHOR_TAU and the README's anchor-decay figures."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from feeds import anchor_measure as am
from feeds.marketquotes import ANCHOR_TAU

README = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())


def test_decay_fit_recovers_a_known_tau() -> None:
    """Gaps decaying exactly by exp(-1/10) a session: every pair's slope through the origin is exp(-j/10), tau 10."""
    g0 = np.array([0.02, -0.01, 0.03, 0.005])
    gaps = np.stack([g0 * math.exp(-d / 10.0) for d in range(5)], axis=1)
    fit = am.decay_fit(gaps)
    assert len(fit["pair_slopes"]) == 10  # five days: 4 + 3 + 2 + 1 pairs
    assert fit["slopes"] == pytest.approx({j: math.exp(-j / 10.0) for j in range(1, 5)}, rel=1e-12)
    assert fit["tau_sessions"] == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize("snapshots, shown", [
    ((), r"0 SPX snapshot day\(s\) in its option chain files \(\)"),
    (("SPX_20180205_snapshot.csv",), r"1 SPX snapshot day\(s\) in its option chain files \(2018-02-05\)"),
    (("SPX_20180102_snapshot.csv", "SPX_20180104_snapshot.csv"),  # 2018-01-03 between them
     r"2 SPX snapshot day\(s\) in its option chain files \(2018-01-02, 2018-01-04\)"),
], ids=["no-chains", "one-day", "not-consecutive"])
def test_a_folder_without_two_consecutive_snapshot_days_is_one_data_error(tmp_path: Path, snapshots, shown) -> None:
    """A fresh-user trial: a folder without option chains raised FileNotFoundError, one with one snapshot day an
    internal error (decay_fit on empty arrays). Each is a DataError saying what the measure needs (snapshot files:
    tests/feeds/fixtures/chains; SPX, VIX and VX: tests/feeds/synthdir.py, 2018-01-02..06-29)."""
    import shutil

    from feeds.marketdata import DataError
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "d")
    if snapshots:
        (root / "chains").mkdir()
        for name in snapshots:
            shutil.copy(Path(__file__).parent / "fixtures" / "chains" / name, root / "chains")
    with pytest.raises(DataError, match=shown + r": the measure needs 2 or more consecutive SPX snapshot days with "
                                                r"common SPX contracts"):
        am.snapshot_gaps(root)



def test_consecutive_days_without_a_common_contract_are_one_data_error(tmp_path: Path) -> None:
    """Two consecutive snapshot days (2018-01-02 and the 01-04 fixture re-dated 01-03) whose contracts differ (the
    copy's expiry moved 02-16 -> 03-16): no gap to fit, a DataError naming the days, not decay_fit's internal error."""
    import shutil

    from feeds.marketdata import DataError
    from tests.feeds import synthdir

    root, chains = synthdir.write(tmp_path / "d"), Path(__file__).parent / "fixtures" / "chains"
    (root / "chains").mkdir()
    shutil.copy(chains / "SPX_20180102_snapshot.csv", root / "chains")
    text = (chains / "SPX_20180104_snapshot.csv").read_text(encoding="utf-8")
    text = text.replace("01/04/2018", "01/03/2018").replace("02/16/2018", "03/16/2018").replace("180216", "180316")
    (root / "chains" / "SPX_20180103_snapshot.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=r"no SPX contract is quoted on all 2 snapshot days 2018-01-02\.\.2018-01-03 "
                                        r"with \|delta\| 0\.05-0\.5 on each: the measure needs"):
        am.snapshot_gaps(root)

@pytest.mark.realdata
@pytest.mark.slow
def test_the_command_gives_anchor_tau_and_the_readme_figures(shared_data: Path) -> None:
    """The README's figures (841 contracts, slope 1.00 after one session, 1.01 after four, tau 947) are the command's
    (`python -m feeds.anchor_measure --data-dir ../shared/data`) and the README names it; ANCHOR_TAU keeps 13, an
    assumption (feeds.anchoring says why: four sessions cannot pin such a tau; 12.8 was the fit before session 16
    read the snapshots at their own vol indices, 179 before session 17's SPX surface refit). About 10 s."""
    days, gaps = am.snapshot_gaps(shared_data)
    fit = am.decay_fit(gaps)
    assert len(days) == 5 and gaps.shape == (841, 5)
    assert [round(fit["slopes"][j], 2) for j in (1, 2, 3, 4)] == [1.0, 1.0, 0.99, 1.01]
    assert round(fit["tau_sessions"]) == 947 and ANCHOR_TAU == 13.0
    assert "the gap of 841 SPX contracts keeps a slope of 1.00 after one session, 1.01 after four" in README
    assert "a fitted tau of 947 sessions" in README
    assert "python -m feeds.anchor_measure" in README
