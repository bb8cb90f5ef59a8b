"""How each mode's condor book differs from the baseline's in a comparison, measured on the runs' own files.

Modes share one market path and one condor rule, so their condor fills are the same until a policy cuts or
scales a condor, or a capital cap sizes one differently because the hedge moved NAV: :func:`condor_fills` says
which, per mode, from trades.csv, condors.csv and capital_cuts.csv (console and compare page alike).
"""

from __future__ import annotations

from collections import Counter

import pandas as pd

from vixhedge.fmt import plural, usd


CONDOR_KEYS = ("entry_date", "expiry", "exit_date", "exit_reason", "contracts", "long_put", "short_put",
               "short_call", "long_call", "credit_points", "vega_scale", "contracts_cut", "pnl_usd")  # not its NAV


def _rows(frame: pd.DataFrame, keys=None) -> Counter:
    """A frame's rows (its index first) as a multiset of tuples; ``keys``: the columns (default all)."""
    f = frame if keys is None else frame[[k for k in keys if k in frame.columns]]
    return Counter(f.reset_index(drop=keys is not None).itertuples(index=False, name=None))


def condor_fills(books: dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]], baseline: str
                 ) -> dict[str, str]:
    """Return, per mode, whether its condor fills equal the baseline's, measured: ``books`` maps a mode to its
    (trades, condors, capital cuts) frames (trades.csv, condors.csv, capital_cuts.csv or a RunResult's; None for
    a run folder written before capital_cuts.csv). Where they differ: from which day, how many condors, the first
    differing condor's cause where its files show one (:func:`_first_cause`), and what cut them over the run:
    contracts the policy cut (condors.csv ``contracts_cut``), condors it opened scaled (``vega_scale`` < 1), condors
    margin calls or the ruin closed (``exit_reason``, :func:`_closes`), days a capital cap cut a condor order
    (capital_cuts.csv rows ``what = condor``) beside the baseline's; "N of" counts each mode's differing condors."""
    def parts(mode: str):
        trades, condors, cuts = books[mode]
        fills = trades[trades["component"].astype(str).str.startswith("condor")] if len(trades) else trades
        # a fill is its day, contract, quantity, price and fee: not the words of why (trial RS21: a vega cut tagged
        # "bullish_divergence+fomc" against "bullish_divergence" read "differ ... (0 of 31 ... differ)")
        return _rows(fills.drop(columns=["reason"], errors="ignore")), condors, _condor_cuts(cuts)

    base_fills, base_condors, base_notes = parts(baseline)
    base_rows = _rows(base_condors, CONDOR_KEYS)
    out = {}
    for mode in books:
        fills, condors, notes = parts(mode)
        if mode == baseline:
            out[mode] = "the baseline"
        elif fills == base_fills:
            out[mode] = f"same condor fills as {baseline}"
        else:
            first = str(min(r[0] for r in (fills - base_fills) + (base_fills - fills)))[:10]
            rows = _rows(condors, CONDOR_KEYS)
            differ, base_differ = sum((rows - base_rows).values()), sum((base_rows - rows).values())
            cause = _first_cause((mode, condors, notes), (baseline, base_condors, base_notes),
                                 (rows - base_rows) + (base_rows - rows), first)
            out[mode] = (f"condor fills differ from {baseline}'s from {first} ({differ} of {mode}'s "
                         f"{plural(len(condors), 'condor')} and {base_differ} of {baseline}'s {len(base_condors)} "
                         f"differ): {cause}{mode}'s policy {_policy(condors)} ({baseline}'s: "
                         f"{_policy(base_condors)}); "
                         + _closes(condors, baseline, base_condors) + _cap_days(mode, notes, baseline, base_notes))
    return out


def _policy(condors: pd.DataFrame) -> str:
    """What a run's policy did to its condors over the run: contracts cut (condors.csv ``contracts_cut``) and
    condors opened scaled (``vega_scale`` < 1), or "cut no contract and opened no condor scaled"."""
    cut = condors.get("contracts_cut", pd.Series(0, index=condors.index))  # (folders before the column)
    scaled = int((condors.get("vega_scale", pd.Series(1.0, index=condors.index)) < 1).sum())
    words = [f"cut {plural(round(cut.sum()), 'contract')} of {plural(int((cut > 0).sum()), 'condor')}"] * bool(
        cut.sum()) + [f"opened {plural(scaled, 'condor')} scaled (vega_scale < 1)"] * bool(scaled)
    return " and ".join(words) or "cut no contract and opened no condor scaled"


CLOSERS = {"margin_call": "a margin call", "ruin": "the ruin"}  # condors.csv exit_reason -> words


def _closes(condors: pd.DataFrame, baseline: str, base_condors: pd.DataFrame) -> str:
    """The condors margin calls and the ruin closed (condors.csv ``exit_reason``), the mode's beside the baseline's;
    "" where neither run has one."""
    def count(c: pd.DataFrame, reason: str) -> int:
        return int((c["exit_reason"] == reason).sum()) if "exit_reason" in c.columns else 0

    words = [f"{'margin calls' if r == 'margin_call' else 'the ruin'} closed {plural(count(condors, r), 'condor')} "
             f"({baseline}: {count(base_condors, r)}); " for r in CLOSERS if count(condors, r) + count(base_condors, r)]
    return "".join(words)


