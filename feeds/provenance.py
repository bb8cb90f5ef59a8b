"""Where a run's prices came from: real quotes, real ones moved by the model, or the model, per instrument.

:func:`data_provenance` counts, per instrument (SPX options, VIX options, VX futures):

* ``marks``: every end-of-day mark of a held position: a position opened by the fills dated before a
  day and not yet settled (expiry after the day) is marked that day (the Desk marks at mid every day);
* ``fills``: every fill, by the origin of the quote it filled at;

as ``real`` (the data file's own quote or settle), ``anchored`` (a VX future: the last real settle moved by the
model's change since, :func:`feeds.vxcurve.with_real_settles`; an option: the model at the last real quote's
implied-vol gap, fading, :mod:`feeds.marketquotes`) and ``model``.
An anchored price is a real price moved by the model: it is not a market quote, so the verdict counts it with the
modelled ones (``modelled_share``, ``model_share`` per instrument: model + anchored). ``rests_on_model`` is True
when such prices are more than half of all marks and fills, and ``verdict`` says in plain words what the result
rests on and names every instrument whose prices are mostly not real (the summary, metrics.json and the report
banner print it). SPX and VIX index levels are real in every source but the synthetic one.

:func:`feeds.datafiles.run_files` lists every data file a run read with its sha256 (the manifest's ``data_files``).
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable

import numpy as np

from feeds.datanotes import vx_end_note
from feeds.staleopen import stale_expiry_note
from feeds.widthstress import stressed_spx_fills, stressed_spx_note
from feeds.vxcurve import ANCHORED, MODEL, REAL
from vixhedge.core.instruments import VX_FUTURE, Kind
from vixhedge.fmt import pct

ORIGIN = {REAL: "real", ANCHORED: "anchored", MODEL: "model"}
INSTRUMENTS = {Kind.SPX_OPTION: "spx_option", Kind.VIX_OPTION: "vix_option", Kind.VX_FUTURE: "vx_future"}
LABEL = {"spx_option": "SPX option", "vix_option": "VIX option", "vx_future": "VX future"}
#: said wherever VIX options were filled (trial RS22: an instrument comparison never said it; README, *Quotes and fills*)
VIX_WIDTHS_NOTE = ("VIX option widths are fitted on one calm day's quotes (2016-06-01, VIX 14) and widen with an "
                   "option's price, not with VIX: in stress, fills at bid/ask likely cross too little spread")

def vix_option_model(market, first_day: int, last_day: int, under: Counter | None = None) -> str:
    """What a run's modelled VIX option prices rest on (the data line's words; trial CS: an options-only run's line
    said nothing of the real VX settles they stand on; review 15: nor whether their level came from VVIX). ``under``
    counts the origins of the VX futures under the run's VIX option marks and fills (:func:`_replay`; trial PV: a
    2025 run past the shared settles' end said "its real settle" of futures the model carried)."""
    n, real = sum((under or {}).values()), (under or {}).get("real", 0)
    future = ("the modelled VX curve" if not real else "its real settle" if real == n else
              f"its real settle on {percent(real, n)} of their prices, else the model's")
    share = float(market.vix_atm_from_vvix[first_day:last_day + 1].mean())
    level = ("their level from the day's VVIX" if share == 1.0 else
             "at the constant level market.vix_smile.atm_vol (no VVIX in the data)" if share == 0.0 else
             f"their level from the day's VVIX on {percent(share, 1.0)} of the days, else market.vix_smile.atm_vol")
    return f"Black-76 on the VX future of their expiry ({future}), {level}"


def quote_origin(market, contract, i: int) -> str:
    """Where ``contract``'s quote on market day ``i`` came from: "real", "anchored" (moved from an earlier real quote
    by the model) or "model" (trades.csv ``quote``, the counts below)."""
    if contract.kind is VX_FUTURE:
        if market.vx.origin is None:
            return "model"
        return ORIGIN[int(market.vx.origin[i, market.vx.column(contract.expiry)])]
    return market.option_origin(contract, i)


