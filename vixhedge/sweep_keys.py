"""What a sweep spec may name: the grid's keys (a leaf setting of a section a sweep varies, of the right type) and
the values of ``[sweep]``'s scheduler, kernel and engine; each check raises one ConfigError line naming the key
(:mod:`vixhedge.sweep_spec` reads the spec with them)."""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import Any

from vixhedge.core import config as C
from vixhedge.core.config.base import toml_echo
from vixhedge.core.config.load import close_key

SWEEPABLE = ("hedge", "condor", "execution", "margin", "analysis")  # market and run are shared by every point
#: the one [run] key a grid may vary: the starting cash changes no market and no window (trial RS40 M3: 13 sweeps, one
#: a cash level, whose summaries could not be pooled); each value is a book of its own (vixhedge.sweep_books)
CASH = "run.initial_cash_usd"


def check_grid_key(key: str, where: str) -> None:
    """Raise unless ``key`` names one leaf setting of a section a sweep may vary (or is :data:`CASH`)."""
    section, *rest = key.split(".")
    if key == CASH:
        return
    if section not in SWEEPABLE:
        also = f", and {CASH}" if section == "run" else ""
        raise C.ConfigError(f"{where} cannot be swept: the grid takes keys of the sections "
                            f"{', '.join(f'[{s}]' for s in SWEEPABLE)}{also} (every point shares one Market and "
                            f"window: put [{section}] settings in [base] or run separate sweeps)")
    node: Any = C.Config()
    for k, part in enumerate([section, *rest]):
        if isinstance(node, dict) and k == len(rest):  # a plug-in's own parameter: hedge.policy_params.<key>
            return
        if not dataclasses.is_dataclass(node) or part not in {f.name for f in dataclasses.fields(node)}:
            close = close_key(part, [f.name for f in dataclasses.fields(node)]) if dataclasses.is_dataclass(node) \
                else []
            parts = [section, *rest]
            fix = f"did you mean {'.'.join(parts[:k] + close + parts[k + 1:])}?" if close else \
                "write a dotted key such as hedge.macd.fast"
            raise C.ConfigError(f"{where} is not a config key: {fix}")
        node = getattr(node, part)
    if dataclasses.is_dataclass(node):
        raise C.ConfigError(f"{where} is a whole section: sweep its keys one by one (e.g. {key}.<key>)")


def check_grid_types(key: str, values: Any, where: str) -> None:
    """Raise ConfigError when a value of grid axis ``key`` has the wrong type for its setting (a string for a
    whole number, a name not among an enum key's values...): a spec error, not an invalid point. Range checks stay
    per point (counted as invalid)."""
    for v in values:
        C.check_value_type(key, v, f"{where}{key}")


def check_grid_plugins(grid: dict[str, list[Any]], where: str) -> None:
    """Raise one ConfigError line, ``{where}[grid] hedge.policy = 'x' is invalid: <the loader's reason>; ...``, when
    a plug-in name a grid axis gives (a policy, selector, signal or analyzer) does not load: the sweep folder's
    identity hashes every plug-in the grid names (:func:`vixhedge.extensions.grid_fingerprint`), so it is a spec
    error before the market or any folder, not an invalid point (trial FUZZ37 H2: an internal error after ``--out``
    was made). A name that loads but is called wrongly stays an invalid point, as before."""
    from vixhedge.extensions import registries
    from vixhedge.plugins import PluginError

    for key, reg in registries().items():
        for value in grid.get(key, []):
            listed = isinstance(value, (list, tuple))  # (a list key's value: its element's index, as a config's)
            for i, name in enumerate(value if listed else [value]):
                if not name:
                    continue
                try:
                    reg.resolve(str(name))
                except PluginError:
                    try:  # (the config's own line: the loader's reason and the fix; trial FUZZ40 L4: no [i])
                        reg.check(str(name), where=f"[{i}]" if listed else "")
                    except C.ConfigError as exc:
                        raise C.ConfigError(f"{where}[grid] {exc}") from None
                    raise


