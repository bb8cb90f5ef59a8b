"""Shared pieces of the configuration: the error type and the one-line check every section uses."""

from __future__ import annotations

from typing import Any

# The engines that can drive a run (vixhedge.run): not a config key, since their results are identical.
ENGINES = ("backtrader", "fast")

UNBOUNDED_OK = frozenset({"hedge.max_notional_usd", "hedge.premium_budget_usd"})  # inf = no cap; else finite


class ConfigError(ValueError):
    """A configuration value is missing, unknown or impossible."""


def is_safe_name(name: str) -> bool:
    """Return whether ``name`` may name a folder under runs/ (letters, digits, '-', '_', '.'; not '.' or '..')."""
    return bool(name) and all(c.isalnum() or c in "-_." for c in name) and name.strip(".") != ""


def _check(ok: bool, name: str, value: Any, fix: str) -> None:
    if not ok:
        raise ConfigError(f"{name} = {value!r} is invalid: {fix}")
