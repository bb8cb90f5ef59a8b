"""What a sweep shows while it works, on stderr: notes, stage lines before long set-up steps, the progress bar.

* :func:`note` and :func:`stage` write whole lines through ``tqdm.write``: above the bar, never inside its line.
  A stage line (``vixhedge sweep: building the market on DIR ...``) comes before each set-up step that can take
  a while on real data (the market, the first point's quote caches and condor book), so a sweep never sits at
  ``0/N`` without a word.
* :class:`Progress` draws its tqdm bar (vixhedge.progress.bar: only on a terminal) from :meth:`Progress.start`,
  once the set-up is done, and measures its rate and ETA from then: the set-up's seconds are not read as seconds
  per point.
"""

from __future__ import annotations

import sys

__all__ = ["Progress", "note", "stage"]


def note(text: str) -> None:
    """Print a sweep note on stderr through tqdm.write: above the progress bar, never inside its line (the notes
    of vixhedge.progress.notes_outside_bars are written the same way)."""
    from tqdm import tqdm

    tqdm.write(text, file=sys.stderr)


def stage(text: str) -> None:
    """Print a stage line ``vixhedge sweep: TEXT ...`` before a long set-up step (nothing with --quiet)."""
    from vixhedge import progress

    if not progress.QUIET:
        note(f"vixhedge sweep: {text} ...")


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

    @property
    def total(self) -> int:
        return self._total

    @total.setter
    def total(self, value: int) -> None:
        self._total = value
        if self._bar is not None:
            self._bar.total = value
            self._bar.refresh()

    def start(self) -> None:
        """Draw the bar (at 0 of ``total``) once the set-up is done; later calls do nothing."""
        if self._bar is None:
            from vixhedge import progress

            self._bar = progress.bar(self._total, "sweep", "point")
            self._bar.smoothing = 0  # the average rate since the start

    def advance(self, n: int) -> None:
        self.start()
        self._bar.update(n)

    def close(self) -> None:
        """Clear the bar's line (leave=False), so whatever is printed next starts a line of its own."""
        if self._bar is not None:
            self._bar.close()
