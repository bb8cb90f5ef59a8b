"""MUT42 probes for feeds.loaders.plausible's jump_flags (PERF42's dca3cbf9: the outlier round scattered by row with
numpy, _by_row)."""

from __future__ import annotations

import numpy as np


def test_a_series_first_row_before_a_row_out_of_range_is_not_blamed() -> None:
    """Kills P06 (the outlier round's sign taken over every unexplained move, not the `alone` ones: "a known bad
    row is no good row's evidence"). VIX 20, then 200 (outside 5..150, README *Plausibility*), then four 20s; the
    first row has no move in and its move out, log(200 / 20) = +2.30, passes VIX's 1.0 (the numbers of
    tests/feeds/test_plausible.py's MUT28 pl14 case, the known row moved one row on): only the range reason."""
    from feeds.loaders.plausible import index_reasons

    first = np.datetime64("2016-01-04", "D")
    close = np.array([20.0, 200.0, 20.0, 20.0, 20.0, 20.0])
    days = np.arange(first, first + np.timedelta64(len(close), "D"))
    out = index_reasons("VIX", days, close, np.ones(len(close), dtype=bool))
    assert out.tolist() == ["", "implausible VIX close 200: outside 5..150"] + [""] * 4


def test_a_consolidated_file_with_its_contracts_interleaved_names_the_scaled_one() -> None:
    """Kills V03 (file_reasons split `use` by the expiries' counts without sorting it by expiry: right only where a
    file's rows come grouped by contract). tests/feeds/test_plausible.py's consolidated case (VXG18 15.0..15.4, VXH18
    scaled x100, 1500..1540, median 1520 outside 8..75) with its rows ordered by day, the two contracts alternating,
    as a file sorted by trade date lists them: VXH18's rows alone are named."""
    from feeds.loaders.plausible_vx import file_reasons

    days = np.repeat(np.array([f"2018-01-{d:02d}" for d in (2, 3, 4, 5, 8)], dtype="datetime64[D]"), 2)
    expiry = np.array(["2018-02-14", "2018-03-21"] * 5, dtype="datetime64[D]")
    settle = np.array([v for pair in zip([15.0, 15.1, 15.2, 15.3, 15.4], [1500.0, 1510.0, 1520.0, 1530.0, 1540.0])
                       for v in pair])
    cols = {"trade_date": days, "expiry": expiry, "settle": settle, "close": settle.copy(),
            "contract": np.array(["VXG18", "VXH18"] * 5, dtype=object)}
    out = file_reasons(cols, np.ones(10, dtype=bool))
    assert list(out[0::2]) == [""] * 5
    assert set(out[1::2]) == {"implausible VX settle: the median of contract VXH18 (expiring 2018-03-21), 1520, is "
                              "outside 8..75, its whole series looks scaled"}
