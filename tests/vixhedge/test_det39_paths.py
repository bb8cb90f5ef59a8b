"""Trial DET39 (2026-12-07, determinism audit): which folder path an output holds.

* M1: a `compare --windows` folder wrote its own path into windows.json (``command`` and each window's ``rerun``,
  with ``--runs-dir``), so the same windows written with ``--runs-dir runs`` from w1 and ``--runs-dir w1/runs`` from
  its parent gave two windows.json, and ``vixhedge report`` of a moved folder redrew the page with the old path.
* M2: ``--variant NAME sweep=FOLDER`` wrote FOLDER as typed into ``searched``, which is hashed into the folder id:
  ``sw`` and its absolute path gave two comparisons of the same keys.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.vixhedge.sweep_cases import write_spec
from vixhedge.cli import main

# tests/vixhedge/test_compare_windows.py's SHORT: 3 windows of 6 months in 2015, n_boot 100 (fast)
WINDOWS = ["compare", "-q", "--start", "2015-01-01", "--end", "2015-12-31", "--windows", "6m/3m", "--n-boot", "100",
           "--modes", "none,static"]


def _files(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (a compare's runs/ too), by its path inside it."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_windows_folder_keeps_no_path_and_its_page_names_where_it_is(tmp_path, monkeypatch):
    """windows.json is the same bytes from either spelling; report.html (as a compare folder's, README
    "Deterministic") names the folder from the working folder; a moved folder's rebuilt page names where it now is,
    and so does an older folder's, whose windows.json held the path it was written to."""
    w1 = tmp_path / "w1"
    w1.mkdir()
    monkeypatch.chdir(w1)
    assert main([*WINDOWS, "--runs-dir", "runs"]) == 0
    (folder,) = (w1 / "runs").iterdir()
    rid = folder.name
    first = _files(folder)
    shutil.rmtree(w1 / "runs")
    monkeypatch.chdir(tmp_path)
    assert main([*WINDOWS, "--runs-dir", "w1/runs"]) == 0
    second = _files(folder)
    assert sorted(second) == ["config.toml", "report.html", "windows.csv", "windows.json", "windows.svg"]
    assert {k: v for k, v in second.items() if k != "report.html"} == \
        {k: v for k, v in first.items() if k != "report.html"}
    record = first["windows.json"].decode()
    assert "runs" not in record and '"command": "vixhedge compare config.toml --modes none,static ' in record
    # the page: the command and the best and worst windows' reruns (one mode beside the baseline: 3 commands) name
    # the folder's config.toml from the working folder, with --runs-dir where its parent is not `runs`
    page = second["report.html"].decode()
    assert page.count(f"vixhedge compare w1/runs/{rid}/config.toml --modes ") == 3
    assert page == first["report.html"].decode().replace(f" runs/{rid}/", f" w1/runs/{rid}/").replace(
        " --engine fast --", " --engine fast --runs-dir w1/runs --")
    # moved: `vixhedge report` from mv/ names deep/<id> (it kept w1/runs/<id>, a path that is not there from mv/)
    (tmp_path / "mv" / "deep").mkdir(parents=True)
    moved = tmp_path / "mv" / "deep" / rid
    shutil.copytree(folder, moved)
    monkeypatch.chdir(tmp_path / "mv")
    assert main(["report", f"deep/{rid}"]) == 0
    page = (moved / "report.html").read_text()
    assert page.count(f"vixhedge compare deep/{rid}/config.toml --modes ") == 3
    assert page.count(" --runs-dir deep --") == 3 and "w1/runs" not in page
    rebuilt = page
    # a folder written before the fix (windows.json held w1/runs/<id> and --runs-dir w1/runs, as trial DET39 quotes
    # it) is still read, and re-based alike
    old = first["windows.json"].decode().replace("vixhedge compare config.toml ",
                                                 f"vixhedge compare w1/runs/{rid}/config.toml ")
    (moved / "windows.json").write_text(old.replace(" --engine fast --", " --engine fast --runs-dir w1/runs --"))
    assert "w1/runs" in (moved / "windows.json").read_text()
    assert main(["report", f"deep/{rid}"]) == 0
    assert (moved / "report.html").read_text() == rebuilt


def test_placed_quotes_a_path_and_keeps_what_it_does_not_know():
    """A folder whose path needs quoting for a shell (as vixhedge.runfolder.shown_path quotes it), a PYTHONPATH
    prefix kept, an older command's quoted --runs-dir replaced, and a command of another shape left as it is."""
    from vixhedge.compare_windows_page import placed

    where = Path("/x y/out/default-windows-1")
    new = "PYTHONPATH=/p vixhedge compare config.toml --modes none,static --engine fast --windows 2y/6m"
    want = ("PYTHONPATH=/p vixhedge compare '/x y/out/default-windows-1/config.toml' --modes none,static "
            "--engine fast --runs-dir '/x y/out' --windows 2y/6m")
    assert placed(new, where) == want
    older = ("PYTHONPATH=/p vixhedge compare '/a b/default-windows-1/config.toml' --modes none,static --engine fast "
             "--runs-dir '/a b' --windows 2y/6m")
    assert placed(older, where) == want
    rerun = "vixhedge compare config.toml --modes none,static --engine fast --start 2015-01-02 --end 2015-06-30"
    assert placed(rerun, where) == ("vixhedge compare '/x y/out/default-windows-1/config.toml' --modes none,static "
                                    "--engine fast --runs-dir '/x y/out' --start 2015-01-02 --end 2015-06-30")
    assert placed("vixhedge run config.toml", where) == "vixhedge run config.toml"


@pytest.fixture(scope="module")
def sweep_home(tmp_path_factory):
    """A finished 4-point sweep (sweep_cases' spec, MACD fast 8 / 12 x slow 20 / 26 over 2016-01-04..04-29) in
    HOME/sw."""
    home = tmp_path_factory.mktemp("home")
    assert main(["sweep", str(write_spec(home, fast="[8, 12]")), "--out", str(home / "sw"), "--workers", "1",
                 "-q"]) == 0
    return home


def test_one_sweep_spelled_three_ways_is_one_comparison(sweep_home, tmp_path, monkeypatch, capsys):
    """`sweep=sw`, `sweep=./sw/` and the absolute path, from the folder holding sw: one folder id, the same bytes,
    and the words name `sw` (relative to the working folder, as manifest.json's run_folder)."""
    monkeypatch.chdir(sweep_home)
    out = tmp_path / "runs"
    for spelled in ("sw", "./sw/", str(sweep_home / "sw")):
        assert main(["compare", "--start", "2016-01-04", "--end", "2016-04-29", "--modes", "none,static",
                     "--variant", "pick", f"sweep={spelled}", "--n-boot", "200", "--runs-dir", str(out), "-q"]) == 0
        (folder,) = out.iterdir()  # (it was two folders: the id hashes the words)
        files = _files(folder)
        if spelled == "sw":
            first = files
        assert files == first, spelled
    record = json.loads(first["comparison.json"])
    assert record["variants"]["pick"]["searched"].startswith("the best of 4 points of the sweep sw by Sharpe, ")
    capsys.readouterr()
