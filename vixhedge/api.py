"""The public API: what plug-ins and notebooks may import (README "Plug-ins").

Everything else in the package may change between versions; these names keep their meaning.

A hedge policy (:class:`HedgePolicy`) is ``policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) ->
Decision``: pure, called once per bar after the condor was managed. ``state`` is the hedge book and the
market it sees (open layers, trading days to their expiry, NAV, the open condor's vega and contracts, the
quote of one unit of a new layer), ``snap`` the day's signals (VX level, MACD and signal line, RSI, the
crossover and regime, event windows; with ``execution.signal_delay_bars = N``, those of N bars before, as a
selector's ``choice.snap`` and the extra signals are: :mod:`strategies.signaldelay`), ``cfg`` the run's ``[hedge]``
section. The Decision's actions (AddLayer, RemoveLayer, RollLayer, RestrikeLayer, CutCondor, ScaleCondor) are
applied in order, at bid/ask with fees and within the margin and hedge budget; ``fired`` and ``acted`` name the rules in
signals.csv. Name it in config as ``hedge.policy = "module:callable"``; the built-ins
(:data:`BUILTIN_POLICIES`) are looked up the same way. Its own parameters are ``cfg.policy_params``
(``[hedge.policy_params]``), checked at load against ``policy.params`` when the policy sets that to a dataclass.

The other extension points, named the same way (``"module:callable"`` or a ``vixhedge.plugins`` entry point):

* a condor selector (:class:`CondorSelector`, ``condor.selector``): ``selector(choice: CondorChoice, cfg:
  CondorConfig) -> CondorLegs | None``, asked on each bar the entry rule opens a condor; its own table is
  ``cfg.selector_params`` (``[condor.selector_params]``, checked against ``selector.params`` likewise);
* extra signals (:class:`ExtraSignal`, ``hedge.signals = [...]``): ``signal(inputs: SignalInputs, cfg:
  HedgeConfig) -> array`` of one number per ``inputs.dates``, causal; policies and selectors read it as
  ``snap.extra[name]`` and signals.csv shows it as ``extra_<name>``;
* analyzers (:class:`Analyzer`, ``analysis.analyzers = [...]``): ``analyzer(result: RunResult) -> dict |
  DataFrame``, filed under its name in metrics.json ``analyzers`` / ``analyzer_<name>.csv``.

:class:`HedgePolicy`, :class:`CondorSelector`, :class:`ExtraSignal` and :class:`Analyzer` are ``typing.Protocol``
classes of those call signatures (``help()`` of each says what it receives and returns): a plain function of the
signature is one, nothing to subclass; annotate a plug-in with them for a type checker. A plug-in must live in a
module file on PYTHONPATH (not ``__main__``: a notebook's cell is refused, since a run id hashes the plug-in's
source and a replay imports it by name). What goes wrong is one line: :class:`PolicyError`,
:class:`SelectorError`, :class:`SignalError`, :class:`AnalyzerError` (a plug-in that raised or returned something
else, naming it and the day; each a :class:`ConfigError`), :class:`DataError` (a data file), :class:`ConfigError`
(a config value), :class:`ArgumentError` (an argument of the wrong type), :class:`RunFolderError` (a folder).

A notebook (README "From Python") needs nothing else: configs (:func:`load_default_config`, :func:`load_config`,
:func:`load_preset_config`, :func:`replace_config`), a run (:func:`run_backtest` -> :class:`RunResult`) and its
folder (:func:`write_run`, :func:`load_run` -> :class:`RunFiles`), the run's figures as SVG text
(:func:`fig_equity`, ...), a comparison of hedge modes (:func:`compare` -> :class:`Comparison`), its folder
(:func:`write_comparison`, :func:`load_comparison`) and figures (:func:`fig_overlay`, :func:`fig_paired`), a sweep
(:func:`load_sweep_spec`, :func:`run_sweep` -> :class:`SweepResult`, as ``vixhedge sweep`` writes its folder), its
heatmaps (:func:`fig_sweep_heatmap`), a walk-forward of it (:func:`walk_forward`), and a placebo test of a policy's
timing (:func:`placebo` -> :class:`Placebo`, :func:`write_placebo`, :func:`load_placebo`: :mod:`vixhedge.api_placebo`).
"""

from __future__ import annotations

