"""``vixhedge placebo``: is a policy's timing worth anything? Its hedge against the same hedge bought at random times.

:func:`run_placebo` runs the config under its own hedge policy (the reference), reads its layers
(:func:`vixhedge.placebo_stats.reference_layers`), sets the placebo's ``p_add`` so its expected adds match the
reference's (:func:`vixhedge.placebo_stats.p_add`), runs N seeds of the built-in ``placebo`` policy
(:mod:`strategies.placebo`) on the same market, one process per worker (forked: the market built once), and ranks the
reference among them (:func:`vixhedge.placebo_stats.summarise`). :func:`write_folder` writes OUT/: config.toml (the
reference's config), placebo.csv, placebo.json, placebo.svg and report.html, each the same bytes for the same config
and seeds (no clock, no path in them).
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vixhedge import placebo_stats as S
from vixhedge.compare_args import MAX_BOOT
from vixhedge.core import config as C
from vixhedge.fmt import pct, plural
from vixhedge.placebo_notes import notes, prices_record
from vixhedge.sweep_market import market_words
from vixhedge import sweep_worker

MIN_SEEDS = 19  # the smallest p-value, 1 / (N + 1), reaches the verdict's 5% level (review 26b: 10 could not)
MAX_SEEDS = MAX_BOOT  # 100,000, compare's --n-boot cap: a p-value's step, 1 / (N + 1), is then about 1e-5
#: the pilot seeds, rounds and tolerance that set p_add (:func:`run_placebo`)
PILOT, PILOT_ROUNDS, PILOT_TOLERANCE = 10, 3, 0.02
#: policies a placebo cannot test: no timing (none, static: always held), a placebo itself, or a calendar's timing
#: (vxth buys at each VIX expiration)
REFUSED = {"none": "it holds no hedge, so there is no timing to test",
           "static": "it holds its layers all the time, so there is no timing to test",
           "placebo": "it is the placebo itself",
           "vxth": "it buys its calls on the VIX expiration calendar, not on a signal: there is no timing to test"}


@dataclass
class Placebo:
    """A placebo test's result (:func:`vixhedge.api.placebo`, or a placebo folder read back by
    :func:`vixhedge.api.load_placebo`): the reference ranked against N placebo seeds buying the same layers at
    random times. ``repr(p)`` is one line with the verdict, ``str(p)`` (and a notebook cell) the command's summary.

    Attributes
    ----------
    config : the reference's config (the folder's config.toml); ``policy``: its hedge policy's name.
    reference : the ranked reference's figures, as a placebo.csv row without its seed (hedge P&L, max drawdown,
        CVaR 95%, Sharpe, the exposure held, the P&L by cause).
    params : the placebo policy's ``p_add`` and the ``layers`` it draws ([contracts, tenor_months, sessions_held]).
    add_bars : the sessions on which the reference could add a layer; ``pilot``: each pilot round's (p_add, the
        pilot seeds' mean contract-sessions); ``piloted``: False where p_add was scaled once more after the last.
    rows : one dict per seed, by seed (placebo.csv; :attr:`table` as a DataFrame indexed by seed).
    summary : placebo.json's figures: per metric and cause k, p and the other tail's p; the exposure match.
    condor_note, as_configured, restrikes, prices : where the reference cut its condor (with its own figures), its
        option restrikes, what its prices rest on (data_provenance; read back: placebo.json's record of it).
    folder : the placebo folder it was read back from (None: a placebo run here; :func:`vixhedge.api.write_placebo`
        refuses one read back: it is written already).
    """

    config: C.Config
    policy: str
    reference: dict
    params: dict
    add_bars: int
    rows: list[dict]
    summary: dict
    pilot: list[tuple[float, float]]  # each pilot round's p_add and its seeds' mean contract-sessions
    condor_note: str = ""  # ALVH_CUT / OTHER_CUT where the reference cut or scaled its condor
    restrikes: int = 0  # the reference's restrikes (layers.csv), named for an option-layer reference
    piloted: bool = True  # p_add is a pilot round's; False: scaled once more after the last, not within tolerance
    as_configured: dict = dataclasses.field(default_factory=dict)  # the reference's own figures, with ALVH_CUT
    prices: dict = dataclasses.field(default_factory=dict)  # the ranked reference's data_provenance (feeds.provenance)
    folder: Path | None = dataclasses.field(default=None, compare=False)  # read back from (vixhedge.placebo_read)

    def __repr__(self) -> str:
        """One line a notebook shows: the policy, run, window, seeds and the verdict (trial API31: the dataclass's
        own repr ran 16,680 characters); ``str(p)`` (the command's text) and ``.summary`` hold the rest."""
        r = self.config.run
        return (f"Placebo({self.policy} on '{r.name}' {r.start}..{r.end}, {len(self.rows)} seeds: "
                f"{S.verdict(self.policy, self.summary)})")

    def __str__(self) -> str:
        """The summary ``vixhedge placebo`` prints (:func:`format_summary`): ``print(p)`` (trial API31 M5)."""
        return format_summary(self, self.folder)

    def _repr_html_(self) -> str:
        """:meth:`__str__` in a notebook."""
        import html

        return f"<pre>{html.escape(str(self))}</pre>"

    @property
    def table(self) -> pd.DataFrame:
        """:attr:`rows` as a DataFrame, one row per seed indexed by ``seed``, in placebo.csv's columns."""
        return pd.DataFrame(self.rows, columns=list(S.COLUMNS)).set_index("seed")


def placebo_id(cfg: C.Config, seeds: int) -> str:
    """The command's default folder name ``<name>-placebo-<hash8>``: the hash of the reference's run id (its config
    and plug-ins) and the seeds, so two placebos of other inputs never share a folder (trial RD31: the README's two
    commands both wrote runs/default-placebo, the second replacing the first unsaid); the same inputs, the same."""
    import hashlib

    from vixhedge.report import run_id

    return f"{cfg.run.name}-placebo-{hashlib.sha256(f'{run_id(cfg)}|seeds {seeds}'.encode()).hexdigest()[:8]}"


def check_args(cfg: C.Config, seeds: int, label: str = "--seeds") -> int:
    """One ConfigError line, before any work, for a config whose policy has no timing to test, or seeds not a whole
    number (a numpy integer taken: returned as an int), too few or too many (``label``: the flag, or the API's
    argument)."""
    from vixhedge.placebo_args import whole_number

    name = cfg.hedge.policy_name
    if name in REFUSED:
        raise C.ConfigError(f"hedge.policy {name!r} cannot be the placebo's reference: {REFUSED[name]}; give a config "
                            "whose policy times its hedge (alvh by default, or a plug-in)")
    seeds = whole_number(seeds, label, f"use {MIN_SEEDS}..{MAX_SEEDS:,} seeds (100 by default)")
    if seeds < MIN_SEEDS:
        raise C.ConfigError(f"{label} {seeds!r} is too few: use {MIN_SEEDS} or more (the smallest p-value of N "
                            f"seeds is 1 / (N + 1); 100 by default)")
    if seeds > MAX_SEEDS:  # (trial IO31 M6: --seeds 10000000 was taken, about 11 days of 0.1 s seeds)
        raise C.ConfigError(f"{label} {seeds!r} is too many: use {MIN_SEEDS}..{MAX_SEEDS:,} (compare's --n-boot cap; "
                            "each seed is a backtest of the window; 100 by default)")
    return seeds


def placebo_config(cfg: C.Config, params: Mapping, seed: int) -> C.Config:
    """``cfg`` under the built-in ``placebo`` policy with ``params`` and ``seed`` (every other key the
    reference's: caps, max_layers, require_condor, roll_days, instrument, the condor)."""
    return C.replace(cfg, hedge={"policy": "placebo", "policy_params": {**params, "seed": int(seed)}})


_MARKET = None  # the market a forked worker inherits (set before the pool starts)


def _seed_row(cfg: C.Config, params: Mapping, seed: int, engine: str, market=None) -> dict:
    """One placebo seed's placebo.csv row; its run's notes (the reference's, a hundred times over) are not logged."""
    from vixhedge.run import run_backtest

    result = _quiet(lambda: run_backtest(placebo_config(cfg, params, seed), market if market is not None else _MARKET,
                                         engine=engine))
    return {"seed": int(seed), **S.row_of(result.metrics)}


def _quiet(run: Callable[[], object]):
    """``run()`` with its warnings not logged: a placebo seed's or the reference without its condor cut, whose notes
    the reference's run printed already (trial VIS27: they read as the placebo's, ``[placebo]``)."""
    before = logging.root.manager.disable
    logging.disable(logging.WARNING)
    try:
        return run()
    finally:
        logging.disable(before)


def run_placebo(cfg: C.Config, market, seeds: int = 100, workers: int = 1, engine: str = C.DEFAULT_ENGINE,
                on_seed: Callable[[], object] | None = None, reference=None,
                on_pilot: Callable[[], object] | None = None,
                on_round: Callable[[float, float, float, float, bool], object] | None = None) -> Placebo:
    """Run the reference (``cfg``), then the pilot rounds that set ``p_add`` and ``seeds`` placebo seeds (1..N) on
    ``market``; ``workers`` > 1 forks that many processes; ``on_seed`` is called after each placebo seed,
    ``on_pilot`` after each pilot seed, ``on_round`` after each pilot round with its ``p_add``, its seeds' mean
    contract-sessions, the reference's, the ``p_add`` that follows (the same where kept) and whether it was the last
    round. ``reference``: its RunResult when already run.

    ``p_add`` starts at the reference's layers over the bars on which it could add (:func:`S.p_add`); a placebo, whose
    adds do not bunch up to max_layers as the reference's do, finds more such bars (the pilot's first round opened
    +9% layers on the default config), and near the window's end its holds are cut short. So up to
    :data:`PILOT_ROUNDS` rounds of the pilot seeds (1..:func:`pilot_seeds`) scale ``p_add`` by the reference's
    contract-sessions (the hedge it held: contracts x sessions) over the pilot's mean, until within
    :data:`PILOT_TOLERANCE` (review 26b: matched on layers opened, a half-year's placebos held 10% less)."""
    from vixhedge.run import run_backtest

    seeds = check_args(cfg, seeds)
    ref = reference if reference is not None else run_backtest(cfg, market, engine=engine)
    own, condor_note = S.row_of(ref.metrics), ""
    if cuts_condor(ref):  # the placebo's condor book is the policy's without its condor actions (review 26b)
        if cfg.hedge.policy_name == "alvh":  # (config.toml stays the config given: the placebos ignore the keys)
            ref = _quiet(lambda: run_backtest(hedge_alone(cfg), market, engine=engine))  # (its notes: the reference's)
            condor_note = ALVH_CUT
        else:
            condor_note = OTHER_CUT
    h = cfg.hedge
    params, bars = first_params(cfg, ref)
    reference_row = S.row_of(ref.metrics)
    target = reference_row["contract_sessions"]
    rounds = []  # (p_add, the pilot's mean contract-sessions) of each pilot round
    for n in range(PILOT_ROUNDS):
        pilot = _run_seeds(cfg, params, range(1, pilot_seeds(seeds) + 1), workers, engine, market, on_pilot)
        held = sum(r["contract_sessions"] for r in pilot) / len(pilot)
        rounds.append((params["p_add"], held))
        within = abs(held - target) <= PILOT_TOLERANCE * target or not held
        if not within:
            params["p_add"] = round(min(1.0, params["p_add"] * target / held), 6)
        if on_round:
            on_round(rounds[-1][0], held, target, params["p_add"], within or n == PILOT_ROUNDS - 1)
        if within:
            break
    piloted = params["p_add"] == rounds[-1][0]
    rows = pilot if piloted else []  # the last pilot ran seeds 1..K at this p_add: the same rows (deterministic)
    for _ in rows:
        if on_seed:
            on_seed()
    rows = rows + _run_seeds(cfg, params, range(len(rows) + 1, seeds + 1), workers, engine, market, on_seed)
    restrikes = int(ref.layers["restrikes"].sum()) if len(ref.layers) else 0
    return Placebo(cfg, h.policy_name, reference_row, params, bars, rows, S.summarise(reference_row, rows), rounds,
                   condor_note=condor_note, as_configured=own if condor_note == ALVH_CUT else {}, restrikes=restrikes,
                   piloted=piloted, prices=ref.metrics.get("data_provenance", {}))


def first_params(cfg: C.Config, ref) -> tuple[dict, int]:
    """Return the placebo's parameters before its pilot rounds (``p_add`` from the reference run ``ref``'s layers over
    the bars on which it could add, the layers it draws from) and those bars; ConfigError where ``ref`` opened none."""
    h = cfg.hedge
    layers = S.reference_layers(ref.layers, ref.trades)
    if not layers:  # (review 26b: every placebo then tied with it, and the verdict read "did worse")
        raise C.ConfigError(f"hedge.policy {h.policy_name!r} opened no hedge layer in {cfg.run.start}..{cfg.run.end}: "
                            "there is no timing to test: widen the window or loosen the caps that stopped its adds")
    bars = S.add_bars(ref.daily, h.max_layers, h.require_condor)
    return {"p_add": S.p_add(len(layers), bars), "layers": S.drawn_layers(layers, ref.layers)}, bars


#: why the ranked reference is not the run as configured, or why its whole-book figures are not the timing's alone
ALVH_CUT = ("alvh's bullish divergence also cuts and scales the condor (hedge.divergence.condor_cut, condor_scale), "
            "which a placebo does not: ranked is alvh with them off (condor_cut = 0, condor_scale = 1), its hedge's "
            "timing alone with the placebos' condor book")
OTHER_CUT = ("the reference also cut or scaled its condor, which a placebo does not: its max drawdown, CVaR and Sharpe "
             "are not its hedge's timing alone (hedge P&L is)")


def cuts_condor(result) -> bool:
    """Whether a run's policy cut or scaled a condor (signals.csv ``actions``: the trader's ``cut_condor`` and
    ``scale_condor`` words)."""
    actions = result.signals_log.get("actions")
    return actions is not None and bool(actions.astype(str).str.contains("cut_condor|scale_condor").any())


def hedge_alone(cfg: C.Config) -> C.Config:
    """An alvh config without its condor actions (the divergence's cut and scale): the hedge the placebo is matched
    to, on the placebos' condor book."""
    return C.replace(cfg, hedge={"divergence": {"condor_cut": 0.0, "condor_scale": 1.0}})


def pilot_seeds(seeds: int) -> int:
    """The pilot's seeds (1..K): :data:`PILOT`, at most ``seeds``."""
    return min(PILOT, seeds)


def _run_seeds(cfg: C.Config, params: Mapping, seeds: range, workers: int, engine: str, market,
               on_seed: Callable[[], object] | None) -> list[dict]:
    """The rows of ``seeds`` under ``params``, by seed; ``workers`` > 1 forks that many processes."""
    global _MARKET
    rows: list[dict] = []
    if workers <= 1:
        for s in seeds:
            rows.append(_seed_row(cfg, params, s, engine, market))
            if on_seed:
                on_seed()
        return rows
    _MARKET = market
    pooled = sweep_worker.as_finished(_seed_row, [(cfg, params, s, engine) for s in seeds], workers, "placebo")
    try:  # (a failure's or an interrupt's words are one process's: sweep_worker.as_finished)
        for _, row in pooled:
            rows.append(row)
            if on_seed:
                on_seed()
    finally:
        pooled.close()
        _MARKET = None
    return sorted(rows, key=lambda r: r["seed"])


def _csv(rows: Sequence[Mapping]) -> str:
    """placebo.csv: the counts as whole numbers, each other figure in full (its shortest repr, as paired.csv): every
    placebo statistic is read from these rows (trial STAT39 L1: at six decimals a CVaR kept 4-5 digits and its 5%
    quantile read 0.00946655 beside placebo.json's 0.00946686)."""
    whole = {"seed", "layers_opened", "contract_sessions"}
    lines = [",".join(S.COLUMNS)]
    for r in rows:
        lines.append(",".join(f"{r[c]:d}" if c in whole else repr(float(r[c])) for c in S.COLUMNS))
    return "\n".join(lines) + "\n"


def document(p: Placebo) -> dict:
    """placebo.json: the reference (policy, window, figures), the placebo's table and how p_add was set, the
    placebos' distribution, k and p per metric, the exposure match and the verdict."""
    r = p.config.run
    return {"reference": {"policy": p.policy, "name": r.name, "start": r.start.isoformat(), "end": r.end.isoformat(),
                          **{k: v for k, v in p.reference.items()},
                          **({"condor_note": p.condor_note} if p.condor_note else {}),
                          **({"as_configured": p.as_configured} if p.as_configured else {}),
                          **({"prices": prices_record(p.prices)} if p.prices else {})},
            "placebo": {"policy": "placebo", "seeds": f"1..{len(p.rows)}", "p_add": p.params["p_add"],
                        "p_add_rule": f"first the reference's layers opened / the sessions on which it could add (a "
                                      f"condor open when hedge.require_condor, fewer than hedge.max_layers layers at "
                                      f"the previous close: add_bars); then, up to {PILOT_ROUNDS} rounds, times the "
                                      f"reference's contract-sessions / the pilot seeds' mean, until within "
                                      f"{pct(PILOT_TOLERANCE, 0)}; the layers drawn: the reference's closed before "
                                      f"the window's end (all where none closed)",
                        "add_bars": p.add_bars, "pilot_seeds": f"1..{pilot_seeds(len(p.rows))}",
                        "pilot_rounds": [{"p_add": a, "mean_contract_sessions": b} for a, b in p.pilot],
                        "p_add_piloted": p.piloted,
                        "layers": p.params["layers"]},
            "p_value_rule": "(k + 1) / (N + 1), k the placebos at least as good as the reference (higher hedge P&L "
                            "and Sharpe, lower max drawdown and CVaR 95%), N the placebos whose figure is a number "
                            "(not_a_number: the seeds left out, as from the median and quantiles); k and p null where "
                            "the reference's figure is not a number",
            **p.summary,
            "causes_rule": "the hedge's P&L by cause (metrics.json hedge_cost, README Hedge cost (4)): with "
                           "hedge_cost.fees_usd they sum to hedge_cost.net_pnl_usd, so they sum to hedge_pnl_usd "
                           "(fees excluded) to the cent each layer's figures are rounded to; k and p as the metrics' "
                           "(higher P&L better); held: the reference or a placebo had a figure other than 0; "
                           "vx_vix_move_usd (the contracts held x the VIX path) is the one that tests the timing at "
                           "the same exposure",
            "verdict": S.verdict(p.policy, p.summary)}


def figure_title(p: Placebo) -> tuple[str, str]:
    """The figure's and page's title and subtitle: the layers drawn beside the reference's opened (VIS30: "133 layers
    drawn" beside "layers opened 137" unexplained)."""
    r, drawn, opened = p.config.run, len(p.params["layers"]), int(p.reference["layers_opened"])
    whose = (f"{drawn} of {p.policy}'s {opened} layers drawn: those closed before the end" if drawn < opened
             else f"{p.policy}'s {opened} layers drawn")
    return (f"{r.name}: {p.policy}'s hedge against {len(p.rows)} placebos with the same exposure",
            f"{r.start}..{r.end}, {market_words(p.config.market)}; placebo p_add {p.params['p_add']:g} ({whose})")


def reproduce(p: Placebo) -> str:
    """The command that writes the folder's files again, run in the folder (its config.toml: the reference's, its data
    directory absolute): the same bytes wherever the folder is and whatever --workers; a plug-in reference's
    ``PYTHONPATH=`` first, as a run's replay command (trial RS28: the line failed to import it)."""
    from vixhedge.extensions import modules
    from vixhedge.report import pythonpath

    return f"{pythonpath(modules(p.config))}vixhedge placebo config.toml --seeds {len(p.rows)} --out ."


def write_folder(p: Placebo, out: Path, command: str | None = None) -> Path:
    """Write OUT/ (module docstring), each file replaced in one step; ``command``: the reproduce line
    (:func:`reproduce` by default)."""
    from vixhedge.atomic import write_file
    from vixhedge.placebo_figure import placebo_svg
    from vixhedge.placebo_page import report_page
    from vixhedge.sweep_summary import strict

    text = json.dumps(strict(document(p)), indent=2, allow_nan=False)  # a NaN figure (a flat book's Sharpe): null
    text = re.sub(r"\[\s+(-?\d+),\s+(-?\d+),\s+(-?\d+)\s+\]", r"[\1, \2, \3]", text)  # a layer triple: one line
    svg = str(placebo_svg(p.rows, p.summary, p.policy, *figure_title(p)))  # (both made before any file is written)
    out.mkdir(parents=True, exist_ok=True)
    write_file(out / "config.toml", C.to_toml(p.config))
    write_file(out / "placebo.csv", _csv(p.rows))
    write_file(out / "placebo.json", text + "\n")
    write_file(out / "placebo.svg", svg)
    write_file(out / "report.html", report_page(p, command or reproduce(p), svg))
    return out


def format_summary(p: Placebo, out: Path | str | None = None) -> str:
    """The command's summary of ``p``: the reference, p_add and its pilot, the notes, a line per metric and cause,
    the exposure, how many of those lines would reach 5% by chance (:func:`S.multiple_tests`), the folder ``out``
    (None: not written, and the folder :func:`vixhedge.api.write_placebo` writes by default) and the verdict."""
    r = p.config.run
    if out is None:
        out = f"not written (write_placebo(p) writes runs/{placebo_id(p.config, len(p.rows))})"

    head = (f"placebo: {p.policy} on '{r.name}' {r.start}..{r.end} ({market_words(p.config.market)}) against "
            f"{len(p.rows)} placebo seeds; p_add {p.params['p_add']:g} (first {p.pilot[0][0]:g} = "
            f"{p.reference['layers_opened']} layers / {p.add_bars:,} sessions on which {p.policy} could add; "
            f"{plural(len(p.pilot), 'pilot round')} of seeds 1..{pilot_seeds(len(p.rows))}, their mean "
            "contract-sessions "
            + ", ".join(f"{b:,.1f}" for _, b in p.pilot)
            + ("" if p.piloted else f"; not within {pct(PILOT_TOLERANCE, 0)}: scaled once more after the last") + ")")
    body, caveat = S.lines(p.policy, p.summary), S.multiple_tests(p.summary)
    return "\n".join([head, *(f"  {label:<14} {text}" for label, text in notes(p)), *body[:-1],
                      *S.cause_lines(p.policy, p.summary), *([f"  {'caveat':<14} {caveat}"] if caveat else []),
                      f"  {'placebo folder':<14} {out}", body[-1]])
