"""Print the presets side by side on one market: rules fired, layers, hedge P&L, final NAV (README tables).

    python -m vixhedge.presets_figures [default steward promoter ...] [--data-dir DIR] [--start D] [--end D]

Each preset runs on its own window and market (the embedded one unless the preset says otherwise), or on the real
data files in ``--data-dir`` and the window ``--start`` / ``--end`` give, on the fast engine (byte-identical to
backtrader). The first table is the README's "Presets side by side" row and how the rules met (divergence cuts
added back, layers and reviews on expanding bars), the second metrics.json ``rules_fired`` per preset, then the
rules that acted in none.

About 3 s of one core on the embedded market; longer windows of real data take longer.
"""

from __future__ import annotations

import argparse
import datetime as dt

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m vixhedge.presets_figures"
DEFAULT_PRESETS = ["default", "steward", "promoter"]
# vixhedge.core.config.PRESETS, written out: the parser is built before the config loads (tests compare the two)
PRESETS = ("default", "steward", "promoter", "cndr", "vxth")


def _preset(name: str) -> str:
    """argparse type of a preset name (not ``choices``: argparse 3.11 checks an empty ``*`` list against them)."""
    if name not in PRESETS:
        raise argparse.ArgumentTypeError(f"preset {name!r} does not exist: use one of {', '.join(PRESETS)}")
    return name


def parser() -> Parser:
    """Return the command's parser."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("presets", nargs="*", metavar="PRESET", type=_preset,
                   help=f"packaged presets to run, in this order: any of {', '.join(PRESETS)} "
                        f"(default: {' '.join(DEFAULT_PRESETS)})")
    p.add_argument("--data-dir", metavar="DIR", type=argtypes.path_text,
                   help="run every preset on the real data files in DIR (as run --data-dir)")
    p.add_argument("--start", type=argtypes.iso_day, help="override each preset's run.start (YYYY-MM-DD)")
    p.add_argument("--end", type=argtypes.iso_day, help="override each preset's run.end (YYYY-MM-DD)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before the config loads
    parser().parse_args()

from vixhedge.core import config as C  # noqa: E402
from vixhedge.fmt import pct, usd_k  # noqa: E402
# numpy, pandas and the run (backtrader) load inside the functions that need them


class Presets:
    """The presets' configs as the command's flags set them (a data folder, a window) and their runs, on one market
    per distinct ``[market]`` (built once: ~7 s each on ../shared/data)."""

    def __init__(self, data_dir: str | None = None, start=None, end=None) -> None:
        self.market_table = {"source": "directory", "data_dir": data_dir} if data_dir else None
        self.window = {k: dt.date.fromisoformat(v) for k, v in (("start", start), ("end", end)) if v is not None}
        self.markets: dict[str, object] = {}

    def config(self, name: str, **hedge) -> C.Config:
        cfg = C.load_preset(name)
        if self.market_table:
            cfg = C.replace(cfg, market=self.market_table)
        if self.window:
            cfg = C.replace(cfg, run=self.window)
        return C.replace(cfg, hedge=hedge) if hedge else cfg

    def run(self, name: str, **hedge):
        from feeds.market import market_for
        from vixhedge.run import run_backtest

        cfg = self.config(name, **hedge)
        key = repr(cfg.market)
        if key not in self.markets:
            self.markets[key] = market_for(cfg)
        return run_backtest(cfg, self.markets[key], engine="fast")


def crossover_timing(res, horizon: int = 10) -> dict[str, float]:
    """Return when a run's crossover acts come relative to the actual MACD crossover of their direction.

    A front-run act (``+projected``) is matched with the first actual crossover of its direction in the
    ``horizon`` bars after it (none: ``never_crossed``, a projection that did not come true); any other
    act with the last one at or before it. Offsets are act bar minus cross bar: negative = before it.
    """
    import numpy as np
    import pandas as pd

    log, sigs = res.signals_log, res.signals
    index = {pd.Timestamp(d): i for i, d in enumerate(sigs.dates)}
    cross = np.asarray(sigs.cross)
    offsets, never = [], 0
    for day, ids, fired in zip(log.index, log["rule_ids"], log["rules_fired"], strict=True):
        for rule, sign in (("cross_up", 1), ("cross_down", -1)):
            if rule not in str(ids).split(";"):
                continue
            i = index[pd.Timestamp(day)]
            if "+projected" in str(fired):
                ahead = np.flatnonzero(cross[i + 1:i + horizon + 1] == sign)
                if len(ahead) == 0:
                    never += 1
                else:
                    offsets.append(-(int(ahead[0]) + 1))
            else:
                back = np.flatnonzero(cross[max(0, i - horizon):i + 1] == sign)
                if len(back):
                    offsets.append(horizon - int(back[-1]) if i >= horizon else i - int(back[-1]))
    arr = np.asarray(offsets, dtype=float)
    return {"acts": len(arr) + never, "mean_bars_from_cross": float(arr.mean()) if len(arr) else float("nan"),
            "before": int((arr < 0).sum()), "same_bar": int((arr == 0).sum()), "after": int((arr > 0).sum()),
            "never_crossed": never}


def without_condor(res) -> tuple[int, int]:
    """Return (layers opened while no condor was open, days carrying layers while no condor was open)."""
    import numpy as np
    import pandas as pd

    c = res.condors
    entry = pd.to_datetime(pd.Series(c["entry_date"], dtype=object)).to_numpy(dtype="datetime64[D]")
    exit_ = pd.to_datetime(pd.Series(c["exit_date"], dtype=object)).fillna(pd.Timestamp("2262-01-01")).to_numpy(
        dtype="datetime64[D]")
    held = lambda day: bool(((entry <= np.datetime64(pd.Timestamp(day), "D"))
                             & (exit_ > np.datetime64(pd.Timestamp(day), "D"))).any())
    opened = sum(not held(d) for d in res.layers["entry_date"]) if len(res.layers) else 0
    days = sum(n > 0 and not held(d) for d, n in res.daily["hedge_layers"].items())
    return int(opened), int(days)


def expansion_sizes(res) -> tuple[dict[int, int], float]:
    """Return the contract counts of a run's layers sized at the expanding multiple, and their mean."""
    sized = res.layers[res.layers["trigger"].str.contains("+hist_expanding", regex=False)]["contracts"]
    return {int(k): int(v) for k, v in sorted(sized.value_counts().items())}, float(sized.mean())


