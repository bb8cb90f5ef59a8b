"""README.md's opening ("Set-up", "What a run prints and writes") and its "Developer notes", checked on a real default
run. A fresh-user trial found the summary paraphrased in one 110-word sentence, a 652-character manifest cell and a
page order that no longer held: the summary block is now what `vixhedge run` prints, the manifest and benchmark
cells name keys and columns the folder holds, and the notes list report.html's sections in the page's order."""

from __future__ import annotations

import contextlib
import html
import io
import json
import re
from pathlib import Path

import pytest

from vixhedge.cli import main

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> tuple[str, Path]:
    """`vixhedge run` on the packaged default config (what the README's set-up runs): its stdout and its folder."""
    runs = tmp_path_factory.mktemp("runs")
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["run", "--runs-dir", str(runs)]) == 0
    (folder,) = runs.iterdir()
    return out.getvalue(), folder


def _section(title: str) -> str:
    return README.split(f"\n{title}\n", 1)[1].split("\n#", 1)[0]


def _table_cell(file_name: str) -> str:
    rows = _section("## What a run prints and writes").splitlines()
    row = next(ln for ln in rows if ln.startswith(f"| `{file_name}` |"))
    return row.split("|")[2]


def test_the_readme_summary_is_what_the_default_run_prints(default_run) -> None:
    """The indented block after "prints a summary like this" is the printed summary, line for line; its last line
    names the folder and a time in the printed shape, `(3.1 s)`, whose value varies (a trial found the README's
    line without the time the command prints)."""
    printed, folder = default_run
    section = _section("## What a run prints and writes")
    block = section.split("prints a summary like this", 1)[1].split("\n\n")[1]
    shown = [ln.removeprefix("    ") for ln in block.splitlines()]
    lines = printed.rstrip("\n").splitlines()
    assert shown[:-1] == lines[:-1]
    timed = r"  \(\d+\.\d s\)"  # the seconds the run took
    assert re.fullmatch(rf"  run folder          runs/{folder.name}{timed}", shown[-1])
    assert re.fullmatch(rf"  run folder          .*{folder.name}{timed}", lines[-1])
    assert "MOST OF THIS RESULT RESTS ON MODELLED PRICES" in printed  # the banner the set-up sentence cites


def test_the_manifest_cell_names_what_manifest_json_holds(default_run) -> None:
    """Every key the cell names is in manifest.json; data_files are the `arch` files the set-up names; output_files
    are config.toml, metrics.json and the CSVs, as the cell says."""
    _, folder = default_run
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    cell = _table_cell("manifest.json")
    named = set(re.findall(r"`([a-z_]+)`", cell)) - {"code_edited_since_loaded"}  # only when the files changed
    assert named == {"quote_origins", "replay_command", "data_files", "output_files"}
    # the cell's words: git commit, Python and package versions, seed, engine, settlement proxies
    assert named | {"git_commit", "python", "packages", "seed", "engine", "settlement_proxies"} <= set(manifest)
    names = [f["name"] for f in manifest["data_files"]]
    assert names[:2] == ["arch/data/sp500/sp500.csv.gz", "arch/data/vix/vix.csv.gz"]
    assert set(manifest["output_files"]) == {"config.toml", "metrics.json"} | {p.name for p in folder.glob("*.csv")}


def test_the_benchmark_cell_names_the_columns_all_from_the_first_nav(default_run) -> None:
    """benchmark.csv holds the three columns the cell names, equal on the first day (the run's first-day NAV;
    CSV floats carry 6 decimals)."""
    _, folder = default_run
    cell = _table_cell("benchmark.csv")
    header, first = (folder / "benchmark.csv").read_text(encoding="utf-8").splitlines()[:2]
    columns = header.split(",")[1:]
    assert columns == [c for c in re.findall(r"`([a-z_]+)`", cell) if c.endswith("nav_usd")]
    assert 'hedge.mode = "none"' in cell
    values = [float(v) for v in first.split(",")[1:]]
    assert values == pytest.approx([values[0]] * 3, abs=1e-6)


def test_only_the_manifest_and_the_page_name_the_folders_path(default_run) -> None:
    """The "Deterministic" bullet: manifest.json and report.html name the folder's path, no other file does."""
    _, folder = default_run
    naming = {p.name for p in folder.iterdir() if str(folder) in p.read_text(encoding="utf-8")}
    assert naming == {"manifest.json", "report.html"}


def test_developer_notes_list_the_pages_sections_in_order(default_run) -> None:
    """The notes' "top to bottom" list: At a glance (trial VIS42 M1: the answers first), the data banner, then every
    other h2 of report.html in order (the h3 named in parentheses sits under the h2 before it)."""
    _, folder = default_run
    page = (folder / "report.html").read_text(encoding="utf-8")
    notes = _section("### Developer notes: the report in a real browser")
    listed = re.sub(r"\s+", " ", notes.split("The page runs, top to bottom: ", 1)[1].split(".\n")[0])
    items = [re.sub(r" \(with (.*)\)$", "", item) for item in listed.split(", ")]
    h2 = [html.unescape(m) for m in re.findall(r"<h2[^>]*>(.*?)</h2>", page)]
    assert h2[0] == "At a glance" and items == [h2[0], "the run's notes (where it has any)", "the data banner", *h2[1:]]
    sub = re.search(r"\(with ([^)]*)\)", listed).group(1)
    h3 = re.search(rf"<h3[^>]*>{re.escape(html.escape(sub))}</h3>", page)
    assert h3 is not None and page.index("<h2") < page.index('class="banner') < page.index("<h2", page.index(
        'class="banner')) < h3.start()
