"""Progress on long work (tqdm): TTY-aware, silenced by ``--quiet``, notes printed outside the bar.

:func:`bar` returns a tqdm bar on stderr that draws only when stderr is a terminal (``disable=None``:
logs and CI stay clean) and never with ``quiet``. :func:`notes_outside_bars` routes the package's log
records (policy notes, capital cuts, loader notes) through ``tqdm.write`` for the duration of a command,
so a note never lands inside a progress line, and each distinct note is printed once, prefixed with the run it
is about (:func:`labelled`: a mode of ``compare``, the no-hedge benchmark of ``run``). :func:`frozen_heap`
keeps a command's Market out of garbage collection while it runs.
"""

from __future__ import annotations

import contextlib
import gc
import logging
import sys
from collections.abc import Callable, Iterator

QUIET = False  # set by the CLI's --quiet for the command it runs
_LABELS: list[str] = []  # the runs whose notes are being printed, innermost last (:func:`labelled`)


_ROUTED: list[object] = []  # the notes_outside_bars handlers in force (a command of the CLI): they add the label


@contextlib.contextmanager
def labelled(name: str, outside_commands: bool = False) -> Iterator[None]:
    """Prefix the notes printed meanwhile with ``[name]``: which run (mode, benchmark) a note is about.

    Under a command (:func:`notes_outside_bars`) its handler writes ``vixhedge [name]: note``. With
    ``outside_commands`` (``write_run``'s no-hedge benchmark), called from Python, the ``vixhedge.*`` records logged
    meanwhile carry the same prefix in their message, so whatever handler a notebook has (or Python's last resort)
    prints them tagged: they are not the run's own notes."""
    _LABELS.append(name)
    factory = logging.getLogRecordFactory()
    tag = outside_commands and not _ROUTED
    if tag:
        logging.setLogRecordFactory(_tagging(factory, name))
    try:
        yield
    finally:
        _LABELS.pop()
        if tag:
            logging.setLogRecordFactory(factory)


def _tagging(factory: Callable[..., logging.LogRecord], name: str) -> Callable[..., logging.LogRecord]:
    """Return a log-record factory that prefixes the message of a ``vixhedge.*`` record with ``vixhedge [name]: ``."""
    prefix = f"vixhedge [{name}]: "

    def make(*args, **kwargs) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        if record.name == "vixhedge" or record.name.startswith("vixhedge."):
            record.msg = (prefix.replace("%", "%%") if record.args else prefix) + str(record.msg)
        return record

    return make


def bar(total: int | None, desc: str, unit: str, scale: bool = False, shown: bool = True):
    """Return a tqdm progress bar on stderr (no-op off a terminal, with --quiet or not ``shown``: an API call's
    ``progress=False``); ``scale``: counts printed with k/M/G prefixes (bytes: ``unit="B"``)."""
    import os

    from tqdm import tqdm

    try:  # a terminal that reports no size (0x0: `script -qc`, some pseudo-terminals) gets 80x24, not an empty bar
        size = tuple(os.get_terminal_size(sys.stderr.fileno()))  # (columns, lines)
    except (OSError, ValueError, AttributeError):
        size = (0, 0)
    sized = min(size) > 0  # tqdm hides a bar on a terminal of 0 lines
    return tqdm(total=total, desc=desc, unit=unit, file=sys.stderr, disable=True if QUIET or not shown else None,
                dynamic_ncols=sized, ncols=None if sized else size[0] or 80, nrows=None if sized else size[1] or 24,
                leave=False, mininterval=0.2, unit_scale=scale)


@contextlib.contextmanager
def next_bar(before, total: int | None, desc: str, unit: str) -> Iterator[Callable[[], None]]:
    """Yield the update of the bar of a command's next phase: its first call closes ``before`` (the bar of the
    phase done) and opens this one, so one bar draws at a time."""
    opened = []

    def update() -> None:
        if not opened:
            before.close()
            opened.append(bar(total, desc, unit))
        opened[0].update()

    try:
        yield update
    finally:
        for b in opened:
            b.close()