import ast
import functools
import importlib
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vixhedge.api_args import (
    ArgumentError,
    a_type,
    absolute_data_dir,
    check_market,
    checked_callable,
    checked_config,
    checked_market_config,
    checked_config_path,
    checked_engine,
    checked_folder,
    checked_runs_dir,
    checked_flag,
    named,
)
from vixhedge.api_placebo import load_placebo, placebo, write_placebo
from vixhedge.core.config import (
    DEFAULT_ENGINE,
    AnalysisConfig,
    CondorConfig,
    Config,
    ConfigError,
    HedgeConfig,
    HedgeInstrument,
    HedgeMode,
    MarketConfig,
)
from vixhedge.core.config import load_default as load_default_config
from vixhedge.core.instruments import Right
from vixhedge.plugin_types import CondorSelector

if TYPE_CHECKING:  # every other name of __all__: imported on first use (__getattr__ reads these lines)
    from feeds.market import Market
    from feeds.marketdata import DataError
    from feeds.chains import OptionChain
    from strategies.book import (
        Action,
        AddLayer,
        BookState,
        CutCondor,
        Decision,
        Layer,
        RemoveLayer,
        RestrikeLayer,
        RollLayer,
        Rule,
        ScaleCondor,
        UnitQuote,
        cap_contracts,
        first_layer_contracts,
    )
    from strategies.hedge import decide_alvh, decide_static, due_rolls
    from strategies.vxth import decide_vxth
    from strategies.policies import BUILTINS as BUILTIN_POLICIES
    from strategies.policies import HedgePolicy, PolicyError, no_hedge
    from strategies.policies import identity as policy_identity
    from strategies.policies import resolve as resolve_policy
    from strategies.selectors import BUILTINS as BUILTIN_SELECTORS
    from strategies.selectors import CondorChoice, SelectorError
    from strategies.condor import CondorLegs, select_condor
    from strategies.extra_signals import ExtraSignal, SignalError
    from strategies.signalset import SignalInputs
    from strategies.snapshot import Snapshot
    from analyzers.plugins import BUILTINS as BUILTIN_ANALYZERS
    from analyzers.plugins import Analyzer, AnalyzerError, monthly_returns
    from vixhedge.compare import Comparison
    from vixhedge.placebo import Placebo
    from vixhedge.api_sweep import SweepFailureWarning, SweepResult, fig_sweep_heatmap, load_sweep_spec, run_sweep
    from vixhedge.api_sweep import walk_forward
    from vixhedge.extensions import identities as plugin_identities
    from vixhedge.core.config.readonly import thaw
    from vixhedge.run_figures import fig_attribution, fig_benchmark, fig_equity, fig_vega, fig_vx_macd
    from vixhedge.runfolder import RunFiles, RunFolderError
    from vixhedge.run import RunResult
    from vixhedge.sweep_spec import SweepSpec

if TYPE_CHECKING:  # a return annotation only (not a name of __all__: _lazy reads the block above alone)
    from matplotlib.figure import Figure


@functools.cache
def _lazy() -> dict[str, tuple[str, str]]:
    """Return ``{name: (module, its name there)}`` of the ``if TYPE_CHECKING:`` imports above, read from this file (one
    list for the type checkers and for :func:`__getattr__`): a plug-in that imports a few names loads their modules,
    not the run, compare, sweep and figure modules behind the rest (``from vixhedge.api import Decision``: ~240
    modules, ~700 when every name was imported with the module)."""
    tree = ast.parse(Path(__file__).read_text(encoding="utf-8"))
    block = next(n for n in tree.body if isinstance(n, ast.If) and ast.unparse(n.test) == "TYPE_CHECKING")
    return {a.asname or a.name: (node.module, a.name) for node in block.body if isinstance(node, ast.ImportFrom)
            for a in node.names}


def __getattr__(name: str) -> Any:
    """Return a name of :data:`__all__` imported on first use from the module it comes from (PEP 562)."""
    try:
        module, there = _lazy()[name]
    except KeyError:
        raise AttributeError(f"module 'vixhedge.api' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(module), there)
    globals()[name] = value  # found directly from now on
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_lazy()))


