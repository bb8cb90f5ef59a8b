"""Trial RP (session 20): report.html's tables re-derived from the run's files agreed on every figure; these are the
words and signs it found off (README, *Conventions*: a figure that rounds to zero has no sign; counts with their
noun), and ``--set`` keys checked together, as a file's are."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from analyzers.report_tables import parameters
from vixhedge import cli_set
from vixhedge.core import config as C
from vixhedge.fmt import plural
from vixhedge.html import provenance_banner
from vixhedge.report_periods import entered_words
from vixhedge.report_sections import _held_detail, hedge_held_words, held_banner, monthly_grid


def test_a_month_that_rounds_to_zero_keeps_its_sign() -> None:
    """The 2006-2025 real run's May 2015 (+0.0020%) printed "+0.00" (May here: 1,000,020 / 1,000,000 - 1, the same
    +0.002%); trial RP dropped the sign, trial VIS42 L7 found "0.00" the one unsigned cell of the grid: "+0.00" again,
    and "0.00" for April, the first month, without change; percents carry no thousands separator (README)."""
    days = pd.to_datetime(["2015-04-30", "2015-05-29", "2015-06-30", "2015-07-31"])
    nav = pd.Series([1_000_000.0, 1_000_020.0, 1_001_270.25, 13_828_825.6], index=days)
    page = monthly_grid(SimpleNamespace(daily=pd.DataFrame({"nav_usd": nav})))
    cells = [c for c in page.replace("</td>", "<td>").split("<td>") if c and not c.startswith("<")]
    assert cells[1:3] == ["0.00", "+0.00"] and "-0.00" not in page
    assert "+0.13" in cells  # June: 1,001,270.25 / 1,000,020 - 1 = 0.12502...%
    assert "+1281.13" in cells  # 13,828,825.6 / 1,001,270.25 - 1 = 12.811345..., no separator


def test_the_require_condor_note_keeps_the_keys_case() -> None:
    held = {"adds": 6, "sessions": 6, "longest": {"first": "2016-01-08", "last": "2016-01-15", "adds": 6,
                                                  "vx_first": 24.46, "vx_last": 24.57, "vx_max": 24.57}}
    page = held_banner({"held_without_condor": held})
    assert "<b>Note:</b> hedge.require_condor held back" in page and "Hedge.require_condor" not in page


def test_the_require_condor_note_sets_the_readme_section_in_italics() -> None:
    """Trial VIS27: the default run's Note banner read "(README, *Where a window starts*)" with the asterisks; the
    caveat banners render a README section as <i>..</i> (:func:`vixhedge.caveats.in_html`)."""
    held = {"adds": 6, "sessions": 6, "longest": {"first": "2016-01-08", "last": "2016-01-15", "adds": 6,
                                                  "vx_first": 24.46, "vx_last": 24.57, "vx_max": 24.57}}
    page = held_banner({"held_without_condor": held})
    assert "(README, <i>Where a window starts</i>)" in page and "*" not in page


def test_the_cost_per_contract_session_keeps_its_cents() -> None:
    """Trial VIS27 (`vixhedge run --data-dir ../shared/data --start 2008-01-02 --end 2012-12-31`): metrics.json's
    net_cost_per_contract_session_usd -1.55 printed "2,962 contract-sessions at -$2 each" in the summary and page."""
    h = {"mean_layers_held": 2.1, "contract_sessions": 2962, "net_cost_per_contract_session_usd": -1.55,
         "layers_opened": 180, "contracts_opened": 240, "mean_sessions_held": 12.3}
    assert hedge_held_words(h) == "; 2.10 layers held on average, 2,962 contract-sessions at -$1.55 each"
    assert _held_detail(h).endswith("2,962 contract-sessions, -$1.55 of net cost each")


def test_counts_take_their_noun() -> None:
    assert [plural(n, "hedge layer") for n in (0, 1, 2)] == ["0 hedge layers", "1 hedge layer", "2 hedge layers"]
    assert plural(None, "day") == "n/a"


def test_the_parameters_table_spells_booleans_as_config_toml() -> None:
    rows = dict(parameters({"hedge": {"require_condor": False, "fomc": {"require_ad": True}, "pair": [True, 2]}}))
    assert rows == {"hedge.require_condor": "false", "hedge.fomc.require_ad": "true", "hedge.pair": "true, 2"}


def test_a_banner_without_prices_has_no_empty_table() -> None:
    p = {"verdict": "no price", "rests_on_model": False, "marks": {}, "fills": {}, "notes": []}
    page = provenance_banner({"data_provenance": p})
    assert "<table>" not in page and "no price" in page


@pytest.mark.parametrize("entered, words", [
    ({"hedge_layers": 4, "condor": True}, "4 layers and a condor"), ({"hedge_layers": 0, "condor": True},
                                                                      "a condor, no layer"),
    ({"hedge_layers": 1, "condor": False}, "1 layer, no condor"), ({"hedge_layers": 0, "condor": False},
                                                                    "no layer, no condor"),
    (None, "starts the run (flat)")])
def test_how_a_period_was_entered(entered, words) -> None:
    assert entered_words({"entered_with": entered}) == words  # ("no layer and a condor": trial RP)


def test_set_keys_are_checked_together_in_either_order() -> None:
    """`--set condor.enabled=false --set hedge.require_condor=false` was refused in that order (the first checked
    against the file's require_condor = true) and taken in the other; a TOML file with both is taken."""
    cfg = C.load_default()
    for items in (["condor.enabled=false", "hedge.require_condor=false"],
                  ["hedge.require_condor=false", "condor.enabled=false"]):
        out = cli_set.apply(cfg, items, {})
        assert (out.condor.enabled, out.hedge.require_condor) == (False, False)
    with pytest.raises(C.ConfigError, match=r"^--set condor.enabled=false: condor.enabled = false with "
                                            r"hedge.require_condor = true is invalid"):
        cli_set.apply(cfg, ["hedge.macd.fast=8", "condor.enabled=false"], {})
    with pytest.raises(C.ConfigError, match=r"^--set hedge.macd=3: hedge.macd = 3 is invalid"):
        cli_set.apply(cfg, ["hedge.macd.fast=8", "hedge.macd=3"], {})
    assert cli_set.override(cfg, {"hedge.macd.fast": 8, "hedge.macd.slow": 30}, "--variant v").hedge.macd.slow == 30


@pytest.mark.parametrize("items, error", [
    (["hedge.mode=static", "hedge.mode.x=1"], "--set hedge.mode.x=1: hedge.mode = {'x': 1} is invalid"),
    (["hedge.mode.x=1", "hedge.mode=static"], "--set hedge.mode.x=1: hedge.mode = {'x': 1} is invalid"),
    (["condor.enabled=false", "hedge.require_condor=false", "hedge.macd.fst=8"],
     "--set hedge.macd.fst=8: unknown key 'hedge.macd.fst': did you mean 'hedge.macd.fast'?"),
    (["hedge.macd=3", "hedge.macd.fast=8"], "--set hedge.macd=3: hedge.macd = 3 is invalid"),
])
def test_set_names_the_key_the_config_cannot_take(items, error) -> None:
    """Review 20: a key under a key another --set gave a value was dropped without a word (the table was built
    into a throwaway dict), and a key-by-key retry blamed condor.enabled=false for another --set's unknown key."""
    with pytest.raises(C.ConfigError) as caught:
        cli_set.apply(C.load_default(), items, {})
    assert str(caught.value).startswith(error), str(caught.value)


def test_set_edges_mutations_found_unpinned(capsys) -> None:
    """Trial MUT20: a pair fine alone is refused with the rest, not dropped (require_condor false in the config:
    condor.enabled=false with require_condor=true is the combination refused); --hedge-mode and --data-dir refuse
    the keys they set."""
    from vixhedge.cli import main

    cfg = C.replace(C.load_default(), hedge={"require_condor": False})
    with pytest.raises(C.ConfigError, match=r"^--set condor.enabled=false: condor.enabled = false with "
                                            r"hedge.require_condor = true"):
        cli_set.apply(cfg, ["condor.enabled=false", "hedge.require_condor=true"], {})
    assert main(["run", "--hedge-mode", "static", "--set", "hedge.mode=alvh", "--print-config"]) == 2
    assert "--set hedge.mode and --hedge-mode both set hedge.mode: give one" in capsys.readouterr().err
    assert main(["run", "--data-dir", ".", "--set", "market.source=embedded", "--print-config"]) == 2
    assert "--set market.source and --data-dir both set market.source: give one" in capsys.readouterr().err


def test_the_hedge_cost_percent_has_no_separator() -> None:
    """Trial RP: "1,158.08% of the condor credit" beside the Capital table's "-1642.26%/yr" (README: percents
    without a thousands separator). A short default run's hedge cost, its percent set to 1,158.08."""
    from feeds.market import build_market
    from vixhedge.report_sections import hedge_cost
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2016-03-01", "end": "2016-04-29"})
    res = run_backtest(cfg, build_market(cfg.market))
    h = {**res.metrics["hedge_cost"], "cost_pct_of_condor_credit": 1158.08}
    assert "1158.08% of the condor credit" in hedge_cost({"hedge_cost": h}, res.trades)


def test_the_drawdown_rows_count_one_day_in_the_singular(tmp_path) -> None:
    """Trial MUT21: report.html's drawdown rows read "1 days" (a run ruined on its second session). A short run's
    page with its metrics' durations set to 1 day."""
    import dataclasses
    import json

    from vixhedge import api

    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-06-01", "end": "2015-09-30"})
    res = api.run_backtest(cfg)
    m = json.loads(json.dumps(res.metrics, default=str))
    m["performance"] |= {"max_drawdown_duration_days": 1, "longest_drawdown_days": 1}
    page = (api.write_run(dataclasses.replace(res, metrics=m), tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "<td>max drawdown duration</td><td>1 day</td>" in page and "1 days" not in page


def test_the_hedge_cost_table_says_its_two_splits(tmp_path) -> None:
    """Trial VIS30 read "closed by rolls $43,750" beside "VX P&L realised at rolls $43,750", and "held to settlement
    / open" beside "settlements" and "open marks", as repeats: the rows from "closed by rolls" to "held to settlement
    / open" split the net by how positions closed, the rows above it by cash flow; the table says so."""
    import html

    from vixhedge.cli import main

    assert main(["run", "-q", "--runs-dir", str(tmp_path)]) == 0
    (folder,) = tmp_path.iterdir()
    page = html.unescape((folder / "report.html").read_text())
    cost = page[page.index("<h2>Hedge cost</h2>"):page.index("<h3>Hedge P&L by cause</h3>")]
    assert ('with the rows down to "held to settlement / open" it splits the same net by how positions closed, the '
            "rows above by cash flow") in cost
