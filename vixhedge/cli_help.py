"""The command line's help texts (examples per subcommand) and its ``--version`` action.

Kept apart from :mod:`vixhedge.cli` (its parsers and handlers); nothing here imports pandas: ``--help`` stays instant.
"""

from __future__ import annotations

import argparse

EPILOG = """examples:
  vixhedge run                       default config on the embedded 2014-2018 market
  vixhedge run my.toml               any config (`vixhedge run --print-config` prints the default one)
  vixhedge run --hedge-mode none     the same market path with no hedge
  vixhedge run --data-dir ../shared/data   the same config on real SPX, VIX and VX settles
  vixhedge run --print-config        show the resolved default config and exit
  vixhedge compare                   none / static / alvh on the same market path, paired CIs
  vixhedge placebo                   alvh's timing against 100 placebos buying the same hedge at random times
  vixhedge report runs/<run-id>      redraw a run folder's SVG figures and report.html from its files (no re-run)
  vixhedge replay covid --data-dir ../shared/data    a named stress period on real data
  vixhedge data check ../shared/data    coverage, gaps and bad rows of data files
"""


def exit_status(*extra: str) -> str:
    """The exit codes every command ends with (vixhedge.guard.guarded; ``extra``: a command's own lines)."""
    return "\n".join(["exit status:", "  0    done", *extra,
                      "  2    bad input: a usage, config or data error, or a path that cannot be read or written (one "
                      "line names it)",
                      "  3    internal error (one line; VIXHEDGE_DEBUG=1 shows the traceback)",
                      "  130  interrupted (Ctrl-C; 143 on SIGTERM)", ""])


EPILOG += "\n" + exit_status()  # (HELP32 L13: only data check's help gave its exit codes)

#: how to get pyarrow for ``--parquet`` (run, compare, replay): the README's source-checkout form, or pyarrow alone
PARQUET_INSTALL = "python -m pip install -e '.[parquet]' in the source checkout, or python -m pip install pyarrow"
PARQUET_HELP = f"also write every table as .parquet (typed, full precision; needs pyarrow: {PARQUET_INSTALL})"


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("vixhedge")
    except PackageNotFoundError:  # pragma: no cover - run from a source tree that was never installed
        return "unknown (not installed)"


class VersionAction(argparse.Action):
    """``--version``: looks the version up only when asked (importlib.metadata costs ~30 ms of every start)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0,
                         help=help or "show program's version number and exit")

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"vixhedge {_version()} ({code_words()})")  # on stdout, as argparse's own version action
        parser.exit()


def code_words() -> str:
    """The code a run of this process would record (manifest.json ``git_commit`` and ``code_sha256``: 12 digits)
    and where it is: an editable install's version number is the last install's, not the tree's (trial HELP32)."""
    from pathlib import Path

    from vixhedge import codeid

    return (f"commit {codeid.git_commit()[:12]}{'-dirty' if codeid.git_commit().endswith('-dirty') else ''}, "
            f"code sha256 {codeid.code_sha256()[:12]}, {Path(codeid.__file__).resolve().parent}")


COMPARE_EPILOG = """examples:
  vixhedge compare                              none / static / alvh on the embedded 2014-2018 market
  vixhedge compare my.toml --modes none,alvh    two modes of a config of your own, paired CIs vs none
  vixhedge compare --period all --data-dir ../shared/data   each named period the data cover (or one: --period covid)
  vixhedge compare --windows 2y/6m              every 2-year window, one starting each 6 months: does the verdict hold?

""" + exit_status()

