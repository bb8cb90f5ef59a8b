"""``vixhedge data check PATH``: coverage, gaps and bad rows of a data file or directory, as text.

A file's kind is recognised from its name and header: VX (any layout of
:mod:`feeds.loaders.vx`), index history (``DATE,OPEN,HIGH,LOW,CLOSE`` or a generic OHLC with
``date/open/high/low/close``), an option chain (DataShop or the delayed-quote snapshot), a FRED
short-rate file (two columns, a date and the rate: :mod:`feeds.loaders.rates`) or the Cboe
volatility indices side by side (``date,...,VIX,...``: :mod:`feeds.loaders.volindex`). A
directory must be a data directory (:mod:`feeds.directory`); besides its SPX, VIX, VX and chain files the
check loads what a directory-market run also reads (:func:`feeds.market.build_market`), with the same loaders:
the short-rate file (:func:`~feeds.loaders.rates.find_rate_file`) and the wide vol-index table
(:data:`~feeds.loaders.volindex.WIDE_FILE`), when present, and the A/D (breadth) file and FOMC/CPI/PPI calendar folder
(:mod:`feeds.check_runinputs`). A malformed file raises
:class:`~feeds.loaders.LoadError` (the caller prints it). :func:`files_to_read` counts the files a check
loads, and ``check(path, on_file)`` calls ``on_file`` after each (``vixhedge data check``'s progress bar).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from feeds import calendars
from feeds.check_runinputs import RunInputs, file_lines, run_input_lines
from feeds.checklines import SHOW, bad_lines, dates_text, days_text
from feeds.directory import CoverageError, detect_layout, load_directory, relative_note
from feeds.loaders import BadRow, LoadError
from feeds.loaders._table import peek_header, spans
from feeds.marketdata import DataError
from feeds.loaders.index import IndexHistory, load_cboe_value, load_ohlc
from feeds.loaders.options import OptionQuotes, load_datashop, load_snapshot
from feeds.loaders import plausible
from feeds.loaders.rates import RATE_FIX, RATE_FOLDERS, RateSeries, find_rate_file, load_fred_csv, stale_limit
from feeds.loaders.rates import gaps as rate_gaps, uncovered
from feeds.loaders.volindex import WIDE_FILE, load_vol_indices, wide_file
from feeds.staleopen import FROZEN_ROWS, frozen_runs, frozen_text, stale_by_year
from feeds.loaders.vx import VxPanel, load_vx

__all__ = ["KNOWN_FILES", "bytes_to_read", "check", "files_to_read"]

_INDEX_NAMES = ("VIX9D", "VIX3M", "VIX6M", "SKEW", "SPX", "VIX")  # longest match first
#: what a data file can be, by its header or name (what :func:`_kind` tells apart; HELP32 L10: the line said only
#: "see feeds.check")
KNOWN_FILES = ("data check reads VX files (CFE_<M><YY>_VX.csv, VX_YYYY-MM-DD.csv or a trade_date column), OHLC and "
               "index files (date and close columns), SKEW (date, skew), short rates (date and a FRED rate column), "
               "vol indices (date, vix, ...), SPX option chains (Cboe DataShop or optionroot snapshots), the calendar "
               "sources of fomc_cpi_macro_calendar/ (announcement_date,type; release_date; date,event,ref_period) and "
               "A/D files (date, sp500_advancers, sp500_decliners); README *Real data* gives each layout")
_RATE_COLUMNS = {"value", "dff", "dtb3", "dtb4wk", "dtb6", "dgs1mo", "dgs3mo", "effr", "sofr"}  # FRED short rates


def files_to_read(path: Path | str, inputs: RunInputs | None = None) -> int:
    """Return how many data files checking ``path`` loads (1 for a file; 0 when it is not a data directory);
    ``inputs``: its :class:`~feeds.check_runinputs.RunInputs` (None: found here), given to :func:`check` too."""
    path = Path(path)
    if not path.is_dir():
        return 1
    try:
        layout = detect_layout(path)
    except DataError:  # not a data directory: check() reports it
        return 0
    inputs = inputs or RunInputs.find(path)
    return 2 + len(layout.vx) + len(layout.chains) + len(_run_extras(path)) + len(inputs.files())


def bytes_to_read(path: Path | str, inputs: RunInputs | None = None) -> int:
    """Return the bytes of the data files checking ``path`` loads (the :func:`files_to_read` of them; 0 when it is
    not a data directory): ``vixhedge data check``'s bar advances by each file's size, as the time goes (counted by
    files it sat at 84% on ../shared/data while the large SPX, VIX and chain files loaded: trial longrun finding 6)."""
    path = Path(path)
    if not path.is_dir():
        return path.stat().st_size if path.is_file() else 0
    try:
        layout = detect_layout(path)
    except DataError:
        return 0
    inputs = inputs or RunInputs.find(path)
    files = [layout.spx, layout.vix, *layout.vx, *layout.chains, *_run_extras(path), *inputs.files()]
    return sum(p.stat().st_size for p in dict.fromkeys(files) if p.is_file())


def _run_extras(root: Path) -> list[Path]:
    """Return the rate file and the wide vol-index table of ``root`` that a directory-market run reads."""
    return [p for p in (find_rate_file(root), wide_file(root)) if p is not None]


def check(path: Path | str, on_file: Callable[[Path], object] | None = None,
          inputs: RunInputs | None = None) -> tuple[str, int]:
    """Return (report, number of implausible rows) of ``path``; ``vixhedge data check --strict`` exits 1 when > 0.

    ``on_file`` is called with each data file once it is loaded (:func:`files_to_read` of them). ``inputs``: a data
    directory's A/D file and calendar folder (:class:`~feeds.check_runinputs.RunInputs` of ``path``; None: found
    here, once)."""
    path = Path(path)
    if not path.exists():
        raise LoadError(path, None, f"does not exist{relative_note(path)}: give a data folder or a data file (check "
                                    "the path)")
    if path.is_dir():
        lines, bad = _directory(path, on_file, inputs or RunInputs.find(path))
    else:
        lines, bad = _file(path)
        if on_file is not None:
            on_file(path)
    implausible = [b for b in bad if b.implausible]
    if implausible:
        lines.append(f"IMPLAUSIBLE VALUES: {len(implausible)} row(s) break the plausibility rules "
                     "(feeds.loaders.plausible; an A/D file's counts: feeds.breadth; a short-rate spike: "
                     "feeds.loaders.rates), e.g. "
                     + "; ".join(str(b) for b in implausible[:3]))
    return "\n".join(lines), len(implausible)


def _file(path: Path) -> tuple[list[str], list[BadRow]]:
    kind = _kind(path)
    if kind == "vx":
        p = load_vx(path)
        return _vx(path.name, p), list(p.bad_rows)
    if kind in ("index", "skew"):  # column names match case-insensitively: Cboe's DATE,OPEN,... is a generic OHLC
        name = next((n for n in _INDEX_NAMES if n in path.name.upper()), path.stem)  # picks the plausibility rules
        h = load_cboe_value(path, "SKEW") if kind == "skew" else load_ohlc(path, name)
        return _index(path.name, h) + (_stale_opens(h) if name == "SPX" else []), list(h.bad_rows)
    if kind in ("fomc", "cpi", "ppi", "breadth"):  # a data directory's calendar source or A/D file (FUZZ33 L5)
        return file_lines(path, kind)
    if kind == "rates":
        r = load_fred_csv(path)
        return _rates(path.name, r), list(r.bad_rows)
    if kind == "volindex":
        vols = load_vol_indices(path)
        return _volindex(path.name, vols), list(vols.attrs["bad_rows"])
    loader = load_datashop if kind == "datashop" else load_snapshot
    q = loader(path)
    return _chains(path.name, q), list(q.bad_rows)


def _kind(path: Path) -> str:
    name = path.name.upper()
    if name.startswith(("CFE_", "VX_")):
        return "vx"
    header = {c.lower() for c in peek_header(path)}
    if "trade_date" in header:
        return "vx"
    if {"announcement_date", "type"} <= header:  # the calendar folder's sources (feeds.events.SOURCES)
        return "fomc"
    if "release_date" in header:
        return "cpi"
    if {"date", "event", "ref_period"} <= header:
        return "ppi"
    if "date" in header and ({"sp500_advancers", "sp500_decliners"} <= header or "breadth" in path.parent.name.lower()):
        return "breadth"  # an A/D file: hedge.fomc's default columns, or in a breadth folder (feeds.breadth)
    if {"underlying_symbol", "root", "option_type"} <= header:
        return "datashop"
    if "optionroot" in header:
        return "snapshot"
    if {"date", "close"} <= header:
        return "index"
    if header == {"date", "skew"}:
        return "skew"
    if len(header) == 2 and header & {"date", "observation_date"} and (
            header & _RATE_COLUMNS or path.parent.name in RATE_FOLDERS):  # not VVIX_daily.csv's date,VVIX
        return "rates"
    if {"date", "vix"} <= header:
        return "volindex"
    raise LoadError(path, 1, f"not a recognised data file (header {sorted(header)}): {KNOWN_FILES}")


def _directory(root: Path, on_file: Callable[[Path], object] | None,
               inputs: RunInputs) -> tuple[list[str], list[BadRow]]:
    inputs.ad_file()  # two or more breadth files: refused before the market files load, as a run refuses them
    rate_file = find_rate_file(root)  # a rate folder with no usable file: refused before too, as a run refuses it
    vol_file = wide_file(root)  # (a folder in the vol-index table's place likewise)
    data = load_directory(root, on_file)
    lines = [f"data directory {data.root} ({data.layout.name} layout)"]
    lines += _index("SPX " + data.layout.spx.name, data.spx) + _stale_opens(data.spx)
    lines += _index("VIX " + data.layout.vix.name, data.vix)
    lines += _vx(f"VX ({len(data.layout.vx)} files)", data.vx)
    common, days = data.common_sessions(), []
    if len(common):
        try:
            md = data.market_data()
            days = md.days
            lines.append(f"market span (latest gap-free SPX+VIX sessions): {md.days[0]}..{md.days[-1]} "
                         f"({len(md.days)} sessions)")
            if md.cut:
                lines.append(f"  history before {md.days[0]} not used: {md.cut}")
            if md.stop:
                lines.append(f"  sessions after {md.days[-1]} not used: {md.stop}")
        except CoverageError as exc:
            lines.append(f"market span: none usable: {exc}")
    if data.layout.chains:
        lines += _chains(f"option chains ({len(data.layout.chains)} files)", data.options)
    bad = [*data.spx.bad_rows, *data.vix.bad_rows, *data.vx.bad_rows, *data.options.bad_rows]
    # loaded as build_market loads them: a malformed one raises LoadError, as a run
    if rate_file is None:
        lines.append(f"rates: none: the shipped monthly DFF means (no {' or '.join(f'{n}/' for n in RATE_FOLDERS)} "
                     "folder; a run reads a FRED CSV file such as rates/DFF.csv for daily rates)")
    else:
        rates = load_fred_csv(rate_file)
        lines += _rates(rate_file.relative_to(root).as_posix(), rates) + _rates_cover(rates, days)
        bad += rates.bad_rows
        if on_file is not None:
            on_file(rate_file)
    if vol_file is None:
        lines.append(f"vol indices: none (no {WIDE_FILE.as_posix()}): a run reads the SPX surface's term structure "
                     "and skew from VIX through the fitted relations")
    else:
        vols = load_vol_indices(vol_file, data.rules, data.vix_closes)
        lines += _volindex(vol_file.relative_to(root).as_posix(), vols)
        bad += vols.attrs["bad_rows"]
        if on_file is not None:
            on_file(vol_file)
    more, ad_bad = run_input_lines(inputs, on_file)  # the A/D file and calendar folder a run reads
    return lines + more, bad + ad_bad


def _index(label: str, h: IndexHistory) -> list[str]:
    lines = [f"{label}: {len(h.dates)} usable rows"]
    if h.span is not None:
        gaps = h.missing_sessions(h.span[0], min(h.span[1], plausible.today()))  # no session after today is missing yet
        lines[0] += f", {h.span[0]}..{h.span[1]}"
        lines.append(f"  missing sessions: {len(gaps)} {days_text(gaps)}")
        lines += plausible.future_warning(label, h.dates.date)
        lines += _frozen(h)
    return lines + bad_lines(h.bad_rows)


def _frozen(h: IndexHistory) -> list[str]:
    """A warning listing the runs of a frozen feed (:func:`feeds.staleopen.frozen_runs`)."""
    runs = frozen_runs(h.dates, h.open, h.high, h.low, h.close)
    if not runs:
        return []
    return [f"  WARNING stale rows: {sum(n for *_, n in runs)} rows in {len(runs)} run(s) repeat the same open, high, "
            f"low and close on {FROZEN_ROWS}+ sessions in a row (a frozen feed?; rows kept, a run notes them): "
            f"{frozen_text(runs, SHOW)}"]


def _stale_opens(h: IndexHistory) -> list[str]:
    """A warning counting, by year, the SPX opens that repeat the previous close (:mod:`feeds.staleopen`)."""
    years = stale_by_year(h.dates, h.open, h.close)
    if not years:
        return ["  stale opens (open = previous close): none"]
    total = sum(n for n, _ in years.values())
    shown = ", ".join(f"{y}: {n}/{m}" for y, (n, m) in years.items())
    return [f"  WARNING stale opens: {total} rows repeat the previous session's close as their open (the open was not "
            f"recorded; rows kept: AM-settled SPX options expiring then settle on the previous close, and a run "
            f"notes those expiries; feeds/staleopen.py), by year (stale/sessions): {shown}"]


def _rates(label: str, r: RateSeries) -> list[str]:
    first, last = (str(d) for d in r.dates[[0, -1]])
    holes, limit = rate_gaps(r), stale_limit(r)
    return [f"{label}: {len(r.dates)} rate values (percent a year), {first}..{last}, "
            f"{r.percent.min():g}..{r.percent.max():g} %"
            + (" (period averages: each used after its period ends)" if r.period_means else ""),
            f"  gaps over {limit} business days (a run refuses sessions in them, on or before {first} or "
            f"more than {limit} business days after {last}): {len(holes)}"
            + (f" [{spans(holes, SHOW)}]" if holes else "")
            ] + bad_lines(r.bad_rows)


def _rates_cover(r: RateSeries, days: list[dt.date]) -> list[str]:
    """A warning naming the market span's sessions the rate file does not cover (a run in them is refused)."""
    runs = uncovered(r, days)
    if not runs:
        return []
    return [f"  WARNING sessions of the market span without a rate: {spans(runs, SHOW)}: a run there is refused "
            f"({RATE_FIX.format(source=r.source)}, or run outside them)"]