__all__ = [
    # the hedge-policy signature and what it reads
    "HedgePolicy", "BookState", "Snapshot", "HedgeConfig", "HedgeInstrument", "HedgeMode", "Layer", "UnitQuote",
    # what it returns
    "Decision", "Action", "AddLayer", "RemoveLayer", "RollLayer", "RestrikeLayer", "CutCondor", "ScaleCondor",
    "Rule",
    # helpers a policy may use: the built-ins' own sizing, caps and rolls, and the built-ins themselves
    "first_layer_contracts", "cap_contracts", "due_rolls", "decide_alvh", "decide_static", "decide_vxth",
    "no_hedge", "BUILTIN_POLICIES", "resolve_policy", "policy_identity",
    # a condor selector: what it sees and returns, the built-in's strike rules
    "CondorSelector", "CondorChoice", "CondorConfig", "CondorLegs", "OptionChain", "Right", "select_condor",
    "BUILTIN_SELECTORS",
    # an extra signal and an analyzer
    "ExtraSignal", "SignalInputs", "Analyzer", "AnalysisConfig", "monthly_returns", "BUILTIN_ANALYZERS",
    "plugin_identities", "thaw",
    # configs, runs and their folders
    "Config", "ConfigError", "ArgumentError", "load_config", "load_default_config", "load_preset_config", "from_dict",
    "replace_config", "to_toml", "Market", "build_market", "run_backtest", "RunResult", "write_run", "load_run",
    "RunFiles", "RunFolderError",
    # what a broken plug-in or bad data raises (each a one-line message; all but DataError are ConfigErrors)
    "PolicyError", "SelectorError", "SignalError", "AnalyzerError", "DataError",
    # a run's figures (SVG text)
    "fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega", "fig_benchmark",
    # hedge modes compared on one market path, and their folders
    "compare", "Comparison", "write_comparison", "load_comparison",
    # a policy's timing against the same hedge bought at random times (README "Is the timing worth anything?")
    "placebo", "Placebo", "write_placebo", "load_placebo",
    # a comparison's figures (matplotlib Figures, built without pyplot)
    "fig_overlay", "fig_paired",
    # a sweep of a grid of settings over one market, its folder and heatmaps (matplotlib Figures)
    "load_sweep_spec", "run_sweep", "SweepResult", "SweepSpec", "SweepFailureWarning", "fig_sweep_heatmap",
    # a walk-forward of a sweep: picks on each fold's fit years, judged on the next, stitched
    "walk_forward",
]


# The entry points that take a user's arguments check them first (vixhedge.api_args): one line, never a traceback
# from inside a run; a relative market.data_dir is made absolute as the command line makes it.

def load_config(path: str | Path) -> Config:
    """Load and validate a TOML config file (ConfigError naming file and field); a relative ``market.data_dir`` is
    taken from the current directory and made absolute, as ``vixhedge run`` does, so the run id is the CLI's."""
    from vixhedge.core.config import load

    return absolute_data_dir(load(checked_config_path(path, "load_config")))


def load_preset_config(name: str) -> Config:
    """Load a packaged preset by name: ``load_preset_config("steward")`` (ConfigError naming the presets when there is
    no such one; anything but a str is one ArgumentError line)."""
    from vixhedge.core.config import PRESETS, load_preset

    if not isinstance(name, str):
        raise ArgumentError(f"load_preset_config: name is {a_type(name)}, not a str: pass a preset's name, one of "
                            f"{list(PRESETS)} (a config file: load_config(path))")
    return load_preset(name)


def from_dict(table: dict) -> Config:
    """Return a validated :class:`Config` from a nested dict (as parsed from TOML); a relative ``market.data_dir`` is
    made absolute (as :func:`load_config`)."""
    from vixhedge.core.config import from_dict as build

    if not isinstance(table, dict):
        raise ArgumentError(f"from_dict: table is {a_type(table)}, not a dict of [section] tables")
    return absolute_data_dir(build(table))


def to_toml(cfg: Config, omitted: bool = False) -> str:
    """Return ``cfg`` as TOML text, config.toml's (deterministic key order; what a run id hashes); ``omitted``: the
    keys left at their defaults too, as comments, each key's meaning after it (``vixhedge run --print-config``).
    Anything but a Config (a dict: :func:`from_dict` reads one) is one ArgumentError line (trial API31 L2)."""
    from vixhedge.core.config import to_toml as write

    return write(checked_config(cfg, "to_toml", absolute=False), checked_flag(omitted, "omitted", "to_toml"))


