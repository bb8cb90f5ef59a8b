"""A folder, a symbolic link that loops or a dangling link where a data file belongs is named as what it is, with the
fix, in one line before any work (trial DF26: "missing the VIX file", "cannot read the header ([Errno 21] Is a
directory ...)", "Too many levels of symbolic links", a DataShop file's folder silently left out, "no short-rate file:
it holds ... DFF.csv"). Fixture folders are written to tmp_path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from feeds.directory import detect_layout
from feeds.loaders import LoadError
from feeds.loaders.options import load_chain_file
from feeds.loaders.rates import find_rate_file
from feeds.marketdata import DataError
from vixhedge.cli import main

VIX_REL = "cboe_volatility_indices/VIX_daily_1990_2026.csv"
DATASHOP_REL = "vix_options_cboe_datashop_sample_2016/UnderlyingOptionsEODCalcs_2016-06-01.csv"


def _shared(root: Path) -> Path:
    """The file names of the ../shared/data layout (contents never read by detect_layout)."""
    for rel in ("spx_index_daily/SPX_daily_combined_1927_2026.csv.gz", VIX_REL,
                "vix_futures_close_settle_per_contract_2004_2023/vx_close_settle_2004_2023.csv.gz"):
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(b"")
    return root


def _replace(path: Path, kind: str) -> None:
    path.unlink()
    if kind == "folder":
        path.mkdir()
    elif kind == "loop":
        os.symlink(path.name, path)
    else:
        os.symlink("nowhere.csv", path)


WHAT = {"folder": "is a folder, not a file: put the file there in its place",
        "loop": "is a symbolic link to '{name}' that loops (it leads back to itself): replace the link with the file",
        "dangling": "is a symbolic link to 'nowhere.csv', which does not exist: point the link at the file, or put the "
                    "file in its place"}


@pytest.mark.parametrize("kind", list(WHAT))
def test_the_vix_file_of_the_shared_layout_is_named_as_what_it_is(tmp_path: Path, kind: str) -> None:
    """It read "missing the VIX file cboe_volatility_indices/VIX_daily_1990_2026.csv"."""
    root = _shared(tmp_path)
    _replace(root / VIX_REL, kind)
    with pytest.raises(DataError) as err:
        detect_layout(root)
    assert str(err.value) == (f"{root}: not a complete data directory (shared layout): the VIX file {VIX_REL} "
                              f"{WHAT[kind].format(name='VIX_daily_1990_2026.csv')} "
                              "(README *Real data* gives the layouts)")


def test_the_vix_file_of_the_standard_layout_is_named_as_what_it_is(tmp_path: Path) -> None:
    (tmp_path / "vx").mkdir()
    (tmp_path / "spx.csv").write_text("date,open,high,low,close\n")
    (tmp_path / "vix.csv").mkdir()
    with pytest.raises(DataError, match=r"not a complete data directory \(standard layout\): the VIX file vix\.csv is "
                                        r"a folder, not a file: put the file there in its place "
                                        r"\(README \*Real data\*"):
        detect_layout(tmp_path)


@pytest.mark.parametrize("kind", list(WHAT))
def test_a_chain_file_that_is_no_file_stops_the_layout_in_one_line(tmp_path: Path, kind: str) -> None:
    """A folder in its place read "cannot read the header ([Errno 21] Is a directory: ...)", a link loop "cannot read
    or write ...: Too many levels of symbolic links" (the directory's first stat of it), neither with a fix."""
    root = _shared(tmp_path)
    chain = root / "spx_option_chains_2019_sample" / "daily" / "SPX_20190425.csv.gz"
    chain.parent.mkdir(parents=True)
    chain.write_bytes(b"")
    _replace(chain, kind)
    with pytest.raises(DataError) as err:
        detect_layout(root)
    assert str(err.value) == f"{chain}: {WHAT[kind].format(name=chain.name)}"


def test_a_folder_in_place_of_the_vix_datashop_file_is_named_not_left_out(tmp_path: Path) -> None:
    root = _shared(tmp_path)
    (root / DATASHOP_REL).mkdir(parents=True)
    with pytest.raises(DataError) as err:
        detect_layout(root)
    assert str(err.value) == f"{root / DATASHOP_REL}: {WHAT['folder']}"


def test_a_chain_file_given_alone_that_is_a_folder_says_so(tmp_path: Path) -> None:
    folder = tmp_path / "SPX_20190425.csv.gz"
    folder.mkdir()
    with pytest.raises(LoadError) as err:
        load_chain_file(folder)
    assert str(err.value) == f"{folder}: {WHAT['folder']}"


@pytest.mark.parametrize("kind", ["folder", "loop"])
def test_a_rate_folder_whose_file_is_no_file_says_what_it_is(tmp_path: Path, kind: str) -> None:
    """It read "no short-rate file: it holds README.md, fred_DFF.csv (a run reads one FRED CSV file, *.csv ...)"."""
    folder = tmp_path / "us_short_rates"
    folder.mkdir()
    (folder / "README.md").write_text("# DFF\n")
    (folder / "fred_DFF.csv").write_text("")
    _replace(folder / "fred_DFF.csv", kind)
    with pytest.raises(LoadError) as err:
        find_rate_file(tmp_path)
    assert str(err.value).startswith(f"{folder}: no readable short-rate file: fred_DFF.csv "
                                     f"{WHAT[kind].format(name='fred_DFF.csv')}; or put one FRED CSV file")


def test_data_check_names_a_missing_data_dir_as_run_does(tmp_path: Path, capsys, monkeypatch) -> None:
    """`data check --data-dir nonexistent/` said "file does not exist ... check the path", run "is not a folder"."""
    monkeypatch.chdir(tmp_path)
    line = (f"vixhedge: --data-dir 'nonexistent' (taken relative to the current directory: {tmp_path / 'nonexistent'})"
            " does not exist: give the folder of the data files (e.g. ../shared/data)\n")
    assert main(["data", "check", "--data-dir", "nonexistent/"]) == 2
    assert capsys.readouterr().err == line
    assert main(["run", "--data-dir", "nonexistent/", "--runs-dir", str(tmp_path / "runs")]) == 2
    assert capsys.readouterr().err == line


def test_a_link_to_a_folder_a_pipe_and_an_unreadable_file_are_each_named(tmp_path: Path) -> None:
    """MUT28 fe2, fe3, fe6: feeds.loaders.fileerrors names what stands there (its module docstring: "a folder, a
    looping or broken link ..."): a symbolic link to a folder is both, a named pipe no regular file, and a file the OS
    refused for another reason than its absence (PermissionError) is not "file does not exist"."""
    from feeds.loaders.fileerrors import not_a_file, unreadable_words

    (tmp_path / "real").mkdir()
    os.symlink("real", tmp_path / "link.csv")
    assert not_a_file(tmp_path / "link.csv") == ("is a symbolic link to 'real', a folder, not a file: put the file "
                                                 "there in its place")
    os.mkfifo(tmp_path / "pipe.csv")
    assert not_a_file(tmp_path / "pipe.csv") == ("is not a regular file (a pipe or a device?): put the file there in "
                                                 "its place")
    (tmp_path / "VIX.csv").write_text("DATE,CLOSE\n")
    assert unreadable_words(tmp_path / "VIX.csv", PermissionError(13, "Permission denied")) == (
        "cannot read it (Permission denied): make it readable for you, or give a readable copy")
    assert unreadable_words(tmp_path / "gone.csv", FileNotFoundError(2, "No such file")) == "file does not exist"
