"""MUT39 probe: --seeds' type takes the digits 0-9 alone (vixhedge/argtypes.py seed_count, ``_WHOLE.fullmatch``).

Mutant AT3 (``_WHOLE.match``: a leading run of digits enough) passed every test: tests/vixhedge/test_cli_fix38.py
refuses ``--seeds ' 20'`` alone, which match() refuses too; '2_000' (int(): 2000) and '20 ' (int(): 20) were taken."""

from __future__ import annotations

import argparse

import pytest

from vixhedge.argtypes import seed_count


@pytest.mark.parametrize("text", ["2_000", "20 ", "20\n", "3x"])
def test_seed_count_refuses_what_follows_the_digits(text) -> None:
    with pytest.raises(argparse.ArgumentTypeError):
        seed_count(text)


def test_seed_count_takes_zero_and_two_or_more() -> None:
    assert [seed_count(t) for t in ("0", "2", "20")] == [0, 2, 20]
