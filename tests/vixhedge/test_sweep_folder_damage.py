"""A sweep folder damaged or not a sweep's: `vixhedge sweep --out` refuses a run's folder and `vixhedge report` a
damaged sweep folder, each in one line naming the file and what a rerun does with it; the outputs are hashed once,
at the sweep's end (README "Research workflows")."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge import sweep_claim, sweep_load, sweepio
from vixhedge.cli import main
from vixhedge.core.config import ConfigError


def test_a_refused_folder_is_one_cli_line(tmp_path: Path, capsys) -> None:
    """A run's folder given as --out (its report.html was overwritten in the fresh-user trial): exit 2, one line."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', name="refused")
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text("{}")
    (run / "report.html").write_text("the run's report")
    assert main(["sweep", str(spec), "--out", str(run), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"vixhedge: sweep output folder {run} is a `vixhedge run` folder"), err
    assert sorted(p.name for p in run.iterdir()) == ["manifest.json", "report.html"]
    assert (run / "report.html").read_text() == "the run's report"


def _one_line(err: str, *needles: str) -> None:
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert all(n in err for n in needles), err


def test_report_refuses_a_damaged_sweep_folder_in_one_line(tmp_path: Path, capsys) -> None:
    """The fresh-user trial (N5): a results.csv cut mid-line rebuilt a page saying "2 of 2 valid points finished" with
    its cells n/a (exit 0), a half-written summary.json ended `internal error: JSONDecodeError` (exit 3). Now one line
    naming the file and the fix, exit 2, report.html left as it was; the rerun the line gives repairs the folder.
    2 points (MACD fast 8/12 on the default config)."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="workers = 1", name="torn")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    capsys.readouterr()
    results, summary, page = out / "results.csv", out / "summary.json", out / "report.html"
    good_results, good_summary, good_page = results.read_bytes(), summary.read_bytes(), page.read_bytes()
    record = out / "output_files.json"
    good_record = record.read_bytes()

    # trial B: a point's sharpe edited in results.csv was shown by report (exit 0) and trusted by a rerun; a finished
    # sweep's files are checked against the sha256 output_files.json recorded (not report.html: report rewrites it)
    assert set(json.loads(good_record)["output_files"]) == {"base.toml", "best_nav.csv", "invalid.csv", "paths.csv",
                                                            "paths.json", "results.csv", "returns.bin", "spec.toml",
                                                            "summary.json"}
    edited = good_results.replace(b",", b",9", 1)  # one cell of the first row changed, nothing torn
    results.write_bytes(edited)
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{results} is damaged or was edited: its sha256 is not the one "
              "output_files.json recorded", "delete the folder and rerun the sweep")
    assert main(argv) == 2  # the rerun refuses too: it would keep the edited row
    _one_line(capsys.readouterr().err, f"{results} is damaged or was edited", "a rerun would keep its rows")
    assert results.read_bytes() == edited and record.read_bytes() == good_record and page.read_bytes() == good_page
    results.write_bytes(good_results)
    summary.write_bytes(good_summary.replace(b"\n", b"\n ", 1))  # a derived file: the rerun rewrites it
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{summary} is damaged or was edited", "to rewrite it")
    assert main(argv) == 0 and summary.read_bytes() == good_summary and record.read_bytes() == good_record
    capsys.readouterr()

    # a folder mid-sweep holds no record (a rerun deletes it before it changes a file): checked for torn rows only
    record.unlink()
    results.write_bytes(good_results[:-25])  # a kill mid-row: the last line without its line break
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{results} is damaged", "last row is cut", "rerun `vixhedge sweep",
              f"--out {out}", "same spec")
    assert page.read_bytes() == good_page
    assert main(argv) == 0  # the rerun cuts the torn row and runs its point again
    assert results.read_bytes() == good_results or len(pd.read_csv(results)) == 2
    assert main(["report", str(out)]) == 0
    capsys.readouterr()
    record.unlink()

    summary.write_bytes(good_summary[:len(good_summary) // 2])  # killed while writing summary.json
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{summary} is damaged (not valid JSON", "to rewrite it")
    summary.write_bytes(good_summary)

    lines = results.read_text().splitlines(keepends=True)
    results.write_text("".join(lines[:2]))  # 1 row where summary.json counts 2 finished points
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{results} holds 1 points but {summary} counts 2 finished")
    results.write_text("".join([lines[0], lines[1].split(",", 3)[0] + "\n", lines[2]]))  # a short row inside
    assert main(["report", str(out)]) == 2
    _one_line(capsys.readouterr().err, f"{results} is damaged: line 2 has 1 fields", "delete the folder")
    assert page.read_bytes() == good_page


@pytest.mark.parametrize("name", [*sweepio.HASHED, sweepio.OUTPUTS_FILE])
def test_report_advises_what_a_rerun_does_with_a_damaged_file(tmp_path: Path, name: str) -> None:
    """The review of the session: output_files.json unreadable made a rerun refuse ("delete the folder") while
    `vixhedge report` said "rerun ... to rewrite it", and paths.csv (kept by a rerun, sweep_paths.PATH_RECORDS) was
    not in KEPT. Now, for each hashed file (and the record itself), report's advice is what claim does: refuse with
    "delete the folder", or resume (and the rerun rewrites the file). A stand-in folder: load_sweep checks the
    record before it reads a file."""
    from vixhedge.sweep_paths import PATH_RECORDS

    assert PATH_RECORDS in sweepio.KEPT  # a resume appends to paths.csv as to results.csv
    out = tmp_path / "out"
    out.mkdir()
    for n in sweepio.HASHED:
        (out / n).write_text(f"{n}\n")
    sweepio.record_outputs(out)
    identity = {"hash": "h", "name": "t", "parts": {}}
    sweep_claim.claim(out, identity)  # writes spec.json (no record checked: a folder without spec.json)
    sweepio.record_outputs(out)
    (out / name).write_text("edited\n")
    with pytest.raises(sweep_load.SweepFolderError) as report:
        sweep_load.load_sweep(out)
    advice = str(report.value)
    assert "\n" not in advice and str(out / name) in advice
    try:
        sweep_claim.claim(out, identity)
    except ConfigError as exc:
        assert "delete the folder and rerun the sweep" in advice and str(exc) == advice, (str(exc), advice)
        assert name in (*sweepio.KEPT, sweepio.OUTPUTS_FILE)
    else:
        assert "to rewrite it" in advice and "delete the folder and rerun the sweep (" not in advice, advice
        assert name not in sweepio.KEPT and not (out / sweepio.OUTPUTS_FILE).exists()  # the resume drops the record


def test_a_sweep_hashes_each_output_once_at_its_end(tmp_path: Path, monkeypatch) -> None:
    """The review of the session: record_outputs hashed the outputs, then the report's load_sweep hashed them all
    again to check them. 1 point (MACD fast 8): each file output_files.json records is hashed once."""
    calls: list[str] = []
    sha256 = sweepio._sha256
    monkeypatch.setattr(sweepio, "_sha256", lambda path: calls.append(path.name) or sha256(path))
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="workers = 1", name="once")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    recorded = json.loads((out / "output_files.json").read_text())["output_files"]
    assert sorted(calls) == sorted(recorded), calls


@pytest.mark.parametrize("damage", ["deleted", "cut"])
def test_a_resume_runs_again_the_points_whose_returns_are_missing(tmp_path: Path, capsys, damage: str) -> None:
    """Trial IO (finding 1): in an interrupted folder (no record yet) whose returns.bin was deleted or cut by hand,
    a resume kept results.csv's rows and SPA / StepM tested 21 of 30 points, silently (exit 0). Now the rows
    without their returns are dropped, said in one line, and their points run again: the folder ends
    byte-identical to the clean sweep's, every point tested. 3 points (MACD fast 8/10/12, the default config)."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 10, 12]', extra="workers = 1", name="bin")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    capsys.readouterr()
    names = ("results.csv", "returns.bin", "summary.json", "paths.csv")
    clean = {n: (out / n).read_bytes() for n in names}
    (out / "output_files.json").unlink()  # mid-sweep: no record (an interrupted sweep's folder)
    returns = out / "returns.bin"
    if damage == "deleted":
        returns.unlink()
    else:  # the first record only (3 whole records of equal length)
        returns.write_bytes(clean["returns.bin"][:len(clean["returns.bin"]) // 3])
    assert main(argv) == 0
    err = capsys.readouterr().err
    lost = 3 if damage == "deleted" else 2
    assert f"lacks the daily returns of {lost} of the 3 points in results.csv" in err and "run again" in err, err
    assert {n: (out / n).read_bytes() for n in names} == clean
    assert json.loads((out / "summary.json").read_text())["snooping"]["points_tested"] == 3


def test_a_rerun_takes_the_old_page_away_with_the_record_and_a_damaged_spec_json_is_named(tmp_path: Path,
                                                                                        capsys) -> None:
    """Trial IO (findings 3, 9): a re-rank killed after its summary left the old ranking's report.html beside the
    new summary.json, unflagged (the page is not hashed): the rerun's claim now deletes the page with the record,
    before any file changes. A truncated spec.json said the folder "holds another sweep ('?')": now it is named
    damaged, with the fix, and nothing is written."""
    from feeds.market import build_market
    from vixhedge.sweep_spec import load_spec, spec_identity

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="workers = 1", name="page")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    loaded = load_spec(spec)
    sweep_claim.claim(out, spec_identity(loaded, build_market(loaded.base.market)))
    assert not (out / "report.html").exists() and not (out / sweepio.OUTPUTS_FILE).exists()
    assert not (out / sweepio.FIGURES).exists()  # the page's figures as files (VIS30) go with it
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0 and (out / "report.html").is_file()
    assert (out / sweepio.FIGURES).is_dir()  # (and the folder holding them is a sweep's: resumed, not refused)
    capsys.readouterr()
    good = (out / "spec.json").read_bytes()
    (out / "spec.json").write_bytes(good[:50])
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    _one_line(capsys.readouterr().err, f"{out / 'spec.json'} is damaged", "delete the folder")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_a_garbled_returns_bin_is_named_and_a_sweep_folder_with_a_fold_inside_stays_a_sweep(tmp_path: Path,
                                                                                          capsys) -> None:
    """Review 18: a returns.bin shifted by hand (no record yet) ended `internal error: UnicodeDecodeError` (exit 3);
    now one line naming it and the fix, nothing changed. And `vixhedge report` on a sweep folder holding another
    sweep under fold-1/ rebuilt it as an unfinished walk-forward: it stays a sweep."""
    import shutil

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="workers = 1", name="garbled")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    capsys.readouterr()
    shutil.copytree(out, out / "fold-1")
    assert main(["report", str(out)]) == 0
    capsys.readouterr()
    shutil.rmtree(out / "fold-1")
    (out / "output_files.json").unlink()  # an interrupted sweep's folder
    returns = out / "returns.bin"
    returns.write_bytes(returns.read_bytes()[8:])
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    assert main(argv) == 2
    _one_line(capsys.readouterr().err, f"{returns} is damaged", "delete it and rerun the sweep")
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


