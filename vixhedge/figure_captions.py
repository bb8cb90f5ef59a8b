"""The run page's figures, in report order: file name, title, caption (:mod:`vixhedge.html` draws the page; the
attribution figure's caption follows the step it draws: :func:`vixhedge.run_figure_pnl.attribution_caption`)."""

from __future__ import annotations

__all__ = ["FIGURES"]

# the figures of a run, in report order: file name, title, caption
FIGURES = (
    ("equity.svg", "Equity and drawdown",
     "NAV, and the cumulative P&L of the condor and of the hedge on top of the starting cash; drawdown from the "
     "running NAV peak."),
    ("benchmark.svg", "Against the benchmarks",
     "This run's NAV, the same config without hedge on the same market path, and the S&P 500 total return, all "
     "from the run's first NAV; their drawdowns."),
    ("attribution.svg", "P&L attribution", ""),  # (its caption names the step drawn: run_figure_pnl.attribution_caption)
    ("condor.svg", "SPX against the condor's break-evens",
     "SPX at each close against the book's break-evens at the condor's expiry (its short strikes -+ the credit "
     "and the open layers' P&L per condor, daily.csv), the "
     "condor exits by reason (a stop, a profit take, a margin call or the ruin where one closed a condor; counted "
     "in the legend where too many to mark); how far SPX is inside the nearer break-even, in percent of "
     "SPX (below 0: beyond it)."),
    ("vx_macd.svg", "VX signal and hedge layers",
     "The VX series the MACD reads, spot VIX, hedge layer entries and exits; MACD, signal and histogram, the "
     "bars on which MACD crosses its signal marked (where too many to read apart, as over decades, counted in "
     "the legend instead); the hedge "
     "book: layers open at each close and the contracts they hold (layers.csv; their 21-session mean where they "
     "change too often to draw), and the margin the whole book "
     "(condor and hedge) requires, in percent of NAV; over three years (756 sessions) the MACD panel's scale spans "
     "98% of its days, the days beyond it marked at the edge."),
    ("vega.svg", "Net vega against its band",
     "Net vega of the book (SPX-vega-equivalent, USD per vol point) against the policy's target band; the hedge "
     "ratio (hedge vega / |condor vega|) against [low, high]; how far outside the band each day is (above it: more "
     "hedge vega than the band, below it: less) and how often (the share of the last 21 sessions with a condor, and "
     "of the whole run); a panel's scale spans 98% of its days, the days beyond it are marked at the edge; over "
     "three years (756 sessions) the vegas are their medians over the last 21 sessions, net vega's 10-90% range "
     "shaded, and the distance outside the band its 21-session mean."),
)