@contextlib.contextmanager
def filtered_notes(only: logging.Filter) -> Iterator[logging.Filter]:
    """Filter the ``vixhedge`` logger's handlers (a command's notes) by ``only`` meanwhile."""
    handlers = list(logging.getLogger("vixhedge").handlers)
    for h in handlers:
        h.addFilter(only)
    try:
        yield only
    finally:
        for h in handlers:
            h.removeFilter(only)


class _Kept(logging.Handler):
    """Keep each record as (the run it was about, :func:`labelled`'s name or "", its logger, level, message, plain)."""

    def __init__(self) -> None:
        super().__init__(logging.NOTSET)
        self.notes: list[tuple[str, str, int, str, bool]] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.notes.append((_LABELS[-1] if _LABELS else "", record.name, record.levelno, record.getMessage(),
                           bool(getattr(record, "plain", False))))


@contextlib.contextmanager
def kept_notes() -> Iterator[list[tuple[str, str, int, str, bool]]]:
    """Keep the ``vixhedge`` logger's notes meanwhile instead of printing them (a forked worker's: its handlers are
    the parent's copies, whose once-each filters would print a note each worker saw first); :func:`replay` prints
    them in the parent, in the order the work was asked for (``compare --windows --workers``: the same lines as one
    process prints)."""
    lg, kept = logging.getLogger("vixhedge"), _Kept()
    (handlers, propagate), lg.handlers, lg.propagate = (lg.handlers, lg.propagate), [kept], False
    try:
        yield kept.notes
    finally:
        lg.handlers, lg.propagate = handlers, propagate


def replay(notes: list[tuple[str, str, int, str, bool]]) -> None:
    """Log :func:`kept_notes`' notes here, each under the run it was about (:func:`labelled`)."""
    for label, name, level, text, plain in notes:
        with labelled(label) if label else contextlib.nullcontext():
            logging.getLogger(name).log(level, "%s", text, extra={"plain": True} if plain else None)


