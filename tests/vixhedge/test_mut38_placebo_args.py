"""Probe of MUT38 (placebo_args.py survivor PA3): worker_count's line names the processes it runs, min(cores, seeds)
(its docstring: "at most the seeds and this machine's cores, saying so"): 64 asked, 8 cores, 3 windows: 3."""
from __future__ import annotations


def test_pa3_the_line_says_the_processes_that_run(capsys, monkeypatch):
    import os

    from vixhedge.placebo_args import worker_count

    monkeypatch.setattr(os, "cpu_count", lambda: 8)
    assert worker_count(64, 3, "--workers") == 3
    assert capsys.readouterr().err == ("vixhedge: --workers 64 is more than this machine's 8 cores: running 3 worker "
                                       "processes\n")
