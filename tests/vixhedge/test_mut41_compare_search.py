"""MUT41 probes: compare_search._check_fields / from_sweep (commit 9b0bdb4e, trial FUZZ40 M1/L5). Each summary.json
field below is checked by the code but no test edits it: the mutant that drops the check survives
tests/vixhedge/test_fuzz40_a.py. The sweep is test_fuzz40_a's module fixture (2 points, review_bars 0/5)."""

from __future__ import annotations

import pytest

from tests.vixhedge.test_fuzz40_a import _copy, sweep  # noqa: F401 - the fixture
from vixhedge.compare import MODE_NAMES
from vixhedge.compare_variants import checked_variants
from vixhedge.core import config as C


def _refused(folder, field):
    with pytest.raises(C.ConfigError) as got:
        checked_variants({"b": {"sweep": str(folder)}}, MODE_NAMES, C.load_default())
    assert f"its summary.json's {field} = " in str(got.value), str(got.value)


CASES = [
    # (mutant, field, edit) - each value is outside what the lambda at compare_search.py:72-93 accepts
    ("S6 count v >= 1 -> v >= 0", "points", lambda s: s.__setitem__("points", 0)),
    ("S7 rankings' rank_by str dropped", "rankings", lambda s: s.__setitem__("rankings", [{"rank_by": ["x"]}])),
    ("S8 day regex dropped", "market.first_session", lambda s: s["market"].__setitem__("first_session", "yesterday")),
    ("S9 in_sample_end not checked", "market.in_sample_end", lambda s: s["market"].__setitem__("in_sample_end", 5)),
    ("S10 test_rank count -> is_whole", "out_of_sample_rank.test_rank",
     lambda s: s.__setitem__("out_of_sample_rank", {"test_rank": 0, "points": 2, "random_pick": 0.5})),
    ("S12 random_pick <= 1 dropped", "out_of_sample_rank.random_pick",
     lambda s: s.__setitem__("out_of_sample_rank", {"test_rank": 1, "points": 2, "random_pick": 2.0})),
]


@pytest.mark.parametrize("mutant, field, edit", CASES, ids=[c[0].split()[0] for c in CASES])
def test_each_checked_summary_field_is_refused(sweep, tmp_path, mutant, field, edit):  # noqa: F811
    """Kills MUT41 S6, S7, S8, S9, S10, S12 (one each). The wants are the code's own: points 'a whole number of
    points, 1 or more'; rankings '{"rank_by": METRIC, ...}'; market days 'YYYY-MM-DD or null'; test_rank 'a whole
    number, 1 or more'; random_pick 'a probability 0..1'. A folder without output_files.json (as test_fuzz40_a's
    M1 cases) so the hash check does not answer first."""
    _refused(_copy(sweep, tmp_path, edit, hashed=False), field)


def test_a_blank_sweep_is_empty():
    """Kills MUT41 S13 (compare_search.py:143 ``typed.strip()`` -> ``typed``): sweep=' ' is as empty as sweep=''
    (FUZZ40 L5's words), not "sweep = ' ' has no summary.json"."""
    with pytest.raises(C.ConfigError, match=r"^variant b: sweep = ' ' is empty: give the folder"):
        checked_variants({"b": {"sweep": " "}}, MODE_NAMES, C.load_default())
