"""The hedge signal figure's parts (vx_macd.svg, :func:`vixhedge.run_figures.fig_vx_macd`): the layers' and MACD
crossovers' marks, or their counts where they are too many to read, and the hedge book's panel with the contracts
its layers hold."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vixhedge.fmt import plural
from vixhedge.svgplot import LEFT, RIGHT, WIDTH, Panel, day_numbers


def layer_contracts(index: pd.DatetimeIndex, layers: pd.DataFrame, trades: pd.DataFrame | None = None
                    ) -> dict[str, np.ndarray]:
    """Return the contracts the hedge layers hold at each day's close, by instrument (layers.csv's).

    From the hedge's fills (trades.csv, components ``hedge:L<layer_id>``) where there are any: a layer holds, per
    contract month, the largest position among its legs (a future; a call spread's long and short calls), nothing
    from that month's expiry on (settlement is not a fill); so a roll that buying power cut (strategies/layers.py
    _roll_layer) or a settled layer reopened smaller shows what is held after it, and legs left to expire count
    until they do. Without fills (a folder or frames without them): each layer's contracts at entry, held from its
    entry_date to the day before its exit_date (the count of them is daily.csv's hedge_layers)."""
    days = index.to_numpy()
    out: dict[str, np.ndarray] = {}
    if layers.empty or "contracts" not in layers.columns:
        return out
    fills = trades[trades["component"].str.startswith("hedge:L")] if trades is not None and len(trades) else None
    if fills is None or fills.empty:
        for inst, entry, exit_, n in zip(layers["instrument"], layers["entry_date"], layers["exit_date"],
                                         layers["contracts"]):
            held = (days >= np.datetime64(entry)) & (days < np.datetime64(exit_) if pd.notna(exit_) else True)
            out[str(inst)] = out.get(str(inst), np.zeros(len(days))) + held * float(n)
        return out
    instrument = dict(zip(layers["layer_id"].astype(int), layers["instrument"].astype(str)))
    fills = fills[fills.index.to_numpy() <= days[-1]] if len(days) else fills.iloc[:0]  # (a folder edited by hand)
    # a layer layers.csv does not list (an edited folder): nothing to name it by
    fills = fills[fills["component"].str.removeprefix("hedge:L").astype(int).isin(list(instrument)).to_numpy()]
    expiry = fills["expiry"].fillna(pd.Timestamp("2262-04-11"))  # none: held to the end (datetime64[ns]'s last day)
    leg_of, legs = pd.MultiIndex.from_arrays([fills["component"], expiry, fills["symbol"]]).factorize()
    position = np.zeros((len(legs), len(days)))
    np.add.at(position, (leg_of, np.searchsorted(days, fills.index.to_numpy())), fills["qty"].to_numpy(float))
    month_of, months = legs.droplevel(2).factorize(sort=True)  # (component, expiry), in that order
    held = np.zeros((len(months), len(days)))
    np.maximum.at(held, month_of, np.abs(np.cumsum(position, axis=1)))  # the largest of a month's legs
    held *= days < months.get_level_values(1).to_numpy()[:, None]  # nothing from the month's expiry on
    for component, n in zip(months.get_level_values(0), held):
        inst = instrument[int(component.removeprefix("hedge:L"))]
        out[inst] = out.get(inst, np.zeros(len(days))) + n
    return out


def book_panel(bk: Panel, cp: Panel, x: np.ndarray, d: pd.DataFrame, held: dict[str, np.ndarray]) -> None:
    """Open layers (on ``bk``) and the contracts they hold (on ``cp``: ``bk`` itself, or a panel of their own when
    they dwarf the layer count), each day's count held to the next close (steps); where the contracts change too
    often to follow (:func:`too_dense`: 20 years' daily 0-6 steps were a solid block), their mean over the last
    :data:`MEAN_SESSIONS` sessions."""
    open_ = d["hedge_layers"].to_numpy(float)
    bk.fill(*steps(x, open_), 0.0, "tab:red", 0.25, "open layers" if held else "open layers: none\n"
            "(no layer opened)")
    for (inst, n), col in zip(held.items(), ("tab:red", "tab:blue", "tab:purple")):
        name = f"contracts held\n({inst.replace('_', ' ')})"
        if too_dense(int(np.count_nonzero(np.diff(n)))):
            cp.line(x, pd.Series(n).rolling(MEAN_SESSIONS, min_periods=1).mean().to_numpy(), col, 1.1,
                    f"{name}, mean of the\nlast {MEAN_SESSIONS} sessions")
        else:
            cp.line(*steps(x, n), col, 1.1, name)
    bk.ylabel, bk.counts, cp.counts = "layers / contracts", True, True
    bk.ylim = None if held else (-0.05, 1.05)  # (no hedge: not -1 .. 1)
    if cp is not bk:
        bk.ylabel, cp.ylabel = "open layers", "contracts"


MEAN_SESSIONS = 21  # about a month: the contracts held, averaged, where they change too often to draw day by day


def steps(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each day's value held to the next day (a count changes at a close; a line between closes drew slopes)."""
    return np.repeat(x, 2)[1:], np.repeat(np.asarray(y, float), 2)[:-1]


def mark_layers(ax: Panel, series: pd.Series, layers: pd.DataFrame) -> None:
    """Each layer's entry and exit on the series the MACD reads (layers.csv), or their counts in the legend."""
    if layers.empty:
        return
    closed = layers.dropna(subset=["exit_date"])
    for rows, at, (col, shape, hollow), name in ((layers, "entry_date", UP, "layer added"),
                                                 (closed, "exit_date", DOWN, "layer removed")):
        if too_dense(len(layers) + len(closed)):  # the hedge book's panel shows them
            ax.markers([], [], shape, col, 4.0, f"{name}:\n{plural(len(rows), 'time')},\ntoo many to mark", hollow)
        elif len(rows):
            ax.markers(day_numbers(rows[at]), series.reindex(rows[at]).to_numpy(), shape, col, 4.0, name, hollow)


#: the marks of a pair told apart by colour (a layer added / removed, MACD crossing above / below its signal, the
#: histogram's sign): blue and orange, which a red-green colour-blind reader tells apart, and filled against hollow
#: (trial VIS42 M4: red against green read as one olive under deuteranopia): (colour, shape, hollow)
UP, DOWN = ("tab:orange", "^", False), ("tab:blue", "v", True)


MARKER_GAP_PX = 7.0  # markers closer than this on average pile into a band over the line they mark (trial VIS42
# M3: at 2.5 px a 15-year run drew over 300 crossovers and 179 condor exits as one smear of 3-px triangles)


def too_dense(count: int) -> bool:
    """Whether ``count`` markers across a chart's plot would sit under :data:`MARKER_GAP_PX` apart on average (a
    20-year run's 1,026 layer entries and exits hid the VX series): the legend counts them instead of drawing them."""
    return count * MARKER_GAP_PX > (RIGHT - LEFT) * WIDTH


def mark_crossovers(mp: Panel, x: np.ndarray, d: pd.DataFrame) -> None:
    """MACD's crossings of its signal line, on the bar on which MACD closes on the other side (daily.csv), or their
    counts in the legend (the histogram's colour changes there)."""
    above = (d["macd"] > d["macd_signal"]).to_numpy()
    turns = [(np.flatnonzero(turn) + 1, mark, name)
             for turn, mark, name in ((above[1:] & ~above[:-1], UP, "above"), (~above[1:] & above[:-1], DOWN, "below"))]
    dense = too_dense(sum(at.size for at, *_ in turns))
    lim = mp.ylim or (-np.inf, np.inf)  # (a clipped scale: a crossing beyond it marked on its edge)
    for at, (col, shape, hollow), name in turns:
        if dense:
            mp.markers([], [], shape, col, 3.0, f"MACD crosses {name}\nsignal: {plural(at.size, 'time')},\n"
                       "too many to mark", hollow)
        elif at.size:
            mp.markers(x[at], np.clip(d["macd"].to_numpy()[at], *lim), shape, col, 3.0,
                       f"MACD crosses\n{name} signal", hollow)