def interactions(res, within: int = 5) -> dict[str, tuple[int, int]]:
    """Return how the rules met in a run's decision log, each as (count, out of):

    ``readded``: bars where a bullish divergence removed layers (``remove L7 (bullish_divergence...)``) and
    an add followed within ``within`` sessions, of those bars; ``later_expanding``: later layers (one or more held
    before the add) opened on a bar whose histogram expands above zero, so sized at the expanding multiple, of the
    later layers; ``reviews_expanding``: add reviews on such a bar (the expansion's review interval), of the add
    reviews.
    """
    import numpy as np

    log = res.signals_log
    ids = log["rule_ids"].fillna("").astype(str).str.split(";")
    adds = log["actions"].fillna("").astype(str).str.count(r"(?:^|;)add L").to_numpy()
    cut = log["actions"].fillna("").astype(str).str.contains(r"(?:^|;)remove L\d+ \(bullish_divergence").to_numpy()
    after = [bool(adds[i + 1:i + 1 + within].any()) for i in np.flatnonzero(cut)]
    expanding = log["expanding_above_zero"].fillna(False).astype(bool).to_numpy()
    later = (adds > 0) & (log["layers_open"].to_numpy() - adds >= 1)
    review_adds = (adds > 0) & np.array(["review" in r for r in ids])
    return {"readded": (int(sum(after)), len(after)),
            "later_expanding": (int((later & expanding).sum()), int(later.sum())),
            "reviews_expanding": (int((review_adds & expanding).sum()), int(review_adds.sum()))}


def summarise(names: list[str], presets: Presets | None = None) -> tuple[dict[str, dict], dict[str, dict[str, int]]]:
    """Return ({preset: layers / hedge P&L / NAV / crossover timing}, {preset: rules_fired})."""
    from vixhedge.progress import labelled, notes_outside_bars

    presets = presets or Presets()
    books, fired = {}, {}
    for name in names:
        with notes_outside_bars():  # each run's notes, once each, under its name: "vixhedge [steward]: ..."
            with labelled(name):
                res = presets.run(name)
            with labelled(f"{name}, require_condor = false"):  # the variant of the "without a condor" row
                off = presets.run(name, require_condor=False)
        m = res.metrics
        books[name] = {"layers": m["counts"]["hedge_layers"], "condors": m["counts"]["condors"],
                       "hedge_pnl_usd": m["pnl"].get("hedge_pnl_usd", 0.0),
                       "end_nav_usd": m["performance"]["end_nav_usd"], "cvar": m["performance"]["cvar_95"],
                       "max_drawdown": m["performance"]["max_drawdown"],
                       "timing": crossover_timing(res), "without_condor": without_condor(res),
                       "interactions": interactions(res),
                       "without_condor_off": without_condor(off)}
        fired[name] = m["rules_fired"]
    return books, fired


