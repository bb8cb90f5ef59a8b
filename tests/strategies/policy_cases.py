"""The crafted book states, signal snapshots and hedge configs of the ALVH rule tests
(tests/strategies/test_hedge_policy.py, test_hedge_review.py, test_hedge_sizing.py)."""

import datetime as dt

from strategies.book import BookState, Decision, Layer, UnitQuote
from strategies.signalset import Snapshot
from vixhedge.core.config import DivergenceConfig, FomcConfig, HedgeConfig, HedgeInstrument, SlopeConfig
from vixhedge.core.instruments import Contract, Kind


DAY = dt.date(2016, 3, 1)
EXPIRY = dt.date(2016, 4, 20)
UNIT = UnitQuote(notional_usd=18_000.0, premium_usd=0.0, vega_usd=700.0)


def snap(cross=0, macd=0.5, signal=0.4, **kw):
    """A fear-rising bar by default (MACD above signal), no cross, neutral everything else."""
    hist = kw.pop("hist", macd - signal)
    kw.setdefault("regime", 10 if hist > 0 else -10 if hist < 0 else 0)
    return Snapshot(vx=18.0, macd=macd, signal=signal, hist=hist, cross=cross, **kw)


EASING = {"macd": 0.3, "signal": 0.4}


def layer(i, expiry=EXPIRY, instrument=HedgeInstrument.VX_FUTURE, long_otm=0.05, notional=18_000.0, premium=0.0):
    legs = ((Contract(Kind.VX_FUTURE, expiry), 1),)
    return Layer(i, instrument, legs, notional, "t", DAY, premium, long_otm)


def state(*layers, dte=30, since=99, unit=UNIT, **kw):
    kw.setdefault("first_notional_usd", 18_000.0 if layers else None)
    kw.setdefault("condor_contracts", 10)
    return BookState(layers=tuple(layers), days_to_expiry={L.layer_id: dte for L in layers},
                     bars_since_action=since, unit=unit, **kw)


def cfg(**kw):
    kw.setdefault("divergence", DivergenceConfig(enabled=False))
    kw.setdefault("fomc", FomcConfig(enabled=False))
    kw.setdefault("slope", SlopeConfig(enabled=False))
    return HedgeConfig(**kw)


def acts(decision: Decision):
    return list(decision.actions)
