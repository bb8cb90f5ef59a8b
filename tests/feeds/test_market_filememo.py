"""build_market reads the rate file and the wide vol-index table once per file version and process (feeds.loaders.
filememo; trial PERF36 item 4: ``compare --period all`` parsed them again for each of its 9 markets, 3.9 s of 42 s
profiled), as load_directory caches the directory; a file changed on disk is read again."""

from __future__ import annotations

import gzip
import os
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import market as market_module
from feeds.loaders import filememo
from feeds.loaders.volindex import WIDE_FILE
from tests.feeds.test_directory import _write_dir
from tests.feeds.test_volindex_screen import DAYS, _wide
from vixhedge.core.config import MarketConfig, MarketSource


def _rates(root: Path, percent: str) -> Path:
    """A daily FRED file over the fixture's sessions at ``percent`` (the same width for every value: same size)."""
    path = root / "us_short_rates" / "DFF.csv"
    path.parent.mkdir(exist_ok=True)
    path.write_text("date,DFF\n" + "".join(f"{d.date()},{percent}\n" for d in DAYS))
    return path


def test_a_second_market_reads_neither_file_again_and_a_changed_file_is_read(tmp_path: Path, monkeypatch) -> None:
    """Two builds of the same directory: each loader runs once, the markets price with the same values. Then the
    rate file is rewritten at the same size with its mtime set back (a size-and-mtime signature would miss it) and
    the wide file with VIX9D 0.8 x VIX instead of 0.9 x (test_volindex_screen._wide): both are read again and the
    third market has the new values (rate 2.25%, not 1.25%; VIX9D of session 0, 12.0 x 0.8 = 9.6, not 10.8)."""
    filememo.clear()
    root = _write_dir(tmp_path / "data")
    _wide(root / WIDE_FILE)
    rate_file = _rates(root, "1.25")
    calls = []
    for name in ("load_fred_csv", "load_vol_indices"):
        real = getattr(market_module, name)
        monkeypatch.setattr(market_module, name, lambda *a, real=real, name=name: calls.append(name) or real(*a))
    cfg = MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(root))
    first, second = market_module.build_market(cfg), market_module.build_market(cfg)
    assert calls == ["load_fred_csv", "load_vol_indices"]
    assert second.rate_on(DAYS[3].date()) == first.rate_on(DAYS[3].date()) == 0.0125
    assert second.vol_indices is first.vol_indices and first.vol_indices["VIX9D"].iat[0] == 10.8

    st = rate_file.stat()
    _rates(root, "2.25")
    os.utime(rate_file, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (rate_file.stat().st_size, rate_file.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    text = gzip.decompress((root / WIDE_FILE).read_bytes()).decode()
    assert text.splitlines()[1].startswith(f"{DAYS[0].date()},10.80,12.00,")
    (root / WIDE_FILE).write_bytes(gzip.compress(text.replace("10.80,12.00", "9.60,12.00", 1).encode(), mtime=0))
    third = market_module.build_market(cfg)
    assert calls == ["load_fred_csv", "load_vol_indices"] * 2
    assert third.rate_on(DAYS[3].date()) == 0.0225
    assert third.vol_indices["VIX9D"].iat[0] == 9.6
    pd.testing.assert_frame_equal(third.vol_indices.drop(index=third.vol_indices.index[0]),
                                  first.vol_indices.drop(index=first.vol_indices.index[0]))
    assert np.isfinite(third.vol_levels).all()
