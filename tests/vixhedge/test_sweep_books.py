"""vixhedge.sweep_books: a sweep point's book (its config outside [hedge] with [base]'s [hedge]), the points grouped
by book in any grid order, and the words that say what each point is judged against (trial MUT24B's survivors)."""

import math

from vixhedge.core import config as C
from vixhedge.sweep_books import book_config, group
from vixhedge.sweep_heatmap import as_written
from vixhedge.sweep_spec import Point, SweepSpec, iter_points
from vixhedge import sweep_text as T  # (its tested / tests_apart_words: pytest would collect the names)


def _spec(grid: dict) -> SweepSpec:
    base = C.replace(C.Config(), hedge={"first_layer_contracts": 3}, condor={"contracts": 10})
    return SweepSpec(name="books", base=base, grid=grid)


def test_a_book_is_the_points_config_outside_hedge_with_bases_hedge():
    spec = _spec({"hedge.first_layer_contracts": [1, 2], "condor.contracts": [5, 20]})
    point = C.replace(spec.base, hedge={"first_layer_contracts": 1, "mode": "static"}, condor={"contracts": 5})
    book = book_config(spec, point)
    assert book.hedge == spec.base.hedge and book.condor.contracts == 5 and book.condor == point.condor


def test_points_are_grouped_by_their_books_values_whatever_the_grid_order():
    """The hedge key first: the grid walks 5, 20, 5, 20 condors; each point maps to the book of its own size (a
    point mapped to the last book made would test 5 condors against 20's baselines)."""
    spec = _spec({"hedge.first_layer_contracts": [1, 2], "condor.contracts": [5, 20]})
    points = [p for p in iter_points(spec) if isinstance(p, Point)]
    assert [p.params["condor.contracts"] for p in points] == [5, 20, 5, 20]
    books = group(spec, points)
    assert [books.values(b) for b in range(len(books.first))] == [{"condor.contracts": 5}, {"condor.contracts": 20}]
    assert [books.of[p.key] for p in points] == [0, 1, 0, 1]


def test_the_words_of_one_book_and_of_each_points_own():
    """One book (a grid of [hedge] keys beside one condor size): no note; several: the note; SPA's best against its
    own book is by its return less its book's (a per-point benchmark), not by its return alone."""
    one = {"books": {"keys": ["condor.contracts"], "count": 1, "tests": "own"}, "snooping": {}}
    assert T.tests_apart_words(one) == ""
    two = {"books": {**one["books"], "count": 2}, "snooping": {}}
    assert T.tests_apart_words(two).startswith("each point stands beside its own book (its condor.contracts)")
    own = {"own_books": True, "against": "their own book without hedge"}
    assert T.tested(own) == ("", "by its mean daily return less its own book's,", "beat their own book without hedge")
    assert T.tested({"against": "no hedge"}) == ("", "by mean daily return", "beat no hedge")


def test_a_figure_is_compared_as_results_csv_writes_it():
    assert as_written(0.1666666666666) == 0.1666666667 and as_written(5) == 5.0
    assert as_written(math.nan) is None and as_written(None) is None and as_written(math.inf) is None
