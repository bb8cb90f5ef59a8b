"""HedgeCost: what the hedge book paid and earned, from the ledger's own journal.

Three views of the same money, per layer (``hedge:L<n>``, rolls included) and in total; all in
USD, signed as P&L (a gain is positive) unless the name says cost:

1. Cash flows (read from the ledger's flows): option premium paid and received, VX futures P&L
   realised at closes, settlement payouts, fees, and the marks of what is still open.
   ``net_pnl_usd`` is their sum; ``net_cost_usd = -net_pnl_usd``.
2. By how each position ended (replayed from the fills with average-cost lots, reconciled with
   view 1 in the tests): ``roll_pnl_usd`` (closed by a roll: fill reason ``roll_out``),
   ``signal_exit_pnl_usd`` (closed by the policy: MACD cross / review), ``settled_pnl_usd``
   (held to settlement), ``open_pnl_usd`` (open at the end, at mid) and, in a run where a margin
   call or the ruin closed hedge positions (fill reasons ``margin_call``, ``ruin``), only there,
   ``forced_exit_pnl_usd``. With the hedge fees they sum to ``net_pnl_usd``. From it:

   * ``vx_roll_carry_usd``: VX futures P&L realised at roll exits, where the contango bleed
     (buying the next future above spot and riding it down the curve) is realised;
   * ``spread_decay_usd``: VIX call spreads, premium paid minus value at exit (closing
     premium, settlement or mark) over every spread the layer held: positive = cost.

3. Payouts in stress: the hedge's daily P&L summed over stress days, a day on which the VIX
   closes above ``stress_vix_level`` (25) OR whose one-day VIX rise (close over the previous
   market day's close, in percent) is among the top ``stress_top_share`` (5%: the
   k = max(1, floor(5% n)) largest rises of the n run days, rises only; a ruined run's days end at its ruin
   day, as its metrics). Not additive with
   views 1 and 2; the condor's P&L on the same days is given beside it.

4. VX carry (roll-down; a long book's contango bleed in contango), measured daily: for every VX future held
   overnight, its price change ``F_t - F_{t-1}`` is split into the part the VIX move explains through the curve
   model, ``beta_{t-1} (VIX_t - VIX_{t-1})`` with ``beta = dF/dVIX``, and the remainder, the roll-down along the
   curve and any move the model's beta misses: ``vx_carry_usd`` (usually negative for a long book in contango; the
   curve's shape does not fix its sign) and ``vx_vix_move_usd``; both x 1,000 x quantity. They sum to the overnight
   mark-to-market of the VX futures (fills' spread and fees excluded, see view 1). The VIX options' own overnight
   moves (mid to mid, the last to the option's payoff at settlement) are ``option_marks_usd``, not split;
   ``fills_vs_mid_usd`` is every hedge fill's price against the mid of its quote ((mid - price) x quantity x
   multiplier: the spread paid, below 0). By cause, ``vx_carry_usd + vx_vix_move_usd + option_marks_usd +
   fills_vs_mid_usd + fees_usd = net_pnl_usd`` (trial RS31: the VIX move, the exposure held times the VIX's path,
   was most of ALVH's 2021-2023 cost and no page showed it, nor the spread paid). The carry is a remainder: the
   roll-down along the curve and any move the model's beta misses.

5. How much hedge the run held, beside what it cost (a hedge that cost less because it held less is not a cheaper
   hedge): each layer's ``sessions_held`` (layers.csv: the sessions whose close found it open, its entry day
   included, its exit day not, a layer open at the end through the last session, a ruined run's to its ruin day;
   rolls keep the layer), and in total ``layers_opened``, ``contracts_opened``, ``layer_sessions``,
   ``contract_sessions`` (contracts opened x sessions held), ``mean_layers_held`` (per session of the valid span),
   ``mean_sessions_held`` (per layer) and ``net_cost_per_contract_session_usd`` (:func:`held_totals`).

Totals also carry the condor credit (premium received when condors open, all legs), the net
cost as % of it, and per year (run days / periods per year; a ruined run's days end at its ruin day).
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from analyzers.metrics import tail_count
from analyzers.pnl import component_order
from vixhedge.core.instruments import VIX_OPTION, VX_FUTURE, Kind
from vixhedge.core.ledger import Ledger

FIELDS = ("premium_paid_usd", "premium_received_usd", "futures_pnl_usd", "settlement_usd", "fees_usd",
          "open_marks_usd")
EXIT_FIELDS = ("roll_pnl_usd", "signal_exit_pnl_usd", "settled_pnl_usd", "open_pnl_usd")
ROLL_REASONS = frozenset({"roll_out"})
FORCED_REASONS = frozenset({"margin_call", "ruin", "ruin+abandoned"})  # strategies.trader: a maintenance breach, a
# ruin's liquidation (strategies.ruin: its closes, and what it abandons at 0)
FORCED = "forced_exit_pnl_usd"  # closed by a margin call or the ruin: a key only in a run that had such a close
#: the hedge's net P&L by cause (view 4), each with its name on every page (a run's, compare's, the placebo's): they
#: and ``fees_usd`` sum to ``net_pnl_usd``
CAUSE_NAMES = {"vx_carry_usd": "VX carry", "vx_vix_move_usd": "VIX move", "option_marks_usd": "VIX options' marks",
               "fills_vs_mid_usd": "fills against mid"}
CAUSES = tuple(CAUSE_NAMES)
#: daily.csv's columns of them, day by day: they sum to the day's ``hedge_pnl_usd`` (fees excluded, as there)
DAILY_CAUSES = tuple(f"hedge_{c}" for c in CAUSES)
_PER_CREDIT = ("net_cost_usd", "vx_roll_carry_usd", "spread_decay_usd", "stress_pnl_usd", "vx_carry_usd")


@dataclass(frozen=True, slots=True)
class StressPnL:
    """P&L per component summed over the stress days of a run."""

    days: int
    rule: str
    pnl_usd: Mapping[str, float] = field(default_factory=dict)


def stress_parts(vix_close: np.ndarray, vix_prev_close: np.ndarray, level: float,
                 top_share: float) -> tuple[np.ndarray, np.ndarray]:
    """Return the two stress tests per day: VIX close > ``level``; a one-day VIX rise among the top ``top_share``
    (the k = max(1, floor(share n)) largest of the n days, rises only)."""
    close = np.asarray(vix_close, dtype=np.float64)
    rise = close / np.asarray(vix_prev_close, dtype=np.float64) - 1.0
    above, top_rise = close > level, np.zeros(len(close), dtype=bool)
    if len(close) and top_share > 0:
        top = np.argsort(-rise, kind="stable")[:tail_count(len(close), top_share)]
        top_rise[top[rise[top] > 0]] = True
    return above, top_rise


def stress_rule(above: np.ndarray, top_rise: np.ndarray, level: float, top_share: float) -> str:
    """Return the stress-day rule with the days each test flags (:func:`stress_parts`) and how many both flag: the
    stress days are their union."""
    both = int(np.sum(above & top_rise))
    return (f"VIX close > {level:g} ({_days(int(np.sum(above)))}) or a one-day VIX rise among the top "
            f"{100 * top_share:g}% of the {_days(len(above))} ({_days(int(np.sum(top_rise)))}"
            f"{f', {both} of them also above {level:g}' if both else ''})")


def _days(k: int) -> str:
    return f"{k:,} day{'s' * (k != 1)}"


def stress_pnl(records: Sequence, mask: np.ndarray, rule: str) -> StressPnL:
    """Return each component's P&L summed over the ``mask`` days of the broker's day ``records`` (``rule``: what
    made them stress days, :func:`stress_rule`).

    A component's daily P&L is the change of its value (cash flows + marks) from the previous
    record (0 before its first), as in :func:`analyzers.pnl.component_pnl`.
    """
    sums: dict[str, float] = defaultdict(float)
    for t in np.flatnonzero(mask):
        prev = records[t - 1].components if t else {}
        for comp, value in records[t].components.items():
            sums[comp] += value - prev.get(comp, 0.0)
    return StressPnL(int(np.sum(mask)), rule, dict(sums))


def _flow_view(ledger: Ledger) -> dict[str, dict[str, float]]:
    per: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for f in ledger.flows:
        if not f.component.startswith("hedge"):
            continue
        row = per[f.component]
        if f.kind == "premium":
            row["premium_paid_usd" if f.amount_usd < 0 else "premium_received_usd"] += f.amount_usd
        elif f.kind == "futures_pnl":
            row["futures_pnl_usd"] += f.amount_usd
        elif f.kind == "settlement":
            row["settlement_usd"] += f.amount_usd
    for fill in ledger.fills:
        if fill.component.startswith("hedge"):
            per[fill.component]["fees_usd"] -= fill.fee_usd
    for pos in ledger.positions_of("hedge"):
        per[pos.component]["open_marks_usd"] += ledger.position_value(pos)
    return per


def exit_view(ledger: Ledger) -> dict[str, dict[str, float]]:
    """Replay the hedge fills and settlements into average-cost lots; return P&L by how lots ended.

    A lot's opening cost is ``qty * price * multiplier`` (premium for options, notional for VX
    futures); a close realises ``exit value - the closed share of the opening cost``.
    """
    per: dict[str, dict[str, float]] = defaultdict(
        lambda: dict.fromkeys((*EXIT_FIELDS, FORCED, "vx_roll_carry_usd", "spread_decay_usd"), 0.0))
    lots: dict[tuple, list[float]] = defaultdict(lambda: [0, 0.0])  # (contract, component) -> [qty, cost]
    events = [(f.date, 0, k, f) for k, f in enumerate(ledger.flows)
              if f.kind == "settlement" and f.component.startswith("hedge")]
    events += [(f.date, 1, k, f) for k, f in enumerate(ledger.fills) if f.component.startswith("hedge")]
    for _, is_fill, _, ev in sorted(events, key=lambda e: e[:3]):  # settlements before the day's fills
        lot = lots[(ev.contract, ev.component)]
        if not is_fill:
            pnl = ev.amount_usd - (0.0 if ev.contract.kind is Kind.VX_FUTURE else lot[1])
            _book(per[ev.component], ev.contract.kind, "settled_pnl_usd", pnl)
            lots.pop((ev.contract, ev.component))
            continue
        mult, qty = ev.contract.multiplier, ev.qty
        if lot[0] * qty < 0:  # closes (part of) the lot
            closed = qty if abs(qty) <= abs(lot[0]) else -lot[0]
            share = lot[1] * (-closed / lot[0])
            kind = ("roll_pnl_usd" if ev.reason in ROLL_REASONS else FORCED if ev.reason in FORCED_REASONS
                    else "signal_exit_pnl_usd")
            _book(per[ev.component], ev.contract.kind, kind, -closed * ev.price * mult - share)
            lot[0] += closed
            lot[1] -= share
            qty -= closed
        lot[0] += qty
        lot[1] += qty * ev.price * mult
    for pos in ledger.positions_of("hedge"):
        value = ledger.position_value(pos)
        pnl = value if pos.contract.kind is Kind.VX_FUTURE else value - lots[(pos.contract, pos.component)][1]
        _book(per[pos.component], pos.contract.kind, "open_pnl_usd", pnl)
    return per


def _book(row: dict[str, float], kind: Kind, how: str, pnl: float) -> None:
    row[how] += pnl
    if kind is Kind.VX_FUTURE:
        if how == "roll_pnl_usd":
            row["vx_roll_carry_usd"] += pnl
    else:
        row["spread_decay_usd"] -= pnl


def condor_credit(ledger: Ledger) -> float:
    """Return the premium received (USD) when condors opened, all legs net."""
    return sum(-f.qty * f.price * f.contract.multiplier for f in ledger.fills
               if f.component.startswith("condor") and f.reason == "open")


def carry_split(qty: int, f_prev: float, f_now: float, beta_prev: float, vix_prev: float,
                vix_now: float) -> tuple[float, float]:
    """Return (carry, VIX-move) USD of ``qty`` VX futures held from one close to the next."""
    move = beta_prev * (vix_now - vix_prev)
    return qty * 1000.0 * (f_now - f_prev - move), qty * 1000.0 * move


def hedge_cost(ledger: Ledger, years: float, stress: StressPnL | None = None,
               carry: Mapping[str, tuple[float, float, float]] | None = None) -> dict:
    """Return hedge cost totals and per-layer rows from a ledger (and the run's stress-day P&L)."""
    flows, exits = _flow_view(ledger), exit_view(ledger)
    forced = any(f.reason in FORCED_REASONS for f in ledger.fills if f.component.startswith("hedge"))
    if not forced:  # the key only where a margin call or the ruin closed a hedge position (as ruin_debt_pnl_usd)
        for row in exits.values():
            del row[FORCED]
    stress = stress or StressPnL(0, "not computed")
    credit = condor_credit(ledger)
    against_mid: dict[str, float] = defaultdict(float)
    for f in ledger.fills:
        if f.component.startswith("hedge"):
            against_mid[f.component] += vs_mid(f)
    layers = {}
    for comp in sorted(set(flows) | set(exits), key=component_order):
        row = {k: round(v, 2) for k, v in flows[comp].items()}
        row["net_pnl_usd"] = round(sum(flows[comp].values()), 2)
        row["net_cost_usd"] = -row["net_pnl_usd"]
        row.update({k: round(v, 2) for k, v in exits[comp].items()})
        row["stress_pnl_usd"] = round(stress.pnl_usd.get(comp, 0.0), 2)
        c, m, o = (carry or {}).get(comp, (0.0, 0.0, 0.0))
        row["vx_carry_usd"], row["vx_vix_move_usd"], row["option_marks_usd"] = round(c, 2), round(m, 2), round(o, 2)
        row["fills_vs_mid_usd"] = round(against_mid.get(comp, 0.0), 2)
        row["cost_pct_of_condor_credit"] = _pct(row["net_cost_usd"], credit)
        layers[comp] = row
    keys = (*FIELDS, "net_pnl_usd", "net_cost_usd", *EXIT_FIELDS, *((FORCED,) if forced else ()), "vx_roll_carry_usd",
            "spread_decay_usd", "stress_pnl_usd", *CAUSES)
    total = {k: round(sum(r[k] for r in layers.values()), 2) for k in keys}
    total["condor_credit_usd"] = round(credit, 2)
    for k in _PER_CREDIT:
        total[f"{k.removesuffix('_usd')}_pct_of_condor_credit"] = _pct(total[k], credit)
        total[f"{k}_per_year"] = round(total[k] / years, 2) if years > 0 else float("nan")
    total["cost_pct_of_condor_credit"] = total.pop("net_cost_pct_of_condor_credit")
    total.update(stress_days=stress.days, stress_rule=stress.rule,
                 condor_stress_pnl_usd=round(sum(v for c, v in stress.pnl_usd.items() if c.startswith("condor")), 2))
    return {"total": total, "layers": layers}


def vs_mid(fill) -> float:
    """A fill's price against its quote's mid in USD, as P&L: (mid - price) x quantity x multiplier (the spread
    paid: below 0)."""
    return (fill.mid - fill.price) * fill.qty * fill.contract.multiplier


def sessions_held(entries: Sequence, exits: Sequence, days: Sequence) -> np.ndarray:
    """Return, per layer, the sessions of ``days`` (ascending: the run's valid span, to its ruin day) whose close found
    it open: from its entry day (included) to its exit day (excluded; None: open at the end, through the last day)."""
    days, end = list(days), len(days)
    return np.array([max(0, (end if x is None else bisect.bisect_left(days, x)) - bisect.bisect_left(days, e))
                     for e, x in zip(entries, exits, strict=True)], dtype=np.int64)


def layers_open(entries: Sequence, exits: Sequence, days: Sequence) -> np.ndarray:
    """Return the number of layers open at the end of each of ``days`` (ascending; daily.csv ``hedge_layers``):
    entered on or before, not exited by then, the running sum of +1 on each layer's entry day and -1 on its exit
    day; each day's column of :func:`sessions_held`, counted the other way."""
    days = list(days)
    change = [0] * (len(days) + 1)  # (a layer entered or exited after the last day lands on the extra slot)
    for e, x in zip(entries, exits, strict=True):
        change[bisect.bisect_left(days, e)] += 1
        if x is not None:
            change[bisect.bisect_left(days, x)] -= 1
    return np.cumsum(change[:-1], dtype=np.int64)


def held_totals(contracts: Sequence[int], held: Sequence[int], sessions: int, net_cost_usd: float) -> dict:
    """Return how much hedge a run held (view 5) from each layer's ``contracts`` (opened) and sessions ``held``
    (:func:`sessions_held`), over ``sessions`` (its valid span), beside its ``net_cost_usd``; NaN without a
    denominator."""
    n, k = np.asarray(contracts, dtype=np.int64), np.asarray(held, dtype=np.int64)
    layer_sessions, contract_sessions = int(k.sum()), int((n * k).sum())
    return {"layers_opened": len(k), "contracts_opened": int(n.sum()), "layer_sessions": layer_sessions,
            "contract_sessions": contract_sessions,
            "mean_layers_held": layer_sessions / sessions if sessions else float("nan"),
            "mean_sessions_held": layer_sessions / len(k) if len(k) else float("nan"),
            "net_cost_per_contract_session_usd": (round(net_cost_usd / contract_sessions, 2) if contract_sessions
                                                  else float("nan"))}


def _pct(amount: float, credit: float) -> float:
    return round(100.0 * amount / credit, 4) if credit else float("nan")


class CarryTracker:
    """Pure core: each day, the VX layers' carry (roll-down) vs VIX-move split since yesterday, and the VIX options'
    overnight moves."""

    def __init__(self) -> None:
        self.days = 0
        self.causes: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])  # carry, VIX move, option marks
        self._held: list[tuple] = []  # yesterday's closing VX positions: (component, contract, qty, F, beta)
        self._options: list[tuple] = []  # yesterday's closing VIX option positions: (component, contract, qty, mid)
        self._vix_prev = float("nan")
        self.by_day: dict = {}  # day -> the book's carry, VIX move and option marks since the previous close

    def observe(self, desk) -> None:
        """Record the desk's current day (after its fills); none after its ruin day (its account is closed)."""
        closed_on = getattr(desk, "closed_on", None)
        if closed_on is not None and desk.today > closed_on:
            return
        self.days += 1
        market, i = desk.market, desk.day_index
        vix = float(market.data.vix_close[i])
        day = [0.0, 0.0, 0.0]
        for comp, contract, qty, f_prev, beta_prev in self._held:
            f_now = _price(market, contract, i)
            c, m = carry_split(qty, f_prev, f_now, beta_prev, self._vix_prev, vix)
            self.causes[comp][0] += c
            self.causes[comp][1] += m
            day[0] += c
            day[1] += m
        for comp, contract, qty, mid_prev in self._options:
            o = qty * contract.multiplier * (_price(market, contract, i) - mid_prev)
            self.causes[comp][2] += o
            day[2] += o
        self.by_day[desk.today] = day
        self._held, self._options = [], []
        for pos in desk.ledger.positions.values():
            if pos.contract.kind is VX_FUTURE:
                q = market.quote(pos.contract, i)
                self._held.append((pos.component, pos.contract, pos.qty, q.mid, q.vix_beta))
            elif pos.contract.kind is VIX_OPTION:
                self._options.append((pos.component, pos.contract, pos.qty, market.quote(pos.contract, i).mid))
        self._vix_prev = vix


