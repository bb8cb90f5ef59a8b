"""How much hedge a run held (analyzers.hedge_cost view 5: layers.csv ``sessions_held``, metrics.json ``hedge_cost``
``layer_sessions``, ``contract_sessions``, ...), on a hand-built 7-session run whose counts are worked out in comments.

Trial RS27: a researcher placing ALVH among placebo hedges "of the same size" had to re-derive from layers.csv and
daily.csv how much hedge each run held; no output said it."""

from __future__ import annotations

import datetime as dt
import json
import math
from types import SimpleNamespace

import pytest

from analyzers.hedge_cost import held_totals, layers_open, sessions_held
from strategies.layers import LayerLog
from vixhedge.report import _clean
from vixhedge.run_tables import layer_table

DAYS = [dt.date(2018, 1, d) for d in (2, 3, 4, 5, 8, 9, 10)]  # sessions 1..7
# L1: opened on session 2, closed on session 5 -> the closes of sessions 2, 3, 4 found it open: 3 sessions, 2 contracts
# L2: opened on session 3, open at the end -> sessions 3, 4, 5, 6, 7: 5 sessions, 3 contracts
ENTRIES, EXITS, CONTRACTS = [DAYS[1], DAYS[2]], [DAYS[4], None], [2, 3]


def test_sessions_held_counts_the_entry_day_not_the_exit_day_and_an_open_layer_to_the_end() -> None:
    assert sessions_held(ENTRIES, EXITS, DAYS).tolist() == [3, 5]
    # layers open at each close: s1 none, s2 L1, s3-s4 L1+L2, s5 L1 closed, s6-s7 L2 -> their sum is the same 8
    assert layers_open(ENTRIES, EXITS, DAYS).tolist() == [0, 1, 2, 2, 1, 1, 1]


def test_a_span_cut_by_a_ruin_counts_to_its_ruin_day() -> None:
    """A ruined run's span ends at its ruin day (session 4 here): a layer open then counts through it."""
    assert sessions_held(ENTRIES, EXITS, DAYS[:4]).tolist() == [3, 2]  # L2: sessions 3, 4


def test_the_totals_by_hand() -> None:
    h = held_totals(CONTRACTS, [3, 5], len(DAYS), 105.0)
    assert h == {"layers_opened": 2, "contracts_opened": 5,
                 "layer_sessions": 8,  # 3 + 5
                 "contract_sessions": 21,  # 2 x 3 + 3 x 5
                 "mean_layers_held": pytest.approx(8 / 7),  # over the 7 sessions: layers_open's mean
                 "mean_sessions_held": 4.0,  # 8 / 2 layers
                 "net_cost_per_contract_session_usd": 5.0}  # $105 / 21


def test_without_a_layer_the_figures_without_a_denominator_are_null() -> None:
    """As metrics.json writes its other empty figures (NaN in the dict, null in the file: vixhedge.report._clean)."""
    h = held_totals([], [], len(DAYS), 0.0)
    assert h["layers_opened"] == h["contracts_opened"] == h["layer_sessions"] == h["contract_sessions"] == 0
    assert h["mean_layers_held"] == 0.0
    assert math.isnan(h["mean_sessions_held"]) and math.isnan(h["net_cost_per_contract_session_usd"])
    written = json.loads(json.dumps(_clean(h)))
    assert written["mean_sessions_held"] is None and written["net_cost_per_contract_session_usd"] is None


def test_layers_csv_holds_sessions_held_after_the_exit_reason() -> None:
    """run_tables.layer_table on a trader's layer log of the two layers: the column after exit_reason, the hand
    counts."""
    log = {k + 1: LayerLog(k + 1, "vx_future", n, 1.0, 1.0, 0.0, "test", e, *[0.0] * 7, "+1 VX", exit_date=x,
                           exit_reason="macd_cross_down" if x else "open")
           for k, (e, x, n) in enumerate(zip(ENTRIES, EXITS, CONTRACTS))}
    table = layer_table(SimpleNamespace(layer_log=log), {}, DAYS)
    cols = list(table.columns)
    assert cols[cols.index("exit_reason") + 1] == "sessions_held"
    assert table["sessions_held"].tolist() == [3, 5]
    assert (table["contracts"] * table["sessions_held"]).sum() == 21
    empty = layer_table(SimpleNamespace(layer_log={}), {}, DAYS)  # the header without a layer
    assert "sessions_held" in empty.columns and empty.empty