def check_plugin_param_types(base: C.Config, grid: dict[str, list[Any]], where: str) -> None:
    """Raise ConfigError when a grid value of a plug-in's own parameter (``hedge.policy_params.<key>``,
    ``condor.selector_params.<key>``) has not the type the plug-in's ``params`` dataclass annotates (a string for a
    float...), for each plug-in the key applies to ([base]'s, or each one the grid sweeps): a spec error before any
    work, as :func:`check_grid_types` for config keys, not an invalid point per value. The check is the one a
    config's own params table gets (:meth:`vixhedge.plugins.Registry.check`); a value of the right type that the
    params class refuses (a range) stays an invalid point."""
    from vixhedge.extensions import registries
    from vixhedge.plugins import message

    for reg in registries().values():
        table = f"{reg.key}_params."
        keys = [k for k in grid if k.startswith(table) and "." not in k[len(table):]]
        if not keys:
            continue
        section, attr = reg.key.split(".")
        params = getattr(getattr(base, section), f"{attr}_params")
        names = grid.get(reg.key, [getattr(getattr(base, section), attr)])
        for name in dict.fromkeys(str(n) for n in names if n and n not in reg.builtins):
            for key in keys:
                leaf = key[len(table):]
                for v in grid[key]:
                    try:
                        reg.check(name, {**params, leaf: v})
                    except C.ConfigError as exc:  # (raised from None: its context is the params class's error)
                        why = exc.__context__
                        if isinstance(why, TypeError) and message(why).startswith(f"{leaf} = {v!r}: "):
                            raise C.ConfigError(f"{where}{key} = {toml_echo(v)} is invalid for {name}: {why}"
                                                f"{_unquote(v)}") from None
                        if not isinstance(why, (TypeError, ValueError)):
                            break  # the plug-in does not load: the config's own check says so


def _unquote(value: Any) -> str:
    """The fix of a number written as a string (``"60"``): "; write 60, without quotes"; "" otherwise."""
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return ""
        return f"; write {value.strip()}, without quotes"
    return ""


def check_scheduler(value: str, where: str) -> None:
    """Raise ConfigError for an unknown scheduler, or a dask one without dask.distributed installed."""
    if not isinstance(value, str) or value not in ("local", "local-cluster") and not value.startswith("tcp://"):
        raise C.ConfigError(f"{where} = {toml_echo(value)} is invalid: use 'local', 'local-cluster' or "
                            "'tcp://HOST:PORT'")
    if value.startswith("tcp://"):
        tcp_address(value, where)
    if value != "local":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise C.ConfigError(f"{where} = {toml_echo(value)} needs dask.distributed, which is not installed: "
                                "python -m pip install 'vixhedge[dask]' (or use scheduler = 'local')")