def run_hedge_cost(desk, carry: CarryTracker, periods_per_year: int, stress_vix_level: float,
                   stress_top_share: float) -> dict:
    """Return the hedge cost views of a finished run on ``desk`` (see :func:`hedge_cost`), and under ``daily`` its
    P&L by cause day by day (:data:`DAILY_CAUSES`: ``{day: [carry, VIX move, option marks, fills against mid]}``)."""
    split = {k: tuple(v) for k, v in carry.causes.items()}
    out = hedge_cost(desk.ledger, carry.days / periods_per_year, _stress(desk, stress_vix_level, stress_top_share),
                     split)
    daily = {d: [*v, 0.0] for d, v in carry.by_day.items()}
    for f in desk.ledger.fills:
        if f.component.startswith("hedge"):
            daily.setdefault(f.date, [0.0] * 4)[3] += vs_mid(f)
    out["daily"] = daily
    return out


def book_causes(carry: CarryTracker, days: Sequence, hedge_pnl: np.ndarray) -> dict[str, np.ndarray]:
    """Return :data:`DAILY_CAUSES` on ``days`` (0 where the tracker saw none: after a ruin day) for a run that keeps
    no journal of fills (a sweep's, ``Desk`` without components): the tracker's carry, VIX move and option marks,
    and the fills against mid as the rest of the day's hedge P&L ``hedge_pnl`` (fees excluded; by cause they sum to
    it, view 4: the same figure as :func:`vs_mid`'s, to float rounding)."""
    seen = np.array([carry.by_day.get(d, (0.0, 0.0, 0.0)) for d in days], dtype=float).reshape(-1, 3)
    out = {c: seen[:, k] for k, c in enumerate(DAILY_CAUSES[:3])}
    out[DAILY_CAUSES[3]] = np.asarray(hedge_pnl, dtype=float) - seen.sum(axis=1)
    return out


def _stress(desk, level: float, top_share: float) -> StressPnL | None:
    """The stress-day P&L of the desk's days, to its ruin day if it was ruined (its account closed then)."""
    records = desk.records
    if getattr(desk, "closed_on", None) is not None:
        records = [r for r in records if r.date <= desk.closed_on]
    if not records:
        return None
    market = desk.market
    idx = np.array([market.index_of(r.date) for r in records])
    vix = market.data.vix_close
    above, top_rise = stress_parts(vix[idx], vix[np.maximum(idx - 1, 0)], level, top_share)
    return stress_pnl(records, above | top_rise, stress_rule(above, top_rise, level, top_share))


def _price(market, contract, i: int) -> float:
    """Today's price of ``contract`` (a VX future or a VIX option): its mid, or on the settlement day its value then
    (a future's final settlement, an option's payoff on the VRO: trial VIS28, single calls held to expiry were
    marked at the VRO itself, $4,969,121 of "option marks" on the vxth preset)."""
    if contract.expiry <= market.days[i]:
        return contract.payoff(market.settlement_value(contract))
    return market.quote(contract, i).mid
