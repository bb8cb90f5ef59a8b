"""What a sweep shows while it works, on stderr: notes, stage lines before long set-up steps, the progress bar.

* :func:`note` and :func:`stage` write whole lines through ``tqdm.write``: above the bar, never inside its line.
  A stage line (``vixhedge sweep: building the market on DIR ...``) comes before each set-up step that can take
  a while on real data (the market, the first point's quote caches and condor book), so a sweep never sits at
  ``0/N`` without a word.
* :class:`Progress` draws its tqdm bar (vixhedge.progress.bar: only on a terminal) from :meth:`Progress.start`,
  once the set-up is done, and measures its rate and ETA from then: the set-up's seconds are not read as seconds
  per point. Off a terminal (nohup, a batch job's log) no bar draws: :class:`Progress` writes a plain line instead
  at each tenth of the points done, at most every :data:`PLAIN_EVERY_S` seconds and at least every
  :data:`PLAIN_MAX_S` (``vixhedge sweep: 120 of 720 points (17%), 3.1 points/s, about 3 min left``).
"""

from __future__ import annotations

import sys
import time

__all__ = ["PLAIN_EVERY_S", "PLAIN_MAX_S", "PlainLines", "Progress", "note", "stage"]

PLAIN_EVERY_S = 10.0  # off a terminal: a progress line at most this often ...
PLAIN_MAX_S = 300.0  # ... and at least this often while points finish


def note(text: str) -> None:
    """Print a sweep note on stderr through tqdm.write: above the progress bar, never inside its line (the notes
    of vixhedge.progress.notes_outside_bars are written the same way)."""
    from tqdm import tqdm

    tqdm.write(text, file=sys.stderr)


def config_note(text: str) -> None:
    """A note on the sweep's config (an axis no point reads, a [base] setting unread, the first point's policy notes)
    as a WARNING of the ``vixhedge.sweep`` logger, its text as it is (``plain``): a command prints it as :func:`note`
    does (vixhedge.progress.notes_outside_bars), and ``logging.getLogger("vixhedge").setLevel(logging.ERROR)``
    silences it in a notebook with the package's other notes (trial API31 L7: it was printed directly)."""
    import logging

    logging.getLogger("vixhedge.sweep").warning(text, extra={"plain": True})


def stage(text: str) -> None:
    """Print a stage line ``vixhedge sweep: TEXT ...`` before a long set-up step (nothing with --quiet)."""
    from vixhedge import progress

    if not progress.QUIET:
        note(f"vixhedge sweep: {text} ...")


class PlainLines:
    """Off a terminal, where no bar draws: a plain line ``vixhedge WHAT: 120 of 720 UNITs (17%), 3.1 UNITs/s, about
    3 min left`` at each tenth of ``total`` done, at most every :data:`PLAIN_EVERY_S` seconds and at least every
    :data:`PLAIN_MAX_S` (module docstring); ``what`` the command (sweep, placebo), ``unit`` what it counts. ``done``:
    already done when made (a placebo's pilot seeds it keeps), counted in the share, not in the rate; ``total`` may
    change (a sweep's shrinks). ``at_first``: the clock starts at the first :meth:`advance`, not when made, and the
    rate counts the units done after it (compare makes its draws' lines before its runs: trial PERF36 read "31.6
    bootstrap draws/s, about 2 min left" for a 2 s bootstrap); with none counted yet a line says no rate."""

    def __init__(self, total: int, what: str = "sweep", unit: str = "point", done: int = 0,
                 at_first: bool = False) -> None:
        now = time.monotonic()
        self.total, self._what, self._unit = total, what, unit
        self._done, self._base, self._t0, self._last = done, done, None if at_first else now, now
        self._said = int(10 * done / total) if total else 0  # tenths said

    def advance(self, n: int = 1) -> None:
        self._done += n
        done, now = self._done, time.monotonic()
        if self._t0 is None:  # at_first: the clock starts now, after these n
            self._t0, self._base, self._last = now, done, now
        tenths = int(10 * done / self.total) if self.total else 10
        if (tenths > self._said and now - self._last >= PLAIN_EVERY_S) or now - self._last >= PLAIN_MAX_S \
                or done >= self.total:
            rate = (done - self._base) / max(now - self._t0, 1e-9)
            left = (self.total - done) / rate if rate > 0 else 0.0
            eta = f", about {left / 60:.0f} min left" if left >= 90 else (f", about {left:.0f} s left" if left >= 1
                                                                            else "")
            from vixhedge import fmt

            speed = f", {rate:.1f} {self._unit}s/s{eta}" if done > self._base else ""
            note(f"vixhedge {self._what}: {done:,} of {self.total:,} {self._unit}s "
                 f"({fmt.pct(done / max(self.total, 1), 0)}){speed}")
            self._last, self._said = now, tenths


class Progress:
    """The sweep's progress bar over points (a tqdm bar, vixhedge.progress.bar: drawn only on a terminal).

    ``total`` shrinks as invalid and already finished points are skipped while the grid is walked. The bar is
    drawn, and its clock started, by :meth:`start`, once the set-up is done (the market, the first point's quote
    caches and condor book: up to a minute on real data), so its rate and ETA count the points' time only; the rate
    is the points finished over the time since (tqdm ``smoothing = 0``): the workers' batches finish in bursts, which
    a moving average of the last few updates would read as a rate many times the real one.
    """

    def __init__(self, total: int) -> None:
        self._total = total
        self._bar = None
        self._plain: PlainLines | None = None  # off a terminal

    @property
    def total(self) -> int:
        return self._total

    @total.setter
    def total(self, value: int) -> None:
        self._total = value
        if self._bar is not None:
            self._bar.total = value
            self._bar.refresh()
        if self._plain is not None:
            self._plain.total = value

    def start(self) -> None:
        """Draw the bar (at 0 of ``total``) once the set-up is done; later calls do nothing."""
        if self._bar is None:
            from vixhedge import progress

            self._bar = progress.bar(self._total, "sweep", "point")
            self._bar.smoothing = 0  # the average rate since the start
            if self._bar.disable and not progress.QUIET:  # off a terminal: plain lines (module docstring)
                self._plain = PlainLines(self._total)

    def advance(self, n: int) -> None:
        self.start()
        self._bar.update(n)
        if self._plain is not None:
            self._plain.advance(n)

    def close(self) -> None:
        """Clear the bar's line (leave=False), so whatever is printed next starts a line of its own."""
        if self._bar is not None:
            self._bar.close()
