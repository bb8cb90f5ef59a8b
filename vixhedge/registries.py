"""The four extension points by name, importing none of them (README "Plug-ins").

Each :class:`~vixhedge.plugins.Registry` holds only names: the config key that names it, its built-ins as
``"module:qualname"`` strings and the positional arguments it is called with. A config section that names a plug-in
checks it here when it loads (``check_*``: one ConfigError line before any work), and that imports the one module
the name stands for (a user's plug-in, or the built-in's own module), not every extension point's module with its
numerical imports: a config naming one plug-in that imports nothing itself loads 6 modules beyond the config's, not
~500 (measured 2026-12-04: 138 -> 144 modules, was 137 -> 639..667). The extension points' own modules
(:mod:`strategies.policies`, :mod:`strategies.selectors`, :mod:`strategies.extra_signals`, :mod:`analyzers.plugins`)
call, check and file what a plug-in does during a run; their ``REGISTRY`` is the one here. :func:`builtin_config` and :func:`load_builtin` (``--hedge-mode``, compare's built-in modes) put a config under
a built-in policy without importing the plug-in it names, nor the policies' module.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from vixhedge.plugins import Registry

if TYPE_CHECKING:
    from vixhedge.core.config import Config

#: hedge.policy: the built-in policies (hedge.mode's values, and ``placebo``, the one built-in with a table of its own:
#: [hedge.policy_params], strategies/placebo.py) and the positional arguments of a policy
POLICY = Registry("hedge policy", "hedge.policy", {
    "none": "strategies.policies:no_hedge",
    "static": "strategies.hedge:decide_static",
    "alvh": "strategies.hedge:decide_alvh",
    "vxth": "strategies.vxth:decide_vxth",
    "placebo": "strategies.placebo:placebo",
}, ("state", "snap", "cfg"), with_params=("placebo",))
#: condor.selector: the built-in ``standard`` (strategies.selectors.standard)
SELECTOR = Registry("condor selector", "condor.selector", {"standard": "strategies.selectors:standard"},
                    ("choice", "cfg"))
#: hedge.signals: no built-in
SIGNAL = Registry("signal", "hedge.signals", {}, ("inputs", "cfg"))
#: analysis.analyzers: the built-in ``monthly_returns`` (analyzers.plugins.monthly_returns)
ANALYZER = Registry("analyzer", "analysis.analyzers", {"monthly_returns": "analyzers.plugins:monthly_returns"},
                    ("result",))
#: the extension points by the config key that names them (vixhedge.extensions)
BY_KEY: dict[str, Registry] = {r.key: r for r in (POLICY, SELECTOR, SIGNAL, ANALYZER)}


def check_policy(name: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise a one-line ConfigError naming ``hedge.policy`` when ``name`` does not load (or is not called as
    ``policy(state, snap, cfg)``), or ``hedge.policy_params`` when the policy declares a ``params`` dataclass
    that ``params`` does not build, or is not empty under a built-in policy (the table is a plug-in's own).

    Checked in ``config.replace`` too (a sweep point, compare's modes): switching ``hedge.policy`` there replaces
    the table rather than merging into it, so a config switched to a built-in carries no plug-in's table along.
    """
    POLICY.refuse_builtin_params(name, params, "policies")
    POLICY.check(name, params)


def check_selector(name: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise a one-line ConfigError naming ``condor.selector`` when ``name`` does not load (or is not called as
    ``selector(choice, cfg)``), or ``condor.selector_params`` when the selector declares a ``params`` dataclass
    ``params`` does not build, or is not empty under the built-in ``standard`` (the table is a plug-in's own)."""
    SELECTOR.refuse_builtin_params(name, params, "selectors")
    SELECTOR.check(name, params)


def check_signals(names: tuple[str, ...]) -> None:
    """Raise one ConfigError line naming ``hedge.signals`` when a name does not load or two file under one name."""
    SIGNAL.check_names(names, "{a} and {b} are both read as snap.extra[{key}]: list a signal once, or rename "
                                "one of two")


def check_analyzers(names: tuple[str, ...]) -> None:
    """Raise one ConfigError line naming ``analysis.analyzers`` when a name does not load or two share a name."""
    ANALYZER.check_names(names, "{a} and {b} both file under {key}: list an analyzer once, or rename one of two")


def builtin_config(cfg: Config, mode: str) -> Config:
    """Return ``cfg`` under the built-in hedge ``mode``: ``hedge.policy`` empty and no ``[hedge.policy_params]``
    (a plug-in's table means nothing to a built-in)."""
    from vixhedge.core.config import replace

    hedge = dataclasses.replace(cfg.hedge, policy="", policy_params={})
    return replace(dataclasses.replace(cfg, hedge=hedge), hedge={"mode": mode})


def load_builtin(path, mode: str) -> Config:
    """Return the config file ``path`` loaded under the built-in hedge ``mode`` (:func:`builtin_config`), never
    importing the plug-in policy it names: ``--hedge-mode static`` on a plug-in's config runs without its module."""
    from vixhedge.core.config import ConfigError, from_dict
    from vixhedge.core.config.load import read_toml

    table = read_toml(path)
    if isinstance(table.get("hedge"), dict):
        table["hedge"] = {k: v for k, v in table["hedge"].items() if k not in ("policy", "policy_params")}
    try:
        return builtin_config(from_dict(table), mode)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None
