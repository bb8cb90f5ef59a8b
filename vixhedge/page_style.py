"""The look every page shares (run, compare and sweep reports): one inline style sheet and the page's head.

No script, no external CSS or font. Wider than the window (a phone), a table scrolls sideways in its own box
(:func:`vixhedge.html.table`) and a figure keeps a readable 700 px width that scrolls the same way, so the text
around them wraps at the window's width.
"""

from __future__ import annotations

__all__ = ["STYLE", "page_head"]

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff;
       max-width: 1040px; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
p.sub { color: #555; margin-top: 0; }
div.banner { border: 1px solid #bbb; padding: 0.2em 0.8em; margin: 0.8em 0; } div.banner table { font-size: 12px; }
div.banner.warn { border: 2px solid #333; background: #eee; }
table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th { border-bottom: 2px solid #888; }
td:first-child, th:first-child { text-align: left; }
table.kv td:nth-child(3) { text-align: left; color: #555; } table.kv th:nth-child(3) { text-align: left; }
table.narrow td:nth-child(2) { text-align: left; font-family: monospace; } table.narrow th:nth-child(2) { text-align: left; }
table.grid td { white-space: nowrap; } table.grid td.t { text-align: left; } table.grid td.w { white-space: normal; }
th.t { text-align: left; } div.scroll { overflow-x: auto; } span.nw { white-space: nowrap; }
figure { margin: 0.5em 0; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; }
@media (max-width: 700px) { figure { overflow-x: auto; } figure img { max-width: none; width: 700px; } }
"""


def page_head(title: str) -> str:
    """The top of a page (run, compare, sweep) up to its ``<h1>``; ``title`` already escaped. The viewport line
    lets a phone lay the page out at its own width instead of a shrunk 980 px desktop."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n")