def tcp_address(value: str, where: str) -> tuple[str, int]:
    """Return (host, port) of a ``tcp://HOST:PORT`` scheduler address, or raise ConfigError naming ``where``: no host,
    a port that is no number or outside 1..65535 (trial FUZZ33 L6: port 99999 read "Connection refused")."""
    host, _, port = value[len("tcp://"):].rpartition(":")
    host = host.strip("[]")
    if not host or not (port.isascii() and port.isdigit()):
        raise C.ConfigError(f"{where} = {value!r} is invalid: write tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    if not 1 <= int(port) <= 65535:
        raise C.ConfigError(f"{where} = {value!r} is invalid: port {port} is outside 1..65535 (a TCP port): write "
                            "tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786")
    return host, int(port)


KERNEL_MODES = ("auto", "off")


def check_kernel(value: Any, where: str) -> None:
    if value not in KERNEL_MODES:
        raise C.ConfigError(f"{where} = {toml_echo(value)} is invalid: use 'auto' (the all-points kernel where it "
                            "covers a point) or 'off' (every point on the event path)")


#: what a sweep can rank its points by (results.csv columns, ``is_`` ones when split), and which way is better
#: (:data:`analyzers.metrics.BETTER`, compare's)
RANK_BY = {"sharpe": "higher", "max_drawdown": "lower", "cvar95": "lower", "hedge_cost_usd": "lower"}


def check_rank_by(value: Any, where: str) -> None:
    if not isinstance(value, str) or value not in RANK_BY:
        ways = ", ".join(f"'{k}' ({better} is better)" for k, better in RANK_BY.items())
        raise C.ConfigError(f"{where} = {toml_echo(value)} is invalid: rank the points by one of {ways}")


def check_engine(value: str, where: str) -> None:
    if value not in C.ENGINES:
        raise C.ConfigError(f"{where} = {toml_echo(value)} is invalid: use one of {list(C.ENGINES)}")


def with_overrides(spec, label: str, *, workers: Any = None, scheduler: Any = None, engine: Any = None,
                   kernel: Any = None, rank_by: Any = None, spa_block_days: Any = None):
    """Return ``spec`` with the ``[sweep]`` values given (not None) in place of its own, each checked first: one
    ConfigError line naming it as the caller's user wrote it. ``label``: ``"--"`` for the command's flags
    (``--workers -1 is invalid``, ``--kernel = 'on' is invalid``), else the function's name (``"run_sweep"``:
    ``run_sweep: workers = -1 is invalid``). :func:`vixhedge.api.run_sweep` and ``vixhedge sweep`` both call it."""
    flag = label == "--"

    def name(key: str) -> str:
        return f"--{key}" if flag else f"{label}: {key}"

    def shown(key: str, value: Any) -> str:
        return f"{name(key)} {value!r}" if flag else f"{name(key)} = {value!r}"

    changes: dict[str, Any] = {}
    if workers is not None:
        if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
            from vixhedge.api_args import ArgumentError  # a ConfigError (and a TypeError: a float, a str)

            raise ArgumentError(f"{shown('workers', workers)} is invalid: use 0 (all cores) or more")
        changes["workers"] = workers
    if scheduler is not None:
        check_scheduler(scheduler, name("scheduler"))
        changes["scheduler"] = scheduler
    if engine is not None:
        if engine not in C.ENGINES:
            raise C.ConfigError(f"{shown('engine', engine)} is not known: use one of {list(C.ENGINES)}")
        changes["engine"] = engine
    if kernel is not None:
        check_kernel(kernel, name("kernel"))
        changes["kernel"] = kernel
    if rank_by is not None:
        check_rank_by(rank_by, name("rank-by" if flag else "rank_by"))
        changes["rank_by"] = rank_by
    if spa_block_days is not None:
        where = shown('spa-block-days' if flag else 'spa_block_days', spa_block_days)
        if isinstance(spa_block_days, bool) or not isinstance(spa_block_days, int) or spa_block_days < 0:
            raise C.ConfigError(f"{where} is invalid: use a whole number of days >= 1, or 0 for the data-driven block")
        check_spa_block(spa_block_days, spec, where)
        changes["spa_block_days"] = spa_block_days
    spec = dataclasses.replace(spec, **changes) if changes else spec
    return cap_workers(spec, name("workers") if workers is not None else "sweep.workers")


def check_spa_block(block: int, spec, where: str, start=None, end=None, span: str = "") -> None:
    """Raise one ConfigError line unless SPA / StepM's block ``block`` (0: data-driven) is shorter than the days
    they test: ``spec``'s in-sample side when split, else its window (or ``start..end``, ``span`` their words: a
    walk-forward fold's fit period). As compare's ``--block-days`` (:func:`vixhedge.compare_args.check_compare_args`): a
    block of the whole span or longer resampled it in one piece and read p 0.00 (trial CF21). ``where``: the value
    as the user gave it."""
    from feeds import calendars

    start = start or spec.base.run.start
    end = end or spec.in_sample_end or spec.base.run.end
    span = span or ("in sample" if spec.in_sample_end else "the window")
    n = len(calendars.trading_days(start, end))
    if block and n > 1 and block >= n:  # (a span of one session is refused by the window's own checks)
        raise C.ConfigError(f"{where} is invalid: use a block of 1..{n - 1} days (SPA / StepM test {span} "
                            f"{start}..{end}, {n} sessions), or 0 for the data-driven block")


def cap_workers(spec, where: str):
    """Return ``spec`` with its workers capped at this machine's cores when they run here (scheduler local or
    local-cluster), saying so in one stderr line: ``--workers 100000`` started as many processes as points (the
    fuzz trial, session 9). A ``tcp://`` scheduler's workers are the cluster's: not capped."""
    cores = os.cpu_count() or 1
    if spec.workers <= cores or spec.scheduler.startswith("tcp://"):
        return spec
    given = f"{where} {spec.workers}" if where.startswith("--") else f"{where} = {spec.workers}"  # (as placebo's)
    print(f"vixhedge sweep: {given} is more than this machine's {cores} cores: running {cores} worker processes",
          file=sys.stderr)
    return dataclasses.replace(spec, workers=cores)
