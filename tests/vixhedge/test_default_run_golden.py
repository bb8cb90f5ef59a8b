"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` on the SPX surface refitted in
session 2026-12-02 with SKEW's level by year (feeds.surface.skew_offsets), which the embedded market's estimated
SKEW follows since that session, and on the VX curve whose slow level follows the 3/2 drift's path
(feeds.vxcurve); the digests before them were checked equal, file by file, to the same models before the
cold-start work of issue 16, then on the backtrader engine with PNG figures: engine and figure changes must not
move a number; metrics.json (policy notes naming their fix) and report.html (dates without a time) were regenerated on
2026-12-03 with no number moved; config.toml (the new `analysis.risk_free = "cash"`), metrics.json and report.html
again on 2026-12-03 for Sharpe and Sortino over the cash return of each day (every CSV byte-identical), and
report.html once more that day (the VX carry rows worded by sign; replay and rebuild lines naming the run's real
folder, masked here); then config.toml (no risk_free_rate line under the cash basis: a rate stated alone now
means "constant"), metrics.json (performance.risk_free names the basis) and report.html (the new run id); then on
2026-12-03 again with no number moved (NAV, daily.csv, condors.csv, attribution.csv byte-identical): metrics.json
(rules_fired counts an act only where it changed the book: expansion_sizing 71 -> 39, slope_breakeven 8 -> 5; the
missing-A/D note names both window rules), signals.csv, trades.csv and layers.csv (rule tags: `!divergence`,
`!no_layers`, no-op tags dropped) and report.html (those, the shipped data files hashed, the Hedge cost rows of the
instruments held); and metrics.json (the stress rule counts each test: 44 + 60 - 9 = 95 days) and report.html (that,
the layer table's "VX P&L at rolls" header, premium and VX rows only where those instruments traded); then every file on 2026-12-03 for
policy changes that move numbers (NAV $874,638 -> $829,244, hedge P&L -$126,180 -> -$118,490): a bullish divergence
buys back half the open condor by default (divergence.condor_cut = 0.5, the text's "vega within the core iron
condor"; half rounded up), layers sized on the VX month they buy and opened on no month that rolls before their
next review, cash earning the overnight rate dated the day, the decision log's condor_not_placed column, rule tags
only where a cadence brought a review forward, the median hedge ratio and the simple ACT/365 cash rate (report.html
twice more for the hedge policy module's source hash: the placement rules moved to strategies/placement.py, the
static policy counts only its rolls); then every file but config.toml, signals.csv and layers.csv on
2026-12-03 for a condor exit that leaves a wing bid at 0 open to its expiry (14 wings were sold at 0 for a fee:
NAV $829,244 -> $829,371, fees -$6,013 -> -$5,890; condors.csv's wings_left column), with metrics.json's
capital.days_layer_refused_by_margin_call (0), report.html's why-0 text of ad_filter and the hedge policy and
condor selector modules' source hashes; report.html again that day for the Condors table's wings left column
and caption and the Capital row naming capital_cuts.csv (every other file byte-identical). Then every file but config.toml on 2026-12-03 (session 3) for a flat book opening the closest untraded expiry in range (17 sessions sat flat after 10 exits: NAV $829,308 -> see the README's opening block), the night of a month's last day earning the previous month's mean rate, return on margin over the P&L rows, whole-dollar figures rounded half up and the condor note naming the cut's wings. Then metrics.json (macd_warmup) and report.html (its caveat line) with no number moved. Then metrics.json
(data_provenance.settlements: 11 SPX AM expiries settled on the SPX open, and its note) and report.html (that note in
the data banner; the Hedge cost settlements row says what VX settled on, here none) on 2026-12-03 (session 4), no
number moved; then both for its wording ("SPX options: 11 AM-settled expiries at ...", read as 11 a.m. before). Then
report.html on 2026-12-04 for the hedge policy module's source hash alone (strategies/hedge.py's ``__all__`` no longer
names RestrikeLayer and UnitQuote, which it did not import; that hash is the page's only changed line). Then
metrics.json, signals.csv and report.html on 2026-12-04 (session 7) with no number of the book moved: an add held back
with every layer slot taken is logged `!max_layers`, not `!no_condor` (condor_required 27 -> 14: it counted bars
where no layer could have opened anyway); report.html for that row of its rules table and the hedge policy module's
source hash; and report.html again that day for the condor selector module's source hash alone (strategies/selectors.py
takes its registry from vixhedge/registries.py instead of an equal copy), and once more for the hedge policy module's
source hash alone (hedge.divergence.hold_adds, 0 by default: no run's numbers move). Then report.html on 2026-12-04
(session 8) for the source hashes of the hedge policy and condor selector modules alone (they import Snapshot from
strategies/snapshot.py, no longer from strategies/signalset.py, so that a plug-in importing it loads no pandas). Then
trades.csv the same day for its new `quote` column (real / anchored / model: where each fill's quote came from; every
other column and file byte-identical). Then report.html on 2026-12-04 (session 9) for the reports' readability fixes
(the condor.svg figure and its caption, the new vx_macd.svg and vega.svg captions, text headers aligned left, a
trigger's '+' wrapping, commands unbroken at hyphens), no number moved; then once more that session for condor.svg's
caption alone (the book's break-evens: the credit plus the open layers' P&L per condor). Then report.html on
2026-12-04 (session 10) for a phone's width alone (a viewport line, every table in its own sideways-scrolling box).
Then report.html on 2026-12-05 (session 12) for the VX carry's label alone ("a roll-down cost", not "contango bleed":
trial H's backwardated curve gave a cost too). Then metrics.json and report.html on 2026-12-05 (session 14), no number
moved: held_without_condor (hedge.require_condor held back 14 adds, 6 of them on consecutive sessions 2016-01-08..01-15)
and the page's note saying so; report.html again that session for its "Hedge layers by trigger" table (layers.csv's
net P&L by what opened each layer), and both once more for held_without_condor's longest run under its own key and
the table's "all layers" row (a researcher's trial). Then config.toml (the VIX smile fitted on the real VIX chain,
its level from VVIX: market.vix_smile's new defaults and atm_per_vvix; the run id with it), layers.csv (a layer still
open at the end says exit_reason "open", as condors.csv does: 4 layers) and report.html (both) on 2026-12-05
(session 15), no number moved: the default run holds no VIX option; metrics.json that session for
data_provenance.settlements' values (each of the 11 SPX expiries' settlement value, the SPX open, beside what it is).
Then every file on 2026-12-05 (session 17) for the SPX surface refitted at the 2019 intraday snapshots' own vol
index levels (Cboe's formula on their quotes, feeds.snapshot_level, where the fit read an elasticity mapping of the
closes before): market.spx_smile's nine surface defaults moved (and the run id with them). Then report.html on
2026-12-05 (session 18) for the condor selector module's source hash alone (a comment on CondorChoice.traded: sort
it before iterating; trial DET), every other file byte-identical (perf18's per-bar savings moved no byte). Then
report.html on 2026-12-05 (session 19) for the hedge policy module's source hash alone (a hedge cap's cut names what
it counted: trial PX; the default run has no hedge cap), every other file byte-identical; and metrics.json that
session for vega_drift's share of days outside the band and hedge ratios kept in full, no longer rounded to 4 places
(trial MX: a printed figure rounded them a second time), no printed figure of the default moved; and report.html
that session for the data banner's last column, headed "not real (anchored + model)" (was "modelled": trial PV).
Then metrics.json on 2026-12-05 (session 20) for performance.cvar_95_days (60: the worst days the CVaR averages;
trial RS20), every other file byte-identical; then metrics.json and report.html that session for named_periods and
its table (china-deval, volmageddon and q4-2018 inside the window, each with the book it entered with); and
report.html that session for trial RP's words: the require_condor note keeps the key's case, the Parameters table
spells booleans true / false, no number moved. Then report.html on 2026-12-05 (session 21) for vx_macd.svg's
caption alone (marks too many to read apart are counted in the legend; the default's figure keeps its marks);
and again that session for the attribution, condor and vx_macd captions (trial VIS21), no number moved, and
once more for vx_macd's, which read as if the default's crossovers were counted (trial RD21); and for the
drawdown durations' count (1,538 days: fmt.plural, no '1 days'; trial MUT21).
Then report.html's digest on 2026-12-06 (session 22) for the rows it leaves out (a plug-in's source hash, below): the page
of the session's first commit (4cbc59e) gives the new digest too, no word moved. Then metrics.json and report.html
on 2026-12-06 (session 22, trial RS24) with no number of the run moved (every CSV byte-identical): metrics.json
capital gains days_with_margin_call (0), margin_call_closes (0), margin_mode ("reg_t"), peak_margin_usd ($308,500),
peak_margin_per_condor_usd ($34,278: 9 condors that day), min_excess_liquidity_usd ($552,614) and capital_needed_usd
($447,386); report.html's Capital table names the margin ("Reg-T margin requirement / NAV") and adds the peak
requirement, capital needed and margin calls rows (the console's capital line: "Reg-T margin ...", ", 0 with a margin
call"). Then report.html on 2026-12-06 (session 22, trial VIS22) for the page's layout alone, no number moved: the
tables' boxes (wide, long), text cells that wrap, headers that break after a dot, the print rules, the long parts
(layers, condors, parameters, the data files' hashes, now a table of their own) folded in a counted <details>, the
layer table without the spread decay column (the default run holds no VIX option) and the named periods' table
set as a grid. Then report.html on 2026-12-06 (session 23) for one print rule alone (a folded part prints
whole), no number moved; then layers.csv that session for its new size_multiple column alone (trial HELP23:
which multiple of the first layer's notional sized each layer), every other column and file byte-identical;
and report.html for the capital-needed row's words alone (what excess liquidity counts: not NAV less margin).
Then layers.csv, metrics.json and report.html on 2026-12-06 (session 26, trial RS27: how much hedge a run held) for
the new figures alone, each file diffed old against new: layers.csv's sessions_held column after exit_reason (every
other column byte-identical), metrics.json hedge_cost's layers_opened 137, contracts_opened 184, layer_sessions 2112,
contract_sessions 2744, mean_layers_held 1.734, mean_sessions_held 15.42 and net_cost_per_contract_session_usd 44.17
(no other key or value moved), and report.html's Hedge cost row "hedge held" (no other line moved); every other file
byte-identical. Then metrics.json and report.html on 2026-12-06 (session 27, trial RS29) for the new figure alone,
each file diffed old against new: metrics.json capital.vx_moves_over_maintenance (3 sessions a held VX future moved
more than its maintenance in a day; the worst 2018-02-05, the 2018-02-14 contract $15,061.14, 3.0122x the $5,000
charged) and report.html's Capital row "VX margin" saying it (no other line moved); every other file byte-identical;
then both that session for data_provenance.spx_fills_beyond_width_fit (15 of 537 SPX option fills at modelled quotes
with VIX above 29.6, the highest 40.74 on 2015-08-24) and its note (the data banner's line), no other line moved;
both again that session (trial RS30) for the note's words (no direction claimed: wider quotes move the path either
way) and vx_moves_over_maintenance's "levels" ("cfe_2013": the words name the level only where it is CFE's);
both once more that session (review 27) for vx_moves_over_maintenance counting losses only (a long layer's gain needs
no margin: 3 sessions -> 0, the 2018-02-05 rise was a gain; the Capital row gone with them) and the note's "VIX
closes" and "modelled or anchored quotes", no other line moved.
Then report.html that session (trial VIS27) for the require_condor note's README section in italics
(<i>Where a window starts</i>, not *Where a window starts*), no other line moved.
Then report.html that session for the Hedge cost row "hedge held" alone: its cost per contract-session in cents
under $100 ("$44.17 of net cost each", was "$44"; fmt.usd_cents), no other line moved.
Then report.html that session for its layout words alone, no number moved: the subtitle's "(1,218 trading days)"
and "data embedded: arch.data(sp500,vix)" (the Reproduce data row too; fmt.source_words), the Vega drift row "days
with a condor 1,134" and a style rule keeping a key-value table's value cells on one line.
Then report.html that session for condor.svg's caption alone (a margin call's and the ruin's exits are marked where
one closed a condor; the default has neither: condor.svg byte-identical), no other line moved.
Then metrics.json and report.html on 2026-12-06 (session 28, trial RS31) for the hedge's net P&L by cause, no number
of the book moved: hedge_cost's fills_vs_mid_usd (-$11,436: the spread the hedge fills paid against mid) and
option_marks_usd ($0: no VIX option held), per layer and in total, and the Hedge cost rows "VIX move, daily" and
"fills against mid" (carry -$43,635 + VIX move -$65,119 + fills -$11,436 + fees -$1,015 = -$121,205).
Then, that session (trial RS32), daily.csv (the day's hedge P&L by cause: hedge_vx_carry_usd, hedge_vx_vix_move_usd,
hedge_option_marks_usd, hedge_fills_vs_mid_usd, summing to hedge_pnl_usd), layers.csv (each layer's four), metrics.json
(named_periods' hedge_by_cause_usd) and report.html (the VIX move worded as the exposure held times the VIX's path,
no timing figure alone; the carry as a remainder), no number of the book moved. Then report.html that session (trial
VIS28) for the Hedge cost's by-cause rows in their own table under "Hedge P&L by cause" with their sum, the net P&L
(-$121,205), the carry worded "a loss", not "a roll-down cost", no other line moved; and once more for the named
periods' table's "hedge P&L by cause" column (china-deval: VX carry $11,232; VIX move $25,056; fills against mid
-$173, the period's hedge P&L $36,115), no other line moved.
Then report.html on 2026-12-06 (session 29) for the table "Hedge P&L by cause, by year" (daily.csv's causes per
calendar year beside the year's VIX and layers held: 2018, VIX 11.04 to 25.42, VX carry $18,478, VIX move -$18,602),
no other line moved; and once more for its words alone (the layers held "how much was held", the VIX move the
contracts held times their dF/dVIX times the VIX's moves: review 29).
Then metrics.json and report.html on 2026-12-06 (session 30, trial ACC30) for capital.min_excess_liquidity_date
("2018-12-31") and min_excess_liquidity_at ("day_end") and the Capital row "capital needed" saying so, no other line
moved. (macd_warmup.last_cross, trial RS35, moves no byte here: the default's 39 sessions of history hold no crossover.)
Then metrics.json (session 30, trial ACC30) for performance.vx_variation_interest_unbooked_usd (35.85: the interest
CFE's daily variation would have earned, recorded, not booked), no other line moved.
Then report.html (session 30, trial VIS30) for Rules fired's "what it does" column and the trigger words' key under
Hedge layers by trigger (vixhedge/rule_words.py), no other line moved; and for the Hedge cost row "closed by rolls"
saying its rows split the net by how positions closed, those above by cash flow (VIS30 read them as repeats).
Then report.html on 2026-12-07 (session 35, trial VIS35 L3) for its layout alone, no number moved: each ISO date in a
table cell that may wrap in a span that does not (Chrome broke "(ruined 2020-" / "03-23)"), and the style rule
aligning a text column's cells left in any table (a grid's alone did); the page diffed old against new, those undone,
is byte-identical. Then report.html again that day (trial VIS36 L7) for its style sheet alone: a key-value table's
key column does not wrap, its value column alone breaks anywhere ("confi" / "g" in the Reproduce table).
Then metrics.json and report.html on 2026-12-07 (session 38, trial RS40 M1) for capital.capital_needed_usd alone,
each file diffed old against new: $447,386 -> $465,041, the lowest excess ($552,614 on 2018-12-31) in dollars of the
start ($1 had grown to 1.0330 by then at the cash rate: a start smaller by k holds k x 1.0330 less then), and the
Capital row "capital needed" saying so; no other line moved. Then both that session (trial RD39 M2) for
capital.capital_needed_date ("2018-12-31") and capital_needed_growth (1.0330) and that row naming them, no other
line moved.
Then metrics.json and report.html on 2026-12-07 (session 40, trial ACC40 L1) for data_provenance's mark counts
alone, each file diffed old against new: a position is counted on each day it is held at the close (its opening
day in, its closing day out, as daily.csv values it): SPX option marks 4,642 -> 4,657, VX future marks 1,364 ->
1,366 (test_provenance_by_hand counts them from trades.csv); no other line moved.
Then report.html on 2026-12-07 (session 41, trial TASK42 L8) for the require_condor note's words alone (diffed old
against new: "the VX series of hedge.macd.series went", as a plug-in policy may read no MACD); no number moved.
Then report.html that session (trial VIS42 M1, L2, L3) for its layout alone, diffed old against new: an "At a glance"
table first (each figure one the page gives below), the key-value tables' labels unwrapped, the Condors table's P&L
after the exit reason and strikes as listed ("1,595", not "1,595.00"); no number moved. Then report.html that session
for the VX signal and vega captions alone (over three years the MACD panel's scale spans 98% of its days and the
vegas are 21-session medians: VIS42 M3, M5, whose figures the digest leaves out), diffed old against new; and for
its style sheet alone (VIS42 M2: below 960 px a figure keeps 900 px, was 700 px below 700 px). Then for two
words alone (trial RD42 M1, L5): the At a glance convention says the no-hedge figures are measured on benchmark.csv,
the attribution caption names "hedge (all layers)" as its legend does; diffed old against new.
A model change that moves the default run's numbers updates them here, saying so in its commit.
metrics.json is compared with every float at 9 significant digits (metrics_text): its floats are written in full and
their last bits move with the machine (the CI machine of 2026-12-03, session 4, an AMD EPYC without AVX-512, moved
some: the same code gave another digest, every CSV and report.html byte-identical; not the libraries: pandas 2.2-3.1,
numpy 1.26-2.4 and exchange_calendars 4.5-4.13 give one digest); bytes on one machine are checked by
test_the_same_config_writes_the_same_metrics_bytes_twice.
report.html is compared without its figures (data URIs) and without the rows that name the environment (git
commit, python and package versions) or a plug-in's source hash (a built-in's moves with any edit of its file, a
comment included: strategies/selectors.py's SelectorError took a new base in session 22 and moved the page's
"condor selector source" row alone).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from vixhedge.cli import main

pytestmark = pytest.mark.golden

EXPECTED = {
    "config.toml": "355a9f1c783f12dfffaea5c7ad3d17e8589ec7fd46f864324975a4b6c0ad4f0d",
    "metrics.json": "05fc7791408f27104ef4caea05337f2448ef392932e3ff171ffbe4321db6d9a0",
    "daily.csv": "d6407d54b2c046b84d260d17af79556fb704ae4502757e180250e9d8c2392ba0",
    "signals.csv": "43f78cb8ac03f49c61bda2e92450a43699cbe66355742802272e00b62fd6ca7a",
    "trades.csv": "41c986701fe34846784e872ff6ab7b321a173ba2ce0b0e7f5685c333f1b6477a",
    "layers.csv": "d842cc88c40d2bf3ca49f139df7a89cf2898d34afbc22c477a7d3411dcba690e",
    "condors.csv": "88b7ccf643f41ad44ae57dbdaf662199392974e47ad1b1ac988773094359d726",
    "attribution.csv": "e35ca8eddefd44907e906d21ccc2714f5ff2f627eca7542adeca3f2d1c3c3883",
    "benchmark.csv": "095473c41a3724940df82a5f9f1e2904a65ab72b3e6923a9bc384d09d5d8e96f",
    "report.html": "1c3f3639de893aad4ad557d753ca57f8189661e621bd2e442336dd67ea8b04d6",
}
ENVIRONMENT_ROWS = re.compile(r"<tr><td>(git commit|python|package [^<]*|[^<]* source)</td>"
                              r"<td>(?:[^<]|</?span[^>]*>)*</td></tr>")


def page_text(path: Path) -> str:
    """report.html without its figures' data and the rows that name the environment; the run folder's path (the
    replay and rebuild commands name it: a tmp_path here) as RUN_FOLDER; the replay command's engine flag (only a
    non-default engine's command carries it) dropped, so both engines' pages compare to one digest."""
    text = re.sub(r'src="data:[^"]*"', 'src=""', path.read_text(encoding="utf-8"))
    return ENVIRONMENT_ROWS.sub("", text).replace(str(path.parent), "RUN_FOLDER").replace(' <span class="nw">--engine</span> backtrader', "")


def metrics_text(path: Path) -> str:
    """metrics.json with every float at 9 significant digits (the machine moves the last bits: module docstring)."""
    def rounded(obj):
        if isinstance(obj, float):
            return float(f"{obj:.9g}")
        if isinstance(obj, dict):
            return {k: rounded(v) for k, v in obj.items()}
        return [rounded(v) for v in obj] if isinstance(obj, list) else obj
    return json.dumps(rounded(json.loads(path.read_text(encoding="utf-8"))), indent=1)


def _digest(folder: Path, name: str) -> str:
    text = {"report.html": page_text, "metrics.json": metrics_text}.get(name)
    return hashlib.sha256(text(folder / name).encode("utf-8") if text else (folder / name).read_bytes()).hexdigest()


@pytest.mark.parametrize("engine", [None, "backtrader"])  # None: the default engine, fast (manifest)
def test_default_run_writes_the_same_files(tmp_path: Path, engine: str | None) -> None:
    """`vixhedge run` (its default engine, fast) and `--engine backtrader` write the expected files."""
    assert main(["run", "-q", "--runs-dir", str(tmp_path), *(["--engine", engine] if engine else [])]) == 0
    (folder,) = tmp_path.iterdir()
    assert folder.name == "default-355a9f1c"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    assert {name: _digest(folder, name) for name in EXPECTED} == EXPECTED


def test_the_same_config_writes_the_same_metrics_bytes_twice(tmp_path: Path) -> None:
    """Determinism on one machine, every bit: two runs of one config write the same metrics.json (a short window)."""
    for runs in ("a", "b"):
        assert main(["run", "-q", "--runs-dir", str(tmp_path / runs), "--start", "2016-01-04", "--end", "2016-06-30"]) == 0
    (a,), (b,) = (tmp_path / "a").iterdir(), (tmp_path / "b").iterdir()
    assert (a / "metrics.json").read_bytes() == (b / "metrics.json").read_bytes()
