"""Print the presets side by side on one market: rules fired, layers, hedge P&L, final NAV (README tables).

    python -m strategies.presets [default steward promoter ...]

Each preset runs on its own window and market (the embedded one unless the preset says otherwise),
on the fast engine (byte-identical to backtrader). The first table is the README's "Presets side
by side" row, the second metrics.json ``rules_fired`` per preset.
"""

from __future__ import annotations

import sys

from strategies.book import RULE_IDS
from vixhedge import config as C
from vixhedge.run import run_backtest


def summarise(names: list[str]) -> tuple[dict[str, dict], dict[str, dict[str, int]]]:
    """Return ({preset: layers / hedge P&L / NAV}, {preset: rules_fired})."""
    books, fired = {}, {}
    for name in names:
        res = run_backtest(C.load_preset(name), engine="fast")
        m = res.metrics
        books[name] = {"layers": m["counts"]["hedge_layers"], "condors": m["counts"]["condors"],
                       "hedge_pnl_usd": m["pnl"].get("hedge_pnl_usd", 0.0), "end_nav_usd": m["performance"]["end_nav_usd"]}
        fired[name] = m["rules_fired"]
    return books, fired


def main(argv: list[str] | None = None) -> int:
    names = (sys.argv[1:] if argv is None else argv) or ["default", "steward", "promoter"]
    books, fired = summarise(names)
    print("| | " + " | ".join(f"`{n}`" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    print("| layers / condors / hedge P&L / final NAV | " + " | ".join(
        f"{b['layers']} / {b['condors']} / ${b['hedge_pnl_usd'] / 1e3:,.0f}k / ${b['end_nav_usd'] / 1e3:,.0f}k"
        for b in books.values()) + " |")
    print()
    print("| rule id | " + " | ".join(names) + " |")
    print("|---|" + "---:|" * len(names))
    ids = list(RULE_IDS) + sorted({k for f in fired.values() for k in f} - set(RULE_IDS))
    for rule in ids:
        print(f"| `{rule}` | " + " | ".join(str(fired[n].get(rule, 0)) for n in names) + " |")
    missing = [r for r in ids if r != "ad_filter" and not any(fired[n].get(r, 0) for n in names)]
    print(f"\nrules that acted in none of {names}: {missing or 'none'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
