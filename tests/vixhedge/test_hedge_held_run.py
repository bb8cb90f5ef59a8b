"""How much hedge a run held, on the default run and in compare (analyzers.hedge_cost view 5; trial RS27: a hedge
that cost less because it held less is not a cheaper hedge, and no output said how much each run held).

The expected values come from other columns than the ones summed: daily.csv ``hedge_layers`` (the layers open at
each close) and the contracts the hedge's fills in trades.csv leave held at each close (vx_macd.svg's book panel,
vixhedge.run_figure_book.layer_contracts)."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

import pandas as pd
import pytest

from vixhedge.cli import main
from vixhedge.compare import compare
from vixhedge.compare_rows import table_csv
from vixhedge.core import config as C
from vixhedge.run_figure_book import layer_contracts


@pytest.fixture(scope="module")
def default_folder(tmp_path_factory) -> tuple[Path, str]:
    runs = tmp_path_factory.mktemp("runs")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "--runs-dir", str(runs)]) == 0
    (folder,) = runs.iterdir()
    return folder, out.getvalue()


def test_the_default_runs_layers_csv_sums_to_its_metrics(default_folder) -> None:
    folder, _ = default_folder
    layers = pd.read_csv(folder / "layers.csv")
    daily = pd.read_csv(folder / "daily.csv", index_col="date", parse_dates=True)
    trades = pd.read_csv(folder / "trades.csv", index_col="date", parse_dates=["date", "expiry"])
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    h = m["hedge_cost"]
    held = layers["sessions_held"]
    assert h["layers_opened"] == m["counts"]["hedge_layers"] == len(layers) == 137
    assert h["contracts_opened"] == layers["contracts"].sum() == 184
    assert h["layer_sessions"] == held.sum() == daily["hedge_layers"].sum() == 2112
    assert h["contract_sessions"] == (layers["contracts"] * held).sum() == 2744
    # the contracts the fills leave held at each close (no roll of the default run was cut: the same count)
    assert sum(n.sum() for n in layer_contracts(daily.index, layers, trades).values()) == 2744
    assert h["mean_layers_held"] == pytest.approx(daily["hedge_layers"].mean(), rel=1e-12)  # no ruin: every day
    assert h["mean_layers_held"] == pytest.approx(2112 / 1218, rel=1e-12)
    assert h["mean_sessions_held"] == pytest.approx(2112 / 137, rel=1e-12)
    assert h["net_cost_per_contract_session_usd"] == round(h["net_cost_usd"] / 2744, 2) == 44.17
    # each layer: the days of daily.csv from its entry (included) to its exit (excluded), or to the end
    for entry, exit_, n in zip(layers["entry_date"], layers["exit_date"], held):
        days = (daily.index >= entry) & ((daily.index < exit_) if pd.notna(exit_) else True)
        assert n == days.sum()


def test_the_summary_and_the_page_say_how_much_hedge_the_run_held(default_folder) -> None:
    folder, printed = default_folder
    assert ("  hedge net cost      $121,205  (11.7% of condor credit); 1.73 layers held on average, 2,744 "
            "contract-sessions at $44.17 each") in printed.splitlines()
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert ("<tr><td>hedge held</td><td>1.73 layers</td><td>open at a close, on average over the run&#x27;s "
            "sessions; 137 layers opened (184 contracts), held 15.4 sessions each on average (layers.csv "
            "sessions_held): 2,744 contract-sessions, $44.17 of net cost each</td></tr>") in page


def test_compare_rows_are_each_modes_own_figures() -> None:
    """comparison.csv's hedge_mean_layers_held and hedge_contract_sessions rows are each mode's metrics.json figures:
    none holds nothing; static its two 1-contract layers on all 1,218 sessions; alvh its 137 layers' 2,744."""
    cmp = compare(C.load_default(), modes=("none", "static", "alvh"), n_boot=100)
    for m, res in cmp.results.items():
        h = res.metrics["hedge_cost"]
        assert cmp.table.at["hedge_mean_layers_held", m] == h["mean_layers_held"]
        assert cmp.table.at["hedge_contract_sessions", m] == h["contract_sessions"]
        assert h["layer_sessions"] == res.daily["hedge_layers"].sum()
    assert cmp.table.loc["hedge_contract_sessions"].tolist() == [0, 2 * 1218, 2744]
    static = cmp.results["static"].metrics["hedge_cost"]
    assert static["net_cost_per_contract_session_usd"] == 32.10  # $78,196.44 / 2,436
    assert cmp.table.loc["hedge_mean_layers_held"].tolist() == [0.0, 2.0, pytest.approx(2112 / 1218, rel=1e-12)]
    rows = table_csv(cmp.table).splitlines()
    held = f"hedge_mean_layers_held,0.0,2.0,{2112 / 1218!r}"  # (in full: trial RS32)
    assert held in rows and "hedge_contract_sessions,0,2436,2744" in rows
    assert rows.index("hedge_layers,0,2,137") + 1 == rows.index(held)
