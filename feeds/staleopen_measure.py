"""Measure the proxies of a missing SPX open (README "Real data"; :data:`feeds.staleopen.PROXY_ERROR`).

    python -m feeds.staleopen_measure [--data-dir ../shared/data]

On the sessions whose open is real (not the previous close repeated: :func:`feeds.staleopen.stale_mask`) each
candidate proxy of the open is scored by its distance from the real open, ``|proxy - open| / open`` in basis points
(mean, median and the 95th percentile, numpy's linear interpolation), in three groups of years: 2006-2007 and
2011-2013 (stale opens partial: the test), 2008-2010 and 2014-2018 (in sample), 2019 on (no stale open left). A
candidate is built as it would be on a stale row: the open replaced by the previous close, the high and low widened
to it. Candidates: the previous close, (O+H+L+C)/4, (H+L)/2, (H+L+C)/3, 0.75 previous close + 0.25 close. The SPX
file is the directory's (``feeds.directory.detect_layout``), read by the loader a run uses (prices in cents). The
first line of the test group is :data:`feeds.staleopen.PROXY_ERROR`. Then the SPX monthly expiries since 2000
whose open is stale (:func:`feeds.staleopen.stale_expiries`: the expiries a run would settle on a proxy). About 2 s.
"""

from __future__ import annotations

from pathlib import Path

from feeds.measure_cli import data_dir_parser
from vixhedge.guard import Parser

PROG = "python -m feeds.staleopen_measure"
#: the groups of years scored (label -> years); the first is the test PROXY_ERROR keeps
GROUPS = {"2006-2007, 2011-2013": (2006, 2007, 2011, 2012, 2013),
          "2008-2010, 2014-2018": (2008, 2009, 2010, 2014, 2015, 2016, 2017, 2018),
          "2019-": tuple(range(2019, 2100))}
CANDIDATES = ("previous close", "(O+H+L+C)/4", "(H+L)/2", "(H+L+C)/3", "0.75 previous close + 0.25 close")


def parser() -> Parser:
    """Return the command's parser (built before numpy and pandas load)."""
    return data_dir_parser(PROG, __doc__)


if __name__ == "__main__":  # --help and usage errors answer before numpy and pandas load
    parser().parse_args()

import numpy as np  # noqa: E402

from feeds.staleopen import stale_mask  # noqa: E402


def proxy_errors(years: np.ndarray, open_: np.ndarray, high: np.ndarray, low: np.ndarray,
                 close: np.ndarray) -> dict[str, dict[str, dict[str, float]]]:
    """Return ``{group: {candidate: {sessions, mean_bp, median_bp, p95_bp}}}`` over the real opens of each group
    (a group without any left out)."""
    o, h, lo, c = (np.asarray(a, dtype=np.float64) for a in (open_, high, low, close))
    prev = np.r_[np.nan, c[:-1]]
    hi, low_ = np.fmax(h, prev), np.fmin(lo, prev)  # a stale row's range: widened to the previous close
    proxies = dict(zip(CANDIDATES, (prev, (prev + hi + low_ + c) / 4.0, (hi + low_) / 2.0, (hi + low_ + c) / 3.0,
                                    0.75 * prev + 0.25 * c), strict=True))
    real = ~stale_mask(o, c) & np.isfinite(prev) & (o > 0)
    out = {}
    for label, group in GROUPS.items():
        sel = real & np.isin(years, group)
        if not sel.any():  # a file without those years: no row of that group
            continue
        out[label] = {}
        for name, p in proxies.items():
            bp = np.abs(p[sel] - o[sel]) / o[sel] * 1e4
            out[label][name] = {"sessions": int(sel.sum()), "mean_bp": float(bp.mean()),
                                "median_bp": float(np.median(bp)), "p95_bp": float(np.percentile(bp, 95))}
    return out


def stale_expiry_line(dates, open_: np.ndarray, close: np.ndarray, since: str = "2000-01-01") -> str:
    """The SPX monthly expiries from ``since`` on (sessions of ``dates``) whose open is stale, of all of them."""
    import datetime as dt

    from feeds import calendars
    from feeds.staleopen import stale_expiries

    days = [d.date() for d in dates]
    start, sessions = dt.date.fromisoformat(since), set(days)
    listed = [e for e in calendars.spx_monthly_expirations(start, days[-1]) if e in sessions]
    stale = stale_expiries(days, open_, close, start, days[-1])
    return f"SPX monthly expiries {since[:4]}-{days[-1].year} with a stale open: {len(stale)} of {len(listed)}"


def _spx(data_dir: Path):
    """The SPX file of the data folder ``data_dir``, read as a run reads it (its plausibility rules)."""
    from feeds.directory import detect_layout
    from feeds.loaders.index import load_ohlc
    from feeds.loaders.plausible import RULES_FILE, load_rules

    return load_ohlc(detect_layout(data_dir).spx, "SPX", rules=load_rules(Path(data_dir) / RULES_FILE))


def measure(data_dir: Path, h=None) -> dict[str, dict[str, dict[str, float]]]:
    """Return :func:`proxy_errors` on the SPX file of the data folder ``data_dir`` (``h``: that file, once read)."""
    h = _spx(data_dir) if h is None else h
    return proxy_errors(h.dates.year.to_numpy(), h.open, h.high, h.low, h.close)


def table(res: dict[str, dict[str, dict[str, float]]]) -> str:
    """Return the Markdown table of :func:`proxy_errors` (bp to one decimal)."""
    lines = ["| years (real opens) | proxy of the open | sessions | mean bp | median bp | 95th pct bp |",
             "|---|---|---:|---:|---:|---:|"]
    for label, by in res.items():
        lines += [f"| {label} | {name} | {e['sessions']} | {e['mean_bp']:.1f} | {e['median_bp']:.1f} | "
                  f"{e['p95_bp']:.1f} |" for name, e in by.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    h = _spx(args.data_dir)  # read once for both
    print(table(measure(args.data_dir, h)))
    print(f"\n{stale_expiry_line(h.dates, h.open, h.close)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
