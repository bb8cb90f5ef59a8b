"""``vixhedge compare [CONFIG] --windows LENGTH[/STEP]``: compare's flag and the command it dispatches to
(:mod:`vixhedge.compare_windows` computes, :mod:`vixhedge.compare_windows_text` words the summary).

Writes ``runs/<name>-windows-<hash8>/`` atomically: windows.csv (one row per window and mode other than the baseline),
windows.json (the arguments, the summary, the config's hash) and config.toml; no run folder per window.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shlex
import sys
import time
from pathlib import Path

from vixhedge import argtypes

WINDOWS_HELP = ("compare on every window of LENGTH in run.start..run.end (--start/--end), one starting every STEP "
                "(units y and m; STEP 3m when left out), all on one market, e.g. --windows 5y/3m or --windows 2y/6m; "
                "writes runs/<name>-windows-<hash>/ (windows.csv, windows.json) and prints in how many windows each "
                "mode ends ahead of the baseline and what the CIs say (README \"Does the verdict depend on the "
                "window?\")")


def add_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--windows`` and its ``--workers`` to compare's parser."""
    p.add_argument("--windows", metavar="LENGTH[/STEP]", help=WINDOWS_HELP)
    p.add_argument("--workers", type=argtypes.whole, default=1, metavar="K",
                   help="with --windows: processes for the windows (default: %(default)s; 0 = all cores); the files "
                        "and the lines printed do not depend on it")


def rerun_command(command_line: str, start: str, end: str) -> str:
    """The command that reruns one window as a plain compare: ``command_line`` (:func:`windows_command`'s; a command
    as typed too) without ``--windows``, ``-q`` and its own ``--start``/``--end``, with the window's."""
    words = shlex.split(command_line)
    out: list[str] = []
    skip = False
    # (argparse takes an unambiguous prefix: `--wind 2y --sta 2015-01-01` parsed, so a word that parsed and begins
    # one of these names is that flag; review 29: the rerun kept them and ran the windows again)
    own = lambda w: len(w) > 2 and any(f.startswith(w) for f in ("--windows", "--start", "--end"))  # noqa: E731
    for w in words:
        if skip:
            skip = False
            continue
        if own(w):
            skip = True
            continue
        if own(w.split("=")[0]) or w in ("-q", "--quiet") or (len(w) > 2 and "--quiet".startswith(w)):
            continue
        out.append(w)
    prog = 3 if out[:3] == ["python", "-m", "vixhedge"] else 1
    return " ".join([" ".join(out[:prog]), shlex.join(out[prog:] + ["--start", start, "--end", end])])


def windows_command(configs: dict, modes: tuple[str, ...], attrs: dict, engine: str, variants, spec) -> str:
    """The command that writes the windows folder again, rebuilt as a compare folder's Reproduce command
    (:func:`vixhedge.compare_read.compare_command`) on its config.toml, with ``--windows`` in whole years where it
    can: the same windows, the same bytes, whatever the spelling, the flags' order, ``-q`` or ``python -m vixhedge``
    (trial DET32 M3: windows.json and report.html held the command line as typed; ``spec``: a WindowSpec). Its
    config is the folder's own ``config.toml``, named from inside the folder, with no ``--runs-dir``: windows.json
    names no folder path (trial DET39 M1: ``--runs-dir runs`` and ``w1/runs`` wrote two windows.json), and
    :func:`vixhedge.compare_windows_page.placed` names where the folder is when the summary is printed or drawn."""
    from vixhedge.compare_read import compare_command

    return (compare_command(list(configs.values()), list(modes), "config.toml", attrs, engine, variants)
            + f" --windows {spec.canonical}")


class OnceEachKind(logging.Filter):
    """Pass a note the first time its kind is logged (its text with every digit masked), drop the later ones and count
    them: each window's runs log the notes of a plain compare (57 windows on real data printed 260 lines, 50 of them
    the same missing-A/D note but for its dates)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[str] = set()
        self.dropped = 0

    def filter(self, record: logging.LogRecord) -> bool:
        from feeds.provenance import note_kind

        kind = note_kind(record.getMessage())
        if kind in self.seen:
            self.dropped += 1
            return False
        self.seen.add(kind)
        return True


def windows_id(cfg, modes: tuple[str, ...], attrs: dict, variants, spec) -> str:
    """The folder's name ``<name>-windows-<hash8>``: compare's id of the range and the windows' length and step."""
    from vixhedge.compare import comparison_id

    key = comparison_id(cfg, modes, attrs, variants) + f"|windows {spec.length_months}m/{spec.step_months}m"
    return f"{cfg.run.name}-windows-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def write_windows(runs_dir: Path, rid: str, cfg, rows: list[dict], record: dict) -> Path:
    """Write ``runs_dir/rid/`` atomically (as compare's folder): windows.csv, windows.json, config.toml, then
    windows.svg and report.html drawn from those files (:func:`vixhedge.compare_windows_page.draw_pages`)."""
    from vixhedge.compare_windows_page import draw_pages
    import pandas as pd

    from vixhedge.atomic import atomic_folder
    from vixhedge.core import config as C

    with atomic_folder(runs_dir, rid) as tmp:
        toml = C.to_toml(cfg)
        (tmp / "config.toml").write_text(toml, encoding="utf-8")
        # each float's shortest repr, as paired.csv (%.10g rounded 74316.49999... to 74316.5: +$74,317 on the page)
        pd.DataFrame(rows).to_csv(tmp / "windows.csv", index=False, lineterminator="\n")
        record = {**record, "config_sha256": hashlib.sha256(toml.encode()).hexdigest(), "id": rid,
                  "output_files": {"windows.csv": hashlib.sha256((tmp / "windows.csv").read_bytes()).hexdigest()}}
        (tmp / "windows.json").write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
        draw_pages(tmp, home=runs_dir / rid)  # (its commands name where the folder lands)
    return runs_dir / rid


