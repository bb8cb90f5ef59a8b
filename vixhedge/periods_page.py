"""The page of a ``compare --period all`` folder (report.html): the periods' table drawn from periods.csv, the lines
under it as periods.txt keeps them (the by-chance count, the table's Holm line and the pooled one, the flat start),
and each period's compare page linked (trial VIS35 M5: the Holm line that governs the run was in periods.txt and on
the console alone, and no period's page led to the others).

Drawn from the folder's two files alone, so ``vixhedge report FOLDER`` draws it again. The command records their
sha256 in output_files.json (:func:`record_files`); a file that differs from it, that is not the table or text the
command writes, or a folder whose periods.csv and periods.txt do not agree (a table row more or less; a folder
written before the record is checked so, by its shape) is one :class:`~vixhedge.runfolder.RunFolderError` line
naming the file (trial FUZZ37 H3, M3, M4).
"""

from __future__ import annotations

import html
from pathlib import Path

__all__ = ["draw_page", "on_page", "record_files"]


def on_page(line: str) -> str:
    """A line of periods.txt as the page says it (trial VIS36: the console's "its folder above" and "under its
    compare above" point at nothing on the page, and its backticks showed)."""
    return (line.replace("its folder above", "its page linked below")
            .replace("(under its compare above, and on its page)", "(on its page, linked below)").replace("`", ""))


OUTPUTS = "output_files.json"  # the sha256 of periods.csv and periods.txt as written (sweepio.OUTPUTS_FILE)
FILES = ("periods.csv", "periods.txt")
COLUMNS = ("period", "start", "end", "mode", "baseline", "end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd",
           "pnl_diff_usd", "ci_low_usd", "ci_high_usd", "verdict", "folder")  # what the table and the links read
NUMBERS = ("end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd", "pnl_diff_usd", "ci_low_usd", "ci_high_usd")
FILLED = ("period", "start", "end", "mode", "baseline", "end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd", "folder")
AGAIN = "write the folder again with the command that made it"


def record_files(folder: Path) -> Path:
    """Write ``folder``/output_files.json: the sha256 of its periods.csv and periods.txt (the command's, once both
    are written), which :func:`draw_page` checks, as a compare's comparison.json and a sweep's output_files.json
    (the sweep's writer, :func:`vixhedge.sweepio.record_outputs`; trial FUZZ37 M3: a cut periods.csv was drawn as if
    whole)."""
    from vixhedge.sweepio import record_outputs

    return record_outputs(folder, FILES)


def _recorded(folder: Path) -> bool:
    """True when ``folder`` holds output_files.json and each file it records is the one written; one
    :class:`~vixhedge.runfolder.RunFolderError` line naming the file when not
    (:func:`vixhedge.sweepio.damaged_output`, a sweep's check); False for a folder written before the record (checked
    by its shape instead: :func:`_read_rows`)."""
    from vixhedge.runfolder import RunFolderError
    from vixhedge.sweepio import damaged_output

    found = damaged_output(folder, FILES, "`compare --period all`", "it was written")
    if found:
        raise RunFolderError(f"{found[1]}: {AGAIN}")
    return (folder / OUTPUTS).is_file()


