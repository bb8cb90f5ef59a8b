"""The page of a ``compare --period all`` folder (report.html): the periods' table drawn from periods.csv, the lines
under it as periods.txt keeps them (the by-chance count, the table's Holm line and the pooled one, the flat start),
and each period's compare page linked (trial VIS35 M5: the Holm line that governs the run was in periods.txt and on
the console alone, and no period's page led to the others).

Drawn from the folder's two files alone, so ``vixhedge report FOLDER`` draws it again; a folder whose periods.csv
and periods.txt do not agree (a table row more or less) is one :class:`~vixhedge.runfolder.RunFolderError` line.
"""

from __future__ import annotations

import html
from pathlib import Path

__all__ = ["draw_page", "on_page"]


def on_page(line: str) -> str:
    """A line of periods.txt as the page says it (trial VIS36: the console's "its folder above" and "under its
    compare above" point at nothing on the page, and its backticks showed)."""
    return (line.replace("its folder above", "its page linked below")
            .replace("(under its compare above, and on its page)", "(on its page, linked below)").replace("`", ""))


def draw_page(folder: Path, name: str = "") -> Path:
    """Write ``folder``/report.html from its periods.csv and periods.txt; return its path. ``name``: the folder's
    own (default ``folder``'s: the command draws it in a temporary folder first)."""
    import pandas as pd

    from vixhedge import html as H
    from vixhedge.cli_periods import period_cells
    from vixhedge.page_style import REBUILD
    from vixhedge.runfolder import RunFolderError

    try:
        rows = pd.read_csv(folder / "periods.csv", dtype={k: str for k in ("period", "start", "end", "mode",
                                                                            "baseline", "verdict", "folder")},
                           keep_default_na=False, na_values=[""])
        lines = (folder / "periods.txt").read_text(encoding="utf-8").splitlines()
        head, cells = period_cells(rows)
    except (OSError, ValueError, KeyError, AttributeError) as exc:
        raise RunFolderError(f"{folder} is not a complete `compare --period all` folder: {exc}: write it again with "
                             "the command that made it") from None
    if len(lines) < len(rows) + 2 or not lines[0].startswith("periods compared against"):
        raise RunFolderError(f"{folder}: periods.txt does not hold periods.csv's {len(rows)} rows under its header: "
                             "write the folder again with the command that made it")
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
