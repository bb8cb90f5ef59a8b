"""Probe of MUT38 (walkforward_folder.py survivor WFF1): check_walk_out keeps a user's files only in a walk-forward's
folder (one holding fold-K or its stitched files, trial FUZZ37 M2); a folder of the user's files alone is not a
walk-forward's, and is refused before anything is written (docstring of check_walk_folder)."""
from __future__ import annotations

import pytest

from vixhedge.core.config import ConfigError
from vixhedge.walkforward_folder import check_walk_out


def test_wff1_a_folder_of_a_user_s_files_alone_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ConfigError, match="is not a walk-forward's"):
        check_walk_out(tmp_path)
    (tmp_path / "fold-1").mkdir()
    check_walk_out(tmp_path)  # with a fold: a walk-forward's, the notes kept