def _read_rows(folder: Path, recorded: bool):
    """periods.csv's rows; one :class:`~vixhedge.runfolder.RunFolderError` line naming the file when it is not the
    table the command writes (unreadable, binary, empty, another header: trial FUZZ37 H3 / M4), or, in a folder
    written before output_files.json, when a column the page draws is not all numbers or a row lacks a cell (cut)."""
    import pandas as pd

    from vixhedge.guard import one_line
    from vixhedge.runfolder import RunFolderError

    path = folder / "periods.csv"
    try:  # (pandas' message can end in a line break: one line)
        rows = pd.read_csv(path, dtype={k: str for k in ("period", "start", "end", "mode", "baseline", "verdict",
                                                         "folder")}, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as exc:  # (a binary file: UnicodeDecodeError; pandas' ParserError, EmptyDataError)
        raise RunFolderError(f"{path} is not the table `compare --period all` writes ({type(exc).__name__}: "
                             f"{one_line(exc)}): {AGAIN}") from None
    if missing := [c for c in COLUMNS if c not in rows.columns]:
        raise RunFolderError(f"{path} is not the table `compare --period all` writes (no column {missing[0]!r}): "
                             f"{AGAIN}")
    if not recorded:  # no sha256 to check it by: its shape (as a compare --windows folder's, IO31)
        why = "it holds no row" if rows.empty else next(  # (a header alone: no row, not "not all numbers": MUT38)
            (f"its column {c!r} is not all numbers" for c in NUMBERS if not pd.api.types.is_numeric_dtype(rows[c])),
            None) or next((f"a row has no {c!r}" for c in FILLED if rows[c].isna().any()), None)
        if why:
            raise RunFolderError(f"{path} is damaged (cut or edited?): {why}: {AGAIN}")
    return rows


def _read_lines(folder: Path, n_rows: int) -> list[str]:
    """periods.txt's lines: its header, the table's header and ``n_rows`` rows (each indented), the lines under it;
    one :class:`~vixhedge.runfolder.RunFolderError` line naming the file otherwise."""
    from vixhedge.guard import one_line
    from vixhedge.runfolder import RunFolderError

    path = folder / "periods.txt"
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, ValueError) as exc:
        raise RunFolderError(f"{path} cannot be read ({type(exc).__name__}: {one_line(exc)}): {AGAIN}") from None
    table = next((k for k, ln in enumerate(lines[2:]) if not ln.startswith("  ")), max(len(lines) - 2, 0))
    if len(lines) < n_rows + 2 or not lines[0].startswith("periods compared against") or table != n_rows:
        raise RunFolderError(f"{folder}: periods.txt does not hold periods.csv's {n_rows} rows under its header: "
                             f"{AGAIN}")
    return lines


def draw_page(folder: Path, name: str = "") -> Path:
    """Write ``folder``/report.html from its periods.csv and periods.txt; return its path. ``name``: the folder's
    own (default ``folder``'s: the command draws it in a temporary folder first). A file other than the one the
    command wrote (output_files.json's sha256), or not the table or text it writes, is one
    :class:`~vixhedge.runfolder.RunFolderError` line naming it, and nothing is written."""
    from vixhedge import html as H
    from vixhedge.cli_periods import period_cells
    from vixhedge.page_style import REBUILD
    from vixhedge.runfolder import RunFolderError

    rows = _read_rows(folder, _recorded(folder))
    lines = _read_lines(folder, len(rows))
    try:
        head, cells = period_cells(rows)
    except (ValueError, KeyError, AttributeError, TypeError) as exc:
        from vixhedge.guard import one_line

        raise RunFolderError(f"{folder / 'periods.csv'} is not the table `compare --period all` writes "
                             f"({type(exc).__name__}: {one_line(exc)}): {AGAIN}") from None
    title = html.escape(f"vixhedge periods {name or folder.name}")
    links = "".join(f'<li><a href="../{html.escape(f)}/report.html">{html.escape(p)}</a> (<code>'
                    f"{html.escape(f)}</code>, beside this folder)</li>\n"
                    for p, f in dict(zip(rows["period"], rows["folder"])).items())
    page = [H.page_head(title),
            f'<p class="sub">{html.escape(on_page(lines[0].rstrip(":")))}</p>\n',
            H.table(head, [[*c[:-1], c[-1].replace("Holm p ", "Holm\u00a0p\u00a0")] for c in cells], "grid", (0, 2, 6),
                    unbroken=(1,)),
            *(f"<p>{html.escape(on_page(ln.strip()))}</p>\n" for ln in lines[len(rows) + 2:]),
            "<h2>Each period's compare</h2>\n<ul>\n" + links + "</ul>\n",
            f"<p>{REBUILD}</p>\n</body>\n</html>\n"]
    out = folder / "report.html"
    out.write_text("".join(page), encoding="utf-8")
    return out
