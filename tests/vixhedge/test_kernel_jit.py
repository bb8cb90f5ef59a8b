"""The compiled book (vixhedge.kernel_jit, numba) against the numpy book (vixhedge.kernel_book), on the grid of
``test_kernel.py`` (its CASES switch on every rule the kernel covers; those the compiled book covers run here)
plus points whose capital binds.

The issue's bound (issue 16): equal layer counts and reasons, daily NAV within 1e-6 USD. Both books run the same
operations in the same order, so they agree to the last bit on this grid; the test asserts the bound.
"""

import numpy as np
import pytest

from vixhedge import kernel as K
from vixhedge import kernel_jit as J
from tests.vixhedge.test_kernel import CASES, _point, market  # noqa: F401  (the module's market fixture)

pytestmark = pytest.mark.skipif(J.numba is None, reason="numba does not import here (the optional 'fast' extra, "
                                "python -m pip install -e '.[fast]'): the numpy book runs")

BINDING = [  # capital paths the compiled book hands to the numpy book (kernel_jit.NUMPY)
    {"condor": {"max_loss_cap_nav_fraction": 0.001}},  # the caps refuse every condor
    {"margin": {"hedge_budget_nav_fraction": 1.0}, "hedge": {"first_layer_contracts": 60}},  # maintenance breach
    {"margin": {"hedge_budget_nav_fraction": 1.0},  # a layer exceeds buying power
     "hedge": {"first_layer_contracts": 30, "next_layer_multiple": 3.0}},
]


def _outcomes(points, market, monkeypatch, mode: str) -> dict:  # noqa: F811
    monkeypatch.setenv(J.ENV, mode)
    return {p.key: (o.nav[k].copy(), o.hedge_pnl[k].copy(), int(o.layers[k]), o.reason[k])
            for p, o, k, _ in K.outcomes(points, market)}


def test_the_compiled_book_equals_the_numpy_book(market, monkeypatch):  # noqa: F811
    points = [p for p in map(_point, CASES + BINDING) if J.covers(p.config)]  # the rules the compiled book runs
    assert len(points) >= 20
    jit = _outcomes(points, market, monkeypatch, "")
    ref = _outcomes(points, market, monkeypatch, "numpy")
    for p in points:
        nav, pnl, layers, why = jit[p.key]
        r_nav, r_pnl, r_layers, r_why = ref[p.key]
        assert (layers, why) == (r_layers, r_why), p.key
        if not why:  # a handed-back point's row is never used
            np.testing.assert_allclose(nav, r_nav, rtol=0, atol=1e-6)
            np.testing.assert_allclose(pnl, r_pnl, rtol=0, atol=1e-6)
    assert sum(v[2] for v in jit.values()) > 50  # layers were opened
    for case in BINDING:  # the compiled book hands these to the numpy book, which replays them
        assert jit[_point(case).key][3] == ""


def test_the_environment_switch_and_uncovered_chunks_run_numpy(market, monkeypatch):  # noqa: F811
    from vixhedge.kernel_book import simulate

    covered, other = _point({}), _point({"hedge": {"sizing": "vega_ratio"}})
    monkeypatch.setenv(J.ENV, "numpy")
    assert not J.available() and K._book([covered]) is simulate
    monkeypatch.setenv(J.ENV, "")
    assert J.available() and K._book([covered]) is J.simulate
    assert not J.covers(other.config) and K._book([covered, other]) is simulate