def data_provenance(market, fills: Iterable, first_day: int, last_day: int, settled: Collection[dt.date] = (),
                    pays_spread: bool = True) -> dict:
    """Return the origin counts of the marks and fills of a run on days ``first_day..last_day`` of ``market``, and
    its data ``notes``: the SPX expiries its options settled on (``settled``) on a stale open
    (:func:`feeds.staleopen.stale_expiry_note`; the console summary and report.html show them with the verdict);
    the VIX option widths' note only where its fills paid some of the spread (``pays_spread``: not at mid)."""
    fills = list(fills)
    marks: Counter = Counter()
    fill_counts: Counter = Counter()
    under: Counter = Counter()  # the origins of the VX futures under the VIX option marks and fills
    spx: list = []  # the SPX option fills: (market day, date, quote origin)
    expired = _replay(market, fills, first_day, last_day, marks, fill_counts, under, spx)
    out: dict = {"marks": _table(marks), "fills": _table(fill_counts)}
    everything = marks + fill_counts
    total = sum(everything.values())
    modelled = sum(n for (_, o), n in everything.items() if o != "real")  # anchored: moved by the model
    out["modelled_share"] = modelled / total if total else 0.0  # in full (README, Conventions: trial CO)
    out["rests_on_model"] = bool(total and modelled / total > 0.5)
    out["index_levels"] = "model (synthetic path)" if market.data.source.startswith("synthetic") else "real"
    out["rates"] = market.rate_source.get("rates", "")
    if "vix_option" in out["marks"] or "vix_option" in out["fills"]:
        out["vix_option_model"] = vix_option_model(market, first_day, last_day, under)
    out["verdict"] = verdict(out)
    out["settlements"] = settlements(market, expired)
    stale = stale_expiry_note(market, market.days[first_day], market.days[last_day], settled)
    unlisted = unlisted_fills(market, fills)
    if unlisted:
        out["unlisted_fills"] = unlisted
    calm = VIX_WIDTHS_NOTE if pays_spread and "vix_option" in out["fills"] else ""  # (trial RD23: said at mid too)
    stressed = stressed_spx_fills(market, spx) if pays_spread else None
    if stressed:
        out["spx_fills_beyond_width_fit"] = stressed
    vx_end = vx_end_note(market, first_day, last_day) if "vx_future" in out["marks"] else ""
    out["notes"] = [n for n in (unlisted_note(unlisted), settlement_note(out["settlements"]), stale, calm,
                                stressed_spx_note(stressed), vx_end) if n]
    return out


def _replay(market, fills: list, first_day: int, last_day: int, marks: Counter, fill_counts: Counter,
            under: Counter, spx: list) -> set:
    """Count the marks and the fills of days ``first_day..last_day`` by instrument and origin (and in ``under`` those
    of the VX futures under the VIX option ones; list in ``spx`` each SPX option fill's day, date and origin);
    return the contracts held to their expiry (the desk settled them that morning).

    A position held at a day's close is marked that day (the Desk marks at mid after the day's fills, as daily.csv's
    values): each contract is held from the day of the fill that opened it to the session before the fill that closed
    it or before its expiry (the desk settles it that morning), and its marks are counted span by span
    (:func:`_count_marks`), fill by fill, not day by day. (Trial ACC40 L1: the span ran one session late, skipping the
    opening day's mark and counting the closing day's: 274 marks where 279 were held on 2019-04-25..07-31.)
    """
    days, held, expired = market.days, {}, set()  # held: an open contract's [qty, first day marked, settlement day]
    dated = sorted(((market.index_of(f.date), f) for f in fills), key=lambda x: x[0])  # (stable: a day's in order)
    for i, f in dated:
        if not first_day <= i <= last_day:
            continue
        c = f.contract
        h = held.get(c)
        if h is not None and h[2] <= i:  # settled on an earlier day: never marked again, a later fill opens anew
            _count_marks(marks, market, c, h[1], h[2], under)
            expired.add(c)
            h = None
        if h is None:  # (a fill on or after its expiry: settled the next morning)
            h = held[c] = [0, i, max(bisect.bisect_left(days, c.expiry), i + 1)]
        h[0] += f.qty
        if not h[0]:  # closed: held again only by a later fill
            del held[c]
            _count_marks(marks, market, c, h[1], i, under)
        origin = quote_origin(market, c, i)
        fill_counts[(INSTRUMENTS[c.kind], origin)] += 1
        if c.kind is Kind.SPX_OPTION:
            spx.append((i, f.date, origin))
        if c.kind is Kind.VIX_OPTION:
            _count_under(under, market, c.expiry, i, i + 1)
    for c, (_, first, settles) in held.items():
        if settles <= last_day:
            expired.add(c)
        _count_marks(marks, market, c, first, min(settles, last_day + 1), under)
    return expired


