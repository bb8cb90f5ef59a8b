"""Exchange calendar and expiration rules for SPX options and VIX futures: one door to two modules.

* :mod:`feeds.sessions`: the XNYS sessions (``trading_days``, ``is_trading_day``, ``previous_trading_day``,
  ``next_trading_day``, ``business_days_between``), shipped as closures (``feeds/calendar_data/xnys_closures.csv``),
  and the supported range ``SUPPORTED_START`` .. ``SUPPORTED_END``;
* :mod:`feeds.expirations`: the rules on them (SPX monthly expirations, VX monthly final settlements and
  contracts, ``VX_SETTLEMENT_EXCEPTIONS``; see MARKET_RULES.md).

Pure (no backtrader). Callers import this module (``from feeds import calendars``); the two above hold the code.
"""

from __future__ import annotations

from feeds.expirations import (
    VX_MONTH_CODES,
    VX_SETTLEMENT_EXCEPTIONS,
    VxContract,
    front_vx_contract,
    is_vx_weekly_settlement,
    spx_monthly_expiration,
    spx_monthly_expirations,
    third_friday,
    vx_contracts,
    vx_settlement_date,
)
from feeds.sessions import (
    CALENDAR_NAME,
    SUPPORTED_END,
    SUPPORTED_START,
    build_exchange_calendar,
    business_days_between,
    is_trading_day,
    next_trading_day,
    previous_trading_day,
    trading_days,
)

__all__ = [
    "CALENDAR_NAME",
    "SUPPORTED_END",
    "SUPPORTED_START",
    "VX_MONTH_CODES",
    "VX_SETTLEMENT_EXCEPTIONS",
    "VxContract",
    "build_exchange_calendar",
    "business_days_between",
    "front_vx_contract",
    "is_trading_day",
    "is_vx_weekly_settlement",
    "next_trading_day",
    "previous_trading_day",
    "spx_monthly_expiration",
    "spx_monthly_expirations",
    "third_friday",
    "trading_days",
    "vx_contracts",
    "vx_settlement_date",
]
