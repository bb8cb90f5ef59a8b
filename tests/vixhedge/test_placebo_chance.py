"""Trial STAT32 F6 and F7 (placebo): the placebo's summary and page say how many of the lines it ranks would reach 5%
by chance and that the causes are parts of one sum (compare and a walk-forward had their "CI caveat", the placebo
none, and README said "not adjusted for four" where seven lines are ranked); a p-value just above 5% is not shown
as "0.05" beside "not distinguishable from random" (placebo_stats.p_text printed two decimals). Fails on the old
code: no ``multiple_tests``, no caveat line, and 1/19 printed "p = 0.05"."""

import datetime as dt
import html
from pathlib import Path

from vixhedge import placebo as PL
from vixhedge import placebo_stats as S
from vixhedge.core import config as C

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
NAN = float("nan")


def _rows(n: int = 19, **causes) -> list[dict]:
    """``n`` hand-made placebo rows: hedge P&L -1,000 x seed, the other metrics rising with the seed; the causes
    ``causes`` (a column: a function of the seed), 0 where not given."""
    return [{"seed": s, "hedge_pnl_usd": -1000.0 * s, "max_drawdown": 0.01 * s, "cvar95": 0.001 * s,
             "sharpe": 0.1 * s, "layers_opened": 10, "contract_sessions": 100, "mean_layers_held": 1.0,
             **{c: float(causes[c](s)) if c in causes else 0.0 for c, _ in S.CAUSES}} for s in range(1, n + 1)]


def _placebo(ref: dict, rows: list[dict]) -> PL.Placebo:
    cfg = C.replace(C.load_default(), run={"start": dt.date(2015, 1, 2), "end": dt.date(2015, 6, 30)})
    return PL.Placebo(cfg, "alvh", ref, {"p_add": 0.1, "layers": [[1, 2, 3]]}, 100, rows, S.summarise(ref, rows),
                      [(0.1, 100.0)])


VX = {"vx_carry_usd": lambda s: -5000.0, "vx_vix_move_usd": lambda s: -1000.0 * s,
      "fills_vs_mid_usd": lambda s: -300.0 - s}  # a VX-future hedge's three causes (test_placebo's hand case)


def test_the_summary_and_page_count_the_lines_ranked_and_say_the_causes_are_one_sum(tmp_path):
    """A VX-future hedge: 4 metrics and 3 causes held (VX carry, VIX move, fills against mid; option marks 0
    everywhere: README "a line per cause the reference or a placebo held"), each tested in both tails (README: "did
    worse than" where the other tail is <= 0.05), so 14 one-sided tests at 5%: 0.05 x 14 = 0.7 expected by chance, as
    verdicts.chance_words counts compare's intervals (0.05 n)."""
    rows = _rows(**VX)
    ref = {**rows[9], "vx_carry_usd": -2000.0}
    p = _placebo(ref, rows)
    words = ("7 lines ranked (4 metrics, 3 causes), each tested in both tails at 5%: if the timing were no better or "
             "worse than random, about 0.7 of their 14 tails would still reach 5% by chance (each at its own 5%); "
             "Holm's adjustment of the 14 tails' p-values for at most a 5% chance of any false verdict: none can "
             "hold at 19 placebos (the smallest p, 1/20, times 14 is 0.700: --seeds 1032 or more lets one); "
             "the causes are parts of one sum, the hedge P&L (fees excluded), so VX carry and VIX move "
             "are not independent evidence: one better and the other worse than random can be one P&L split in two")
    assert S.multiple_tests(p.summary) == words
    text = PL.format_summary(p, "OUT").splitlines()
    assert f"  caveat         {words}" in text
    assert text.index(f"  caveat         {words}") == len(text) - 3  # after the causes, before the folder and verdict
    assert text[-2].startswith("  placebo folder OUT")
    page = (PL.write_folder(p, tmp_path / "p") / "report.html").read_text()
    assert f"<p><b>caveat:</b> {html.escape(words)}</p>" in page
    assert "seven lines" not in page
    # README's default block has the line, and its prose no longer counts four
    at100 = words.replace("at 19 placebos (the smallest p, 1/20, times 14 is 0.700", "at 100 placebos (the smallest "
                          "p, 1/101, times 14 is 0.139")  # (README's default placebo: 100 seeds; 14 / 101 = 0.1386)
    assert f"      caveat         {at100}\n" in README and "not\nadjusted for four" not in README


def test_the_count_follows_the_lines_ranked():
    """An option hedge ranks 2 causes (VIX options' marks, fills: README "an option hedge: VIX options' marks, fills
    against mid"): 6 lines, 12 tails, 0.6; no cause held: the 4 metrics alone, 8 tails, 0.4, no word on causes; a
    reference whose Sharpe is not a number has p n/a there (README "a reference whose figure is not a number has k and
    p n/a"): that line is not ranked, 3 metrics + 3 causes, 12 tails."""
    opt = _rows(option_marks_usd=lambda s: -10.0 * s, fills_vs_mid_usd=lambda s: -300.0 - s)
    words = S.multiple_tests(S.summarise(opt[4], opt))
    assert words.startswith("6 lines ranked (4 metrics, 2 causes), each tested in both tails at 5%: if the timing "
                            "were no better or worse than random, about 0.6 of their 12 tails would still reach 5%")
    assert words.endswith("; the causes are parts of one sum, the hedge P&L (fees excluded), so they are not "
                          "independent evidence")
    bare = _rows()
    assert S.multiple_tests(S.summarise(bare[4], bare)) == (
        "4 lines ranked (4 metrics), each tested in both tails at 5%: if the timing were no better or worse than "
        "random, about 0.4 of their 8 tails would still reach 5% by chance (each at its own 5%); Holm's adjustment "
        "of the 8 tails' p-values for at most a 5% chance of any false verdict: none can hold at 19 placebos (the "
        "smallest p, 1/20, times 8 is 0.400: --seeds 589 or more lets one)")
    vx = _rows(**VX)
    assert S.multiple_tests(S.summarise({**vx[4], "sharpe": NAN}, vx)).startswith(
        "6 lines ranked (3 metrics, 3 causes), each tested in both tails at 5%: if the timing were no better or worse "
        "than random, about 0.6 of their 12 tails")