def run(args: argparse.Namespace, cfg) -> int:
    """``vixhedge compare --windows``: check everything before any work, build the market once, compare each window,
    write the folder and print the summary."""
    from vixhedge import cli_data, cli_set, progress
    from vixhedge.atomic import check_target
    from vixhedge.compare import MODE_NAMES, STATS, default_modes, mode_configs, paired_attrs
    from vixhedge.compare_args import check_compare_args
    from vixhedge.compare_search import search_caveats
    from vixhedge.compare_variants import checked_variants, cli_variants, variants_record, with_variants
    from vixhedge.compare_windows import check_windows, compare_windows, parse_windows, window_config
    from vixhedge.compare_windows_page import placed_summary
    from vixhedge.compare_windows_text import FLAT_START, ad_words, format_summary, summarise
    from vixhedge.placebo_args import worker_count

    spec = parse_windows(args.windows)
    if getattr(args, "parquet", False):  # (review 29: accepted and ignored)
        from vixhedge.core.config import ConfigError

        raise ConfigError(f"--parquet writes a run folder's tables as .parquet; compare --windows {spec.text} writes "
                          "no run folder (windows.csv; a window's rerun command writes its runs): drop --parquet")
    wins = check_windows(cfg, spec, getattr(args, "period", None))
    workers = worker_count(args.workers, len(wins), "--workers")
    variants = checked_variants(cli_variants(args.variant), MODE_NAMES, cfg)
    given_modes = with_variants(",".join(default_modes(cfg)) if args.modes is None else args.modes, variants)
    short = min(wins, key=lambda w: w.sessions)  # the block must fit the shortest window
    modes = check_compare_args(window_config(cfg, short), given_modes, args.baseline, args.n_boot, args.block_days,
                               args.ci_method, cli=True, window=f"--windows {spec.text}: {short.start}..{short.end}",
                               variants=variants)[0]
    from feeds.market import market_for

    t0 = time.perf_counter()
    attrs = paired_attrs(args.baseline, args.n_boot, args.block_days, args.ci_method, cfg.run.seed)
    rid = windows_id(cfg, modes, attrs, variants, spec)
    check_target(args.runs_dir, rid)
    configs = mode_configs(cfg, modes, variants)
    for m, c in configs.items():
        for note in cli_set.dropped_tables(cfg, c, f"--modes {m}"):
            logging.getLogger("vixhedge.config").warning("%s", note)
    market = market_for(configs.values(), before_build=progress.loading_line(cfg.market))
    cli_data.checked_window(args, cfg, market)  # the whole range: its data and warm-up, as a plain compare's
    if not progress.QUIET:
        print(f"vixhedge: comparing {', '.join(modes)} on {len(wins)} windows of '{cfg.run.name}' "
              f"({spec.text}: {wins[0].start}..{wins[-1].end})", file=sys.stderr)
    from vixhedge.sweep_progress import PlainLines

    with progress.frozen_heap(), progress.filtered_notes(OnceEachKind()) as once, \
            progress.bar(len(wins), "compare windows", "window") as bar:
        plain = PlainLines(len(wins), "compare", "window") if bar.disable and not progress.QUIET else None

        finished = []

        def done() -> None:
            finished.append(1)
            bar.update()
            if plain is not None:
                plain.advance(1)

        try:
            result = compare_windows(cfg, market, wins, on_window=done, workers=workers, modes=modes,
                                     baseline=args.baseline, n_boot=args.n_boot, block_days=args.block_days,
                                     ci_method=args.ci_method, engine=args.engine, variants=variants)
        except KeyboardInterrupt:  # (trial RS34: "vixhedge: interrupted" alone, 90 s of real-data work lost unsaid)
            print(f"vixhedge: compare --windows stopped after {len(finished)} of {len(wins)} windows: nothing is "
                  f"written until the last (a finished folder is left as it was); run the command again to redo them",
                  file=sys.stderr)
            raise
    command = windows_command(configs, modes, attrs, args.engine, variants, spec)
    summary = summarise(result.rows, STATS, lambda s, e: rerun_command(command, s, e))
    spec_words = {"windows": spec.canonical, "length_months": spec.length_months, "step_months": spec.step_months,
                  "count": len(wins), "first_start": wins[0].start.isoformat(), "last_end": wins[-1].end.isoformat(),
                  "range": [cfg.run.start.isoformat(), cfg.run.end.isoformat()]}
    prov = result.provenance
    data = prov["verdict"] if prov else ""  # (its notes, per window: windows.json; each window's compare prints them)
    ad = ad_words(result.rows)
    search = search_caveats(variants, spec_words["first_start"], spec_words["last_end"],
                            [(w.start.isoformat(), w.end.isoformat()) for w in wins])
    record = {"arguments": {**spec_words, "name": cfg.run.name, "modes": list(modes), **attrs, "engine": args.engine,
                            **({"variants": variants_record(variants)} if variants else {})},
              "windows": len(wins), "summary": summary, "flat_start": FLAT_START, "ad_rules": ad,
              **({"search_caveats": search} if search else {}),
              "data_provenance": prov, "command": command}  # (what draw_pages reads)
    folder = write_windows(args.runs_dir, rid, cfg, result.rows, record)
    text = format_summary(placed_summary(summary, folder), spec_words, data, ad, search)  # (the page's words)
    print(text)
    if once.dropped:
        print(f"notes: {once.dropped} more run notes of the kinds printed above, from the windows' runs, not repeated "
              "(a plain compare of a window prints its own; the data notes are counted apart)")
    print(f"\nwindows folder  {folder}  ({time.perf_counter() - t0:.1f} s)")
    return 0
