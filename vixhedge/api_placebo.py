"""Placebos from Python (README "From Python"): what ``vixhedge placebo`` does, as functions of :mod:`vixhedge.api`.

:func:`placebo` ranks a config's hedge policy against placebos buying the same layers at random times ->
:class:`~vixhedge.placebo.Placebo`; :func:`write_placebo` writes its folder as the command does (by default the
command's own, ``runs/<name>-placebo-<hash8>``); :func:`load_placebo` reads a placebo folder back. Each bad argument
is one line naming it, before any work (trial API31 H1, H2, M1, M5).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from vixhedge.api_args import (ArgumentError, a_type, check_market, checked_callable, checked_config, checked_engine,
                               checked_folder, checked_writable)
from vixhedge.core.config import DEFAULT_ENGINE, Config

if TYPE_CHECKING:
    from feeds.market import Market
    from vixhedge.placebo import Placebo


def placebo(cfg: Config, market: Market | None = None, seeds: int = 100, workers: int = 1,
            engine: str = DEFAULT_ENGINE, on_seed: Callable[[], object] | None = None) -> Placebo:
    """Rank ``cfg``'s hedge policy against ``seeds`` placebos buying the same layers at random times on one market
    path -> :class:`~vixhedge.placebo.Placebo` (``.summary``: per metric k, p and the other tail's p; ``.rows`` /
    ``.table``: one per seed; ``print(p)``: the command's summary), as ``vixhedge placebo`` does; ``on_seed`` is
    called after each seed.

    ``market``: as :func:`vixhedge.api.run_backtest`'s (a market built from another ``[market]`` is refused in one
    line). ``seeds``: a whole number, 19..100,000 (a numpy integer taken). ``workers``: the processes the seeds run
    on, a whole number >= 0, 0 meaning all cores (as ``--workers 0`` and ``run_sweep(workers=0)``); the result does
    not depend on it. Each bad argument is one line naming it, before any work."""
    from feeds.market import market_for
    from vixhedge.placebo import check_args, run_placebo
    from vixhedge.placebo_args import worker_count

    cfg = checked_config(cfg, "placebo")
    check_market(cfg, market, "placebo")
    checked_callable(on_seed, "on_seed", "placebo")
    seeds = check_args(cfg, seeds, "placebo: seeds =")  # (before the market is built: one line)
    checked_engine(engine, "placebo")
    workers = worker_count(workers, seeds, "placebo: workers =")
    return run_placebo(cfg, market_for(cfg, market), seeds, workers, engine, on_seed=on_seed)


def write_placebo(result: Placebo, out: str | Path | None = None) -> Path:
    """Write ``result``'s folder ``out`` (placebo.csv, placebo.json, placebo.svg, report.html, config.toml), as
    ``vixhedge placebo --out`` does; return its path. ``out`` (a str or Path) by default is the command's own
    default folder, ``runs/<name>-placebo-<hash8>`` (the hash of the config and the seeds: the same bytes as
    ``vixhedge placebo --seeds N`` of that config writes there). An ``out`` that is a file, cannot be created or
    written, or holds anything but a placebo folder's files (a run folder) is one line before anything is written;
    a placebo folder there is replaced. A placebo read back by :func:`load_placebo` is written already: refused."""
    from vixhedge.placebo import Placebo, placebo_id, write_folder
    from vixhedge.placebo_args import check_out

    if not isinstance(result, Placebo):
        raise ArgumentError(f"write_placebo: result is {a_type(result)}, not a Placebo: pass what placebo(cfg) "
                            "returned")
    if result.folder is not None:
        raise ArgumentError(f"write_placebo: result was read back from {str(result.folder)!r} by load_placebo: it is "
                            "written already (that folder); pass what placebo(cfg) returned")
    if out is None:
        out = Path("runs") / placebo_id(result.config, len(result.rows))  # (as the command: cli_placebo)
    folder = checked_writable(checked_folder(out, "out", "write_placebo", "runs/my-placebo"), "out", "write_placebo")
    check_out(folder, "write_placebo: out =", "another out")
    return write_folder(result, folder)


def load_placebo(folder: str | Path) -> Placebo:
    """Read a placebo folder (a str or Path) back -> :class:`~vixhedge.placebo.Placebo`: its rows as placebo.csv
    holds them (six decimals), placebo.json's summary, reference and p_add as written, ``prices`` placebo.json's
    record of the reference's (:mod:`vixhedge.placebo_read`); ``str()`` of it is the command's summary. A folder
    that is not a placebo folder (a run or compare folder) is one RunFolderError line."""
    from vixhedge.placebo_read import load_placebo as load

    return load(checked_folder(folder, "folder", "load_placebo", "runs/<name>-placebo-<hash8>"))