def test_a_p_just_above_the_level_is_not_shown_at_it(tmp_path):
    """Trial STAT32 F7: "19 seeds with one NaN gives N = 18, p = 1/19 = 0.0526", printed "p = 0.05" beside "not
    distinguishable from random". By hand: the reference's hedge P&L -500 beats all 18 placebos whose figure is a
    number (-1,000 x seed; seed 19's NaN left out): k = 0, p = (0 + 1) / (18 + 1) = 0.052632 > 0.05."""
    rows = _rows()
    rows[-1]["hedge_pnl_usd"] = NAN
    ref = {**rows[0], "hedge_pnl_usd": -500.0}
    p = _placebo(ref, rows)
    m = p.summary["metrics"]["hedge_pnl_usd"]
    assert (m["at_least_as_good"], m["p_value"], m["not_a_number"]) == (0, round(1 / 19, 6), 1)
    assert S.verdict("alvh", p.summary).endswith("(p = 0.053; 1 placebo not a number, left out): on this market "
                                                 "path its timing is not distinguishable from random")
    line = next(x for x in S.lines("alvh", p.summary) if x.strip().startswith("hedge P&L"))
    assert "p = 0.053;" in line and "p = 0.05;" not in line
    page = (PL.write_folder(p, tmp_path / "p") / "report.html").read_text()
    assert "<td>0.053</td>" in page and "(p = 0.053;" in page
    assert ", p = 0.053</text>" in (tmp_path / "p" / "placebo.svg").read_text()
    assert "A p is shown with two decimals, more where two would put a p above 5% at 0.05" in " ".join(README.split())


def test_p_text_keeps_two_decimals_unless_they_cross_the_level():
    """Two decimals (README's block: "p = 0.86", "p = 0.01", "p = 1.00") where they read on the verdict's side of
    5% (0.049 <= 0.05 and "0.05" is at the level too), more where rounding would put a p above 5% at it or a p
    above 0 at 0 (a placebo p is at least 1 / (N + 1): 1/301 = 0.0033, 1/100001 = 0.00001)."""
    cases = {0.86: "0.86", 0.05: "0.05", 0.049: "0.05", 0.01: "0.01", 1.0: "1.00", NAN: "n/a",
             1 / 19: "0.053", 0.0504: "0.0504", 0.050001: "0.050001",
             1 / 301: "0.003", 1 / 100001: "0.00001"}  # (trial RD36: "the other tail's p = 0.00" at 300 seeds)
    assert {p: S.p_text(p) for p in cases} == cases


def test_holm_names_the_tails_that_hold_once_enough_placebos_can():
    """Session 34: Holm's adjustment (Holm 1979) of the 14 one-sided tails of a VX-future hedge's 7 lines; session 36:
    a placebo p is a Monte-Carlo estimate as a bootstrap's (verdicts.holm_undecided, one-sided: q = p; session 39,
    trial STAT39 M1: its band the exact Clopper-Pearson 95% interval of the tail count, scipy.stats.beta). 1,100
    placebos; the reference ahead of every one on VX carry (-2,000 against -5,000): k = 0, p = 1/1101, Holm 14/1101
    = 0.0127, its band's top 14 x (1 - 0.025^(1/1100)) = 0.0469 < 0.05: it holds (at 900 placebos the top, 0.0573,
    is above 5%: undecided). Hedge P&L -2,500 against -1,000 x seed: seeds 1 and 2 as good, k = 2, p = 3/1101, Holm
    13 x 3/1101 = 0.0354, its band 13 x [beta.ppf(0.025, 2, 1099), beta.ppf(0.975, 3, 1098)] = [0.0029, 0.0852]
    holds 0.05: undecided. At 400 placebos the floor 14/401 = 0.0349 has a band topping 0.129: none can hold, 1,032
    would let one (draws_to_hold(14, tails=1): N about 73.7 x 14)."""
    rows = _rows(n=1100, **VX)
    ref = {**rows[549], "vx_carry_usd": -2000.0, "hedge_pnl_usd": -2500.0}  # (the other lines mid-field)
    words = S.multiple_tests(S.summarise(ref, rows))
    assert ("Holm's adjustment of the 14 tails' p-values for at most a 5% chance of any false verdict: 1 holds: "
            "VX carry better than random (Holm p 0.013); within Monte-Carlo error of 5%, undecided (more placebos may "
            "settle it; rerunning seeds until it holds would not): hedge P&L better than random (Holm p 0.035); the "
            "causes") in words
    rows = _rows(n=400, **VX)
    words = S.multiple_tests(S.summarise({**rows[0], "vx_carry_usd": -2000.0, "hedge_pnl_usd": 10.0}, rows))
    assert ("none can hold at 400 placebos (the smallest p, 1/401, times 14 is 0.035, within Monte-Carlo error of 5%, "
            "as a p resting on no placebo past the reference could be up to 3.7 times as large (an exact 95% bound): "
            "--seeds 1032 or more lets one); the causes") in words
