"""analyzers.report_tables.layers_by_trigger: report.html's "Hedge layers by trigger" (a researcher's trial, session
14, summed layers.csv's net P&L by trigger by hand: the 32 layers a steep MACD rise opened netted -$161k)."""

from __future__ import annotations

import pandas as pd

from analyzers.report_tables import layers_by_trigger


def test_layers_grouped_by_what_opened_them() -> None:
    layers = pd.DataFrame({"trigger": ["macd_cross_up", "review_fear_rising+steep", "macd_cross_up",
                                       "review_fear_rising+steep", "a_rule"],
                           "net_pnl_usd": [100.0, -400.0, -50.0, -200.0, 7.5]})
    out = layers_by_trigger(layers)
    # counts first, ties by trigger: macd_cross_up 2 (+50, +25 each), review_fear_rising+steep 2 (-600), a_rule 1
    assert out.to_dict("list") == {"trigger": ["macd_cross_up", "review_fear_rising+steep", "a_rule"],
                                   "layers": [2, 2, 1], "net_pnl_usd": [50.0, -600.0, 7.5],
                                   "per_layer_usd": [25.0, -300.0, 7.5]}
    assert out["net_pnl_usd"].sum() == layers["net_pnl_usd"].sum()  # every layer once
    assert layers_by_trigger(pd.DataFrame()).empty
    total = layers_by_trigger(layers, total=True).iloc[-1].tolist()  # the page's last row (a trial wanted it, R2)
    assert total == ["all layers", 5, -542.5, -108.5]


def test_the_run_page_shows_it(short_folder) -> None:
    page = (short_folder / "report.html").read_text(encoding="utf-8")
    assert "<h2>Hedge layers by trigger</h2>" in page and "compare --variant NAME KEY=VALUE" in page