def replace_config(cfg: Config, **sections: dict) -> Config:
    """Return ``cfg`` with some section fields replaced and validated again: ``replace_config(cfg, hedge={"mode":
    "none"}, run={"start": "2015-06-01"})``; a relative ``market.data_dir`` is made absolute (as :func:`load_config`).
    numpy scalars (``np.int64(3)``, ``np.float64``, ``np.bool_``) are taken as the Python numbers they hold."""
    from vixhedge.core.config import replace

    return absolute_data_dir(replace(checked_config(cfg, "replace_config"), **sections))


def run_backtest(cfg: Config, market: Market | None = None, engine: str = DEFAULT_ENGINE,
                 on_day: Callable[[], object] | None = None) -> RunResult:
    """Run one backtest of ``cfg`` with ``engine`` ("fast", the default as for ``vixhedge run``, or "backtrader":
    identical results) -> :class:`RunResult`.

    ``market``: a :class:`Market` built by ``build_market(cfg.market)`` to share between runs of configs that differ
    outside ``[market]``; None builds it. A market built from another ``[market]`` is refused in one line (the run
    would ignore ``cfg.market``). ``on_day`` (e.g. a progress bar's ``update``) is called after each trading day.
    """
    from vixhedge.run import run_backtest as run

    cfg = checked_config(cfg, "run_backtest")
    check_market(cfg, market, "run_backtest")
    checked_engine(engine, "run_backtest")
    checked_callable(on_day, "on_day", "run_backtest")
    return run(cfg, market, engine, on_day)  # builds it with feeds.market.market_for (its checks first)


def write_run(result: RunResult, runs_dir: str | Path = "runs", parquet: bool = False) -> Path:
    """Write ``result``'s run folder, ``runs_dir/<run-id>/`` (a str or Path; as ``vixhedge run`` writes it, its
    no-hedge benchmark run included), atomically; return its path. ``parquet``: also every table as ``.parquet``
    (needs pyarrow). A ``runs_dir`` that is a file or cannot be created or written, ``parquet=True`` without
    pyarrow, or a frame or metric edited by hand so that the folder cannot hold it (a column its files or report read
    dropped, ``daily.reset_index()``, rows cut: :mod:`vixhedge.frame_checks`) is one ArgumentError line before any
    work."""
    from vixhedge.frame_checks import check_run
    from vixhedge.report import write_run as write
    from vixhedge.run import RunResult

    if not isinstance(result, RunResult):
        raise ArgumentError(f"write_run: result is {a_type(result)}, not a RunResult: pass what "
                            "run_backtest(cfg) returned (a folder read back by load_run is written already)")
    check_run(result, "write_run")  # its frames and metrics as the folder reads them (API31 M3: before any folder)
    return write(result, checked_runs_dir(runs_dir, parquet, "write_run"), parquet=parquet)


def load_run(folder: str | Path) -> RunFiles:
    """Read a run folder (a str or Path) back -> :class:`RunFiles`; RunFolderError names a missing or damaged file
    (:func:`vixhedge.runfolder.load_run`)."""
    from vixhedge.runfolder import load_run as load

    return load(checked_folder(folder, "folder", "load_run", "runs/<run-id>"))


def write_comparison(cmp: Comparison, runs_dir: str | Path = "runs", parquet: bool = False) -> Path:
    """Write ``cmp``'s compare folder, ``runs_dir/<name>-compare-<hash8>/`` (a str or Path, default "runs", as
    :func:`write_run`), atomically, as ``vixhedge compare`` writes it; return its path."""
    from vixhedge.compare import Comparison, write_comparison as write
    from vixhedge.run import RunResult

    if not isinstance(cmp, Comparison):
        raise ArgumentError(f"write_comparison: cmp is {a_type(cmp)}, not a Comparison: pass what "
                            "compare(cfg) returned (a folder read back by load_comparison is written already)")
    if any(not isinstance(r, RunResult) for r in cmp.results.values()):  # (trial API31 M2: an AttributeError)
        raise ArgumentError("write_comparison: cmp was read back from a compare folder by load_comparison: it is "
                            "written already (that folder); pass what compare(cfg) returned")
    return write(cmp, checked_runs_dir(runs_dir, parquet, "write_comparison"), parquet=parquet)


