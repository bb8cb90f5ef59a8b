"""MUT41 probe (feeds/provenance.py _replay, commit 268657fb): the MUT23 VX Feb 2018 cases of
tests/feeds/test_provenance.py restated in the held-at-the-close convention. That test still expects 8 marks (the old
"from the day after its fill" count) and FAILS at HEAD 744bf228, so nothing green pins a fill on a contract's
settlement day."""

from __future__ import annotations

import pytest

from tests.feeds.test_provenance import _vx_feb_2018


@pytest.mark.parametrize("fills, marks", [([("2018-02-01", 1)], 9),
                                          ([("2018-02-01", 1), ("2018-02-14", -1)], 10)],
                         ids=["held-to-the-window-end", "a-fill-on-its-settlement-day"])
def test_a_vx_future_held_at_each_close_to_its_settlement(fills, marks) -> None:
    """Kills MUT41 P5 (provenance.py:132 ``max(bisect_left(days, c.expiry), i + 1)`` -> ``max(..., i)``: a fill on
    the settlement day settles that same day, unmarked). Numbers: VX Feb 2018 bought 2018-02-01 settles Wed
    2018-02-14 (Cboe's VIX calendar); held at the closes of the XNYS sessions 02-01, 02-02, 02-05..02-09, 02-12,
    02-13 = 9 (the docstring of _replay: from the opening fill's day to the session before its expiry). The -1 fill
    on 02-14 opens anew after the morning settlement and is held at 02-14's close (settled the next morning, the
    code's comment; test_provenance_by_hand.held_at_close counts it the same way): 10. Only the first contract
    settles inside the window."""
    p = _vx_feb_2018(fills)
    assert sum(p["marks"]["vx_future"][o] for o in ("real", "anchored", "model")) == marks
    assert list(p["settlements"]["vx_future"]["values"]) == ["2018-02-14"]
