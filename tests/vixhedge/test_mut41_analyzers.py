"""MUT41 probes: analyzers/plugins.py _check_cells and _plain (commit 47bbafb5, FUZZ40 M6 / L7)."""

from __future__ import annotations

import pandas as pd
import pytest

from analyzers import plugins as P


def test_an_index_of_objects_is_refused():
    """Kills MUT41 N2 (the index's column dropped): _check_cells' docstring 'of frame (or of its index)'."""
    frame = pd.DataFrame({"n": [1, 2]}, index=[1, object()])
    with pytest.raises(P.AnalyzerError, match=r"whose index holds an object in row 1"):
        P._check_cells("an", frame)


def test_a_list_of_objects_in_a_cell_is_refused():
    """Kills MUT41 N3 (a list or tuple cell taken whole): 'nor a list, tuple or dict of them'."""
    frame = pd.DataFrame({"a": [[1, object()]]})
    with pytest.raises(P.AnalyzerError, match=r"column 'a' holds a list in row 0"):
        P._check_cells("an", frame)


def test_a_dict_keyed_by_an_object_is_refused():
    """Kills MUT41 N4 (a dict cell's keys not checked): an object key prints its address as a value does."""
    frame = pd.DataFrame({"a": [{object(): 1}]})
    with pytest.raises(P.AnalyzerError, match=r"column 'a' holds a dict in row 0"):
        P._check_cells("an", frame)


def _nested(n: int) -> dict:
    d = cur = {}
    for _ in range(n - 1):
        cur["a"] = {}
        cur = cur["a"]
    return d


def test_the_depth_bound_is_100_containers():
    """Kills MUT41 N5 (``len(path) >= MAX_DEPTH`` -> ``>``): MAX_DEPTH = 100 'how deep an analyzer's dict may
    nest': 100 nested dicts are filed, 101 refused."""
    assert P._plain(_nested(100))
    with pytest.raises(P._Unfit, match="nested more than 100 deep"):
        P._plain(_nested(101))


def test_a_categorical_column_of_objects_is_refused():
    """Trial MUT41's finding: a categorical column's values are its categories' objects, written by their repr (an
    address) as an object column's are; only object columns were checked."""
    frame = pd.DataFrame({"a": pd.Categorical([object(), object()])})
    with pytest.raises(P.AnalyzerError, match=r"column 'a' holds an object in row 0"):
        P._check_cells("an", frame)
    P._check_cells("an", pd.DataFrame({"b": pd.Categorical(["x", "y", "x"])}))  # plain categories pass
