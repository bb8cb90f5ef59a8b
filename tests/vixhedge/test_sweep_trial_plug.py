"""``vixhedge sweep`` with a plug-in, as the plug-in trial of 2026-12-04 met it: failed points said (stderr, report,
summary), the reproduce command's PYTHONPATH, a plug-in parameter's wrong-type grid value refused before work, the
help, the bootstrap block's caveat, the best point's condor P&L and deflated Sharpe digits."""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from vixhedge.cli import main
from vixhedge.core import config as C

PLUGIN = '''
from dataclasses import dataclass

from vixhedge.api import Decision, due_rolls


@dataclass(frozen=True)
class Params:
    enter: float = 70.0
    contracts: int = 1


def policy(state, snap, cfg):
    p = Params(**cfg.policy_params)
    if p.enter < 65:
        raise RuntimeError("enter too low for this bar")
    rolls = tuple(due_rolls(state, cfg))
    return Decision(rolls, (), ())


policy.params = Params
'''

SPEC = """
[sweep]
name = "{name}"
workers = 1
{extra}
[base]
run = {{ start = 2016-06-01, end = 2016-12-30 }}
hedge = {{ policy = "trial_plug:policy" }}

[grid]
{grid}
"""


@pytest.fixture()
def plug(tmp_path: Path, monkeypatch) -> Path:
    """A folder holding the plug-in module ``trial_plug``, on sys.path (forked workers inherit it)."""
    folder = tmp_path / "plug"
    folder.mkdir()
    (folder / "trial_plug.py").write_text(textwrap.dedent(PLUGIN))
    monkeypatch.syspath_prepend(str(folder))
    yield folder
    sys.modules.pop("trial_plug", None)


def write_spec(folder: Path, grid: str, name: str = "t", extra: str = "") -> Path:
    p = folder / f"{name}.toml"
    p.write_text(SPEC.format(name=name, grid=grid, extra=extra))
    return p


def test_a_sweep_with_failed_points_warns_on_stderr_in_the_report_and_summary(plug: Path, capsys) -> None:
    """Plug-in trial 2026-12-04, finding 1: some points failed, the sweep exited 0 and printed a count only."""
    spec = write_spec(plug, '"hedge.policy_params.enter" = [60.0, 70.0, 75.0]', name="flaky")
    out = plug / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0  # two points finished: exit 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("vixhedge sweep: WARNING sweep 'flaky': 1 of 3 valid points failed"), err
    assert "hedge.policy_params.enter': 60.0" in err[0] and "RuntimeError: enter too low for this bar" in err[0]
    assert f"every failure's error is in {out / 'failed.csv'}" in err[0]
    summary = json.loads((out / "summary.json").read_text())
    assert summary["failed"] == 1 and summary["finished"] == 2
    first = summary["first_failure"]
    raised = PLUGIN.splitlines().index('        raise RuntimeError("enter too low for this bar")') + 1
    where = f" (at {plug / 'trial_plug.py'}:{raised} in policy)"  # the place in the user's file, as `run` says it
    assert first["error"].endswith("RuntimeError: enter too low for this bar" + where), first["error"]
    assert where in err[0]
    failed = pd.read_csv(out / "failed.csv")
    assert failed["error"].iloc[0].endswith(where)
    assert first["params"] == "{'hedge.policy_params.enter': 60.0}"
    page = (out / "report.html").read_text()
    banner = page.index('<div class="banner warn"><p><b>Warning:</b> 1 of 3 valid points failed')
    assert banner < page.index("<h2>Best point</h2>") and "failed.csv (in this folder)" in page[banner:]


def test_run_sweep_from_python_warns_of_failed_points(plug: Path) -> None:
    """Left over from the plug-in trial of 2026-12-04: api.run_sweep returned without a word when points failed
    (the command warns on stderr); now a SweepFailureWarning says what the command's line says, and the repr counts
    them; when every point fails it raises the one line `vixhedge report` gives."""
    from vixhedge import api
    from vixhedge.sweep_load import SweepFolderError

    spec = write_spec(plug, '"hedge.policy_params.enter" = [60.0, 70.0]', name="pyflaky")
    with pytest.warns(api.SweepFailureWarning, match=r"^sweep 'pyflaky': 1 of 2 valid points failed .*RuntimeError: "
                                                     r"enter too low for this bar \(at .*trial_plug.py:\d+ in policy\)"):
        sweep = api.run_sweep(spec, plug / "py-out", progress=False)
    assert len(sweep.results) == 1 and "1 of 2 points finished, 1 failed," in repr(sweep)
    spec = write_spec(plug, '"hedge.policy_params.enter" = [60.0, 61.0]', name="pyallfail")
    with pytest.raises(SweepFolderError, match="no point of the sweep finished, so there is nothing to report"):
        api.run_sweep(spec, plug / "py-all", progress=False)


