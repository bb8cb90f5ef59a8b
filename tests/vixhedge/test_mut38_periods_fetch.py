"""Probes of MUT38: periods_page.py (PP5) on a folder written by `compare --period all`'s writer
(test_cli_fuzz37._periods_folder) and written before output_files.json (its record removed), and feeds/fetch.py
check_url (FU1, FU5). Rules: periods_page's docstrings and check_url's on the snapshot (main 346315e)."""
from __future__ import annotations

import pytest

from tests.vixhedge.test_cli_fuzz37 import _periods_folder
from vixhedge.cli import main


def test_pp5_a_periods_txt_with_another_header_is_refused(tmp_path, capsys):
    """_read_lines: its first line is "periods compared against ..."; another text is not the command's."""
    folder = _periods_folder(tmp_path)
    (folder / "output_files.json").unlink()
    txt = folder / "periods.txt"
    lines = txt.read_text().splitlines()
    txt.write_text("\n".join(["some other text", *lines[1:]]) + "\n")
    assert main(["report", str(folder)]) == 2
    assert "periods.txt does not hold periods.csv's" in capsys.readouterr().err


@pytest.mark.parametrize("url", ["http://example.org/\x00a", "http://example.org/\x7f", "http://example.org:0"])
def test_fu1_fu5_a_control_character_or_port_0_is_refused(url):
    """check_url: "no space or control character"; a port above 0."""
    from feeds.fetch import FetchError, check_url

    with pytest.raises(FetchError):
        check_url(url, "--base-url")


def test_a_periods_csv_with_its_header_alone_says_it_holds_no_row(tmp_path, capsys):
    """MUT38's problem 3: a periods.csv cut to its header (a folder from before output_files.json) read "its column
    'end_nav_usd' is not all numbers" (an empty column is not numeric); it holds no row."""
    folder = _periods_folder(tmp_path)
    (folder / "output_files.json").unlink()
    path = folder / "periods.csv"
    path.write_text(path.read_text().splitlines()[0] + "\n")
    assert main(["report", str(folder)]) == 2
    assert "is damaged (cut or edited?): it holds no row" in capsys.readouterr().err