def _cap_days(mode: str, notes: pd.Series | None, baseline: str, base_notes: pd.Series | None) -> str:
    """The days a capital cap cut a condor order, the mode's beside the baseline's; a run folder written before
    capital_cuts.csv (None) is named, with what to rerun."""
    if notes is None or base_notes is None:
        old = [m for m, n in ((mode, notes), (baseline, base_notes)) if n is None]
        return (f"the capital cuts of {' and '.join(old)} are not known: "
                + ("its run folder predates" if len(old) == 1 else "their run folders predate")
                + " capital_cuts.csv (rerun `vixhedge compare` to count them)")
    return f"a capital cap cut a condor order on {plural(len(notes), 'day')} ({baseline}: {len(base_notes)})"


def _condor_cuts(cuts: pd.DataFrame | None) -> pd.Series | None:
    """Per day a capital cap cut a condor order, its cuts as ``(wanted, allowed)`` contracts in the order made
    (capital_cuts.csv rows ``what = condor`` of kind ``cap`` or ``buying_power``: not a margin call's or a ruin's
    close, :func:`strategies.capital.cuts_frame`); None where not recorded."""
    if cuts is None:
        return None
    if not len(cuts):
        return pd.Series(dtype=object)
    rows = cuts[(cuts["what"] == "condor") & ~cuts["kind"].isin(("margin_call", "ruin"))]  # orders, not cures
    by_day = {pd.Timestamp(d): list(zip(g["wanted"].astype(int), g["allowed"].astype(int)))
              for d, g in rows.groupby(level=0, sort=True)}
    return pd.Series(by_day, dtype=object)


def _first_cause(mine: tuple, base: tuple, rows: Counter, first: str) -> str:
    """Name what sized the first differing condor (the earliest entry among ``rows``, condors.csv rows of either
    mode not in the other) differently: each ``(mode, condors, cuts)``'s capital cuts that day (:func:`_condor_cuts`:
    wanted -> allowed contracts; None: not recorded, no cause read from them), or either run's policy's
    cut or scale of it, and whether a margin call or the ruin closed it (condors.csv ``exit_reason``), each named by
    its mode; "" where none shows. The condor fills before ``first`` are the same, so where the
    condor opened on ``first`` the NAV it was sized on differs by the hedge's doing."""
    if not rows or any("entry_date" not in c.columns for _, c, _ in (mine, base)):
        return ""
    day = min(pd.Timestamp(r[0]) for r in rows)
    on = {m: c[pd.to_datetime(c["entry_date"]) == day] for m, c, _ in (mine, base)}
    known = mine[2] is not None and base[2] is not None
    sizes = {m: ", ".join(f"{w}->{a}" for w, a in (cuts.get(day, []) if known else [])) or
             (f"{int(on[m]['contracts'].iloc[0])} uncut" if len(on[m]) else "none opened")
             for m, _, cuts in (mine, base)}
    if known and sizes[mine[0]] != sizes[base[0]] and (day in mine[2].index or day in base[2].index):
        navs = [usd(on[m]['nav_at_entry_usd'].iloc[0]) for m in sizes
                if len(on[m]) and "nav_at_entry_usd" in on[m].columns]
        return (f"a capital cap sized the condor opened {day:%Y-%m-%d} (the first to differ) differently: "
                + ", ".join(f"{m} {k}" for m, k in sizes.items())
                + (f", on NAV {' vs '.join(navs)}" if len(navs) == 2 else "")
                + (" (the hedge had moved NAV)" if f"{day:%Y-%m-%d}" == first else "") + "; ")
    the = f"the condor opened {day:%Y-%m-%d} (the first to differ)"
    words = []
    for m in (mine[0], base[0]):  # either run's policy or margin call may have made the difference (trial CO: the
        row = on[m]  # baseline alvh's cut of 8 contracts went unnamed beside --variant and --baseline alvh)
        cut = int(row["contracts_cut"].sum()) if "contracts_cut" in row.columns else 0
        scale = float(row["vega_scale"].min()) if "vega_scale" in row.columns and len(row) else 1.0
        closer = CLOSERS.get(str(row["exit_reason"].iloc[0])) if "exit_reason" in row.columns and len(row) else None
        closed = f"{closer} closed %s on {str(row['exit_date'].iloc[0])[:10]}" if closer else ""  # not an exit rule
        if cut or scale < 1:
            words.append(f"{m}'s policy cut {the} by {plural(cut, 'contract')}"
                         f"{f' and opened it at vega_scale {scale:g}' if scale < 1 else ''}"
                         f"{' and ' + closed % 'it' if closed else ''}")
        elif closed:
            words.append(f"in {m}, {closed % the}")
    return "; ".join(words) + "; over the run " if words else ""


def run_books(results: dict) -> dict[str, tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame | None]]:
    """Each mode's (trades, condors, capital cuts) for :func:`condor_fills` (a RunResult's or a run folder's frames:
    None for a folder written before capital_cuts.csv)."""
    return {m: (r.trades, r.condors, r.capital_cuts) for m, r in results.items()}