def test_a_sweep_whose_every_point_failed_exits_1_in_one_line(plug: Path, capsys) -> None:
    """Plug-in trial 2026-12-04, finding 1: when every point fails the sweep ended in exit 2 and a line that its
    folder was "not a finished sweep folder: missing results.csv"."""
    spec = write_spec(plug, '"hedge.policy_params.enter" = [60.0, 61.0]', name="allfail")
    out = plug / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 1
    captured = capsys.readouterr()
    err = captured.err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vixhedge sweep: sweep 'allfail': no point finished, nothing to "
                                               "report: 2 of 2 valid points failed"), err
    assert "best point: none" in captured.out and "missing results.csv" not in captured.err
    assert json.loads((out / "summary.json").read_text())["first_failure"]["point"]
    assert not (out / "report.html").exists()
    assert main(["report", str(out)]) == 2  # `vixhedge report` says why there is no report, in one line
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and re.search(r"no point of the sweep finished, so there is nothing to report: 2 of 2 "
                                       r"valid points failed", err[0]), err


def test_the_first_failure_is_the_first_in_grid_order_on_one_line(tmp_path: Path) -> None:
    """Plug-in trial 2026-12-04, finding 1: failed.csv's error may span lines (a quoted field); the summary's is one,
    of a point that did not finish on a rerun."""
    from vixhedge.sweep_summary import first_failure
    from vixhedge.sweep_text import failure_words

    path = tmp_path / "failed.csv"
    path.write_text('point,params,error\na,{},"ValueError: one\n  two"\nb,{},"x' + "y" * 400 + '"\n')
    assert first_failure(path, {"a", "b"}) == {"point": "a", "params": "{}", "error": "ValueError: one two"}
    assert len(first_failure(path, {"b"})["error"]) == 300
    assert first_failure(path, {"c"}) is None
    assert failure_words({"failed": 0}, "failed.csv") == ""


def test_the_reproduce_command_names_the_pythonpath_of_the_plugins(plug: Path, capsys) -> None:
    """Plug-in trial 2026-12-04, finding 2: the sweep's reproduce command (console, summary.json, report.html) lacked
    the PYTHONPATH its plug-in needs; run and compare print it (one helper: vixhedge.report.pythonpath)."""
    spec = write_spec(plug, '"hedge.policy_params.enter" = [70.0, 75.0]', name="repro")
    out = plug / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    want = f"PYTHONPATH={plug} vixhedge sweep {spec} --out {out}"
    assert f"reproduce: {want}\n" in capsys.readouterr().out
    assert json.loads((out / "summary.json").read_text())["reproduce"] == want
    assert f"<code>{want}</code>" in (out / "report.html").read_text()


def test_a_plugin_named_by_the_grid_only_is_on_the_reproduce_pythonpath(plug: Path) -> None:
    """Plug-in trial 2026-12-04, finding 2: a policy swept in [grid] (not in [base]) needs its folder too; built-ins
    need none."""
    from vixhedge import sweep as sw
    from vixhedge.sweep_folder import reproduce_command

    spec = sw.load_spec(write_spec(plug, '"hedge.policy" = ["alvh", "trial_plug:policy"]', name="grid"))
    base = C.replace(spec.base, hedge={"policy": ""})
    command = reproduce_command(plug / "grid.toml", plug / "o", dataclasses.replace(spec, base=base), False, {})
    assert command.startswith(f"PYTHONPATH={plug} vixhedge sweep ")
    builtin = dataclasses.replace(spec, base=base, grid={"hedge.policy": ["alvh", "static"]})
    assert reproduce_command(plug / "grid.toml", plug / "o", builtin, False, {}).startswith("vixhedge sweep ")


