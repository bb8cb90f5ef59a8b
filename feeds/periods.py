"""Named historical stress periods for ``vixhedge replay NAME``, with warm-up and a coverage check.

Anchor dates are those of MARKET_RULES.md ("Stress episodes researchers replay"). A named period's
window is its ``start``..``end`` (clipped to exchange sessions); ``warmup_sessions`` sessions of
history before ``start`` are loaded too (:data:`MACD_SETTLED_SESSIONS`), so the MACD (and any other causal signal)
is warm on the first day of the window and equals a run's on the full history. :func:`check_coverage` verifies that the data hold every session of
warm-up + window: SPX (with its open) and VIX, and, for a directory of real files, a real settle of
the first and second monthly VX contract; otherwise a :class:`~feeds.directory.CoverageError`
names the missing dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the table below is read by `vixhedge --help`: pandas and the calendars load on first use
    import pandas as pd

    from feeds.directory import DataDirectory
    from feeds.market import Market
    from strategies.signalset import SignalSet
    from vixhedge.core.config import Config

__all__ = ["MACD_SETTLED_SESSIONS", "PERIODS", "Period", "check_coverage", "get_period", "macd_warmup", "settled_sessions"]

D = dt.date

#: Sessions of history after which the MACD no longer depends on its seeding (vixhedge.core.signals: every EMA
#: seeded with the SMA of its first values): with at least this many before its first day, a replay's MACD(12,26,9),
#: signal line and histogram on the VX series equal a run's on the full history within 0.005 over the replay window
#: (any warm-up of 92 or more, measured on each named period with ``--data-dir ../shared/data``, history from
#: 2000-01-03, 2026-12-03: 0.00498 at 92, 0.0020 / 0.0030 at 100; at 60 up to 0.042 / 0.061, flash-crash).
MACD_SETTLED_SESSIONS = 92
#: (warm-up bars, sessions) measured the same way: MACD(12,26,9) (warm-up 34) settles from 92; MACD(24,52,18)
#: (warm-up 69) from 204 (0.00485 at 204 and below 0.005 on every count up to 318 tried; 0.00510 at 203, q4-2018;
#: 0.00603 at 187, which scaling 92 with the warm-up gave), 2026-12-03.
_MEASURED = ((34, MACD_SETTLED_SESSIONS), (69, 204))


def settled_sessions(warmup_bars: int) -> int:
    """Return the sessions of history a MACD of ``warmup_bars`` of warm-up needs to forget its seeding: measured
    for MACD(12,26,9) (:data:`MACD_SETTLED_SESSIONS`) and MACD(24,52,18) (204), linear between them; beyond the
    slower one it scales 204 with the warm-up (the seeding's weight decays with the slow EMA's length): a
    heuristic, not measured."""
    (w0, n0), (w1, n1) = _MEASURED
    if warmup_bars <= w0:
        return n0
    if warmup_bars <= w1:
        return n0 + -(-(n1 - n0) * (warmup_bars - w0) // (w1 - w0))
    return -(-n1 * warmup_bars // w1)


@dataclass(frozen=True, slots=True)
class Period:
    """A named replay window."""

    name: str
    title: str
    start: dt.date
    end: dt.date
    anchors: str
    warmup_sessions: int = MACD_SETTLED_SESSIONS

    def sessions(self) -> pd.DatetimeIndex:
        """Return the exchange sessions of the window."""
        from feeds import calendars

        return calendars.trading_days(self.start, self.end)

    def history_start(self, warmup_sessions: int | None = None) -> dt.date:
        """Return the first session of the warm-up (``warmup_sessions`` sessions before the window)."""
        n = self.warmup_sessions if warmup_sessions is None else warmup_sessions
        first = self.sessions()[0].date()
        from feeds import calendars
        from feeds.directory import CoverageError

        earlier = calendars.trading_days(first - dt.timedelta(days=2 * n + 30), first)[:-1]
        if len(earlier) < n:  # pragma: no cover - only near the calendar's 1990 start
            raise CoverageError(f"named period {self.name!r}: the calendar has fewer than {n} sessions before {first}")
        return earlier[len(earlier) - n].date() if n else first


PERIODS: Mapping[str, Period] = MappingProxyType({p.name: p for p in (
    Period("gfc", "Global financial crisis", D(2008, 9, 1), D(2009, 3, 31),
           "Lehman 2008-09-15 .. trough 2009-03-09; VIX close peak 80.86 on 2008-11-20"),
    Period("flash-crash", "Flash crash", D(2010, 5, 1), D(2010, 5, 31), "2010-05-06"),
    Period("us-downgrade", "US downgrade", D(2011, 8, 1), D(2011, 8, 31),
           "S&P downgrade 2011-08-05; VIX close 48.00 on 2011-08-08"),
    Period("china-deval", "China devaluation", D(2015, 8, 1), D(2015, 8, 31),
           "yuan devaluation 2015-08-11; VIX intraday 53.29 on 2015-08-24"),
    Period("volmageddon", "Volmageddon", D(2018, 2, 1), D(2018, 2, 28),
           "VIX 17.31 -> 37.32 on 2018-02-05; XIV terminated, last trade 2018-02-20"),
    Period("q4-2018", "Q4 2018 selloff", D(2018, 9, 21), D(2018, 12, 31), "SPX high 2018-09-21 .. low 2018-12-24"),
    Period("covid", "COVID crash", D(2020, 2, 1), D(2020, 4, 30),
           "2020-02-19 .. 2020-03-23; VIX close record 82.69 on 2020-03-16"),
    Period("bear-2022", "2022 bear market", D(2022, 1, 3), D(2022, 10, 31), "2022-01-03 .. 2022-10-12"),
    Period("yen-carry", "Yen carry unwind", D(2024, 8, 1), D(2024, 8, 30),
           "2024-08-05: VIX intraday 65.73, close 38.57; front VX (Aug-24) settled 32.10, the VX signal series "
           "(30-day) 31.14"),
)})


def get_period(name: str) -> Period:
    """Return the named period ``name`` or raise KeyError listing the known names."""
    try:
        return PERIODS[name]
    except KeyError:
        raise KeyError(f"unknown period {name!r}: use one of {sorted(PERIODS)}") from None


def check_coverage(period: Period, data: DataDirectory | None, warmup_sessions: int | None = None) -> None:
    """Raise CoverageError naming the sessions of warm-up + window the data lack.

    ``data`` None means the embedded market (SPX and VIX only; its VX curve is modelled).
    """
    from feeds import calendars
    from feeds.directory import CoverageError
    from feeds.embedded import load_embedded

    first = period.history_start(warmup_sessions)
    last = period.sessions()[-1].date()
    if data is None:
        have = load_embedded().dates
        gaps = {"SPX/VIX (embedded 2014-2018)": calendars.trading_days(first, last).difference(have)}
    else:
        gaps = dict(data.missing(first, last))
        gaps["VX (real settle of the 1st and 2nd monthly contract)"] = _vx_missing(data, first, last)
    gaps = {k: v for k, v in gaps.items() if len(v)}
    if not gaps and data is not None and (cut := data.cut_after(first))[1]:  # the data after a later hole alone
        raise CoverageError(f"named period {period.name!r} ({period.start}..{period.end} with warm-up from {first}) "
                            f"is not covered by the data a run reads, which begin {cut[0]} after a gap ({cut[1]}; a "
                            "run reads only the data after the latest gap): restore the rows (if a value is real, "
                            "widen its limit in the data directory's plausibility.toml: README, Plausibility rules)")
    if gaps:
        shown = "; ".join(f"{k} missing on {len(v)} session(s) {_dates(v)}" for k, v in gaps.items())
        hint = ": pass a data directory of real files (--data-dir)" if data is None else data.why_rejected(gaps)
        raise CoverageError(f"named period {period.name!r} ({period.start}..{period.end} with warm-up from {first}) "
                            f"is not covered by the data: {shown}{hint}")


def _vx_missing(data: DataDirectory, first: dt.date, last: dt.date) -> pd.DatetimeIndex:
    import pandas as pd

    from feeds import calendars

    days = calendars.trading_days(first, last)
    monthly = data.vx.monthly()
    have = set(zip(monthly["trade_date"].to_numpy().astype("datetime64[D]").tolist(),
                   monthly["expiry"].to_numpy().astype("datetime64[D]").tolist()))
    missing = [d for d in days
               if any((d.date(), calendars.front_vx_contract(d, n).settlement) not in have for n in (1, 2))]
    return pd.DatetimeIndex(missing)


def _dates(days: pd.DatetimeIndex, show: int = 6) -> str:
    shown = ", ".join(d.date().isoformat() for d in days[:show])
    return f"[{shown}{', ...' if len(days) > show else ''}]"


def macd_warmup(cfg: Config, market: Market, i0: int, signals: SignalSet | None = None) -> dict:
    """Return metrics.json ``macd_warmup`` of a run whose policy reads the MACD (empty for those that read none,
    :attr:`~vixhedge.core.config.HedgeConfig.reads_signals`): the
    sessions of history before the bar whose signals its first decision reads (``i0`` less
    ``execution.signal_delay_bars``), the first data day, and the sessions the MACD needs to forget its seeding
    (:func:`feeds.periods.settled_sessions`), and with ``signals`` the last crossover before that bar
    (:func:`last_cross`); report_sections.warmup_words words it (console and report.html)."""
    if not cfg.hedge.reads_signals:
        return {}
    delay = cfg.execution.signal_delay_bars
    first = max(i0 - delay, 0)
    out = {"history_sessions": first, "signal_delay_bars": delay,
           "data_from": market.days[0].isoformat(), "settled_sessions": settled_sessions(cfg.hedge.macd.warmup_bars)}
    cross = last_cross(signals, first) if signals is not None else None
    return {**out, **({"last_cross": cross} if cross else {}),
            **_modelled_warmup(market, first, out["settled_sessions"])}


def last_cross(signals: SignalSet, first: int) -> dict | None:
    """Return the last MACD crossover before the bar ``first`` (the one the first decision reads), or None where
    the warm-up had none: its ``date``, ``kind`` (``cross_up``: MACD above its signal, fear rising; ``cross_down``,
    as signals.csv's ``rule_ids`` name the rules they fire) and the histogram on the session before and on its
    day (``hist_before``, ``hist_after``). It set the regime the window opens in (signals.csv ``regime`` on the
    first row counts the bars since it): trial RS35 found 6 of 9 episodes opening in "fear rising" with no file
    saying since when."""
    import numpy as np

    hit = np.flatnonzero(np.asarray(signals.cross[:first]) != 0)
    if not len(hit):
        return None
    t = int(hit[-1])
    return {"date": signals.dates[t].date().isoformat(), "kind": "cross_up" if signals.cross[t] > 0 else "cross_down",
            "hist_before": float(signals.hist[t - 1]), "hist_after": float(signals.hist[t])}


def _modelled_warmup(market: Market, first: int, settled: int) -> dict:
    """On a data directory's market (real VX settles), the sessions of the span the MACD settles on before the bar
    ``first`` (the ``settled`` sessions before it, those the data hold) with no real VX settle, where it read the
    model's curve, and the first real settle's day: trial RS33 warmed a 2004-03-26 start on 1,062 sessions of the
    model's VX, VX futures not yet listed, and no line said so. Nothing where every session of the span has one."""
    import numpy as np

    from feeds.vxcurve import REAL

    origin = market.vx.origin
    if market.vx_panel is None or origin is None:
        return {}
    lo = max(first - settled, 0)
    real = (origin == REAL).any(axis=1)
    n = int((~real[lo:first]).sum())
    if not n:
        return {}
    hit = np.flatnonzero(real)
    return {"modelled_vx_sessions": n, "settle_span": first - lo,
            "first_real_vx": market.days[hit[0]].isoformat() if len(hit) else None}