SWEEP_EPILOG = """examples:
  vixhedge sweep examples/macd_grid.toml                   the source repository's MACD grid, into runs/macd-grid-sweep/
  vixhedge sweep examples/macd_grid.toml --out my-sweep --workers 2    into my-sweep/, two processes (rerun to resume)
  vixhedge sweep SPEC.toml --data-dir ../shared/data       every point on the real data files in ../shared/data

spec (TOML):
  [sweep]   name = "my-grid"; config = "my_run.toml" (optional: the run config every point starts from, a path
            relative to the spec's folder; default: the default config); the other keys: workers, batch_size,
            in_sample_end, scheduler, engine, kernel, max_points, retries, rank_by, spa_block_days (what each
            does and its default: README's [sweep] table; the flags above override six of them)
  [base]    optional overrides of that config, e.g. run = { start = 2015-01-02, end = 2016-12-30 }
  [grid]    "dotted.key" = [values] or {start, stop, step}, e.g. "hedge.policy_params.enter" = [60.0, 70.0]

plug-ins: a 'module:callable' named by the config or the grid (hedge.policy, condor.selector, hedge.signals,
  analysis.analyzers) must be importable by every worker: put its folder on PYTHONPATH, as for run and compare,
  e.g. PYTHONPATH=plug vixhedge sweep plug/grid.toml for a plug-in kept in the folder plug/

terms:
  SPA        Hansen's Superior Predictive Ability test: is the best of the N points better than the baseline
             once the search over N is accounted for? (a p-value)
  StepM      Romano and Wolf's step-down test: the points that beat the baseline at 5% family-wise error
  all-points kernel   the points it covers run together, bar by bar with numpy (vixhedge/kernel.py)
  event path          the day-by-day engine a single run uses; the two agree (README: "the rows agree to 1e-9"),
                      so --kernel changes no result, only the time

""" + exit_status("  1    no point finished (failed.csv gives each point's error)")

REPORT_EPILOG = """examples:
  vixhedge report runs/<run-id>                  redraw a run folder's figures, rewrite its report.html
  vixhedge report runs/<name>-compare-<hash>     a compare folder's
  vixhedge report runs/macd-grid-sweep           a sweep folder's
  vixhedge report runs/<name>-periods-<hash>     a compare --period all folder's table page
"""

CHECK_EXAMPLES = """examples:
  vixhedge data check ../shared/data                 every file of a data directory
  vixhedge data check ../shared/data/cboe_volatility_indices/VIX_daily_1990_2026.csv   one file
  vixhedge data check ../shared/data --strict        exit 1 when a row breaks the plausibility rules
  vixhedge data check DIR --config my.toml           read DIR's A/D file with my.toml's hedge.fomc column names

"""

FETCH_EPILOG = """examples:
  vixhedge data fetch                                         VX files since 2013, VIX, indices, DFF into the cache
  vixhedge data fetch --cache data --start 2018-01-01        into ./data, contracts settling from 2018 on
  vixhedge data fetch --no-indices --no-rates                 VX files and the VIX only
"""

#: what a fetch cache lacks to be a data directory (HELP32 M2; the run's error says it too: feeds.layout.NO_SPX)
CACHE_NO_SPX = ("The cache is not a data directory by itself: it has no SPX file (the fetch downloads no SPX history). "
                "Add a daily SPX OHLC CSV as CACHE/spx.csv (columns date,open,high,low,close; e.g. a copy of "
                "../shared/data/spx_index_daily/SPX_daily_combined_1927_2026.csv.gz as CACHE/spx.csv.gz) before "
                "--data-dir CACHE (or $VIXHEDGE_DATA_DIR) runs.")

REPLAY_EPILOG = """examples:
  vixhedge replay volmageddon                          Feb 2018 on the embedded market (modelled VX curve)
  vixhedge replay covid --data-dir ../shared/data      Feb-Apr 2020 on real SPX, VIX and VX settles
  vixhedge replay volmageddon --preset cndr            a preset (here Cboe's CNDR condor) on a named period
  vixhedge replay --list                               the named periods, their windows and anchors
The data directory may also come from $VIXHEDGE_DATA_DIR. A period's window, name, warm-up and data are replay's
own (--set run.start and the like are refused): another window runs as
vixhedge run --data-dir DIR --start YYYY-MM-DD --end YYYY-MM-DD.
"""

#: the unknown-flag hint of a config key replay sets itself (guard.Parser.own_keys; HELP32 M3)
REPLAY_OWN = ("replay NAME sets {key} itself (its period's window, name, warm-up and data), so --set {key} is "
              "refused: another window runs as vixhedge run --data-dir DIR --start YYYY-MM-DD --end YYYY-MM-DD")

CHECK_EPILOG = """exit status:
  0  every file loads; bad rows (implausible ones included) are reported and never used, as in a run
  1  with --strict: some row breaks the plausibility rules (it is skipped, but the file needs a look)
  2  a file or the directory cannot be used (malformed, missing, not a data file): the error names it
"""
