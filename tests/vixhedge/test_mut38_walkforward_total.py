"""Probe of MUT38 (walkforward.py survivor WF8): walkforward.json's stitched total return is the stitched growth
index's last value less 1 (walkforward.csv's ``<track>_index`` columns, which start from 1: summarize's docstring,
trial RS39 M2). The spec is test_walkforward's anchored one (2015..2018, hedge.mode none / static, 2,1 anchored)."""
from __future__ import annotations

import json

import pandas as pd
import pytest


def test_wf8_the_stitched_total_return_is_the_index_s_growth(tmp_path):
    from vixhedge import api

    path = tmp_path / "wf.toml"
    path.write_text('[sweep]\nname = "wfa"\nworkers = 1\n[base]\nrun = { start = 2015-01-02, end = 2018-12-31 }\n'
                    '[grid]\n"hedge.mode" = ["none", "static"]\n')
    out = tmp_path / "out"
    api.walk_forward(path, 2, 1, out, anchored=True, progress=False)
    s = json.loads((out / "walkforward.json").read_text())
    table = pd.read_csv(out / "walkforward.csv")
    for track in ("picked", "no_hedge", "static"):
        assert s["stitched"][track]["total_return"] == pytest.approx(table[f"{track}_index"].iloc[-1] - 1.0, abs=1e-9)
