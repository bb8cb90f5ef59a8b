"""An interrupted rerun of a finished sweep or walk-forward loses nothing (trial FUZZ37 H1, 2026-12-07): the same
command again, Ctrl-C'd at 2 s, deleted the walk-forward's walkforward.json / .csv / .png, report.html and
output_files.json and the folds' pages and figures (`vixhedge report` then refused the folder as unfinished). A
finished folder's files now stay until they change: a new row written, or a ranking by another metric."""

from __future__ import annotations

import pytest

from tests.vixhedge.sweep_cases import write_spec
from tests.vixhedge.test_walkforward import SPEC
from vixhedge import sweep as sw
from vixhedge.cli import main


def _files(folder):
    return {p.relative_to(folder): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _interrupt(*args, **kwargs):
    raise KeyboardInterrupt


#: where a rerun is interrupted: once its points are known finished (after the folder is claimed), in the summary
#: (trial RD38 H1: best_nav.csv was deleted as it began, its record kept), before the out-of-sample figures, before
#: the page
STOPS = [("vixhedge.sweep", "sort_outputs"), ("vixhedge.sweep_summary", "best_run"), ("vixhedge.sweep_judge", "judge"),
         ("vixhedge.sweep_report", "write_sweep_report")]


@pytest.mark.parametrize("module, stop", STOPS, ids=[s for _, s in STOPS])
@pytest.mark.parametrize("walk", [True, False], ids=["walk-forward", "sweep"])
def test_an_interrupted_rerun_of_a_finished_folder_leaves_every_file_as_it_was(tmp_path, monkeypatch, capsys, walk,
                                                                              module, stop):
    """The rerun interrupted at each of :data:`STOPS`: every file of the folder the same bytes, and `vixhedge report`
    rebuilds it (exit 0)."""
    import importlib

    if walk:
        path = tmp_path / "wf.toml"
        path.write_text(SPEC.format(extra=""))
        argv = ["sweep", str(path), "--walk-forward", "2,1", "--out", str(tmp_path / "out"), "-q"]
    else:
        argv = ["sweep", str(write_spec(tmp_path)), "--workers", "1", "--out", str(tmp_path / "out"), "-q"]
    assert main(argv) == 0
    before = _files(tmp_path / "out")
    monkeypatch.setattr(importlib.import_module(module), stop, _interrupt)
    assert main(argv) == 130
    capsys.readouterr()
    assert _files(tmp_path / "out") == before
    monkeypatch.undo()
    assert main(["report", str(tmp_path / "out")]) == 0


def test_a_rerun_that_writes_a_new_row_or_ranks_by_another_metric_drops_the_finished_record(tmp_path, monkeypatch,
                                                                                           capsys):
    """Where the files do change, the record, page and figures go first, as before (trial IO): a ranking by another
    metric rewrites the summary and the page; a point left to run (its row taken out of results.csv and the record
    with it, as an interrupted sweep leaves a folder) writes a new row."""
    from vixhedge.sweepio import OUTPUTS_FILE, PAGE

    spec = write_spec(tmp_path)
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--workers", "1", "--out", str(out), "-q"]
    assert main(argv) == 0
    monkeypatch.setattr(sw, "sort_outputs", _interrupt)
    assert main([*argv, "--rank-by", "cvar95"]) == 130
    assert not (out / OUTPUTS_FILE).exists() and not (out / PAGE).exists()
    monkeypatch.undo()
    assert main(argv) == 0 and (out / OUTPUTS_FILE).is_file()
    rows = (out / "results.csv").read_text().splitlines()
    (out / "results.csv").write_text("\n".join(rows[:-1]) + "\n")  # (a point's row gone, as an interrupted sweep
    (out / OUTPUTS_FILE).unlink()  # leaves it, with no record: the point runs again, its row new)
    monkeypatch.setattr(sw, "sort_outputs", _interrupt)
    assert main(argv) == 130
    capsys.readouterr()
    assert not (out / OUTPUTS_FILE).exists() and not (out / PAGE).exists()


def test_a_walk_forward_folder_with_a_user_s_notes_resumes_and_one_holding_another_kind_is_refused(tmp_path, capsys):
    """Trial FUZZ37 M2: a notes.txt (or an analysis/ folder) in a finished walk-forward's folder refused every rerun
    and re-rank ("is not a walk-forward's (it holds notes.txt)"), where a sweep's folder keeps a user's files. Now it
    is kept; a folder that also holds another kind's file (a run's manifest.json) is still refused, unchanged."""
    path = tmp_path / "wf.toml"
    path.write_text(SPEC.format(extra=""))
    out = tmp_path / "out"
    argv = ["sweep", str(path), "--walk-forward", "2,1", "--out", str(out), "-q"]
    assert main(argv) == 0
    (out / "notes.txt").write_text("my notes")
    (out / "analysis").mkdir()
    assert main([*argv, "--rank-by", "cvar95"]) == 0 and (out / "notes.txt").read_text() == "my notes"
    (out / "manifest.json").write_text("{}")
    before = _files(out)
    capsys.readouterr()
    assert main(argv) == 2
    assert f"walk-forward output folder {out} is a `vixhedge run` folder" in capsys.readouterr().err
    assert _files(out) == before


def test_report_of_a_walk_forward_refuses_a_fold_missing_or_damaged(tmp_path, capsys):
    """Trial FUZZ37 L6: `vixhedge report` of a walk-forward drew its page (exit 0) with a fold's folder deleted or its
    results.csv edited, the links to it broken or its figures not its own. One line naming the fold's file now."""
    import shutil

    path = tmp_path / "wf.toml"
    path.write_text(SPEC.format(extra=""))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--walk-forward", "2,1", "--out", str(out), "-q"]) == 0
    capsys.readouterr()
    with (out / "fold-2" / "results.csv").open("a") as f:
        f.write("\n")
    assert main(["report", str(out)]) == 2
    assert f"{out / 'fold-2' / 'results.csv'} is damaged or was edited" in capsys.readouterr().err
    shutil.rmtree(out / "fold-2")
    assert main(["report", str(out)]) == 2
    assert f"{out / 'fold-2'} is missing or not a finished sweep (walkforward.json names it, fold 2)" in \
        capsys.readouterr().err


def test_a_walk_forward_whose_fold_holds_failed_points_drops_its_stitched_files_before_the_rerun(tmp_path,
                                                                                               monkeypatch, capsys):
    """MUT38 WF5 (no probe then): a fold with failed.csv retries those points, so its rows may change; the walk-
    forward's stitched files and record go first (as before trial FUZZ37 H1), where a finished one keeps them. A
    failed.csv written into fold-1 of a finished walk-forward, the rerun stopped once the folds are claimed."""
    from vixhedge.sweepio import OUTPUTS_FILE

    path = tmp_path / "wf.toml"
    path.write_text(SPEC.format(extra=""))
    out = tmp_path / "out"
    argv = ["sweep", str(path), "--walk-forward", "2,1", "--out", str(out), "-q"]
    assert main(argv) == 0
    (out / "fold-1" / "failed.csv").write_text("point,params,error\n")
    monkeypatch.setattr(sw, "sort_outputs", _interrupt)
    assert main(argv) == 130
    capsys.readouterr()
    assert not any((out / n).exists() for n in ("walkforward.json", "walkforward.csv", OUTPUTS_FILE))
