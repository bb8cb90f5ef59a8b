"""Measure the hedge vega bridge's ``vix_to_atm`` against the SPX surface's own ATM vol per VIX point of level.

    python -m feeds.bridge_measure [--data-dir ../shared/data]

The hedge vega bridge (:mod:`vixhedge.bridge`, README *Conventions*) takes an SPX option of tenor T to have ATM vol
``vix_to_atm`` (0.7861, fitted on the 2019 chains) times the VIX expected over [0, T]: one flat ratio on every day.
The default SPX model (``market.spx_smile.model = "surface"``) prices each day's ATM vol from its vol indices and SKEW
(:func:`feeds.surface.atm_base` times :func:`feeds.surface.atm_ratio`): its ratio to VIX moves with the term structure
and SKEW. Per market (the embedded one; the data folder's, 2008-2020) and tenor (30 and 45 days), the surface's ATM
vol over VIX on each session: its 5th, 50th and 95th percentiles (numpy's linear interpolation), and the bridge's
ratio over it at those percentiles (> 1: the bridge takes a VIX point to move the condor's vols more than the surface
says, so it reports less hedge vega per condor vega: a hedge ratio too low by that factor). A level ratio, not the
sensitivity the bridge uses; the two agree where the surface's ratio is flat in VIX (measured: the ratio runs
0.66-0.83 with SKEW). About 5 s.
"""

from __future__ import annotations

from feeds.measure_cli import data_dir_parser
from vixhedge.guard import Parser

PROG = "python -m feeds.bridge_measure"
TENORS_DAYS = (30, 45)
REAL_YEARS = (2008, 2020)  # the data folder's sessions measured: the years RS30 pushed the verdict on


def parser() -> Parser:
    """Return the command's parser (built before numpy and pandas load)."""
    return data_dir_parser(PROG, __doc__)


if __name__ == "__main__":  # --help and usage errors answer before numpy and pandas load
    parser().parse_args()

import numpy as np  # noqa: E402


def surface_ratios(market, tenor_days: int) -> np.ndarray:
    """Each session's surface ATM vol at ``tenor_days`` over VIX (both fractions), as feeds.chains prices it
    (:func:`feeds.chains.surface_atm`) on ``market``'s own vol levels (the closes where published, else estimated)."""
    from feeds.chains import days_index_levels, surface_atm, surface_params

    smile = market.cfg.spx_smile
    vix = np.asarray(market.data.vix_close, dtype=np.float64)
    levels = days_index_levels(vix, smile, np.asarray(market.vol_levels))
    atm, _ = surface_atm(np.full(len(vix), tenor_days / 365.0), levels, surface_params(smile))
    return atm / (vix / 100.0)


def measure(market, years: tuple[int, int] | None = None) -> dict[int, dict[str, float]]:
    """Per tenor: the sessions, the surface ratio's p05 / p50 / p95 and ``vix_to_atm`` over each (``years``: the
    first and last year kept, None: every session)."""
    keep = np.ones(len(market.days), dtype=bool) if years is None else np.array(
        [years[0] <= d.year <= years[1] for d in market.days])
    bridge = market.cfg.spx_smile.vix_to_atm
    out = {}
    for tenor in TENORS_DAYS:
        r = surface_ratios(market, tenor)
        r = r[keep & np.isfinite(r)]
        q = {f"p{p:02d}": float(np.percentile(r, p)) for p in (5, 50, 95)}
        out[tenor] = {"sessions": int(len(r)), **q, **{f"bridge_over_{k}": bridge / v for k, v in q.items()}}
    return out


def table(rows: dict[str, dict[int, dict[str, float]]], bridge: float) -> str:
    """The Markdown table of :func:`measure` per market (ratios to 3 decimals)."""
    lines = [f"| market | tenor | sessions | surface ATM / VIX p05 / p50 / p95 | vix_to_atm {bridge} over each |",
             "|---|---:|---:|---|---|"]
    for name, by in rows.items():
        lines += [f"| {name} | {t} d | {e['sessions']:,} | {e['p05']:.3f} / {e['p50']:.3f} / {e['p95']:.3f} | "
                  f"{e['bridge_over_p05']:.3f} / {e['bridge_over_p50']:.3f} / {e['bridge_over_p95']:.3f} |"
                  for t, e in by.items()]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    from feeds.market import build_market
    from vixhedge.core import config as C

    args = parser().parse_args(argv)
    embedded = build_market(C.load_default().market)
    real = build_market(C.replace(C.load_default(), market={"source": "directory",
                                                            "data_dir": str(args.data_dir)}).market)
    rows = {"embedded 2014-2018": measure(embedded),
            f"{args.data_dir} {REAL_YEARS[0]}-{REAL_YEARS[1]}": measure(real, REAL_YEARS)}
    print(table(rows, embedded.cfg.spx_smile.vix_to_atm))
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
