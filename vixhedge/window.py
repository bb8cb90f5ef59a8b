"""Does the data cover a run's window? :func:`check_window` returns the window's day indices or raises one
:class:`~vixhedge.core.config.ConfigError` line naming what falls short (the data's span, the MACD warm-up, a hole
that cut the data's history) and the fix; :func:`check_span` checks the data's span alone (a sweep's [base] window,
before its in-sample split is counted)."""

from __future__ import annotations

import datetime as dt

from feeds.datanotes import REACH_BARS, log_window_notes, note_once
from feeds.market import Market
from vixhedge.core.config import Config, ConfigError, HedgeConfig, HedgeInstrument, HedgeMode

MIN_SESSIONS = 3  # the fewest sessions a run's window holds


def check_window(cfg: Config, market: Market) -> tuple[int, int]:
    """Return the day indices of the run window; raise ConfigError if data or warm-up fall short."""
    days = market.days
    start, end = cfg.run.start, cfg.run.end
    need = cfg.hedge.macd.warmup_bars
    _check_cut(market, start, end, need)
    check_span(start, end, market, warmup=need)
    i0 = next(i for i, d in enumerate(days) if d >= start)
    i1 = max(i for i, d in enumerate(days) if d <= end)
    if i0 < need:
        macd = f"MACD({cfg.hedge.macd.fast},{cfg.hedge.macd.slow},{cfg.hedge.macd.signal})"
        if need + MIN_SESSIONS - 1 >= len(days):  # no start inside the data leaves the warm-up and a window
            raise ConfigError(f"hedge.macd = {macd} needs {need} bars of warm-up, more than the data's "
                              f"{len(days)} sessions ({market.data.source}: {days[0]}..{days[-1]}) can hold "
                              "with a window after them: shorten the MACD or give a longer history")
        earlier = market.earlier_history_start(need - i0)  # the data hold that much history before the cut
        raise ConfigError(f"run.start = {start} leaves {i0} bar{'s' * (i0 != 1)} of MACD warm-up before it; "
                          f"{macd} needs {need}: move run.start to {days[need]} or later"
                          + (f", or market.history_start to {earlier} or earlier (the data hold it)" if earlier
                             else ""))
    if i1 - i0 < MIN_SESSIONS - 1:
        raise ConfigError(f"run.start..run.end = {start}..{end} holds fewer than {MIN_SESSIONS} trading days: widen it")
    log_window_notes(market, start, end, hedge_instruments(cfg.hedge))  # rejected rows, VX span: once per Market
    return i0, i1


def traded_words(cfg: Config, market: Market, i0: int, i1: int) -> str:
    """The window a run trades (``i0``, ``i1``: :func:`check_window`'s), for a command's banner: ``start..end``, and
    where run.start or run.end is not a session of the data (a weekend, a holiday, an exchange closure) the date it
    moved from (trial RS33: a Saturday start traded from the Monday, the banner naming the Saturday; config.toml and
    the run id keep the dates given)."""
    first, last = market.days[i0], market.days[i1]
    moved = [f"run.{k} {given} is not a session: the window {k}s on {'the next' if k == 'start' else 'the last before'}"
             for k, given, day in (("start", cfg.run.start, first), ("end", cfg.run.end, last)) if given != day]
    return f"{first}..{last}" + (f" ({'; '.join(moved)})" if moved else "")


def hedge_instruments(h: HedgeConfig) -> tuple[str, ...]:
    """The hedge instruments (keys of :data:`feeds.datanotes.LISTED`) a run of ``h`` can trade: its listing note
    names only theirs (a VX-future hedge is not told of VIX options' launch)."""
    if h.policy_name == "none":
        return ()
    options = h.mode is HedgeMode.VXTH or h.policy_name == "vxth" or h.instrument is not HedgeInstrument.VX_FUTURE
    return ("vix_option",) if options else ("vx_future",)


