"""Sweep spec mistakes refused (or capped) before any point runs: the fuzz trial, session 9, finding L12
(/work/notes/trialA_findings.md)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import pytest

from tests.vixhedge.test_sweep_waste import SPEC
from vixhedge import sweep as sw
from vixhedge import sweep_keys
from vixhedge.core import config as C


def spec_file(tmp_path: Path, grid: str) -> Path:
    p = tmp_path / "b.toml"
    p.write_text(SPEC.format(name="b", extra="", grid=grid))  # test_sweep_waste's spec: workers = 1, a 2016 window
    return p


def test_l12_an_enum_typo_in_the_grid_is_a_spec_error(tmp_path):
    """The trial's `"hedge.mode" = ["none", "vxth", "bogus"]` ran and reported `1 of 3 grid points were NOT run`;
    now one line before any point runs, as a wrong-type value ("a") is."""
    with pytest.raises(C.ConfigError) as err:
        sw.load_spec(spec_file(tmp_path, '"hedge.mode" = ["none", "vxth", "bogus"]'))
    msg = str(err.value)
    assert "\n" not in msg and msg.endswith("grid.hedge.mode = 'bogus' is invalid: use one of "
                                            "['none', 'static', 'alvh', 'vxth']"), msg
    assert sw.load_spec(spec_file(tmp_path, '"hedge.mode" = ["none", "vxth"]')).grid["hedge.mode"] == ["none", "vxth"]


def test_l12_workers_above_the_cores_are_capped_in_one_line(tmp_path, capsys):
    """The trial's `--workers 100000` was accepted (a 720-point grid would fork 720 processes on 2 cores)."""
    spec = sw.load_spec(spec_file(tmp_path, '"hedge.macd.fast" = [8, 12]'))
    cores = os.cpu_count() or 1
    capped = sweep_keys.with_overrides(spec, "--", workers=100000)
    assert capped.workers == cores
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge sweep: --workers 100000 is more than this machine's {cores} cores: running {cores} "
                   "worker processes"]
    from_spec = sweep_keys.with_overrides(dataclasses.replace(spec, workers=100000), "run_sweep")
    assert from_spec.workers == cores and "sweep.workers = 100000" in capsys.readouterr().err
    # within the cores, 0 (all cores) and a dask scheduler's own workers: as given, nothing said
    assert sweep_keys.with_overrides(spec, "--", workers=cores).workers == cores
    assert sweep_keys.with_overrides(spec, "--", workers=0).workers == 0
    remote = dataclasses.replace(spec, scheduler="tcp://127.0.0.1:8786", workers=100000)
    assert sweep_keys.with_overrides(remote, "--") is remote
    assert capsys.readouterr().err == ""


def test_io31_a_range_of_more_than_2_63_points_is_the_max_points_line(tmp_path, capsys):
    """Trial IO31 M1: `{ start = 0.1, stop = 5.0, step = 1e-300 }` ended in `internal error: OverflowError: cannot fit
    'int' into an index-sized integer` (len() of a range above sys.maxsize); now the max_points line, exit 2, nothing
    written. Its count, floor(4.9 / 1e-300) + 1 in floats, is 4.9e300 to 3 digits (the quotient 4.9e300, as Python
    computes (5.0 - 0.1) / 1e-300). Whole numbers are counted exactly: 9,000,000,000,000,000,000 - 27 + 1 =
    8,999,999,999,999,999,974 (the trial's hand count; floats said ...,001)."""
    from vixhedge.cli import main

    huge = spec_file(tmp_path, '"hedge.target_hedge_ratio" = { start = 0.1, stop = 5.0, step = 1e-300 }')
    with pytest.raises(C.ConfigError, match=r"b\.toml: the grid has about 4\.90e\+300 points \(about 4\.90e\+300 "
                                            r"\(hedge\.target_hedge_ratio\)\), above sweep\.max_points = 100,000: "
                                            r"shrink the grid or raise sweep\.max_points$"):
        sw.load_spec(huge)
    out = tmp_path / "out"
    assert main(["sweep", str(huge), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "the grid has about 4.90e+300 points" in err[0] and not out.exists()
    whole = spec_file(tmp_path, '"hedge.review_bars" = { start = 27, stop = 9000000000000000000, step = 1 }')
    with pytest.raises(C.ConfigError, match=r"the grid has 8,999,999,999,999,999,974 points \("
                                            r"8,999,999,999,999,999,974 \(hedge\.review_bars\)\)"):
        sw.load_spec(whole)
    # two axes of 2^62 + 1 and 3 points (each within len()'s reach, their product not): counted, not an overflow
    two = spec_file(tmp_path, '"hedge.review_bars" = { start = 0, stop = 4611686018427387904, step = 1 }\n'
                              '"hedge.macd.fast" = [8, 10, 12]')
    with pytest.raises(C.ConfigError, match=r"the grid has 13,835,058,055,282,163,715 points"):  # (2^62 + 1) x 3
        sw.load_spec(two)


def test_a_key_in_base_and_grid_is_said_once_at_the_spec(tmp_path, caplog):
    """Trial IO31: `hedge.macd.fast` in both [base] (8) and [grid] ([10, 12]) was won by the grid, unsaid. It stays
    allowed ([base]'s value is the base point: base.toml, a walk-forward's base_point, README *sweep*) and is now one
    note naming the key and what each table's value does; a key in [grid] alone gets none."""
    import logging

    p = tmp_path / "d.toml"
    p.write_text('[sweep]\nname = "d"\n[base]\nhedge = { macd = { fast = 8 } }\n[grid]\n"hedge.macd.fast" = [10, 12]\n'
                 '"hedge.macd.slow" = [26, 30]\n')
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        spec = sw.load_spec(p)
    assert [r.getMessage() for r in caplog.records] == [
        f"{p}: hedge.macd.fast in [base] and [grid]: every point takes the grid's values; [base]'s is the base point "
        "(base.toml, a walk-forward's base_point)"]
    assert spec.base.hedge.macd.fast == 8 and spec.grid["hedge.macd.fast"] == [10, 12]
