"""Timing for the benchmark on a shared machine: CPU beside wall time, comparisons as interleaved pairs.

A comparison timed one side after the other lets the machine's background load fall on one side only (the
dask/local ratio swung from 0.49 to 2.11 that way, issue 16). :func:`interleaved` runs A B A B ... so both
sides see the same load, and each pair gives one ratio; the min and the median are reported.

CPU time is this process's (``time.process_time``) plus that of its children that have ended and been
waited for (``os.times``: forked sweep workers once their pool is closed, a CLI subprocess with its own
workers). A dask cluster's workers outlive a sweep, so their CPU is not seen: dask figures are wall time only.
"""

from __future__ import annotations

import compileall
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path


def _cpu() -> float:
    t = os.times()
    return time.process_time() + t.children_user + t.children_system


@dataclass
class Timing:
    """Wall and CPU seconds of repeated runs of one thing."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def add(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` once and record its wall and CPU seconds."""
        c0, w0 = _cpu(), time.perf_counter()
        fn()
        self.wall.append(time.perf_counter() - w0)
        self.cpu.append(_cpu() - c0)

    def summary(self, digits: int = 3) -> dict[str, float]:
        """Return min and median of wall and CPU seconds, and the number of runs."""
        return {"n": len(self.wall),
                "wall_min_s": round(min(self.wall), digits), "wall_median_s": round(statistics.median(self.wall), digits),
                "cpu_min_s": round(min(self.cpu), digits), "cpu_median_s": round(statistics.median(self.cpu), digits)}


def interleaved(a: Callable[[], object], b: Callable[[], object], pairs: int) -> tuple[Timing, Timing]:
    """Time ``a`` and ``b`` as ``pairs`` interleaved pairs (A B A B ...); return their timings."""
    ta, tb = Timing(), Timing()
    for _ in range(pairs):
        ta.add(a)
        tb.add(b)
    return ta, tb


def pair_ratios(num: Timing, den: Timing, scale: float = 1.0, what: str = "wall") -> dict[str, float]:
    """Return min and median over pairs of ``scale x num / den`` (``what``: wall or cpu seconds)."""
    r = [scale * n / d for n, d in zip(getattr(num, what), getattr(den, what), strict=True) if d > 0]
    return {"min": round(min(r), 3), "median": round(statistics.median(r), 3)} if r else {}


ROOT = Path(__file__).resolve().parents[1]  # the source tree being measured: its subprocesses import it first


def cli(*args: str) -> Callable[[], None]:
    """Return a call running ``python -m vixhedge ARGS`` in a fresh interpreter (cold), output discarded."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))

    def run() -> None:
        done = subprocess.run([sys.executable, "-m", "vixhedge", *args], capture_output=True, text=True, env=env)
        if done.returncode:
            raise RuntimeError(f"vixhedge {' '.join(args)} failed ({done.returncode}): {done.stderr.strip()[-400:]}")

    return run


PACKAGES = ("vixhedge", "feeds", "strategies", "analyzers")


def compile_sources() -> None:
    """Write the bytecode of the project's packages under ROOT, so a cold command times what a user's second run
    does, not compiling sources: Python caches bytecode on a first run, but an environment that sets
    PYTHONDONTWRITEBYTECODE (this machine's does) recompiles every module edited since its last cache, on every
    run (78 modules, ~0.15 s of each cold ``vixhedge run`` after session 11's edits)."""
    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)