@pytest.mark.parametrize("lines, bad, fix, not_fix", [
    # header + a 2-field row inside the file (line 2 of 3): no rerun can cut it, only a new folder mends it
    (["point,{f},x", "0,1", "1,2,3"], 2, "delete the folder and rerun the sweep", "cut it and run its point again"),
    # header + a whole row + a 2-field LAST row (line 3 of 3): the torn row the rerun cuts (sweepio.read_done)
    (["point,{f},x", "0,1,2", "1,2"], 3, "cut it and run its point again", None),
])
def test_a_short_row_inside_results_csv_and_a_short_last_row_get_their_own_advice(tmp_path, lines, bad, fix,
                                                                                  not_fix) -> None:
    """MUT28 SL3: sweep_load._read_results' docstring: a torn last row "the rerun cuts ... and runs its point
    again"; a short row inside the file it cannot. Line numbers and field counts by hand: header 3 fields."""
    from vixhedge.sweep_metrics import RESULT_FIELDS

    path = tmp_path / "results.csv"
    path.write_text("".join(line.format(f=RESULT_FIELDS[0]) + "\n" for line in lines))
    rerun = "rerun it to {} (finished points are kept), or delete the folder and rerun the sweep"
    with pytest.raises(sweep_load.SweepFolderError, match=f"is damaged: line {bad} has 2 fields, the header 3: ") as e:
        sweep_load._read_results(path, rerun)
    assert fix in str(e.value) and (not_fix is None or not_fix not in str(e.value))