def test_a_wrong_type_grid_value_of_a_plugin_parameter_is_refused_before_work(plug: Path, capsys) -> None:
    """Plug-in trial 2026-12-04, finding 3: "60" (a string) for the plug-in's float param `enter` went to invalid.csv
    point by point and the sweep ran the rest; now it is a spec error, one line, exit 2, no folder."""
    spec = write_spec(plug, '"hedge.policy_params.enter" = ["60", 70.0]', name="typed")
    out = plug / "out"
    assert main(["sweep", str(spec), "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge: {spec}: grid.hedge.policy_params.enter = '60' is invalid for trial_plug:policy: "
                   "enter = '60': use a number (Params.enter is float); write 60, without quotes"], err
    assert not out.exists()
    from vixhedge import sweep as sw

    with pytest.raises(C.ConfigError, match=r"grid.hedge.policy_params.contracts = 1.5 is invalid for "
                                            r"trial_plug:policy: contracts = 1.5: use a whole number "
                                            r"\(Params.contracts is int\)$"):
        sw.load_spec(write_spec(plug, '"hedge.policy_params.contracts" = [1, 1.5]', name="typed"))
    # the plug-in named by the grid (not by [base]) is checked too; a value of the right type stays a point
    grid = '"hedge.policy" = ["trial_plug:policy"]\n"hedge.policy_params.enter" = [true]'
    text = write_spec(plug, grid, name="typed").read_text().replace('hedge = { policy = "trial_plug:policy" }', "")
    (plug / "typed.toml").write_text(text)
    with pytest.raises(C.ConfigError, match=r"enter = true is invalid for trial_plug:policy: .*use a number"):
        sw.load_spec(plug / "typed.toml")
    assert sw.load_spec(write_spec(plug, '"hedge.policy_params.enter" = [60, 70.5]', name="typed"))


def test_sweep_help_names_the_config_key_and_pythonpath(capsys) -> None:
    """Plug-in trial 2026-12-04, finding 4: `vixhedge sweep --help` said neither that sweep.config names the run
    config the points start from nor that plug-ins need their folder on PYTHONPATH."""
    with pytest.raises(SystemExit) as exc:
        main(["sweep", "--help"])
    assert exc.value.code == 0
    text = capsys.readouterr().out
    assert 'config = "my_run.toml"' in text and "relative to the spec's folder" in text
    assert "e.g. PYTHONPATH=plug vixhedge sweep plug/grid.toml" in text and "put its folder on PYTHONPATH" in text


def test_a_bootstrap_block_a_quarter_of_the_returns_or_more_gets_a_caveat(plug: Path) -> None:
    """Plug-in trial 2026-12-04, finding 5: SPA / StepM's data-driven block (61 days in the trial) said nothing when
    it was a large share of the daily returns tested (a one-year evaluation window); now one caveat line in the
    console summary and in report.html at block >= 1/4 of the returns."""
    from vixhedge import sweep as sw
    from vixhedge import sweep_report
    from vixhedge.sweep_text import block_caveat

    sn = {"benchmark": "no hedge", "points_tested": 3, "points_finished": 3, "reps": 1000, "block_days": 61,
          "days": 244, "spa_pvalue": 0.5, "spa_pvalue_lower": 0.4, "spa_pvalue_upper": 0.6, "stepm_size": 0.05,
          "stepm_superior": 0, "best_in_stepm_set": False}
    words = ("the SPA / StepM bootstrap block (61 days) is 25% of the 244 daily returns tested: about 4.0 "
             "independent blocks, so their p-values are rough (a longer evaluation window gives more)")
    assert block_caveat(sn) == words
    assert block_caveat({**sn, "days": 245}) == "" and block_caveat({**sn, "days": None}) == ""  # (an old folder)
    summary = {"points": 3, "finished": 3, "invalid": 0, "failed": 0, "not_run": 0, "ruined": 0, "snooping": sn,
               "best": {"point": "ab", "k": 3, "sharpe": 0.5}, "baseline_none": {}}
    lines = sw.format_summary(summary, "w", ["k"], Path("o")).splitlines()
    assert [ln for ln in lines if "caveat" in ln] == [f"  caveat (SPA / StepM against no hedge): {words}"]
    assert lines.index(f"  caveat (SPA / StepM against no hedge): {words}") == 1 + next(i for i, ln in enumerate(lines) if ln.startswith("SPA"))
    results = pd.DataFrame({"point": ["ab"], "k": [3], "sharpe": [0.5]})
    section = sweep_report._best_section(results, summary, ["k"], "sharpe")
    assert "SPA / StepM caveat" in section and "61-day blocks" in section and "25% of the 244 daily" in section
    # a sweep records the days its SPA / StepM tested
    spec = write_spec(plug, '"hedge.policy_params.enter" = [70.0, 75.0]', name="days")
    assert main(["sweep", str(spec), "--out", str(plug / "out"), "--quiet"]) == 0
    tested = json.loads((plug / "out" / "summary.json").read_text())["snooping"]
    assert tested["days"] == 148 and tested["block_days"] >= 1  # 2016-06-01..12-30: 149 sessions, 148 returns


def test_the_console_summary_shows_the_best_points_condor_pnl_and_3_digit_deflated_sharpe() -> None:
    """Plug-in trial 2026-12-04, finding 6: the console summary had no condor P&L line for the best point
    (results.csv has condor_pnl_usd), and the deflated Sharpe ratio printed 2 digits there, 3 in report.html."""
    from vixhedge import sweep as sw

    split = {"points": 2, "finished": 2, "invalid": 0, "failed": 0, "not_run": 0, "ruined": 0,
             "best": {"point": "ab", "k": 3, "is_sharpe": 0.5, "oos_sharpe": 0.1, "is_condor_pnl_usd": 36232.4,
                      "oos_condor_pnl_usd": -17469.0},
             "baseline_none": {"is_condor_pnl_usd": 34157.0, "oos_condor_pnl_usd": -17469.0},
             "deflated_sharpe_ratio": 0.5003683, "trials": 2}
    lines = sw.format_summary(split, "w", ["k"], Path("o")).splitlines()
    assert ("  condor P&L   in sample $36,232 (no hedge $34,157); out of sample -$17,469 (no hedge -$17,469); ex "
            "fees, as results.csv") in lines
    assert ("  deflated Sharpe ratio 0.500 over 2 trials (the probability the best in-sample point's true Sharpe is "
            "above 0 once its trials are deflated; not against no hedge)") in lines
    old = {**split, "best": {"point": "ab", "k": 3, "is_sharpe": 0.5, "oos_sharpe": 0.1}}  # before condor_pnl_usd
    assert not any("condor P&L" in ln for ln in sw.format_summary(old, "w", ["k"], Path("o")).splitlines())


def test_the_sweep_modules_stay_under_400_lines() -> None:
    """Plug-in trial 2026-12-04, finding 7: vixhedge/sweepio.py had 405 lines; the grid-order rewrite moved to
    vixhedge/sweep_order.py (and a folder's checked reading to vixhedge/sweep_load.py: sweep_report.py grew past 400
    with this session's banner and caveat)."""
    root = Path(__file__).resolve().parents[2] / "vixhedge"
    long = {p.name: n for p in sorted(root.glob("sweep*.py")) if (n := len(p.read_text().splitlines())) >= 400}
    assert not long, long


def test_grid_names_skip_an_empty_name_and_unwrap_a_list_value():
    """MUT28 EX2 / EX5: vixhedge.extensions.grid_names returns (config key, name) of each plug-in a grid names: ""
    (an empty value, naming no plug-in) is not a name, and a list value (hedge.signals takes a list) names each
    of its items, not its repr "['custom_signal:vx_zscore']". Expected pairs written by hand."""
    from vixhedge.extensions import grid_names

    assert ("hedge.policy", "") not in grid_names(C.Config(), {"hedge.policy": ["", "custom:policy"]})
    assert ("hedge.policy", "custom:policy") in grid_names(C.Config(), {"hedge.policy": ["", "custom:policy"]})
    pairs = grid_names(C.Config(), {"hedge.signals": [["custom_signal:vx_zscore"]]})
    assert [p for p in pairs if p[0] == "hedge.signals"] == [("hedge.signals", "custom_signal:vx_zscore")]