def load_comparison(folder: str | Path) -> Comparison:
    """Read a compare folder (a str or Path) back -> :class:`Comparison`; RunFolderError names a missing or damaged
    file (:func:`vixhedge.compare_read.load_comparison`)."""
    from vixhedge.compare_read import load_comparison as load

    return load(checked_folder(folder, "folder", "load_comparison", "runs/<name>-compare-<hash8>"))


def compare(cfg: Config, market: Market | None = None, modes: tuple[str, ...] | str | None = None,
            baseline: str = "none", n_boot: int = 2000, block_days: int | None = None, ci_method: str = "percentile",
            engine: str = DEFAULT_ENGINE, on_day: Callable[[], object] | None = None,
            on_draw: Callable[[], object] | None = None, variants: dict | None = None) -> Comparison:
    """Run ``cfg`` under each hedge mode on one market path and compare them -> :class:`Comparison`
    (:func:`vixhedge.compare.compare`: ``modes``, ``baseline``, the paired bootstrap's ``n_boot``, ``block_days`` and
    ``ci_method``; ``variants``, ``{name: {dotted key: value}}``: the config with those keys changed, run as modes so
    named). ``on_day`` (called after every day of every mode's run) and ``on_draw`` (after every bootstrap draw) are
    checked callable (or None) before any work."""
    from vixhedge import compare_variants as V
    from vixhedge.compare import MODE_NAMES, compare as run, default_modes
    from vixhedge.compare_args import check_compare_args

    cfg = checked_config(cfg, "compare")
    checked_callable(on_day, "on_day", "compare")
    checked_callable(on_draw, "on_draw", "compare")
    checked_engine(engine, "compare")
    try:  # compare's own checks (it makes them again), each line named by the function as the others (API31 L1)
        checked = V.checked_variants(variants, MODE_NAMES, cfg)
        check_compare_args(cfg, V.with_variants(default_modes(cfg) if modes is None else modes, checked), baseline,
                           n_boot, block_days, ci_method, variants=checked)
    except ConfigError as exc:
        raise named(exc, "compare") from None
    return run(cfg, market, modes, baseline, n_boot, block_days, ci_method, engine, on_day, on_draw, variants)


def fig_overlay(cmp: Comparison | str | Path) -> Figure:
    """Return a matplotlib Figure of ``cmp`` (a :class:`Comparison`, or a compare folder, a str or Path read with
    :func:`load_comparison`): the modes' NAV, drawdown and cumulative hedge P&L on one time axis."""
    from vixhedge.compare_report import fig_overlay as draw

    return draw(_comparison(cmp, "fig_overlay"))


def fig_paired(cmp: Comparison | str | Path) -> Figure:
    """Return a matplotlib Figure of ``cmp`` (as :func:`fig_overlay`): each mode's paired difference from the
    baseline per statistic, with its confidence interval."""
    from vixhedge.compare_report import fig_paired as draw

    return draw(_comparison(cmp, "fig_paired"))


def _comparison(cmp: Any, where: str) -> Comparison:
    """``cmp`` itself, or the compare folder it names read back, its frames checked for the figure ``where``; anything
    else is one ArgumentError line (trial API22: ``fig_overlay(res)`` raised an AttributeError from inside the
    figure)."""
    from vixhedge.compare import Comparison
    from vixhedge.frame_checks import OVERLAY, PAIRED, check_frames

    if isinstance(cmp, (str, Path)):
        cmp = load_comparison(cmp)
    if not isinstance(cmp, Comparison):
        raise ArgumentError(f"{where}: cmp is {a_type(cmp)}, not a Comparison: pass what compare(cfg) returned, or "
                            "a compare folder's path")
    if where == "fig_paired":  # (API31 M3: frames edited by hand raised from inside pandas or matplotlib)
        check_frames(cmp, where, PAIRED, "cmp")
    for mode, res in cmp.results.items() if where == "fig_overlay" else ():
        check_frames(res, where, OVERLAY, f"cmp.results[{mode!r}]", "cmp")
    return cmp


def build_market(cfg: MarketConfig) -> Market:
    """Load the data source a ``[market]`` table configures and return its :class:`Market` (to share between runs:
    ``run_backtest(cfg, market)``); a whole Config or anything else is one ArgumentError line saying what to pass."""
    from feeds.market import build_market as build

    return build(checked_market_config(cfg, "build_market"))