def rule_ids(fired: dict[str, dict[str, int]]) -> list[str]:
    """Return the rows of the rules table: every rule id of the book, then any other id a run fired."""
    from strategies.book import RULE_IDS

    return list(RULE_IDS) + sorted({k for f in fired.values() for k in f} - set(RULE_IDS))


def idle_rules(names: list[str], fired: dict[str, dict[str, int]], ad_input: dict[str, bool]) -> str:
    """Return the line naming every row of the rules table that is 0 for each preset (``ad_filter`` too).

    ``ad_input``: whether a preset's run had an advance/decline file (``hedge.fomc.ad_csv``) with ``require_ad`` on;
    without one ``ad_filter`` cannot act, which the line says when it is idle in all of them.
    """
    idle = [r for r in rule_ids(fired) if not any(fired[n].get(r, 0) for n in names)]
    if not any(ad_input[n] for n in names):
        idle = [r + (" (needs an A/D file, hedge.fomc.ad_csv with require_ad on: none of these runs has one)"
                     if r == "ad_filter" else "") for r in idle]
    return f"rules that acted in none of {names}: {', '.join(idle) or 'none'}"


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    names = args.presets or DEFAULT_PRESETS
    presets = Presets(args.data_dir, args.start, args.end)
    for name in names:  # every config checked (a window outside a preset's data...) before the first run
        presets.config(name)
    books, fired = summarise(names, presets)
    print("| | " + " | ".join(f"`{n}`" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    print("| layers / condors / hedge P&L / final NAV | " + " | ".join(
        f"{b['layers']} / {b['condors']} / {usd_k(b['hedge_pnl_usd'], 0)} / {usd_k(b['end_nav_usd'], 0)}"
        for b in books.values()) + " |")
    print("| CVaR 95% (daily) / max drawdown | " + " | ".join(
        f"{pct(b['cvar'])} / {pct(b['max_drawdown'])}" for b in books.values()) + " |")  # (tail risk: trial R2)
    print("| crossover acts: before / on / after the cross bar, mean bars from it | " + " | ".join(
        f"{t['before']} / {t['same_bar']} / {t['after']}, {t['mean_bars_from_cross']:+.2f}"
        + (f" ({t['never_crossed']} never crossed)" if t["never_crossed"] else "")
        for t in (b["timing"] for b in books.values())) + " |")
    print("| layers opened without a condor (in brackets: with `require_condor = false`) / days carrying layers "
          "without one | "
          + " | ".join(f"{b['without_condor'][0]} ({b['without_condor_off'][0]}) / {b['without_condor'][1]}"
                       for b in books.values()) + " |")
    for key, what in (("readded", "bullish divergences that removed layers, then an add within 5 sessions"),
                      ("later_expanding", "later layers opened while the histogram expands above zero (sized at "
                                          "`expanding_layer_multiple`)"),
                      ("reviews_expanding", "add reviews on such a bar (due at `expansion.review_bars`)")):
        print(f"| {what} | " + " | ".join("{} of {}".format(*b["interactions"][key]) for b in books.values()) + " |")
    if "default" in names:
        from vixhedge.progress import labelled, notes_outside_bars

        sizes = []
        for flag in (True, False):
            with notes_outside_bars(), labelled(f"default, fractional_carry = {str(flag).lower()}"):
                sizes.append(expansion_sizes(presets.run("default", fractional_carry=flag)))
        with notes_outside_bars(), labelled("default, divergence.hold_adds = 5"):
            held = presets.run("default", divergence={"hold_adds": 5})
        print("\n`default` with `hedge.divergence.hold_adds = 5`: bullish divergences that removed layers, then an add "
              "within 5 sessions {} of {}; layers {}; hedge P&L {}; final NAV {}".format(
                  *interactions(held)["readded"], held.metrics["counts"]["hedge_layers"],
                  usd_k(held.metrics["pnl"]["hedge_pnl_usd"], 0), usd_k(held.metrics["performance"]["end_nav_usd"], 0)))
        print("\n`default` layers sized at 1.5x (histogram expanding): " + "; ".join(
            f"{label}: {d}, mean {m:.2f} contracts" for label, (d, m) in zip(
                ("fractional carry", "plain rounding (fractional_carry = false)"), sizes, strict=True)))
    print()
    print("| rule id | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    for rule in rule_ids(fired):
        print(f"| `{rule}` | " + " | ".join(str(fired[n].get(rule, 0)) for n in names) + " |")
    cfgs = {n: presets.config(n).hedge.fomc for n in names}  # (a data folder's A/D file is read where it holds one)
    print("\n" + idle_rules(names, fired, {n: bool(f.require_ad and (f.ad_csv or args.data_dir)) for n, f in cfgs.items()}))
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
