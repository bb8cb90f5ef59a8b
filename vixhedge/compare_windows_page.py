"""windows.svg and report.html of ``vixhedge compare --windows`` (:mod:`vixhedge.cli_windows`).

windows.svg (:mod:`vixhedge.svgplot`, as the run's figures): by window start, each mode's final NAV less the
baseline's, then its Sharpe difference with the paired 95% CI as a bar; report.html: the summary as printed, the data
banner, the figure inlined, the windows' table and the command. Deterministic: the same rows, the same bytes.
Both are drawn from the folder's windows.csv and windows.json (:func:`draw_pages`), as the command writes them and
as `vixhedge report` redraws them: the same files, the same page.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np

from vixhedge import fmt as F

__all__ = ["windows_svg", "report_page", "draw_pages", "placed", "placed_summary"]

PALETTE = ("tab:blue", "tab:orange", "tab:green", "tab:purple", "tab:cyan", "tab:olive")


def windows_svg(rows: Sequence[Mapping], title: str, subtitle: str = "") -> str:
    """The figure: two panels over the windows' first sessions, a line and markers per mode (its NAV difference, $k)
    and its Sharpe difference with the CI as a vertical bar (modes a few days apart, so their bars do not overlap)."""
    from vixhedge.svgplot import Chart, day_numbers

    modes = list(dict.fromkeys(str(r["mode"]) for r in rows))
    base = str(rows[0]["baseline"]) if rows else "-"
    chart = Chart(7.2, (1.0, 1.0), title=title, subtitle=subtitle)
    nav, sharpe = chart.panels
    nav.ylabel, sharpe.ylabel = f"final NAV - {base}'s ($k)", f"Sharpe - {base}'s, 95% CI"
    chart.xlabel = "the window's first session"  # (VIS30: only the subtitle said what the dates were)
    for k, m in enumerate(modes):
        own = [r for r in rows if str(r["mode"]) == m]
        x = day_numbers([str(r["start"]) for r in own]) + 6.0 * (k - (len(modes) - 1) / 2)
        c = PALETTE[k % len(PALETTE)]
        d = np.array([float(r["nav_diff_usd"]) for r in own]) / 1e3
        nav.line(x, d, color=c, width=1.2, label=f"{m} - {base}")
        nav.markers(x, d, color=c, size=2.5)
        s, lo, hi = (np.array([float(r[f"sharpe_{col}"]) if _has_ci(r) else np.nan for r in own])
                     for col in ("diff", "ci_low", "ci_high"))  # (an n/a Sharpe is no point: RS34's -146 axis)
        sharpe.vlines(x, lo, hi, [c] * len(own), width=1.4, labels={c: f"{m} - {base}"})
        sharpe.markers(x, s, color=c, size=2.5)
    nav.hline(0.0)
    sharpe.hline(0.0)
    return str(chart.svg())


def _has_ci(r: Mapping) -> bool:
    """A row's Sharpe difference is a figure: its verdict is one (compare prints "n/a" for a ruined or flat mode's,
    "no verdict: ...")."""
    return str(r["sharpe_verdict"]) in ("better", "worse", "unclear")


def figure_title(spec: Mapping, cfg_name: str) -> tuple[str, str]:
    """The figure's and page's title and subtitle."""
    from vixhedge.compare_windows_text import months_words

    return (f"'{cfg_name}' over {spec['count']} windows of {months_words(spec['length_months'])}, one starting every "
            f"{months_words(spec['step_months'])}",
            f"{spec['first_start']} .. {spec['last_end']}; by each window's first session")


def report_page(rows: Sequence[Mapping], summary_text: str, spec: Mapping, cfg_name: str, provenance: Mapping,
                command: str, svg: str) -> str:
    """report.html: the summary as printed, the data banner, the figure (``svg`` inlined: the page is whole on its
    own, as every report.html is), a row per window and mode, and the command."""
    from vixhedge.compare_rows import BETTER
    from vixhedge.html import data_uri
    from vixhedge.page_banners import provenance_banner
    from vixhedge.page_style import REBUILD, page_head, table

    e = lambda s: html.escape(str(s))  # noqa: E731
    title, sub = figure_title(spec, cfg_name)
    word = lambda r, s: r[f"{s}_verdict"] + (" (borderline)" if str(r[f"{s}_ci_borderline"]) == "True" else "")
    cells = [(r["start"], r["end"], f"{int(r['sessions']):,}", r["mode"] + (" (ruined)" if r.get("ruined") else ""),
              F.usd(r["nav_diff_usd"], signed=True),
              *((F.num(r["sharpe_diff"], 3, signed=True),
                 f"[{F.num(r['sharpe_ci_low'], 3, signed=True)}, {F.num(r['sharpe_ci_high'], 3, signed=True)}]")
                if _has_ci(r) else ("n/a", "n/a")),  # (trial RS34: a ruined mode's n/a Sharpe read as -73.222)
              word(r, "sharpe"), word(r, "cvar95"), word(r, "max_drawdown"),
              f"[{F.usd(r['pnl_usd_ci_low'], signed=True)}, {F.usd(r['pnl_usd_ci_high'], signed=True)}]"
              if not F.missing(r.get("pnl_usd_ci_low")) else "n/a",  # (RS36: in windows.csv and the summary alone)
              word(r, "pnl_usd") if "pnl_usd_verdict" in r else "n/a") for r in rows]
    base = rows[0]["baseline"] if rows else "-"
    return (page_head(e(title)) + f"<p>{e(sub)}</p>\n" + provenance_banner({"data_provenance": provenance})
            + f"<pre style=\"white-space: pre-wrap\">{e(summary_text)}</pre>\n"  # (its long lines ran off the page)
            + f'<figure><img src="{data_uri(svg.encode())}" alt="NAV and Sharpe differences by window start" '
              'style="max-width:100%"></figure>\n'
            + f"<h2>Each window against {e(base)}</h2>\n"
            + table(("start", "end", "sessions", "mode", f"final NAV - {base}'s",
                     f"Sharpe diff ({BETTER['sharpe']} is better)", "95% CI", "Sharpe verdict", "CVaR 95% verdict",
                     "max drawdown verdict", "total P&L diff: 95% CI", "total P&L verdict"), cells,
                     text_columns=(3, 7, 8, 9, 11), unbroken=(0, 1), whole=(6, 10))  # (a CI on one line: FIX35B)
            + f"<h2>Reproduce</h2>\n<p><code>{e(command)}</code></p>\n<p>{REBUILD}</p>\n</body>\n</html>\n")


def placed(command: str, folder: Path) -> str:
    """windows.json's ``command`` or a window's ``rerun`` (:func:`vixhedge.cli_windows.windows_command`: the config
    named ``config.toml``, from inside the folder, no ``--runs-dir``) naming the folder where it is now: its
    config.toml and, where its parent is not ``runs``, ``--runs-dir PARENT``, both relative to the working folder
    when inside it, else absolute (:func:`vixhedge.runfolder.shown_path`, as a compare folder's Reproduce command).
    A folder written before (trial DET39 M1: the path it was written to, maybe ``--runs-dir``) is re-based alike; a
    command of another shape is kept as it is."""
    import shlex

    from vixhedge.runfolder import shown_path

    head, sep, rest = command.partition("vixhedge compare ")
    config, sep2, tail = rest.partition(" --modes ")  # (compare_command: the config, then --modes)
    flag = " --windows " if " --windows " in tail else " --start "
    body, sep3, end = tail.rpartition(flag)
    if not (sep and sep2 and sep3):
        return command
    before, was, old = body.rpartition(" --runs-dir ")  # (an older folder's; always just before the flag)
    try:
        if was and len(shlex.split(old)) == 1:
            body = before
    except ValueError:  # (unbalanced quotes: not a --runs-dir this module wrote; trial FUZZ40 L6: it was kept and a
        return command  # second --runs-dir added after it)
    parent = shown_path(folder.parent)
    where = "" if parent == "runs" else f" --runs-dir {parent}"
    return f"{head}vixhedge compare {shown_path(folder / 'config.toml')} --modes {body}{where}{flag}{end}"


def placed_summary(summary: Mapping, folder: Path) -> dict:
    """windows.json's ``summary`` with each best and worst window's ``rerun`` :func:`placed` at ``folder``."""
    return {mode: {**s, **{w: {**s[w], "rerun": placed(str(s[w]["rerun"]), folder)} for w in ("best", "worst")
                           if isinstance(s.get(w), Mapping) and "rerun" in s[w]}}
            for mode, s in summary.items()}


def _check_shape(frame, rows: int) -> None:
    """Raise ValueError unless windows.csv holds ``rows`` rows (a window and mode each), the columns the page draws
    and numbers in every figure's column (USD, differences, CI bounds)."""
    import pandas as pd

    if len(frame) != rows:
        raise ValueError(f"windows.csv holds {len(frame)} rows where windows.json's windows and modes make {rows}")
    figures = [c for c in frame.columns if c.endswith(("_usd", "_diff", "_ci_low", "_ci_high"))]
    for col in dict.fromkeys(("nav_diff_usd", "sharpe_diff", "sharpe_ci_low", "sharpe_ci_high", *figures)):
        if col not in frame.columns or not pd.api.types.is_numeric_dtype(frame[col]):
            raise ValueError(f"windows.csv's column {col!r} is " + ("missing" if col not in frame.columns else
                                                                    "not all numbers"))


def _check_summary(summary: object, arguments: Mapping) -> None:
    """Raise ValueError unless windows.json's ``summary`` holds a mapping for each mode the comparison ran beside its
    baseline (trial FUZZ40 L6: ``summary = {}`` drew a page with no line on any mode, unsaid)."""
    from vixhedge.plugins import short_repr

    modes = [str(m) for m in arguments["modes"] if m != arguments.get("baseline")]
    if not isinstance(summary, Mapping) or not summary or \
            ("baseline" in arguments and sorted(map(str, summary)) != sorted(modes)):
        raise ValueError(f"its summary is {short_repr(summary, 60)} where the command writes an entry for each mode "
                         f"beside the baseline ({', '.join(modes)})")


def draw_pages(folder: Path, home: Path | None = None) -> Path:
    """Draw windows.svg and report.html of a windows folder from its windows.csv and windows.json (what the command
    just wrote, or `vixhedge report FOLDER`); return report.html's path. Its commands name ``home`` (where the folder
    lands; ``folder`` itself by default: a moved folder's page names where it now is, :func:`placed`). A folder
    without them, with either unreadable, or with a windows.csv other than the bytes windows.json records, is one
    :class:`~vixhedge.runfolder.RunFolderError` line, and nothing is written."""
    import hashlib
    import io
    import json

    import pandas as pd

    from vixhedge.compare_windows_text import format_summary
    from vixhedge.runfolder import RunFolderError

    where = folder if home is None else home
    record: dict = {}
    culprit = "windows.json"  # the file the error is in (trial FUZZ37 L5: the line named the folder alone)
    try:
        record = json.loads((folder / "windows.json").read_text(encoding="utf-8"))
        if not isinstance(record, dict):  # (FIX37: `[1]` was an internal AttributeError)
            raise TypeError(f"it holds a JSON {type(record).__name__}, not the object the command writes")
        want = (record.get("output_files") or {}).get("windows.csv")
        a, prov, command = record["arguments"], record["data_provenance"] or {}, record["command"]
        if not isinstance(command, str):  # (trial FUZZ40 M4: placed() raised once the culprit was windows.csv)
            raise TypeError(f"its command is {command!r}, not the text the command writes")
        _check_summary(record["summary"], a)
        text = format_summary(placed_summary(record["summary"], where), a, prov.get("verdict", ""),
                              record.get("ad_rules", ""),
                              record.get("search_caveats") or [])
        shape = None if want else record["windows"] * (len(a["modes"]) - 1)
        culprit = "windows.csv"
        csv_bytes = (folder / "windows.csv").read_bytes()
        if want and hashlib.sha256(csv_bytes).hexdigest() != want:  # (review 29: a cut file redrew as if whole)
            raise ValueError("windows.csv is not the file the command wrote (its sha256 differs from windows.json's)")
        frame = pd.read_csv(io.BytesIO(csv_bytes), dtype={"start": str, "end": str, "mode": str, "baseline": str},
                            keep_default_na=False, na_values=[""])
        if shape is not None:  # a folder from before output_files: its table checked by its shape (IO31)
            _check_shape(frame, shape)
        rows = frame.to_dict("records")
        for r in rows:  # (an empty verdict or ruin-day cell reads as NaN, which is true: a word, or none)
            for k, v in r.items():
                if (k.endswith("_verdict") or k.endswith("ruined")) and not isinstance(v, str):
                    r[k] = ""
        svg = windows_svg(rows, *figure_title(a, a["name"]))
        page = report_page(rows, text, a, a["name"], prov, placed(command, where), svg)
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        from vixhedge.guard import one_line

        made = record.get("command") if isinstance(record, dict) else None  # (RS34: windows.json holds it)
        again = f"write it again: {placed(made, where)}" if isinstance(made, str) and made else \
            "write it again with the command that made it"
        raise RunFolderError(f"{folder / culprit} is damaged, so {folder} is not a readable compare --windows folder "
                             f"({type(exc).__name__}: {one_line(exc)}): " + again) from None
    (folder / "windows.svg").write_text(svg, encoding="utf-8")  # (both drawn before either is written)
    (folder / "report.html").write_text(page, encoding="utf-8")
    return folder / "report.html"
