"""The sweep's fast paths give today's outputs: point keys from the base's TOML (sweep_spec._PointKeys) equal the
whole config's hash, and a forked sweep that prepares the kernel in the parent (sweep_paths._prepare), on the
compiled book or the numpy one (VIXHEDGE_KERNEL=numpy), writes the same bytes."""

import hashlib

import numpy as np
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge import kernel_jit
from vixhedge import sweep as sw
from vixhedge.extensions import fingerprint
from vixhedge.sweep_spec import _PointKeys

GRIDS = [  # (grid, whether the base's TOML is rewritten line by line)
    ({"hedge.macd.fast": [4, 8, 12], "hedge.macd.slow": [20, 26], "hedge.review_bars": [0, 5]}, True),
    ({"hedge.instrument": ["vx_future", "vix_call_spread"], "hedge.fractional_carry": [True, False]}, True),
    ({"condor.profit_take": [0.3, 0.5], "execution.fill": ["mid", "slippage"],
      "hedge.max_notional_usd": [1e5, float("inf")], "hedge.tenor_months": [1, 2.0]}, True),
    ({"analysis.stress_vix_level": [20, 25.0], "margin.hedge_budget_nav_fraction": [0.05, 1]}, True),
    ({"hedge.policy": ["", "alvh"]}, False),  # a plug-in name: omitted at its default, hashed whole
    # a plug-in's own table (under its plug-in: a built-in refuses one, an invalid point)
    ({"hedge.policy": ["custom_hedge:policy"], "hedge.policy_params.contracts": [1, 2]}, False),
]


@pytest.mark.parametrize("grid,template", GRIDS)
def test_point_keys_equal_the_whole_config_hash(grid, template, on_path):
    base = C.load_default()
    spec = sw.SweepSpec(name="k", base=base, grid=grid)
    points = [p for p in sw.iter_points(spec) if isinstance(p, sw.Point)]
    assert points and (_PointKeys(base, list(grid)).lines is not None) == template
    for p in points:  # the key every sweep before this one wrote (results.csv, returns.bin, resume)
        assert p.key == hashlib.sha256((C.to_toml(p.config) + fingerprint(p.config)).encode()).hexdigest()[:16]


SPEC = """
[sweep]
name = "f"
workers = {workers}

[base]
run = {{ start = 2015-06-01, end = 2016-03-31 }}

[grid]
"hedge.macd.fast" = [6, 8, 12]
"hedge.macd.slow" = [20, 26]
"hedge.review_bars" = [0, 5]
"hedge.instrument" = ["vx_future", "vix_call_spread"]
"""


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _sweep(tmp_path, market, name: str, workers: int):
    path = tmp_path / f"{name}.toml"
    path.write_text(SPEC.format(workers=workers))
    out = tmp_path / name
    sw.run_sweep(sw.load_spec(path), out, market, progress=False)
    lines = (out / "results.csv").read_text().splitlines()
    return out, [lines[0], *sorted(lines[1:])]  # forked workers append in the order they finish


@pytest.mark.slow
def test_forked_prepared_and_compiled_sweeps_write_the_same_bytes(tmp_path, market, monkeypatch):
    one_dir, one = _sweep(tmp_path, market, "one", 1)
    two_dir, two = _sweep(tmp_path, market, "two", 2)
    assert len(one) == 25 and one == two
    for name in ("paths.json", "invalid.csv"):
        assert (one_dir / name).read_bytes() == (two_dir / name).read_bytes(), name
    if kernel_jit.available():
        monkeypatch.setenv(kernel_jit.ENV, "numpy")
        _, numpy_rows = _sweep(tmp_path, market, "numpy", 2)
        assert numpy_rows == one  # the compiled book and numpy's agree to the last digit on this grid
    from vixhedge import sweep_returns

    keys = [line.split(",")[0] for line in one[1:]]
    n_days = ((one_dir / sweep_returns.FILE).stat().st_size // len(keys) - sweep_returns.KEY_BYTES) // 8
    (found_a, a), (found_b, b) = sweep_returns.load(one_dir, keys, n_days), sweep_returns.load(two_dir, keys, n_days)
    assert found_a == found_b == keys and np.array_equal(a, b)


def test_without_numba_the_kernel_runs_the_numpy_book(monkeypatch):
    from vixhedge import kernel as K
    from vixhedge.kernel_book import simulate

    monkeypatch.setattr(kernel_jit, "numba", None)  # not installed, or built for another numpy
    assert not kernel_jit.available() and K._book([sw.Point("k", {}, C.load_default())]) is simulate