@pytest.mark.parametrize("results, finished, invalid, why", [
    # SL2: 3 distinct points (0, 1, 2: counted by hand) where summary.json counts 2 finished
    ("point,{f}\n0,1.0\n1,1.0\n2,1.0\n", 2, None, "results.csv holds 3 points but {d}/summary.json counts 2 finished"),
    # SL5b: rows whole, but the header lacks the first result field (sweep_metrics.RESULT_FIELDS[0])
    ("point,x\n0,1.0\n1,1.0\n", 2, None, "results.csv is damaged: no {f} column in its header ['point', 'x']"),
    # SL7: invalid.csv with a quoted field never closed (pandas raises ParserError, a ValueError)
    ("point,{f}\n0,1.0\n1,1.0\n", 2, 'point,why\n0,"never closed\n', "invalid.csv is damaged ("),
], ids=["SL2-more-points-than-finished", "SL5b-no-first-result-column", "SL7-invalid-csv-unparsable"])
def test_a_hand_damaged_sweep_folder_is_one_sweep_folder_error(tmp_path: Path, results, finished, invalid,
                                                               why) -> None:
    """MUT28 SL2 / SL5b / SL7: sweep_load.load_sweep's docstring: "raise SweepFolderError naming what is missing
    or damaged (... results.csv's rows not the ones summary.json counts)"; each folder is written by hand."""
    from vixhedge.sweep_metrics import RESULT_FIELDS

    f = RESULT_FIELDS[0]
    (tmp_path / "results.csv").write_text(results.format(f=f))
    (tmp_path / "summary.json").write_text(json.dumps({"finished": finished}))
    if invalid is not None:
        (tmp_path / "invalid.csv").write_text(invalid)
    with pytest.raises(sweep_load.SweepFolderError) as e:
        sweep_load.load_sweep(tmp_path, recorded=True)
    assert why.format(f=f, d=tmp_path) in str(e.value) and "\n" not in str(e.value), str(e.value)


def test_claiming_a_folder_without_spec_drops_a_stale_output_record(tmp_path: Path):
    """MUT28 IO5: vixhedge.sweep_claim.claim: a folder with no spec.json is claimed afresh; an output_files.json there
    (OUTPUTS_FILE: "the sha256 of a finished sweep's files") is another sweep's record, so it is deleted and spec.json
    holds the new identity (written by hand)."""
    (tmp_path / "results.csv").write_text("point\n0\n")
    (tmp_path / sweepio.OUTPUTS_FILE).write_text('{"results.csv": "0000"}\n')
    identity = {"hash": "abc", "parts": {"grid": "g"}}
    sweep_claim.claim(tmp_path, identity)
    assert not (tmp_path / sweepio.OUTPUTS_FILE).exists()
    assert json.loads((tmp_path / sweepio.SPEC_FILE).read_text()) == identity
