"""pyflakes finds nothing in the project's code (audit 2026-12-04, finding 3): unused imports had piled up
(``vixhedge/core/implied.py``), and ``strategies/hedge.py``'s ``__all__`` names RestrikeLayer and UnitQuote without
importing them (``from strategies.hedge import *`` fails). A name kept for its importers is listed in ``__all__``,
which pyflakes reads (``# noqa`` it does not).

strategies/hedge.py is not fixed yet: the default run's report.html shows the sha256 of the hedge policy's module
source (the built-in alvh policy lives there), so any edit to it moves tests/vixhedge/test_default_run_golden.py's
report.html digest; that golden update is to be decided on its own (then drop it from PENDING and the xfail)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = ("vixhedge", "feeds", "strategies", "analyzers", "examples")
# being reworked by other branches at the time of writing: their re-exports to be listed in __all__ there, then
# dropped from here
PENDING = {"vixhedge/sweep.py", "vixhedge/sweep_spec.py",
           "strategies/hedge.py"}  # (this one: the module docstring)


def _files() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (ROOT / folder).rglob("*.py")
                  if p.relative_to(ROOT).as_posix() not in PENDING)


def test_pyflakes_finds_nothing() -> None:
    try:
        from pyflakes.api import checkPath
        from pyflakes.reporter import Reporter
    except ImportError:
        pytest.skip("pyflakes is not installed: pip install -e '.[test]' (it is in the test extras)")
    import io

    out, err = io.StringIO(), io.StringIO()
    files = _files()
    found = sum(checkPath(str(p), Reporter(out, err)) for p in files)
    assert len(files) > 100 and found == 0, out.getvalue() + err.getvalue()


@pytest.mark.xfail(strict=True, reason="strategies/hedge.py's fix moves the golden report.html (module docstring)")
def test_the_hedge_module_exports_what_its_all_names() -> None:
    import strategies.hedge as hedge

    assert [n for n in hedge.__all__ if not hasattr(hedge, n)] == []


def test_the_dead_helpers_the_audit_found_are_gone() -> None:
    # audit (2026-12-04, finding 4): defined, exported, and never called (an ast scan of every use)
    import feeds.check
    import feeds.chains
    from strategies.book import BookState

    assert not hasattr(feeds.check, "check_path") and "check_path" not in feeds.check.__all__
    assert not hasattr(BookState, "front_dte")  # vx_dte[0] where a policy needs it
    assert not hasattr(feeds.chains, "surface_atm_vol")  # spx_chains' _surface_atm is the one computation


def test_the_default_window_and_the_delta_buckets_are_written_once() -> None:
    # audit (2026-12-04, finding 6): 2014-03-03..2018-12-31 was written in five places, DELTA_EDGES (and DTE_EDGES)
    # in two; now vixhedge.core.config.DEFAULT_WINDOW and feeds.spreadfit's buckets
    import io
    import re
    import tokenize

    import feeds.calibrate
    import feeds.spreadfit
    import feeds.surfacereport
    import feeds.vxfit_spx
    from vixhedge import model_vs_real, model_vs_real_gap, skew_error
    from vixhedge.core import config as C

    start, end = (d.isoformat() for d in C.DEFAULT_WINDOW)
    assert (C.RunConfig().start, C.RunConfig().end) == C.DEFAULT_WINDOW == (C.load_default().run.start,
                                                                            C.load_default().run.end)
    for module in (model_vs_real, skew_error):
        args = module.parser().parse_args(["--data-dir", "d"])
        assert (str(args.start), str(args.end)) == (start, end), module
    assert feeds.vxfit_spx.WINDOW == (start, end) and (start, end) in model_vs_real_gap.WINDOWS
    written = []
    for path in _files():
        for tok in tokenize.generate_tokens(io.StringIO(path.read_text(encoding="utf-8")).readline):
            if tok.type == tokenize.STRING and tok.string.strip("\"'") == start:  # (the end closes other windows)
                written.append(f"{path.relative_to(ROOT)}:{tok.start[0]}")
        written += [f"{path.relative_to(ROOT)}: date(2014, 3, 3)"] * len(re.findall(r"date\(2014, 3, 3\)",
                                                                                      path.read_text(encoding="utf-8")))
    assert written == ["vixhedge/core/config/book.py: date(2014, 3, 3)"], written
    assert feeds.surfacereport.DELTA_EDGES is feeds.spreadfit.DELTA_EDGES
    assert feeds.surfacereport.DTE_EDGES is feeds.spreadfit.DTE_EDGES
    assert feeds.calibrate.DTE_EDGES.tolist() == list(feeds.spreadfit.DTE_EDGES)