def _count_marks(marks: Counter, market, contract, first: int, stop: int, under: Counter) -> None:
    """Count the end-of-day marks of ``contract`` held on market days ``first..stop - 1`` by origin (as
    :func:`quote_origin` day by day): a VX future's from its column of origins at once, an option's from
    :meth:`feeds.marketquotes.MarketQuotes.option_origins` (a VIX option's underlying future's in ``under``)."""
    if stop <= first:
        return
    if contract.kind is Kind.VIX_OPTION:
        _count_under(under, market, contract.expiry, first, stop)
    inst = INSTRUMENTS[contract.kind]
    if contract.kind is not VX_FUTURE:
        counts = market.option_origins(contract, first, stop)
    elif market.vx.origin is None:
        counts = {MODEL: stop - first}
    else:
        column = market.vx.origin[first:stop, market.vx.column(contract.expiry)].astype(int)
        counts = dict(enumerate(np.bincount(column).tolist()))
    for origin, n in counts.items():
        if n:
            marks[(inst, ORIGIN[origin])] += n


def _count_under(under: Counter, market, expiry: dt.date, first: int, stop: int) -> None:
    """Count the origins of the VX future settling on ``expiry`` on market days ``first..stop - 1`` (a VIX option's
    underlying: real, anchored on the last real settle, or modelled)."""
    if market.vx.origin is None:
        under["model"] += stop - first
        return
    column = market.vx.origin[first:stop, market.vx.column(expiry)].astype(int)
    for origin, n in enumerate(np.bincount(column).tolist()):
        if n:
            under[ORIGIN[origin]] += n


def unlisted_fills(market, fills: Iterable) -> dict:
    """Per instrument, the fills dated before it was first listed (:data:`feeds.datanotes.LISTED`):
    ``{inst: {"fills", "first", "last", "listed"}}`` ({} when none, and for a synthetic path, whose dates are no
    market's history). Such a fill is on a contract that did not exist (trial finding 1: a run from 2000-02-22 made
    289 VX fills 2000-02-22..2004-03-25)."""
    from feeds.datanotes import LISTED

    if market.data.source.startswith("synthetic"):
        return {}
    days: dict[str, list[dt.date]] = {}
    for f in fills:
        inst = INSTRUMENTS[f.contract.kind]
        if inst in LISTED and f.date < LISTED[inst][0]:
            days.setdefault(inst, []).append(f.date)
    return {inst: {"fills": len(d), "first": str(min(d)), "last": str(max(d)), "listed": str(LISTED[inst][0])}
            for inst, d in days.items()}


