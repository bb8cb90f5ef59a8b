"""Regenerate the README's capital, margin and ruin figures.

    python -m vixhedge.capital_figures                           embedded market (2014-2018)
    python -m vixhedge.capital_figures --data-dir ../shared/data  + the real-data runs (2006-2025, 2008)

Each line names the config it ran (the default config with the overrides shown, fast engine). About 16 s of one
core with --data-dir ../shared/data (62 s wall on 2 cores other jobs kept busy), a few without.
"""

from __future__ import annotations

import argparse
import logging

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m vixhedge.capital_figures"


def parser() -> Parser:
    """Return the command's parser (built before the config loads: ``--help`` needs none of it)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path_text, metavar="DIR",
                   help="the real data folder (../shared/data) for the real-data lines (default: embedded only)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before the config loads
    parser().parse_args()

from vixhedge.core import config as C  # noqa: E402
from vixhedge.fmt import num, pct, usd  # noqa: E402


def _line(label: str, cfg: C.Config, market=None) -> str:
    from vixhedge.run import run_backtest  # here, not at the top: --help does not load the run (backtrader, pandas)

    res = run_backtest(cfg, market, engine="fast")
    m, d = res.metrics, res.daily
    p, cap = m["performance"], m["capital"]
    ruin = m["ruin"]
    return (f"{label}: final NAV {usd(p['end_nav_usd'])}, min NAV {usd(d['nav_usd'].min())}, "
            f"total return {pct(p['total_return'], 1)}, Sharpe {num(p['sharpe'])}, "
            f"max DD {pct(p['max_drawdown'], 1)}; margin peak {pct(cap['peak_margin_utilisation'], 1)} / "
            f"mean {pct(cap['mean_margin_utilisation'], 1)} of NAV; condor max loss peak "
            f"{pct(cap['peak_max_loss_to_nav'], 1)} of NAV; gross leverage mean {num(cap['mean_gross_leverage'], 1)}x; "
            f"return on margin {pct(cap['return_on_margin'], 1)}; "
            f"days cut by caps {cap['days_cut_by_capital_caps']}, "
            f"by buying power {cap['days_constrained_by_buying_power']}, "
            f"with a margin call {cap['days_with_margin_call']}; condors {m['counts']['condors']} "
            f"(contracts {res.condors['contracts'].min()}..{res.condors['contracts'].max()}); "
            f"ruin {ruin['date'] + ' ' + ruin['cause'] if ruin else 'none'}")


def _real_runs(data_dir: str) -> list[tuple[str, C.Config, object]]:
    """The real-data lines' labels, configs and markets, each market loaded and each window checked: a folder
    that is no data directory, a malformed file or a window the data do not cover is one line before any run."""
    from feeds.market import market_for
    from vixhedge.window import check_window

    base, cndr = C.load_default(), C.load_preset("cndr")
    real = {"source": "directory", "data_dir": data_dir}
    span = {"start": "2006-01-03", "end": "2025-12-31"}
    year = {"start": "2008-01-02", "end": "2008-12-31"}
    runs = [("real data 2006-2025, default", C.replace(base, market=real, run=span)),
            ("real data 2008, cndr (max loss 10% of NAV)", C.replace(cndr, market=real, run=year)),
            ("real data 2008, cndr at max loss = NAV (caps at 1.0 x NAV)", C.replace(
                cndr, market=real, run=year, condor={"max_loss_nav_fraction": 1.0, "max_loss_cap_nav_fraction": 1.0,
                                                     "margin_cap_nav_fraction": 1.0}))]
    markets: list = []  # one Market per market config (the directory itself is loaded once: feeds.directory)
    out = []
    for label, cfg in runs:
        market = next((m for m in markets if m.cfg == cfg.market), None)
        if market is None:
            markets.append(market := market_for(cfg))
        check_window(cfg, market)
        out.append((label, cfg, market))
    return out


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    logging.getLogger("vixhedge").setLevel(logging.ERROR)
    real = []
    if args.data_dir:  # a wrong folder or file is one line before any run, not after the embedded ones
        from feeds.directory import detect_layout

        detect_layout(args.data_dir)  # the folder as given (a relative one: where it was looked for)
        real = _real_runs(args.data_dir)
    base = C.load_default()
    print(_line("default", base))
    print(_line("default, condor.contracts = 60", C.replace(base, condor={"contracts": 60})))
    print(_line("default, condor.contracts = 60, caps at 1.0 x NAV", C.replace(base, condor={
        "contracts": 60, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0})))
    print(_line("the same, portfolio margin", C.replace(base, margin={"mode": "portfolio"}, condor={
        "contracts": 60, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0})))
    print(_line("default, $150k account", C.replace(base, run={"initial_cash_usd": 150_000.0})))
    # a book past its buying power (trial V, 2026-12-05: in every line above no order was cut by buying power and
    # margin.on_insufficient / on_breach changed nothing): 200 condors, 10-contract first layers, every cap at NAV
    big = {"condor": {"contracts": 200, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0},
           "hedge": {"first_layer_contracts": 10}}
    for label, rule in (("default, 200 condors, first layer 10, caps and hedge budget at 1.0 x NAV", {}),
                        ("the same, margin.on_insufficient = refuse", {"on_insufficient": "refuse"}),
                        ("the same, margin.on_breach = liquidate", {"on_breach": "liquidate"})):
        print(_line(label, C.replace(base, **big, margin={"hedge_budget_nav_fraction": 1.0, **rule})))
    for label, cfg, market in real:
        print(_line(label, cfg, market))


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
