"""``vixhedge placebo [CONFIG]``: its parser and its handler (:data:`vixhedge.cli.COMMANDS`;
:mod:`vixhedge.placebo`)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from vixhedge import argtypes
from vixhedge.cli_help import exit_status

EPILOG = """examples:
  vixhedge placebo                                  alvh (the default config) against 100 placebos, embedded market
  vixhedge placebo my.toml --seeds 200 --workers 2  the policy my.toml names, 200 placebos, two processes
  vixhedge placebo --data-dir ../shared/data --start 2015-01-02 --end 2020-12-31   real data, 2015-2020

what it does: runs the config under its own hedge policy (the reference), reads its layers (contracts, the VX month
  each opened in, layers.csv sessions_held), then runs N seeds of the built-in placebo policy on the same market:
  the same layers (size, tenor and hold drawn together), caps, max_layers and condor rule, added at random times,
  with p_add = the reference's layers / the sessions on which it could add (a condor open, a slot free), then
  scaled by up to 3 rounds of 10 pilot seeds until the placebos hold as many contract-sessions (within 2%); where
  alvh's divergence cut or scaled the condor, the ranked alvh is the same config without (a placebo never cuts
  it), its own figures beside. Each metric (hedge P&L, max drawdown, CVaR 95%, Sharpe) gets k, the placebos at
  least as good, and p = (k + 1) / (N + 1).
  Writes OUT/placebo.csv (one row per seed), placebo.json, placebo.svg, report.html, config.toml; the same config
  and seeds write the same bytes. README: "Is the timing worth anything? A placebo".

""" + exit_status()


#: the hint of a run flag placebo has not (vixhedge.guard.Parser.flag_hints)
PLACEBO_HINTS = {
    "--hedge-mode": "; placebo ranks the config's own hedge policy: choose it with --set hedge.mode=MODE, --preset "
                    "NAME or a config file (vixhedge run --hedge-mode MODE --print-config > x.toml; vixhedge placebo "
                    "x.toml)",
    "--engine": "; placebo runs on the default engine, fast (its results are backtrader's, byte for byte: --engine in "
                "vixhedge run --help)"}


def add_parser(sub, quiet_flag) -> None:
    """Add the ``placebo`` subcommand to ``sub`` (the CLI's subparsers)."""
    p = sub.add_parser("placebo", help="test a hedge policy's timing against the same hedge bought at random times",
                       description="Run the config under its own hedge policy, then N placebo seeds that buy the same "
                                   "layers at random times on the same market; rank the policy among them (one-sided "
                                   "p-values) and write OUT/ (default runs/<name>-placebo-<hash>).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    from vixhedge import cli_data, cli_set
    from vixhedge.core import config as config_mod

    p.add_argument("config", nargs="?", type=argtypes.path, help="TOML config (default: the packaged default.toml, "
                                                                 "policy alvh)")
    p.add_argument("--preset", choices=config_mod.PRESETS, metavar="NAME",
                   help=f"start from a packaged preset instead of default.toml: {cli_data.PRESET_LIST}")
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help=cli_set.HELP)
    p.flag_hints = PLACEBO_HINTS  # (HELP32 M5: the refusal pointed to a help without the workaround)
    p.add_argument("--seeds", type=argtypes.whole, default=100, metavar="N",
                   help="placebo seeds 1..N, 19 to 100,000 (default: %(default)s)")
    p.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   help='run on the real data files in DIR (market.source = "directory", market.data_dir = DIR)')
    p.add_argument("--start", help="override run.start (YYYY-MM-DD)")
    p.add_argument("--end", help="override run.end (YYYY-MM-DD)")
    p.add_argument("--out", type=argtypes.path, metavar="DIR",
                   help="output folder (default: runs/<name>-placebo-<hash> of the config and seeds)")
    p.add_argument("--workers", type=argtypes.whole, default=1, metavar="K",
                   help="processes for the seeds (default: %(default)s; 0 = all cores); the files do not depend on it")
    quiet_flag(p)
    p.set_defaults(parquet=False)  # (the shared config resolution reads it)


def run(args: argparse.Namespace, cfg) -> int:
    """The ``placebo`` command: check, run the reference and the seeds, write the folder, print the summary."""
    from feeds.market import market_for
    from vixhedge import cli_data, progress
    from vixhedge.atomic import check_writable
    from vixhedge.core.config import DEFAULT_ENGINE
    from vixhedge.placebo import PILOT_ROUNDS, check_args, format_summary, pilot_seeds, placebo_id, run_placebo, \
        write_folder
    from vixhedge.placebo_args import check_out, worker_count

    check_args(cfg, args.seeds)
    workers = worker_count(args.workers, args.seeds, "--workers")
    out = args.out or Path("runs") / placebo_id(cfg, args.seeds)
    check_writable(out, "--out")
    check_out(out, "--out", "another --out")  # (trial API31 H2: a run folder's report.html was replaced unsaid)
    t0 = time.perf_counter()
    market = market_for(cfg, before_build=progress.loading_line(cfg.market))
    i0, i1 = cli_data.checked_window(args, cfg, market)  # a bad window: the only line printed
    if not progress.QUIET:
        from vixhedge.window import traded_words

        print(f"vixhedge: placebo of {cfg.hedge.policy_name} on '{cfg.run.name}' {traded_words(cfg, market, i0, i1)}: "
              f"the reference, up to {PILOT_ROUNDS} rounds of {pilot_seeds(args.seeds)} pilot seeds to set p_add, "
              f"then {args.seeds} seeds",
              file=sys.stderr)
    reached = Reached(cfg.hedge.policy_name, args.seeds)
    try:  # (trial IO31 M6: "vixhedge: interrupted" alone; nothing is written before write_folder)
        with progress.frozen_heap(), progress.labelled(cfg.hedge.policy_name):
            ref = progress.run_with_bar(cfg, DEFAULT_ENGINE, market)
        reached.referenced = True
        with progress.bar(None, "pilot seeds (setting p_add)", "seed") as pilot, \
                progress.next_bar(pilot, args.seeds, "placebo seeds", "seed") as update, progress.labelled("placebo"):
            plain = PlainLines(cfg.hedge.policy_name, args.seeds) if pilot.disable and not progress.QUIET else None
            result = run_placebo(cfg, market, args.seeds, workers,
                                 on_seed=reached.seed(plain.seed_done(update) if plain else update), reference=ref,
                                 on_pilot=reached.pilot(pilot.update),
                                 on_round=reached.round(plain.round_done if plain else None))
    except KeyboardInterrupt:
        kept = f"{out} is left as it was" if out.exists() else f"no folder {out} is made"
        print(f"vixhedge: placebo stopped {reached.words()}: nothing is written until the last seed ({kept}); run "
              "the command again to start it over", file=sys.stderr)
        raise
    write_folder(result, out)
    print(format_summary(result, out).replace(f"  {'placebo folder':<14} {out}",
                                              f"  {'placebo folder':<14} {out}  ({time.perf_counter() - t0:.1f} s)"))
    return 0