class OnceAcrossRuns(logging.Filter):
    """Pass a note the first time its text is logged, drop the same text logged for another run (:func:`labelled`)
    and keep who said it too (trial RS38 L3: a 13-mode compare wrote 63 note lines, 56 of them one note per mode);
    :meth:`lines` says them after."""

    def __init__(self) -> None:
        super().__init__()
        self.first: dict[str, str] = {}
        self.more: dict[str, list[str]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        text, who = record.getMessage(), _LABELS[-1] if _LABELS else ""
        if self.first.setdefault(text, who) == who:
            return True
        if who not in self.more.setdefault(text, []):
            self.more[text].append(who)
        return False

    def lines(self) -> list[str]:
        """One line per note dropped: the runs it was about too, after the one it was printed for."""
        return [f"vixhedge [{', '.join(who)}]: the same note as [{self.first[text]}]'s above ({text[:60]}"
                f"{'...' if len(text) > 60 else ''})" for text, who in self.more.items()]


def with_lines(update: Callable[[], object], total: int, unit: str, plain: bool,
               at_first: bool = False) -> Callable[[], None]:
    """``update`` (a bar's), and where ``plain`` (off a terminal, no bar draws) a line ``vixhedge compare: 1,200 of
    12,000 UNITs (10%), ...`` at each tenth of ``total`` too (:class:`vixhedge.sweep_progress.PlainLines`; trial
    RS38 L4: a 145 s compare into a log said nothing until its table); ``at_first``: their rate counts from the first
    update, not from now (compare makes its draws' callback before its runs: PlainLines ``at_first``)."""
    if not plain:
        return update
    from vixhedge.sweep_progress import PlainLines

    lines = PlainLines(total, "compare", unit, at_first=at_first)

    def both() -> None:
        update()
        lines.advance()

    return both


class _OnceThroughTqdm(logging.Handler):
    """Write each distinct record once, through tqdm.write (outside any progress line)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.seen: set[str] = set()

    def emit(self, record: logging.LogRecord) -> None:
        from tqdm import tqdm

        if getattr(record, "plain", False):  # a sweep's config note: its own words, each time (sweep_progress)
            tqdm.write(record.getMessage(), file=sys.stderr)
            return
        text = f"vixhedge [{_LABELS[-1]}]: {record.getMessage()}" if _LABELS else f"vixhedge: {record.getMessage()}"
        if text not in self.seen:
            self.seen.add(text)
            tqdm.write(text, file=sys.stderr)


@contextlib.contextmanager
def notes_outside_bars() -> Iterator[None]:
    """Route the ``vixhedge.*`` loggers' records through tqdm.write, once each, for the block's duration."""
    handler = _OnceThroughTqdm()
    _ROUTED.append(handler)
    loggers = [logging.getLogger("vixhedge")]
    saved = [(lg, lg.propagate, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        lg.propagate = False
        if lg.level == logging.NOTSET:
            lg.setLevel(logging.INFO if not QUIET else logging.ERROR)
    try:
        yield
    finally:
        _ROUTED.remove(handler)
        for lg, propagate, level in saved:
            lg.removeHandler(handler)
            lg.propagate, lg.level = propagate, level


@contextlib.contextmanager
def frozen_heap():
    """Keep the objects that exist now (a Market and its quote caches) out of garbage collection meanwhile.

    Runs and sweep points allocate many short-lived objects; each full collection would otherwise walk the
    whole Market too (about 10% of a sweep point's time; 0.25-0.4 s of a run on real data, issue 16). Forked
    sweep workers freeze what they inherit for the same reason (and so collections do not touch, hence copy,
    the shared pages).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def no_collections():
    """Run the body with the cyclic garbage collector off (the caller's setting restored after).

    A run allocates ~10^5 short-lived objects, which set off the collector's passes, full ones over every
    object the process holds (the Market's quote caches: ~1.5 x 10^5, ~0.1 s a pass, one every 2-3 warm
    5-year fast runs): 0.05-0.08 s CPU a run on average, for nothing: a fast run leaves no reference cycles
    (gc.collect() after one finds 0); a backtrader run's ~14,000 cyclic objects are freed by the first
    collection after it. ``vixhedge run`` holds it over the whole command, imports included (~30 ms more).
    """
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def loading_line(market_cfg, then: Callable[[], object] | None = None) -> Callable[[], None]:
    """Return a ``before_build`` for :func:`feeds.market.market_for`: ``then`` (a command's banner), then, on a
    terminal and without --quiet, "vixhedge: loading data from DIR ..." on stderr for a data directory (20 years of
    ../shared/data load in ~7 s that printed nothing: trial longrun finding 6). Off a terminal the output is as
    before: logs and CI see no stage line."""
    def say() -> None:
        if then is not None:
            then()
        if QUIET or not sys.stderr.isatty() or getattr(market_cfg.source, "value", market_cfg.source) != "directory":
            return
        print(f"vixhedge: loading data from {market_cfg.data_dir} ...", file=sys.stderr, flush=True)

    return say


def run_with_bar(cfg, engine: str, market=None):
    """Run ``cfg`` (vixhedge.run.run_backtest) with a progress bar over its trading days; return the result."""
    from feeds.market import market_for
    from vixhedge.run import run_backtest
    from vixhedge.window import check_window

    market = market_for(cfg, market)
    i0, i1 = check_window(cfg, market)
    if QUIET or not sys.stderr.isatty():  # no bar would draw (tqdm's own test): do not import it (~10 ms)
        return run_backtest(cfg, market, engine=engine)
    with bar(i1 - i0 + 1, f"{cfg.run.name} ({cfg.hedge.policy_name})", "day") as days:
        return run_backtest(cfg, market, engine=engine, on_day=days.update)
