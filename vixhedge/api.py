"""The public API: what plug-ins and notebooks may import (README "Plug-ins").

Everything else in the package may change between versions; these names keep their meaning.

A hedge policy (:data:`HedgePolicy`) is ``policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) ->
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

* a condor selector (:data:`CondorSelector`, ``condor.selector``): ``selector(choice: CondorChoice, cfg:
  CondorConfig) -> CondorLegs | None``, asked on each bar the entry rule opens a condor; its own table is
  ``cfg.selector_params`` (``[condor.selector_params]``, checked against ``selector.params`` likewise);
* extra signals (:data:`ExtraSignal`, ``hedge.signals = [...]``): ``signal(inputs: SignalInputs, cfg:
  HedgeConfig) -> array`` of one number per ``inputs.dates``, causal; policies and selectors read it as
  ``snap.extra[name]`` and signals.csv shows it as ``extra_<name>``;
* analyzers (:data:`Analyzer`, ``analysis.analyzers = [...]``): ``analyzer(result: RunResult) -> dict |
  DataFrame``, filed under its name in metrics.json ``analyzers`` / ``analyzer_<name>.csv``.

A notebook (README "From Python") needs nothing else: configs (:func:`load_default_config`, :func:`load_config`,
:func:`load_preset_config`, :func:`replace_config`), a run (:func:`run_backtest` -> :class:`RunResult`) and its
folder (:func:`write_run`, :func:`load_run` -> :class:`RunFiles`), the run's figures as SVG text
(:func:`fig_equity`, ...), a comparison of hedge modes (:func:`compare` -> :class:`Comparison`), its folder
(:func:`write_comparison`, :func:`load_comparison`) and figures (:func:`fig_overlay`, :func:`fig_paired`).
"""

from __future__ import annotations

from feeds.market import Market, build_market
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
from strategies.policies import BUILTINS as BUILTIN_POLICIES
from strategies.policies import HedgePolicy, identity as policy_identity, no_hedge, resolve as resolve_policy
from analyzers.plugins import BUILTINS as BUILTIN_ANALYZERS
from analyzers.plugins import Analyzer, monthly_returns
from feeds.chains import OptionChain
from strategies.condor import CondorLegs, select_condor
from strategies.extra_signals import ExtraSignal
from strategies.selectors import BUILTINS as BUILTIN_SELECTORS
from strategies.selectors import CondorChoice, CondorSelector
from strategies.signalset import SignalInputs, Snapshot
from strategies.vxth import decide_vxth
from vixhedge.compare import Comparison, compare, write_comparison
from vixhedge.compare_report import fig_overlay, fig_paired, load_comparison
from vixhedge.core.config import (
    AnalysisConfig,
    CondorConfig,
    Config,
    ConfigError,
    HedgeConfig,
    HedgeInstrument,
    HedgeMode,
    from_dict,
    to_toml,
)
from vixhedge.core.config import load as load_config
from vixhedge.core.config import load_default as load_default_config
from vixhedge.core.config import load_preset as load_preset_config
from vixhedge.core.config import replace as replace_config
from vixhedge.extensions import identities as plugin_identities
from vixhedge.run_figures import fig_attribution, fig_benchmark, fig_equity, fig_vega, fig_vx_macd
from vixhedge.runfolder import RunFiles, RunFolderError, load_run
from vixhedge.core.instruments import Right
from vixhedge.report import write_run
from vixhedge.run import RunResult, run_backtest

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
    "plugin_identities",
    # configs, runs and their folders
    "Config", "ConfigError", "load_config", "load_default_config", "load_preset_config", "from_dict",
    "replace_config", "to_toml", "Market", "build_market", "run_backtest", "RunResult", "write_run", "load_run",
    "RunFiles", "RunFolderError",
    # a run's figures (SVG text)
    "fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega", "fig_benchmark",
    # hedge modes compared on one market path, and their folders
    "compare", "Comparison", "write_comparison", "load_comparison",
    # a comparison's figures (matplotlib Figures, built without pyplot)
    "fig_overlay", "fig_paired",
]