def _volindex(label: str, frame: pd.DataFrame) -> list[str]:
    first, last = frame.index[0].date(), frame.index[-1].date()
    off = frame.index.difference(calendars.trading_days(first, last))
    lines = [f"{label}: {len(frame)} rows, {first}..{last}, {len(off)} on a day that is not a session {days_text(off)}"]
    left = frame.attrs.get("left_out", {})
    for name in frame.columns:
        have = frame.index[frame[name].notna().to_numpy()]
        dropped = left.get(name, pd.DatetimeIndex([]))
        gaps = _gaps(have.union(dropped)) if len(have) else None  # a value left out is not a session Cboe missed
        said = f" ({len(dropped)} left out: bad values below)" if len(dropped) else ""
        lines.append(f"  {name}: {len(have)} values{said}" + ("" if gaps is None else f", {have[0].date()}.."
                     f"{have[-1].date()}, missing sessions {len(gaps)} {days_text(gaps)}"))
    return lines + bad_lines(frame.attrs["bad_rows"], "values (reported, not used; the rest of each row is)")


def _gaps(have: pd.DatetimeIndex) -> pd.DatetimeIndex:
    return calendars.trading_days(have[0].date(), have[-1].date()).difference(have)


def _vx(label: str, p: VxPanel) -> list[str]:
    rows = p.rows
    lines = [f"{label}: {len(rows)} usable rows"]
    if p.span is None:
        return lines + bad_lines(p.bad_rows)
    expiries = rows.drop_duplicates("expiry")
    lines[0] += (f", {p.span[0]}..{p.span[1]}, {int(expiries['is_monthly'].sum())} monthly and "
                 f"{int((~expiries['is_monthly']).sum())} weekly contracts")
    lines.append(f"  sessions without a real settle of the 1st and 2nd monthly contract: {_vx_gaps(p)}")
    for name, dates in rows.groupby("file", sort=True)["trade_date"]:
        lines += plausible.future_warning(str(name), dates.dt.date)
    lines += bad_lines(p.bad_rows)
    copied = [c.note for c in p.copies]  # one contract's data under two labels: never left in "... more notes"
    rest = [n for n in p.notes if n not in copied]
    lines += [f"  note: {n}" for n in copied + rest[:SHOW]]
    if len(rest) > SHOW:
        lines.append(f"  ... {len(rest) - SHOW} more notes")
    return lines


def _vx_gaps(p: VxPanel) -> str:
    first, last = p.span  # type: ignore[misc]
    last = min(last, plausible.today())  # no session after today is missing yet
    monthly = p.monthly()
    have = set(zip(monthly["trade_date"].dt.date, monthly["expiry"].dt.date))
    days = calendars.trading_days(first, last)
    miss = pd.DatetimeIndex([d for d in days if any(
        (d.date(), calendars.front_vx_contract(d, n).settlement) not in have for n in (1, 2))])
    return f"{len(miss)} {days_text(miss)}"


def _chains(label: str, q: OptionQuotes) -> list[str]:
    lines = [f"{label}: {len(q.rows)} quotes, quote dates {dates_text(q.quote_dates())}"]
    for root in q.roots():
        sel = q.rows[q.rows["root"] == root]
        lines.append(f"  {root} ({sel['settlement'].iloc[0]}-settled): {sel['expiration'].nunique()} expirations, "
                     f"strikes {sel['strike'].min():g}..{sel['strike'].max():g}")
    return lines + bad_lines(q.bad_rows)
