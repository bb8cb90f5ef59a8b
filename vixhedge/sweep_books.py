"""The book each point of a sweep holds, and the baselines it is judged against: its own book without a hedge and
under the static hedge.

A point's *book* is its config outside ``[hedge]``: the condor, margin, execution and analysis settings the grid
gives it, with ``[base]``'s ``[hedge]`` section. Its baselines are that book under ``hedge.mode`` none and static
(:func:`vixhedge.registries.builtin_config`: [base]'s ``static_layers``), what ``vixhedge compare`` runs on the
point's config. A grid over ``[hedge]`` keys alone has one book, [base]'s. Before (trials RS24, RS25) every point
stood beside [base]'s book: a best point sized at margin 0.1 read "max drawdown 46.77% (no hedge 78.35%)" beside
[base]'s 0.5 unhedged (15.12% at 0.1), and 5 condors "beat no hedge" at p 0.00 against [base]'s 10 condors
unhedged, the same 5 unhedged being better still.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Iterable

from feeds.market import Market
from vixhedge.core import config as C
from vixhedge.sweep_metrics import RETURNS_KEY
from vixhedge.sweep_spec import Point, SweepSpec

#: the most books whose baselines a sweep runs for its SPA / StepM tests (two runs a book: 0.05-0.5 s each on the
#: kernel's configs, 2-3 s on the event path's; examples/capital_grid.toml's 12 books added ~25 s): beyond it,
#: every point is tested against [base]'s book and the summary says so
MAX_BOOKS = 100


def book_keys(spec: SweepSpec) -> list[str]:
    """The grid's keys outside ``[hedge]``: the ones that give points different books."""
    return [k for k in spec.grid if not k.startswith("hedge.")]


def book_config(spec: SweepSpec, cfg: C.Config) -> C.Config:
    """``cfg``'s book: its settings outside ``[hedge]`` with [base]'s ``[hedge]`` section."""
    return dataclasses.replace(cfg, hedge=spec.base.hedge)


@dataclasses.dataclass
class Books:
    """The distinct books of a sweep's points: ``of`` maps a point's key to its book's index in ``first`` (each
    book's first point in grid order, whose params name the book's values of :func:`book_keys`)."""

    keys: list[str]
    of: dict[str, int]
    first: list[Point]

    def values(self, index: int) -> dict[str, Any]:
        """Book ``index``'s values of the grid's keys outside [hedge]."""
        return {k: self.first[index].params[k] for k in self.keys}


def group(spec: SweepSpec, points: Iterable[Point]) -> Books:
    """Group ``points`` by book (their params' values of :func:`book_keys`, compared as text)."""
    keys, seen, first, of = book_keys(spec), {}, [], {}
    for p in points:
        ident = tuple(repr(p.params[k]) for k in keys)
        if ident not in seen:
            seen[ident] = len(first)
            first.append(p)
        of[p.key] = seen[ident]
    return Books(keys, of, first)


def baseline(spec: SweepSpec, market: Market, mode: str, cfg: C.Config | None = None) -> tuple[dict[str, Any], Any]:
    """Return the result row of ``cfg``'s book (default: ``[base]``) under the built-in hedge ``mode`` (none,
    static) on the sweep's window, and its daily frame."""
    from vixhedge.registries import builtin_config
    from vixhedge.run import daily_book
    from vixhedge.sweep_metrics import point_metrics, quiet_policy_log

    book = builtin_config(spec.base if cfg is None else book_config(spec, cfg), mode)
    with quiet_policy_log():
        daily, layers = daily_book(book, market)
    return point_metrics(daily, layers, book.analysis, spec.in_sample_end, market, daily.attrs.get("ruin"),
                         cash=book.run.initial_cash_usd), daily


def points_and_books(spec: SweepSpec, finished: set[str], best_key: str) -> tuple[Point, Books | None]:
    """The best point (key ``best_key``) and the books of the ``finished`` points; None without grid keys outside
    ``[hedge]`` (one book, [base]'s)."""
    from vixhedge.sweep_spec import iter_points

    points = (p for p in iter_points(spec) if isinstance(p, Point))
    if not book_keys(spec):
        return next(p for p in points if p.key == best_key), None
    best: list[Point] = []

    def done() -> Iterable[Point]:
        for p in points:
            if p.key in finished:
                best.extend([p] if p.key == best_key else [])
                yield p

    books = group(spec, done())  # (one config kept a book: its first point's)
    return best[0], books