def unlisted_note(unlisted: dict) -> str:
    """The data line's words on :func:`unlisted_fills` ("" when none)."""
    from feeds.datanotes import LISTED

    parts = []
    for inst, u in unlisted.items():
        _, label, where = LISTED[inst]
        span = u["first"] + (f"..{u['last']}" if u["last"] != u["first"] else "")
        parts.append(f"{u['fills']} {LABEL[inst]} fill{'s' * (u['fills'] != 1)} dated {span}, before {label} were "
                     f"first listed on {u['listed']} ({where})")
    return ("Contracts that did not exist: " + "; ".join(parts) + ": priced by the model alone, they are no market's "
            "price; read the hedge before that date as the model's, or start the run after it.") if parts else ""


def combined(provenances: dict[str, dict]) -> dict:
    """Return the data provenance of runs on one market (a comparison's modes: ``{mode: its metrics.json
    data_provenance}``) as one: their marks and fills summed, the verdict on the sum (:func:`verdict`), their notes
    once each, and per mode its own ``modelled_share``, ``rests_on_model`` and ``verdict`` (trial finding 2: a
    comparison printed better/worse verdicts and never said how much of its prices was modelled)."""
    counts: Counter = Counter()
    for p in provenances.values():
        for part in ("marks", "fills"):
            for inst, row in p[part].items():
                for o in ("real", "anchored", "model"):
                    counts[(part, inst, o)] += row[o]
    table = lambda part: _table(Counter({(i, o): n for (t, i, o), n in counts.items() if t == part}))
    out: dict = {"marks": table("marks"), "fills": table("fills")}
    total = sum(counts.values())
    modelled = sum(n for (_, _, o), n in counts.items() if o != "real")
    out["modelled_share"] = modelled / total if total else 0.0  # in full (README, Conventions: trial CO)
    out["rests_on_model"] = bool(total and modelled / total > 0.5)
    first = next(iter(provenances.values()), {})
    out["index_levels"], out["rates"] = first.get("index_levels", ""), first.get("rates", "")
    words = dict.fromkeys(p["vix_option_model"] for p in provenances.values() if p.get("vix_option_model"))
    if words:  # (trial RS22: each mode's line said what its VIX options rest on, the comparison's did not)
        out["vix_option_model"] = " / ".join(words)
    each = ", ".join(f"{m} {percent(p['modelled_share'], 1.0) if p['marks'] or p['fills'] else 'no price'}"
                     for m, p in provenances.items())  # (a mode that traded nothing: not "0%", REV23)
    out["verdict"] = verdict(out, "the modes' marks and fills", each if len(provenances) > 1 else "")
    out["notes"] = once_each({m: p.get("notes", ()) for m, p in provenances.items()})
    out["modes"] = {m: {k: p[k] for k in ("modelled_share", "rests_on_model", "verdict")}
                    for m, p in provenances.items()}
    return out


def once_each(by_mode: dict[str, Iterable[str]]) -> list[str]:
    """The modes' notes, each once, naming its modes where not every mode has it (after those every mode has); notes
    that differ in their figures alone are one note (:func:`merged_figures`; trial RS38 L5: a 13-mode compare's data
    line said one note three times, once per count of fills, 2,684 characters)."""
    having: dict[str, list[str]] = {}
    for m, notes in by_mode.items():
        for n in notes:
            having.setdefault(n, []).append(m)
    shapes: dict[str, dict[str, list[str]]] = {}  # each note's kind: its variants
    for n, ms in having.items():
        shapes.setdefault(note_kind(n), {})[n] = ms
    every, some = [], []  # (the notes every mode has first: after a "none: ..." note one read as none's, RD37)
    for variants in shapes.values():
        ms = [m for v in variants.values() for m in v]
        n = next(iter(variants)) if len(variants) == 1 else merged_figures(variants)
        if len(ms) == len(by_mode):
            every.append(n)
        else:
            some.append(f"{', '.join(sorted(ms, key=list(by_mode).index))}: {n}")
    return every + some


#: a figure in a note (a count, an amount, a date's parts): what :func:`once_each` lets differ between modes
FIGURE = re.compile(r"\d+(?:[.,]\d+)*")


