"""The banners a page opens with: a run's ruin, what its prices rest on (real or modelled marks and fills) and its
data-load notes (the run page's, :mod:`vixhedge.html`; a comparison's and a placebo's use the first two). Each is ""
where there is nothing to say. Moved out of :mod:`vixhedge.html`, which re-exports them."""

from __future__ import annotations

import html
from collections.abc import Mapping

from vixhedge.caveats import in_html, sentence
from vixhedge.fmt import plural, usd

__all__ = ["DATA_NOTES_OPEN", "data_notes", "provenance_banner", "ruin_banner"]


def _debt(ruin: Mapping) -> str:
    debt = ruin.get("debt_written_off_usd")  # (a folder from before the liquidation at ruin has none)
    return f" (a debt of {usd(debt)} left, written off as P&amp;L line <code>ruin_debt</code>)" if debt else ""


def ruin_banner(m: Mapping, label: str = "") -> str:
    """Return the report's ruin banner (empty for a run that was never ruined); ``label`` names the run, a mode of
    a compare page, whose column alone the span covers (trial VIS27: "static: RUIN ... the metrics below cover the
    valid span" read as every column's)."""
    ruin = m.get("ruin")
    if not ruin:
        return ""
    span = m["performance"].get("valid_span", {})
    who = f"{html.escape(label)}: " if label else ""
    what = f"{html.escape(label)}&#x27;s column of the metrics below covers" if label else "the metrics below cover"
    return (f'<p class="ruin" style="background:#fdd;border:2px solid #c00;padding:0.6em;font-weight:bold">'
            f"{who}RUIN on {html.escape(str(ruin['date']))}: {html.escape(str(ruin['cause']))}. "
            f"Every position was closed that day at its bid/ask with fees and trading stopped{_debt(ruin)}; "
            f"{what} the valid span {html.escape(str(span.get('start')))} .. "
            f"{html.escape(str(span.get('end')))} with NAV 0 on the ruin day.</p>\n")


def provenance_banner(m: Mapping) -> str:
    """The banner on what the run's prices rest on: real vs modelled marks and fills per instrument."""
    p = m.get("data_provenance")
    if not p:
        return ""
    from feeds.provenance import percent  # ">99%" / "<1%", never a rounded 100% or 0%

    cls = "banner warn" if p["rests_on_model"] or not (p["marks"] or p["fills"]) else "banner"
    rows = "".join(
        f"<tr><td>{html.escape(kind)} {html.escape(inst.replace('_', ' '))}</td><td>{r['real']:,}</td>"
        f"<td>{r['anchored']:,}</td><td>{r['model']:,}</td>"
        f"<td>{html.escape(percent(r['anchored'] + r['model'], r['real'] + r['anchored'] + r['model']))}</td></tr>"
        for kind in ("marks", "fills") for inst, r in p[kind].items())
    from vixhedge.report_sections import warmup_words  # (report_sections imports this module)

    warmup = warmup_words(m)  # the MACD's warm-up, as the console's data line
    notes = "".join(f"<p>{in_html(sentence(n))}</p>\n" for n in (*p.get("notes", ()), *([warmup] if warmup else ())))
    return (f'<div class="{cls}"><p><b>Data:</b> {html.escape(p["verdict"])}</p>\n{notes}' + (  # (no price: no table)
        "<table><tr><th></th><th>real</th><th>anchored on real</th><th>model</th><th>not real (anchored + model)"
        f"</th></tr>{rows}</table>" if rows else "") + "</div>\n")


DATA_NOTES_OPEN = 3  # a run's data notes shown open up to this many; folded above, counted in the summary line


def data_notes(mf: Mapping) -> str:
    """report.html's list of the data-load notes under the data banner (manifest.json ``data_notes``: VX rows
    rejected, months the VX files show unlisted, frozen feeds: :func:`feeds.datanotes.window_notes`), folded above
    :data:`DATA_NOTES_OPEN` of them; "" without one (trial VIS27: the 2008-2012 real run's two notes reached stderr
    and the manifest, never the page)."""
    notes = mf.get("data_notes") or ()
    if not notes:
        return ""
    items = "".join(f"<li>{in_html(sentence(n))}</li>" for n in notes)
    return (f"<details{' open' * (len(notes) <= DATA_NOTES_OPEN)}><summary>{plural(len(notes), 'data note')} "
            f"(stderr and manifest.json <code>data_notes</code>)</summary>\n<ul>{items}</ul></details>\n")