def tested_books(spec: SweepSpec, market: Market, books: Books | None, best: Point,
                 best_rows: dict[str, dict[str, Any]], done: tuple[Any, Any] | None = None,
                 shown: bool = True) -> dict[str, Any] | None:
    """The baselines SPA / StepM test each point against, beyond the best point's book's ``best_rows`` (mode -> its
    result row): ``{"tests": "own", "rows": {mode: [each book's row]}}`` with 2 to :data:`MAX_BOOKS` books,
    ``{"tests": "base", "rows": {mode: [base's row]}}`` with more (every point against [base]'s book); None with
    one book (the best point's: ``best_rows``). A baseline the grid holds as a finished point (its config's key in
    ``done``: the sweep folder and its results.csv rows, as when a grid sweeps hedge.mode none and static beside a
    condor size) is read from its row and returns.bin instead of run again (trial RS26: 560 of 560 fields equal).
    ``shown`` False (``run_sweep(progress=False)``): no stage line, no bar (trial RD36 M2)."""
    from vixhedge import progress
    from vixhedge.sweep_progress import stage

    say = stage if shown else lambda _text: None

    if books is None or len(books.first) < 2:
        return None
    if len(books.first) > MAX_BOOKS:
        say(f"[base]'s baselines for SPA and StepM ({len(books.first)} books, more than {MAX_BOOKS})")
        return {"tests": "base", "rows": {m: [held(spec, spec.base, m, done, len(row[RETURNS_KEY]))
                                              or baseline(spec, market, m)[0]] for m, row in best_rows.items()}}
    own, runs = books.of[best.key], (len(books.first) - 1) * len(best_rows)
    say(f"the no-hedge and static baselines of {len(books.first)} books (each point's own: its "
          f"{', '.join(books.keys)}): up to {runs} runs")
    rows: dict[str, list] = {m: [] for m in best_rows}
    with progress.bar(runs, "baselines", "run", shown=shown) as bar:
        for b, first in enumerate(books.first):
            for m, row in best_rows.items():
                rows[m].append(held(spec, first.config, m, done, len(row[RETURNS_KEY]))
                               or (row if b == own else baseline(spec, market, m, first.config)[0]))
                bar.update(b != own)
    return {"tests": "own", "rows": rows}


def held(spec: SweepSpec, cfg: C.Config, mode: str, done: tuple[Any, Any] | None,
         days: int) -> dict[str, Any] | None:
    """The result row of ``cfg``'s book under ``mode`` where the grid ran it as a point (:func:`tested_books`'s
    ``done``), its daily returns from returns.bin; None where it did not."""
    from vixhedge import sweep_returns
    from vixhedge.registries import builtin_config
    from vixhedge.sweep_spec import point_key

    if done is None:
        return None
    folder, df = done
    key = point_key(builtin_config(book_config(spec, cfg), mode))
    row = df[df["point"] == key]
    found, r = sweep_returns.load(folder, [key], days) if len(row) else ([], None)
    if not found:
        return None
    return {**{k: v for k, v in row.iloc[0].items() if k != "point" and k not in spec.grid}, RETURNS_KEY: r[:, 0]}


def book_returns(books: Books | None, tested: dict[str, Any] | None, mode: str) -> tuple[Any, Any]:
    """What each point is tested against under ``mode`` (:func:`tested_books`): (one baseline's daily returns for
    every point, [base]'s beyond MAX_BOOKS, or None: the best point's book's; {point key: its own book's daily
    returns} with several books tested, or None)."""
    if books is None or tested is None:
        return None, None
    rows = tested["rows"][mode]
    if tested["tests"] == "base":
        return rows[0][RETURNS_KEY], None
    return None, {key: rows[b][RETURNS_KEY] for key, b in books.of.items()}


def books_record(books: Books, tested: dict[str, Any] | None) -> dict[str, Any]:
    """summary.json's ``books``: the grid's keys outside [hedge] (``keys``), how many books the finished points
    hold (``count``), what SPA / StepM test each point against (``tests``: ``own``, its own book; ``base``,
    [base]'s, beyond :data:`MAX_BOOKS`), and with several books tested each book's values and baselines
    (``baselines``: ``values``, ``none``, ``static``: what the page's heatmaps and scatter colour each point by)."""
    from vixhedge.sweep_summary import point_record

    out: dict[str, Any] = {"keys": books.keys, "count": len(books.first),
                           "tests": tested["tests"] if tested else "own", "max_books": MAX_BOOKS}
    if tested and tested["tests"] == "own":
        out["baselines"] = [{"values": books.values(b), **{m: point_record(rows[b]) for m, rows in
                                                             tested["rows"].items()}} for b in range(len(books.first))]
    return out
