"""The named stress periods inside a run (metrics.json ``named_periods``, :mod:`analyzers.periods`), as report.html
shows them for a run and ``vixhedge compare`` for its modes side by side on the same path."""

from __future__ import annotations

from collections.abc import Mapping

from vixhedge.fmt import pct, plural, usd
from vixhedge.html import table


def entered_words(p: Mapping) -> str:
    """How the book entered a period: "4 layers and a condor", "a condor, no layer", "2 layers, no condor",
    "no layer, no condor", or "starts the run (flat)"."""
    e = p.get("entered_with")
    if not e:
        return "starts the run (flat)"
    n = e["hedge_layers"]
    layers = plural(n, "layer") if n else "no layer"
    if e["condor"]:
        return f"{layers} and a condor" if n else "a condor, no layer"
    return f"{layers}, no condor"


def _when(p: Mapping, ruin: bool = True) -> str:
    part = "" if p["whole"] else ", part of the period"
    ruined = f", ruined {p['ruin']}" if ruin and "ruin" in p else ""
    return f"{p['first']} .. {p['last']} ({plural(p['sessions'], 'session')}{part}{ruined})"


def _ruined(p: Mapping) -> str:
    """A compare cell's mark of the mode's ruin inside the period, as its run's row says it (README: a ruined run's
    period rows mark the period that holds the ruin); trial VIS27: compare's row took the first mode's words."""
    return f" (ruined {p['ruin']})" if "ruin" in p else ""


def cause_cell(by_cause: Mapping[str, float]) -> str:
    """A named period's hedge P&L by cause (metrics.json ``hedge_by_cause_usd``: the period's sum of daily.csv's
    cause columns, fees excluded as the hedge P&L's), the causes it had, by their names (trial VIS28: the split was
    in metrics.json alone, where it matters most: 2008's carry +$122,552 against a VIX move +$62,608)."""
    from analyzers.hedge_cost import CAUSE_NAMES

    return "; ".join(f"{name} {usd(by_cause[k])}" for k, name in CAUSE_NAMES.items() if by_cause.get(k)) or "none"


def periods_section(m: Mapping) -> str:
    """report.html's table of the named periods inside the run ("" when none is)."""
    periods = m.get("named_periods") or ()
    debt = any("ruin_debt_pnl_usd" in p for p in periods)  # (a ruined run's debt written off: its own P&L row)
    causes = any("hedge_by_cause_usd" in p for p in periods)  # (a folder written before the split has none)
    rows = [(p["name"], _when(p), entered_words(p), usd(p["condor_pnl_usd"]), usd(p["hedge_pnl_usd"]),
             *((cause_cell(p.get("hedge_by_cause_usd", {})),) if causes else ()),
             usd(p["fees_pnl_usd"] + p["interest_pnl_usd"] + p.get("ruin_debt_pnl_usd", 0.0)), usd(p["total_pnl_usd"]),
             pct(p["return"]), pct(p["max_drawdown"])) for p in periods]
    if not rows:
        return ""
    return ("<h2>Named stress periods inside this run</h2>\n"
            + table(("period", "its sessions in the run", "entered with (close before)", "condor P&L", "hedge P&L",
                     *(("hedge P&L by cause",) if causes else ()), "fees + interest" + " + ruin debt" * debt,
                     "total P&L", "return", "max drawdown"), rows, "grid", text_columns=(0, 1, 2, 5) if causes
                    else (0, 1, 2))
            + "<p>The P&amp;L rows summed over the period's sessions in this run: the book it held going in "
              "counts, unlike <code>vixhedge replay NAME</code>, which runs the period alone from a flat book "
              "(README, <i>Where a window starts</i>). Return and drawdown from the close before the period, or "
              "from the starting cash where it starts the run (so they differ from Performance's, which start from "
              "the first day's NAV).</p>\n")


def compare_rows(results: Mapping) -> list[tuple[str, str, dict[str, str]]]:
    """Each named period inside the compared window: (name, sessions words, {mode: "hedge P&L / total P&L"}), a
    mode ruined inside the period marked in its own cell ("-$1,471,950 / -$1,000,000 (ruined 2020-03-23)")."""
    by_name: dict[str, tuple[str, dict]] = {}
    for mode, res in results.items():
        for p in res.metrics.get("named_periods") or ():
            by_name.setdefault(p["name"], (_when(p, ruin=False), {}))[1][mode] = (
                f"{usd(p['hedge_pnl_usd'])} / {usd(p['total_pnl_usd'])}{_ruined(p)}")
    return [(name, when, modes) for name, (when, modes) in by_name.items()]


def compare_lines(results: Mapping) -> list[str]:
    """compare's console lines: each named period's hedge and total P&L per mode on the one path."""
    rows = compare_rows(results)
    if not rows:
        return []
    out = ["named periods inside the window (hedge P&L / total P&L per mode, each from the book its own run held at "
           "the close before, nothing where the period starts the window):"]
    for name, when, modes in rows:
        out.append(f"  {name} {when}: " + "; ".join(f"{m} {cell}" for m, cell in modes.items()))
    return out


def compare_section(results: Mapping) -> str:
    """compare's page: the same as a table, a column per mode."""
    rows = compare_rows(results)
    if not rows:
        return ""
    modes = list(results)
    body = [(name, when, *(ms.get(m, "n/a") for m in modes))
            for name, when, ms in rows]
    return ("<h2>Named stress periods inside the window</h2>\n"
            + table(("period", "sessions", *(f"{m}: hedge / total P&L" for m in modes)), body, text_columns=(0, 1))
            + "<p>Each mode on the same path, from the book its own run held at the close before the period "
              "(nothing where the period starts the window: its report says how each entered).</p>\n")