def note_kind(note: str) -> str:
    """A note's kind: its text with every figure masked (:data:`FIGURE`): the modes' or windows' runs give the same
    note but for their counts and dates (``compare --windows`` keeps the first window's of each kind)."""
    return FIGURE.sub("#", note)


def merged_figures(variants: dict[str, list[str]]) -> str:
    """One note of ``variants`` {note: its modes} alike but for their figures: each figure that differs as the
    variants' values in turn (``192 / 184``), then whose they are (``(figures of alvh, no_slope / no_cut)``)."""
    texts = list(variants)
    words = FIGURE.split(texts[0])
    figures = list(zip(*(FIGURE.findall(t) for t in texts)))
    out = words[0] + "".join((f[0] if len(set(f)) == 1 else " / ".join(f)) + w for f, w in zip(figures, words[1:]))
    body, end = (out[:-1], out[-1]) if out.endswith(".") else (out, "")
    return f"{body} (figures of {' / '.join(', '.join(ms) for ms in variants.values())}){end}"


def settlements(market, expired: Iterable) -> dict:
    """Return, per instrument, the expiries the run's positions were held to and what they settled on: SPX options
    on the expiry day's SPX open (``spx_open``, a proxy of the AM settlement, SET); VX futures and VIX options on
    the real final settlement of the VX files (``real_vro``) or on the VRO proxy (``vro_proxy``, named in
    ``proxy``: the VIX open, or close where the data have no open) (:meth:`feeds.market.Market.settlement_value`).
    ``values``: each expiry's settlement value and what it is, ``{"2008-07-16": {"value": 28.4, "on": "real_vro"}}``
    (a researcher's trial, session 15, could audit a layer's ``settlement_usd`` only by rebuilding the value)."""
    by_kind: dict[str, dict] = {}
    for c in sorted(expired):  # (a set of contracts: its order follows the hash seed; the keys' order must not)
        inst = INSTRUMENTS[c.kind]
        if c.kind is Kind.SPX_OPTION:
            row, on = by_kind.setdefault(inst, {"expiries": set(), "on": "spx_open"}), "spx_open"
            row["expiries"].add(c.expiry)
        else:
            row = by_kind.setdefault(inst, {"real_vro": set(), "vro_proxy": set(),
                                            "proxy": "vix_open" if market.data.vix_open is not None else "vix_close"})
            on = "real_vro" if market.settles_on_real_vro(c) else "vro_proxy"
            row[on].add(c.expiry)
        row.setdefault("values", {})[c.expiry.isoformat()] = {"value": float(market.settlement_value(c)), "on": on}
    return {k: {n: len(v) if isinstance(v, set) else (dict(sorted(v.items())) if n == "values" else v)
                for n, v in row.items()} for k, row in by_kind.items()}


def settlement_note(s: dict) -> str:
    """The data line's words naming the settlement approximations a run used ("" when none: no SPX expiry settled,
    every VX / VIX option expiry on the real VRO), as MARKET_RULES asks (an approximation named as such). Counts
    lead ("SPX options: 11 AM-settled expiries"), never "on 11 AM expiries", which reads as 11 a.m. (review finding 2)."""
    expiries = lambda n, what="": f"{n} {what}{'expiry' if n == 1 else 'expiries'}"
    parts = []
    spx = s.get("spx_option")
    if spx and spx["expiries"]:
        parts.append(f"SPX options: {expiries(spx['expiries'], 'AM-settled ')} at the "
                     "expiry day's SPX open (an approximation of the exchange's Special Opening Quotation, SET)")
    for inst in ("vx_future", "vix_option"):
        row = s.get(inst)
        if row and row["vro_proxy"]:
            proxy = "VIX open" if row["proxy"] == "vix_open" else "VIX close"
            real = f", {row['real_vro']} at the real VRO of the VX files" if row["real_vro"] else ""
            parts.append(f"{LABEL[inst]}s: {expiries(row['vro_proxy'])} "
                         f"at the day's {proxy} (an approximation of VRO, the VIX Special Opening Quotation){real}")
    return ("Settled on approximations: " + "; ".join(parts) + ".") if parts else ""