def check_span(start: dt.date, end: dt.date, market: Market, where: str = "", warmup: int = 0) -> None:
    """Raise ConfigError (prefixed ``where``) when the window ``start..end`` reaches outside the market's data; a
    start before the data names the first start that leaves ``warmup`` bars of MACD warm-up (window-edge trial,
    session 13: the next try, at the data's first day, was refused again for its warm-up)."""
    days = market.days
    cut = getattr(market.cfg, "history_start", None)
    if start < days[0] and cut is not None and cut > start:  # the config cut the data after run.start
        raise ConfigError(f"{where}market.history_start = {cut} is after run.start = {start}: no data before it is "
                          f"read, so the run has none to start on: set market.history_start before run.start (the "
                          f"MACD warms up on the sessions between them), or move run.start to {days[0]} or later")
    if start < days[0] or end > days[-1]:
        first = (f" (run.start {days[warmup]} or later leaves the MACD its {warmup} bars of warm-up)"
                 if start < days[0] and warmup and warmup + 2 < len(days) else "")
        stop = market.data.stop if end > days[-1] else ""  # the data stop early: say why, and the fix of the rows
        why = f"; they stop there: {stop}" if stop else ""
        fix = ("choose dates inside it" if not stop else  # rows rejected (DataDirectory.describe's words), or absent
               f"{'fix those rows' if 'rejected' in stop else 'add the missing rows'}, or choose dates inside "
               f"{days[0]}..{days[-1]}")
        other = ("; a data directory covers other years (--data-dir DIR; README *Real data*)"  # (trial TASK42 L4)
                 if getattr(market.cfg, "source", None) == "embedded" else "")
        raise ConfigError(f"{where}run.start/run.end = {start}..{end} is outside the data "
                          f"({market.data.source}: {days[0]}..{days[-1]}{why}): {fix}{first}{other}")


def _check_cut(market: Market, start, end, need: int) -> None:
    """Raise ConfigError when the run or its warm-up reaches into a hole that cut the data's history; note a cut
    less than REACH_BARS sessions (feeds.datanotes) before the run (the signals warm up from after it)."""
    cut, days = market.data.cut, market.days
    if not cut:
        return
    before = sum(d < start for d in days)
    if before < need:
        rows = "rows" if "sessions" in cut else "row"
        if "implausible" in cut:  # a real value beyond the default limits (trial H: a 1987-size day) is let in there
            rows += (" (if the value is real, widen its limit in the data directory's plausibility.toml: README, "
                     "Plausibility rules)")
        raise ConfigError(f"{cut}: {_gap_fix(days, start, end, need, rows)}")
    if before < REACH_BARS + need:
        note_once(market, f"history cut: the data before {days[0]} are not used ({cut}); the signals warm up from "
                          f"{days[0]}, {before} sessions before run.start")


def _gap_fix(days: list[dt.date], start: dt.date, end: dt.date, need: int, rows: str) -> str:
    """Where a data hole lies for a run it stops, and the fix: restore the ``rows``, or a window after the hole
    (build_market keeps the data after the latest hole only: ending the run before it does not help)."""
    from feeds import calendars

    tail = f" (the data after the gap begin {days[0]})"
    if days[0] > end:
        where, tail = (f"the run {start}..{end} ends before {days[0]}, where the data after the gap begin (a run "
                       "reads only the data after the latest gap)"), ""
    elif start < days[0] and len(calendars.trading_days(start, days[0])) > 1:  # a session of the window: in the hole
        where = f"the gap lies inside the run {start}..{end}"
    else:
        where = f"the run {start}..{end} with its {need} bars of MACD warm-up reaches before the gap"
    if len(days) <= need + MIN_SESSIONS - 1:  # no window after the warm-up
        return (f"{where}: restore the {rows} (the data after the gap, {days[0]}..{days[-1]}, are too short for "
                f"{need} bars of MACD warm-up and a run)")
    if sum(days[need] <= d <= end for d in days) >= MIN_SESSIONS:
        return f"{where}: restore the {rows}, or start the run on {days[need]} or later{tail}"
    return f"{where}: restore the {rows}, or move the whole run after the gap: start it on {days[need]} or later{tail}"
