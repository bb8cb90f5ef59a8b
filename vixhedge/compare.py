"""Compare hedge modes on the SAME market path.

One Market is built once and shared by every run. The condor book follows the same rules in every mode, but
its fills differ where the policy cuts or scales a condor or a capital cap (sized on each mode's NAV) cuts one:
:func:`vixhedge.compare_condors.condor_fills` measures, per mode, whether its condor fills are the baseline's.
Paired differences against a baseline mode come with circular block-bootstrap confidence intervals from
``arch.bootstrap`` (:mod:`vixhedge.bootstrap`). ``format_comparison`` (the text ``vixhedge compare`` prints) is
:func:`vixhedge.compare_text.format_comparison`, importable from here too.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from feeds.market import Market, market_for
from strategies.policies import builtin_config
from vixhedge import bootstrap as bs
from vixhedge.core import config as C
from vixhedge.core.config.unread import compared
from vixhedge.atomic import atomic_folder
from vixhedge.compare_args import check_compare_args, paired_sessions
from vixhedge.sweep_spec import MIN_SIDE_SESSIONS
from vixhedge.run import RunResult, risk_free_returns, run_backtest, valid_nav
from vixhedge import compare_variants as V
from vixhedge.compare_rows import TABLE_ROWS, ZERO_WHERE_ABSENT, table_csv

if TYPE_CHECKING:
    from vixhedge.runfolder import RunFiles

DEFAULT_MODES = ("none", "static", "alvh")
MODE_NAMES = frozenset(m.value for m in C.HedgeMode)
STATS = ("sharpe", "max_drawdown", "cvar95", "hedge_cost_usd", "pnl_usd")
#: the statistics of a few days, whose CI is percentile under ``ci_method = "bca"`` too: BCa's acceleration, from a
#: delete-one-day jackknife, is large and noisy on them; on two exactly exchangeable arms their BCa CIs excluded 0
#: in 24% and 11.5% of simulated pairs of 252 daily returns (`python -m vixhedge.ci_null`) and in 15 and 11 of 80
#: placebo seed pairs (trial STAT32) where 5% is nominal
PERCENTILE_ONLY = ("max_drawdown", "cvar95")
ONLY = tuple(STATS.index(s) for s in PERCENTILE_ONLY)


@dataclass
class Comparison:
    """Hedge modes run on one market path (:func:`compare`), or read back from a compare folder
    (:func:`vixhedge.compare_read.load_comparison`).

    ``repr(cmp)`` is one line (modes, baseline, window, each mode's final NAV and Sharpe); ``print(cmp)`` and a
    notebook cell show the side-by-side table and the paired differences
    (:func:`vixhedge.compare_text.format_comparison`, what ``vixhedge compare`` prints).

    Attributes
    ----------
    config : the config every mode ran (each mode's own is ``results[mode].config``).
    results : ``{mode: RunResult}`` (read back from a folder: ``{mode: RunFiles}``, each mode's run folder).
    table : metric x mode (``comparison.csv``): final NAV, CAGR, vol, Sharpe, drawdown, CVaR, P&L, counts.
    paired : one row per (mode, stat): the difference against the baseline with its bootstrap CI (``paired.csv``);
        ``paired.attrs`` holds the baseline, draws, block length, CI method and seed.
    """

    config: C.Config
    results: dict[str, RunResult | RunFiles]
    table: pd.DataFrame   # metric x mode
    paired: pd.DataFrame  # one row per (mode, stat): diff vs baseline with CI
    variants: dict = field(default_factory=dict)  # config variants run as modes: {name: {dotted key: value}}

    def __repr__(self) -> str:
        from vixhedge.fmt import num, usd

        t, modes = self.table, [str(m) for m in self.table.columns]
        cells = "; ".join(f"{m} {usd(t.at['end_nav_usd', m]) if 'end_nav_usd' in t.index else 'n/a'}, "
                          f"{num(t.at['sharpe', m]) if 'sharpe' in t.index else 'n/a'}" for m in modes)
        r = self.config.run
        return (f"Comparison({r.name!r}, {r.start}..{r.end}, baseline {self.paired.attrs.get('baseline', '-')}; "
                f"final NAV, Sharpe: {cells})")

    def __str__(self) -> str:
        """The side-by-side table and paired differences, as ``vixhedge compare`` prints them: ``print(cmp)`` in a
        terminal shows what a notebook cell does (researcher trial, session 13: it printed the one-line repr)."""
        from vixhedge.compare_text import format_comparison

        return format_comparison(self)

    def _repr_html_(self) -> str:
        """:meth:`__str__` in a notebook."""
        import html

        return f"<pre>{html.escape(str(self))}</pre>"


def _valid_nav(res: RunResult) -> np.ndarray:
    """A run's NAV over its valid span, to its ruin day (NAV 0) if ruined (:func:`vixhedge.run.valid_nav`)."""
    return valid_nav(res.daily, res.metrics.get("ruin"))


def _returns(res: RunResult, nav: np.ndarray | None = None) -> np.ndarray:
    """Return the daily returns of a run's valid span (``nav``: its :func:`_valid_nav`, if already at hand): a ruined
    run's end at its ruin day (NAV 0, a -100% return), as its own metrics (metrics.json ``performance``)."""
    nav = _valid_nav(res) if nav is None else nav
    return nav[1:] / nav[:-1] - 1.0


def hedge_cost_days(res: RunResult) -> np.ndarray:
    """Return a run's hedge net cost per run day, USD: minus the day's hedge P&L and its hedge fills' fees; they sum
    to the run's own "hedge net cost" (metrics.json ``hedge_cost.net_cost_usd``, :mod:`analyzers.hedge_cost`)."""
    t = res.trades
    fees = t.loc[t["component"].str.startswith("hedge"), "fee_usd"] if len(t) else pd.Series(dtype=float)
    fees = fees.groupby(level=0).sum().reindex(res.daily.index, fill_value=0.0)
    return -(res.daily["hedge_pnl_usd"] - fees).to_numpy()


def legs(res: RunResult, steps: int | None = None) -> tuple[tuple[np.ndarray, ...], np.ndarray]:
    """Return a run's series per day step, resampled with their day: NAV returns (:func:`_returns`), hedge net
    cost (:func:`hedge_cost_days`), risk-free returns and the NAV the steps start from (the same every day), over its
    first ``steps`` steps (None: its valid span, to its ruin day if ruined); and what its STATS add unresampled: the
    first day's hedge net cost and P&L (its fills precede the first step)."""
    nav = _valid_nav(res)
    r = _returns(res, nav)
    n = len(r) if steps is None else steps
    rf = risk_free_returns(res.config.analysis, res.market, list(res.daily.index))
    cost = hedge_cost_days(res)  # (0 after a ruin: the account is liquidated and closed that day)
    first_pnl = nav[0] - res.config.run.initial_cash_usd
    return (r[:n], cost[1:n + 1], rf[:n], np.full(n, nav[0])), np.array([0.0, 0.0, 0.0, cost[0], first_pnl])


def leg_stats(r: np.ndarray, hedge_cost: np.ndarray, rf: np.ndarray, nav0: np.ndarray,
              a: C.AnalysisConfig) -> np.ndarray:
    """Return the STATS of one leg's daily returns, daily hedge net cost, risk-free returns and starting NAV. Its
    P&L compounds the returns (the NAV they end at less the start: the final NAV's on the leg's own days), so a
    draw loses at most the NAV it starts with, however often it draws a ruin's -100% day (review 30: a sum of the
    days' dollar changes drew -$2.6m from a $1m account)."""
    return np.stack([bs.sharpe_rows(r, rf, a.periods_per_year), bs.max_drawdown_rows(r), bs.cvar_rows(r),
                     hedge_cost.sum(axis=-1) + 0.0, nav0[..., 0] * (np.prod(1.0 + r, axis=-1) - 1.0) + 0.0],
                    axis=-1)  # + 0.0: no -0.0; rows of draws (2-D, a draw a row) give a row each: the bootstrap's


def _point_stats(res: RunResult) -> dict[str, float]:
    leg, first_day = legs(res)
    return {s: float(v) + 0.0 for s, v in zip(STATS, leg_stats(*leg, res.config.analysis) + first_day)}


def mode_configs(cfg: C.Config, modes: tuple[str, ...], variants: V.Variants | None = None) -> dict[str, C.Config]:
    """Return each mode's config: ``cfg`` under the built-in hedge mode or the plug-in policy, or a variant's
    (:mod:`vixhedge.compare_variants`: ``cfg`` with its keys changed), named after it."""
    # each mode's run is named after it (runs/<name>-<mode>-<hash8>); the name does not change a result.
    # A mode is a built-in hedge mode or a hedge policy's name ("module:callable", README "Plug-ins").
    # (a built-in mode drops the plug-in's [hedge.policy_params]: strategies.policies.builtin_config)
    variants = variants or {}
    own = {m: V.variant_config(cfg, m, variants[m]) if m in variants else builtin_config(cfg, m) if m in MODE_NAMES
           else C.replace(cfg, hedge={"policy": m}) for m in modes}
    return {m: C.replace(c, run={"name": f"{cfg.run.name}-{m.replace(':', '-')}"}) for m, c in own.items()}


def paired_attrs(baseline: str, n_boot: int, block_days: int | None, ci_method: str, seed: int) -> dict:
    """Return paired.csv's attributes (comparison.json): how the paired CIs were made; the folder id hashes them."""
    return {"baseline": baseline, "n_boot": n_boot, "block_days": "auto" if block_days is None else block_days,
            "ci_method": ci_method, "seed": seed}


def comparison_id(cfg: C.Config, modes: tuple[str, ...], attrs: dict, variants: V.Variants | None = None) -> str:
    """Return the compare folder's name, ``<name>-compare-<hash8>``: known before any run (the CLI checks early
    that no file sits where the folder goes). The modes' order is hashed as given: it orders the folder's columns and
    rows, so another order is another folder (trial DET32: the same id held either order's bytes, the last written)."""
    from vixhedge.extensions import fingerprint

    key = C.to_toml(cfg) + repr(list(modes)) + repr(attrs) + V.variants_key(variants or {})
    key += "".join(fingerprint(c) for c in mode_configs(cfg, modes, variants).values())  # plug-ins' ("" built-ins)
    return f"{cfg.run.name}-compare-{hashlib.sha256(key.encode()).hexdigest()[:8]}"


def default_modes(cfg: C.Config) -> tuple[str, ...]:
    """Return the modes compared when none are given: :data:`DEFAULT_MODES` and, when it is none of them, the config's
    own hedge policy (``hedge.policy_name``: a plug-in's ``"module:callable"``, or ``vxth``), under its own name."""
    own = cfg.hedge.policy_name
    return DEFAULT_MODES + (() if own in DEFAULT_MODES else (own,))


def compare(cfg: C.Config, market: Market | None = None, modes: tuple[str, ...] | str | None = None,
            baseline: str = "none", n_boot: int = 2000, block_days: int | None = None,
            ci_method: bs.CiMethod = "percentile", engine: str = C.DEFAULT_ENGINE,
            on_day: Callable[[], object] | None = None,
            on_draw: Callable[[], object] | None = None, variants: V.Variants | None = None) -> Comparison:
    """Run ``cfg`` under each hedge mode on one market path (with ``engine``) and compare them.

    Paired CIs: ``n_boot`` circular-block draws, ``block_days`` (None: data-driven per pair), percentile or
    BCa intervals (``ci_method``); see :mod:`vixhedge.bootstrap`. ``modes``: a tuple of built-in modes and plug-in
    policies, or one comma-separated string (as ``--modes``); None: :func:`default_modes` (none, static, alvh and the
    config's own policy when it is another). ``market``: ``build_market(cfg.market)`` or None (built
    here); one built from another ``[market]`` is refused in one line (:func:`vixhedge.api_args.check_market`).
    ``on_day`` is called after every day of every mode's run (a progress bar), ``on_draw`` after every bootstrap
    draw (:func:`vixhedge.bootstrap.draws`). ``variants``: ``{name: {dotted key: value}}``, the config with those
    keys changed run as modes named so, added to ``modes`` (:mod:`vixhedge.compare_variants`).
    """
    from vixhedge.api_args import check_market, checked_config

    cfg = checked_config(cfg, "compare")
    variants = V.checked_variants(variants, MODE_NAMES, cfg)
    modes = V.with_variants(default_modes(cfg) if modes is None else modes, variants)
    modes, sessions = check_compare_args(cfg, modes, baseline, n_boot, block_days, ci_method, variants=variants)
    configs = mode_configs(cfg, modes, variants)  # (checked before any work, as every argument)
    check_market(cfg, market, "compare")  # a market of another [market] would be run under cfg.market's name
    market = market_for(configs.values(), market)  # (built: the modes' A/D check first)
    from vixhedge.progress import labelled

    results = {}
    with compared(c.hedge.policy_name for c in configs.values()):  # a key another mode reads is not noted
        for m, c in configs.items():
            with labelled(m, outside_commands=True):  # each note printed meanwhile names its mode, from Python too
                results[m] = run_backtest(c, market, engine=engine, on_day=on_day)
    columns = {m: _table_column(r) for m, r in results.items()}
    keys = set().union(*columns.values())  # ruin_debt_pnl_usd: only when a mode was ruined
    table = pd.DataFrame(columns).reindex([k for k in TABLE_ROWS if k in keys] + sorted(keys - TABLE_ROWS.keys()))
    for row in set(ZERO_WHERE_ABSENT) & set(table.index):
        table.loc[row] = table.loc[row].fillna(0.0)
    paired = (_paired(results, baseline, cfg, n_boot, block_days, ci_method, on_draw) if paired_sessions(sessions)
              else pd.DataFrame(columns=list(PAIRED_COLUMNS)))
    paired.attrs.update(paired_attrs(baseline, n_boot, block_days, ci_method, cfg.run.seed))
    cmp = Comparison(cfg, results, table, paired, variants)
    from vixhedge.compare_text import shown_paired  # lazily: the family tested is the one its words show

    paired["p_holm"] = shown_paired(cmp)["p_holm"]
    return cmp


def _table_column(res: RunResult) -> dict[str, float]:
    from vixhedge.core.instruments import Kind
    from vixhedge.html import held

    p = res.metrics["performance"]
    pnl = res.metrics["pnl"]
    col = {"end_nav_usd": p["end_nav_usd"], "cagr": p["cagr"], "ann_vol": p["ann_vol"]}
    col.update(_point_stats(res))
    # the run's own figure (metrics.json: what its summary and report.html print), not the sum of the daily series
    # the paired CIs resample: that differs by up to a cent (metrics round each layer to cents; e.g. the default
    # static run of 2016-01-04..03-31: 10,627.1349 vs 10,627.14), enough to print another dollar at a half
    h = res.metrics["hedge_cost"]
    col["hedge_cost_usd"] = h["net_cost_usd"]
    vx, options = held(res.trades, Kind.VX_FUTURE), held(res.trades, Kind.VIX_OPTION)
    col.update({**({"hedge_vx_carry_usd": h["vx_carry_usd"], "hedge_vx_vix_move_usd": h["vx_vix_move_usd"]} if vx
                   else {}),
                **({"hedge_option_marks_usd": h["option_marks_usd"]} if options else {}),
                "hedge_fills_vs_mid_usd": h["fills_vs_mid_usd"], "hedge_fees_usd": h["fees_usd"]})
    col.update({"condor_pnl_usd": pnl["condor_pnl_usd"], "hedge_pnl_usd": pnl["hedge_pnl_usd"],
                "fees_pnl_usd": pnl["fees_pnl_usd"], "interest_pnl_usd": pnl["interest_pnl_usd"],
                "stress_hedge_pnl_usd": res.metrics["hedge_cost"].get("stress_pnl_usd", 0.0),
                "tail_hedge_pnl_usd": p.get("tail_hedge_pnl_usd", 0.0),
                # the hedge's size against the condor (researcher trial, session 13: a mode holding more hedge
                # earns more in a crisis whatever its timing; read the P&L rows beside it)
                "median_hedge_ratio": res.metrics["vega_drift"].get("median_hedge_ratio", float("nan")),
                "hedge_layers": res.metrics["counts"]["hedge_layers"],
                "hedge_mean_layers_held": res.metrics["hedge_cost"]["mean_layers_held"],  # how much it held, beside
                "hedge_contract_sessions": res.metrics["hedge_cost"]["contract_sessions"],  # what it cost (RS27)
                "days_cut_by_caps": res.metrics["capital"]["days_cut_by_capital_caps"],
                "days_with_margin_call": res.metrics["capital"]["days_with_margin_call"],  # (trial RS24)
                **{k: res.metrics["capital"][k] for k in ("peak_margin_usd", "capital_needed_usd")},
                # (trial RS30: a mode's VX margin row was on its run's page alone; NaN: it held no VX future)
                "vx_moves_over_maintenance": (res.metrics["capital"].get("vx_moves_over_maintenance")
                                              or {"sessions": float("nan")})["sessions"],
                "ruined": float(bool(res.metrics.get("ruin")))})
    if "ruin_debt_pnl_usd" in pnl:  # the debt its ruin's liquidation left, written off (analyzers.pnl)
        col["ruin_debt_pnl_usd"] = pnl["ruin_debt_pnl_usd"]
    return col


#: paired.csv's columns: one row per (mode, statistic); ``p_value`` is the unadjusted percentile-bootstrap p-value
#: (:func:`vixhedge.bootstrap.two_sided_p`), ``p_holm`` its Holm-adjusted one within the intervals tested, as the
#: console's Holm line adjusts them (:func:`vixhedge.compare_family.holm_column`; NaN for a row not tested)
PAIRED_COLUMNS = ("mode", "baseline", "stat", "diff", "ci_low", "ci_high", "ci_method", "block_days", "days",
                  "ci_borderline", "p_value", "p_holm")


def _paired(results: dict[str, RunResult], baseline: str, cfg: C.Config, n_boot: int,
            block_days: int | None, ci_method: bs.CiMethod,
            on_draw: Callable[[], object] | None = None) -> pd.DataFrame:
    """Paired differences mode - baseline with arch bootstrap CIs; one block length per pair.

    ``block_days=None`` takes the data-driven block length of the pair's daily return difference
    (:func:`vixhedge.bootstrap.data_block_length`); the rows say which length and method were used. A pair with
    a ruined mode is compared on the days both are live: up to the (first) ruin day, its -100% return included
    (a ruined account holds nothing after it: no return to pair); the RUINED line of
    :func:`vixhedge.compare_text.format_comparison` says so.
    """
    def stats(r: np.ndarray, hedge_cost: np.ndarray, rf: np.ndarray, nav0: np.ndarray) -> np.ndarray:
        return leg_stats(r, hedge_cost, rf, nav0, cfg.analysis)

    base_steps = len(_returns(results[baseline]))
    rows = []
    for m, res in results.items():
        if m == baseline:
            continue
        steps = min(len(_returns(res)), base_steps)
        leg, first = legs(res, steps)
        base, base_first = legs(results[baseline], steps)
        fixed = first - base_first  # not resampled: every draw and the point carry it as it is
        point = stats(*leg) - stats(*base) + fixed
        if not paired_sessions(steps + 1):  # a ruin cut the pair short (trial VIS35 M2: 3 returns held at Holm p 0.009)
            rows += [{"mode": m, "baseline": baseline, "stat": s, "diff": float(point[i]) + 0.0, "ci_low": np.nan,
                      "ci_high": np.nan, "ci_method": short_pair_words(steps), "block_days": 0, "days": steps,
                      "ci_borderline": False, "p_value": np.nan} for i, s in enumerate(STATS)]
            continue
        block = block_days if block_days is not None else bs.data_block_length(leg[0] - base[0])
        low, high, used, draws = bs.paired_intervals(stats, leg, base, block, n_boot, cfg.run.seed, ci_method,
                                                     on_draw=on_draw, percentile_only=ONLY, rows=True)
        low, high, draws = low + fixed, high + fixed, draws + fixed
        for i, s in enumerate(STATS):
            rows.append({"mode": m, "baseline": baseline, "stat": s, "diff": float(point[i]) + 0.0,
                         "ci_low": float(low[i]), "ci_high": float(high[i]), "ci_method": used[i],
                         "block_days": block, "days": steps,
                         "ci_borderline": bs.borderline(draws[:, i], float(low[i]), float(high[i])),
                         "p_value": bs.two_sided_p(draws[:, i])})
    return pd.DataFrame(rows, columns=list(PAIRED_COLUMNS[:-1]))  # (p_holm: of the family, :func:`compare`)


def short_pair_words(steps: int) -> str:
    """paired.csv ``ci_method`` of a pair a ruin cut to ``steps`` daily returns, fewer than a window needs for
    paired differences (:func:`vixhedge.compare_args.paired_sessions`): no CI, no verdict, not tested."""
    return (f"{bs.UNDEFINED}: {steps} daily returns to the ruin, under the {MIN_SIDE_SESSIONS - 1} a block bootstrap "
            "needs")


def write_comparison(cmp: Comparison, runs_dir: Path, parquet: bool = False) -> Path:
    """Write ``runs_dir/<name>-compare-<hash8>/`` atomically: table, paired CIs, overlay plot, runs."""
    from vixhedge.progress import labelled
    from vixhedge.compare_rules import variant_changes
    from vixhedge.compare_text import (comparison_caveats, data_provenance, sharpe_caveats, sharpe_rates, shown_paired,
                                        traded_window)
    from vixhedge.report import parquet_names, write_run  # lazily: compare stays importable alone

    rid = comparison_id(cmp.config, tuple(cmp.results), cmp.paired.attrs, cmp.variants)
    stale = set().union(*map(parquet_names, cmp.results.values()))  # in its runs/<id>/: as write_run's own
    with atomic_folder(runs_dir, rid, stale=stale) as tmp:
        (tmp / "config.toml").write_text(C.to_toml(cmp.config), encoding="utf-8")
        (tmp / "comparison.csv").write_text(table_csv(cmp.table), encoding="utf-8")
        cmp.paired.to_csv(tmp / "paired.csv", index=False, lineterminator="\n")  # each float's shortest repr, as the
        # console formats it (a 0.0005 CVaR difference kept 3 digits at %.6f: the page read +24.678 where the console
        # read +24.677; at %.10g a hedge cost of 74316.49999... read 74316.5, +74,317 beside +74,316: trial RS38 L1)
        files = {n: hashlib.sha256((tmp / n).read_bytes()).hexdigest()  # checked by `vixhedge report`
                 for n in ("config.toml", "comparison.csv", "paired.csv")}
        (tmp / "comparison.json").write_text(json.dumps(
            {**cmp.paired.attrs, "modes": list(cmp.results), "engine": next(iter(cmp.results.values())).engine,
             "sharpe_risk_free": sharpe_rates(cmp), "sharpe_caveats": sharpe_caveats(cmp),
             "paired_caveats": comparison_caveats(cmp, shown_paired(cmp)),
             "data_provenance": data_provenance(cmp), "window": traded_window(cmp), "output_files": files, "id": rid,
             **({"variants": V.variants_record(cmp.variants), "variant_rules": variant_changes(cmp)}
                if cmp.variants else {})}, indent=2) + "\n")  # (a copied folder's report keeps it)
        none = cmp.results.get("none")  # the same config without hedge: each mode's benchmark, run once
        no_hedge = none.daily["nav_usd"] if none is not None else None
        for m, res in cmp.results.items():
            with labelled(m):
                write_run(res, tmp / "runs", parquet=parquet, no_hedge_nav=no_hedge, earlier=runs_dir / rid / "runs")
        from vixhedge.compare_report import write_report

        write_report(tmp, runs_dir / rid)  # drawn from the files just written, as `vixhedge report` does
    return runs_dir / rid


def __getattr__(name: str):
    """``format_comparison``, for outside code: defined in :mod:`vixhedge.compare_text` (which imports this module,
    so it is looked up when asked for)."""
    if name == "format_comparison":
        from vixhedge.compare_text import format_comparison

        return format_comparison
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