class PlainLines:
    """Off a terminal (a batch job's log), where no bar draws, and without -q: plain lines on stderr (the command
    said nothing for 98-155 s between its start and end lines): one as the pilot starts, one per pilot round, then
    the seeds' progress as a sweep's (:class:`vixhedge.sweep_progress.PlainLines`: at each tenth, at most every
    10 s, at least every 300 s), the pilot's seeds the placebo keeps counted done, not in the rate."""

    def __init__(self, policy: str, seeds: int) -> None:
        from vixhedge.fmt import pct
        from vixhedge.placebo import PILOT_ROUNDS, PILOT_TOLERANCE, pilot_seeds
        from vixhedge.sweep_progress import note

        self.policy, self.seeds, self.pilot = policy, seeds, pilot_seeds(seeds)
        self.rounds, self.lines, self.kept = 0, None, 0
        note(f"vixhedge placebo: pilot: seeds 1..{self.pilot} set p_add, up to {PILOT_ROUNDS} rounds, each scaling it "
             f"by {policy}'s contract-sessions over the seeds' mean until within {pct(PILOT_TOLERANCE, 0)} ...")

    def round_done(self, p_add: float, held: float, target: float, after: float, last: bool) -> None:
        """``run_placebo``'s ``on_round``: the round's line; after the last, the seeds' lines start."""
        from vixhedge.fmt import pct
        from vixhedge.sweep_progress import PlainLines as Lines, note

        self.rounds += 1
        off = f" ({pct(held / target - 1, 1, signed=True)})" if target else ""
        then = "kept" if after == p_add else f"now {after:g}"
        note(f"vixhedge placebo: pilot round {self.rounds}: p_add {p_add:g}, seeds 1..{self.pilot} held "
             f"{held:,.1f} contract-sessions on average against {self.policy}'s {target:,.0f}{off}: p_add {then}")
        if last:
            self.kept = self.pilot if after == p_add else 0  # (run_placebo: the last round's seeds are the first)
            self.lines = Lines(self.seeds, "placebo", "seed", done=self.kept)

    def seed_done(self, update):
        """``run_placebo``'s ``on_seed``: ``update`` (the bar's, which draws nothing here), then the seeds' lines."""
        def done() -> None:
            update()
            if self.kept:  # (the kept pilot seeds, reported first: counted done already)
                self.kept -= 1
            else:
                self.lines.advance(1)
        return done


class Reached:
    """How far a placebo got, for its interrupt line: the reference run, the pilot (its round and seeds) or the
    seeds; each method wraps one of :func:`vixhedge.placebo.run_placebo`'s callbacks (``None``: only counts)."""

    def __init__(self, policy: str, seeds: int) -> None:
        from vixhedge.placebo import pilot_seeds

        self.policy, self.seeds, self.per_round = policy, seeds, pilot_seeds(seeds)
        self.piloted, self.rounds, self.done, self.referenced, self.in_seeds = 0, 0, 0, False, False

    def pilot(self, then):
        def done() -> None:
            self.piloted += 1
            then()
        return done

    def round(self, then):
        def done(p_add: float, held: float, target: float, after: float, last: bool) -> None:
            self.rounds, self.piloted, self.in_seeds = self.rounds + 1, 0, last
            if then is not None:
                then(p_add, held, target, after, last)
        return done

    def seed(self, then):
        def done() -> None:
            self.done += 1
            then()
        return done

    def words(self) -> str:
        """``after 37 of 100 seeds``, ``in the pilot that sets p_add (round 2 of up to 3: 4 of 10 seeds done), before
        any of the 100 seeds`` or ``in the reference run (alvh), before any of the 100 seeds``."""
        from vixhedge.placebo import PILOT_ROUNDS

        if self.in_seeds:
            return f"after {self.done:,} of {self.seeds:,} seeds"
        where = (f"in the pilot that sets p_add (round {self.rounds + 1} of up to {PILOT_ROUNDS}: {self.piloted} of "
                 f"{self.per_round} seeds done)" if self.referenced else f"in the reference run ({self.policy})")
        return f"{where}, before any of the {self.seeds:,} seeds"
