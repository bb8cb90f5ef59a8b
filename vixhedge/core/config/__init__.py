"""Typed, frozen, validated run configuration loaded from TOML.

Every section is a frozen dataclass. Loading is strict: an unknown key, a value of the
wrong type or an impossible value raises :class:`ConfigError` naming the field
(``section.key``), the value and the fix, before anything is written to disk.

One module per section: :mod:`.market` (``[market]``), :mod:`.book` (``[run]``, ``[execution]``,
``[condor]``, ``[margin]``, ``[analysis]``), :mod:`.hedge` (``[hedge]`` and its signal tables), :mod:`.rules` (its
switchable ALVH rule tables), :mod:`.vxth` (``[hedge.vxth]``, the VXTH baseline's rules); :mod:`.load` holds the
whole :class:`Config` and its TOML reading, :mod:`.write` its writing; :mod:`.reference` prints the README's
"Config reference" (``python -m vixhedge.core.config.reference``). Import names from here.
"""

from vixhedge.core.config.base import (
    ConfigError, is_safe_name, CI_METHODS, DEFAULT_ENGINE, ENGINES, UNBOUNDED_OK,
)
from vixhedge.core.config.market import (
    CurveModel, SmileModel, RateSource, MarketSource, ShockName, VxCurveConfig, SpxSmileConfig, VixSmileConfig,
    SpreadConfig, SyntheticConfig, MarketConfig,
)
from vixhedge.core.config.book import (
    CondorEntry, StrikeRule, CondorSizing, RiskFree, MarginMode, OnInsufficient, BreachRule, FillMode, RunConfig,
    ExecutionConfig, CondorConfig, MarginConfig, AnalysisConfig, DEFAULT_WINDOW,
)
from vixhedge.core.config.rules import (
    FomcCadence, PlacementConfig, FomcConfig, ExpansionConfig, SlopeConfig, EventsConfig, TermStructureConfig,
)
from vixhedge.core.config.hedge import (
    HedgeMode, HedgeInstrument, LayerSizing, DivergenceSource, DivergencePattern, VxSeries, SignalAction,
    MacdConfig, ConfirmConfig, DivergenceConfig, RsiFilterConfig, HedgeConfig, LISTED_VX_MONTHS,
)
from vixhedge.core.config.vxth import VxthConfig
from vixhedge.core.config.load import (
    Config, from_dict, load, default_path, load_default, preset_path, load_preset, replace, PRESETS, check_value_type,
    PRESET_WORDS,
)
from vixhedge.core.config.write import to_dict, to_toml

__all__ = [  # the names every caller imports from here (the modules above are its parts)
    "ConfigError", "is_safe_name", "CI_METHODS", "DEFAULT_ENGINE", "ENGINES", "UNBOUNDED_OK", "CurveModel",
    "SmileModel", "RateSource", "MarketSource", "ShockName", "VxCurveConfig", "SpxSmileConfig", "VixSmileConfig",
    "SpreadConfig", "SyntheticConfig", "MarketConfig", "CondorEntry", "StrikeRule", "CondorSizing", "RiskFree",
    "MarginMode", "OnInsufficient", "BreachRule", "FillMode", "RunConfig", "ExecutionConfig", "CondorConfig",
    "MarginConfig", "AnalysisConfig", "DEFAULT_WINDOW", "FomcCadence", "PlacementConfig", "FomcConfig", "ExpansionConfig", "SlopeConfig",
    "EventsConfig", "TermStructureConfig", "HedgeMode", "HedgeInstrument", "LayerSizing", "DivergenceSource",
    "DivergencePattern", "VxSeries", "SignalAction", "MacdConfig", "ConfirmConfig", "DivergenceConfig",
    "RsiFilterConfig", "HedgeConfig", "LISTED_VX_MONTHS", "VxthConfig", "Config", "from_dict", "load", "default_path",
    "load_default", "preset_path", "load_preset", "replace", "to_dict", "to_toml", "PRESETS", "check_value_type",
    "PRESET_WORDS",
]

from vixhedge.core.config.base import fast_pickle as _fast_pickle  # noqa: E402

for _cls in (VxCurveConfig, SpxSmileConfig, VixSmileConfig, SpreadConfig, SyntheticConfig, MarketConfig, RunConfig,
             ExecutionConfig, CondorConfig, MarginConfig, AnalysisConfig, MacdConfig, ConfirmConfig, DivergenceConfig,
             RsiFilterConfig, PlacementConfig, FomcConfig, ExpansionConfig, SlopeConfig, EventsConfig,
             TermStructureConfig, VxthConfig, HedgeConfig, Config):
    _fast_pickle(_cls)