def _table(counts: Counter) -> dict:
    out = {}
    for inst in INSTRUMENTS.values():
        row = {o: int(counts.get((inst, o), 0)) for o in ("real", "anchored", "model")}
        n = sum(row.values())
        if n:
            row["real_share"] = row["real"] / n
            row["model_share"] = (row["model"] + row["anchored"]) / n  # not real: modelled or anchored
            out[inst] = row
    return out


def percent(part: float, whole: float) -> str:
    """``part / whole`` as a whole percent, never rounded to 100% or 0% when it is not: ">99%" for a share strictly
    between 99.5% and 100%, "<1%" for one strictly between 0% and 0.5% (trial finding 2: a run with a few real
    quotes read "100% of marks and fills are modelled")."""
    text = pct(part / whole, 0)  # half away from zero (vixhedge.fmt)
    if text == "100%" and part < whole:
        return ">99%"
    if text == "0%" and part > 0:
        return "<1%"
    return text


def real_count(p: dict) -> tuple[int, int]:
    """(real, all) marks and fills of a data provenance (:func:`summarize`): the counts that shares are printed
    from (:func:`percent`), whole counts, so 1 real mark in 25,000 prints as ">99%" modelled, never 100%."""
    rows = [r for t in (p["marks"], p["fills"]) for r in t.values()]
    return sum(r["real"] for r in rows), sum(r["real"] + r["anchored"] + r["model"] for r in rows)


MODELLED_HEAD = "MOST OF THIS RESULT RESTS ON MODELLED PRICES, not market quotes: read it as a study of the model. "
REAL_HEAD = "Most of this result rests on real market prices. "


def verdict(p: dict, whose: str = "marks and fills", each: str = "") -> str:
    """Return one plain sentence on what the run's prices rest on; ``whose`` names the marks and fills counted and
    ``each`` adds their parts' shares (a comparison's modes: trial HELP23 read its 82% beside a mode's own 75%)."""
    if not p["marks"] and not p["fills"]:  # nothing traded: neither real nor modelled prices made the result
        return (f"NO MARKET PRICE BEHIND THIS RESULT: no order was filled and no position held, so only cash "
                f"interest moved the NAV. Rates: {p['rates']}.")
    parts, mostly_model = [], []
    for inst, label in LABEL.items():
        rows = [r for r in (p["marks"].get(inst), p["fills"].get(inst)) if r]
        if not rows:
            continue
        got = {o: sum(r[o] for r in rows) for o in ("real", "anchored", "model")}
        n = sum(got.values())
        shares = {o: percent(v, n) for o, v in got.items()}
        parts.append(f"{label}s {shares['real']} real" + (f", {shares['anchored']} anchored on real" if got["anchored"]
                                                         else "") + f", {shares['model']} modelled"
                     + (f" by {p['vix_option_model']}" if inst == "vix_option" and got["model"]
                        and p.get("vix_option_model") else ""))
        if got["model"] + got["anchored"] > n / 2:  # an anchored price is the model's move of a real one
            mostly_model.append(f"{label}s")
    if p["rests_on_model"]:
        head = MODELLED_HEAD
    elif mostly_model:  # most prices are real, but not those of every instrument: say whose are not
        head = (f"Most prices are real, but the {' and '.join(mostly_model)} are mostly modelled or anchored on real "
                "(a real price moved by the model). ")
    else:
        head = REAL_HEAD
    anchored = any(r["anchored"] for t in (p["marks"], p["fills"]) for r in t.values())
    real, total = real_count(p)
    share = f"{percent(total - real, total)} of {whose} are modelled" + (" or anchored on real" if anchored else "")
    parts = [each] * bool(each) + parts
    return head + share + (" (" + "; ".join(parts) + ")." if parts else ".") + f" Rates: {p['rates']}."
