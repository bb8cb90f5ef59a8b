"""A compare's variant picked by a search: the sweep's best point as a mode, and what its intervals cannot count.

A paired CI tests a variant as if it had been fixed before any result was seen. A variant that is a sweep's best
point was not: it is the best of many, ranked perhaps by more than one metric, and a difference that holds for it
here (Holm included) is the best of a search's, not a test (trial RS39 H1: "1 difference holds: picked_cvar CVaR 95%
better" for the best of 648 points, ranked by CVaR after Sharpe, whose own out-of-sample rank was 246 of 648).

``--variant NAME sweep=FOLDER`` runs the best point of the sweep in FOLDER (summary.json ``best``, as ranked last:
``vixhedge sweep ... --rank-by``) as a mode: the sweep's base config (FOLDER/base.toml) where its strategy differs
from the comparison's config, then the point's keys, on the comparison's own [run], [market] and [analysis]. It is
expanded at once into those keys (the comparison's folder id, comparison.json and the Reproduce command name them,
so a sweep ranked again later changes nothing) and ``searched``, the search in words, which a caveat line says
(:func:`search_caveats`) with whether the comparison's window overlaps the days the sweep ranked on. ``searched =
"..."`` can be given by hand for a variant chosen another way. Without it, one line says the variants are tested
as chosen in advance.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from vixhedge import fmt
from vixhedge.compare_variants import SEARCHED, SHARED, SWEEP
from vixhedge.core import config as C

__all__ = ["from_sweep", "search_caveats", "search_words"]

_FITTED = re.compile(r"ranked on (\d{4}-\d\d-\d\d)\.\.(\d{4}-\d\d-\d\d)")


def _summary(folder: Path, name: str) -> dict[str, Any]:
    """FOLDER/summary.json of a sweep with a best point; one ConfigError line naming the variant otherwise."""
    where = f"variant {name}: sweep = {str(folder)!r}"
    if not folder.is_dir():
        raise C.ConfigError(f"{where} is not a folder: give the folder `vixhedge sweep ... --out FOLDER` wrote")
    if (folder / "walkforward.json").is_file():
        raise C.ConfigError(f"{where} is a walk-forward (walkforward.json): its pick changes by fold; give the "
                            "folder of a plain or split sweep (summary.json)")
    try:
        s = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        why = "has no summary.json" if isinstance(exc, FileNotFoundError) else f"summary.json is unreadable ({exc})"
        raise C.ConfigError(f"{where} {why}: give the folder `vixhedge sweep ... --out FOLDER` wrote") from None
    from vixhedge.sweep_load import SweepFolderError, check_intact
    from vixhedge.sweepio import BASE_FILE

    try:  # (trial FUZZ40 H1: an edited best point ran as "the best of N points of the sweep", report refused it)
        check_intact(folder, ("summary.json", BASE_FILE))
    except SweepFolderError as exc:
        raise C.ConfigError(f"{where}: {exc}") from None
    if not isinstance(s, dict) or not isinstance(s.get("best"), dict) or not isinstance(s.get("rank_by"), dict):
        raise C.ConfigError(f"{where}: its summary.json names no best point (no point finished, or a folder from "
                            "before summary.json's best): run or resume the sweep first")
    _check_fields(s, folder, where)
    return s


def _check_fields(s: dict[str, Any], folder: Path, where: str) -> None:
    """Raise one ConfigError line naming summary.json's field and value when one that :func:`search_words` reads is
    not what a sweep writes (trial FUZZ40 M1: an internal error, exit 3; a folder without output_files.json, from
    before it or mid-sweep, is not hashed)."""
    from vixhedge.argtypes import is_whole
    from vixhedge.plugins import short_repr
    from vixhedge.sweep_keys import RANK_BY
    from vixhedge.sweep_load import rerun_words

    def day(v: Any) -> bool:
        return v is None or (isinstance(v, str) and re.fullmatch(r"\d{4}-\d\d-\d\d", v) is not None)

    def count(v: Any) -> bool:
        return is_whole(v) and v >= 1

    market, oos, rankings = s.get("market"), s.get("out_of_sample_rank"), s.get("rankings")
    checks = [("best", s["best"], lambda v: any("." in str(k) for k in v), 'its point\'s grid keys, e.g. '
               '"hedge.macd.fast": 8'),
              ("rank_by.metric", s["rank_by"].get("metric"), lambda v: isinstance(v, str) and v in RANK_BY,
               f"one of {', '.join(RANK_BY)}"),
              ("points", s.get("points", 1), count, "a whole number of points, 1 or more"),
              ("rankings", rankings, lambda v: v is None or (isinstance(v, list) and all(
                  isinstance(r, dict) and isinstance(r.get("rank_by"), str) for r in v)),
               'a list of {"rank_by": METRIC, ...} objects'),
              ("market", market, lambda v: v is None or isinstance(v, dict), "an object")]
    checks += [(f"market.{k}", market.get(k), day, "a day YYYY-MM-DD or null (None)")
               for k in ("first_session", "in_sample_end", "last_session") if isinstance(market, dict)]
    checks.append(("out_of_sample_rank", oos, lambda v: v is None or isinstance(v, dict), "an object"))
    checks += [(f"out_of_sample_rank.{k}", oos.get(k), ok, want) for k, ok, want in (
        ("test_rank", lambda v: v is None or count(v), "a whole number, 1 or more, or null (None)"),
        ("points", lambda v: is_whole(v) and v >= 0, "a whole number"),
        ("random_pick", lambda v: v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)
                                                and 0 <= v <= 1), "a probability 0..1 or null (None)"))
               if isinstance(oos, dict) and oos]
    for field, value, ok, want in checks:
        if not ok(value):
            raise C.ConfigError(f"{where}: its summary.json's {field} = {short_repr(value, 60)} is not what a sweep "
                                f"writes ({want}; a damaged or hand-edited file): "
                                f"{rerun_words(folder).format('rewrite it')}")


def _base_keys(cfg: C.Config, folder: Path, name: str) -> dict[str, Any]:
    """The strategy keys where the sweep's base config (FOLDER/base.toml) differs from ``cfg``, as TOML values."""
    from vixhedge.core.config.unread import differing, get

    base = C.load(folder / "base.toml", f"variant {name}: the sweep's base config")
    return {k: C.to_dict(get(base, k)) for k in differing(cfg, base) if k.split(".")[0] not in SHARED}


def search_words(s: dict[str, Any], folder: Path) -> str:
    """The search a sweep's best point came out of, in words (a variant's ``searched``). The sweep's ``folder`` is
    named relative to the working folder when inside it, else absolute (:func:`vixhedge.runfolder.plain_path`, as
    manifest.json's run_folder), however it was typed: ``sw/tiny``, ``./sw/tiny`` and its absolute path are one
    comparison, one folder id (trial DET39 M2: the words, and so the id, were the path as typed)."""
    from vixhedge.runfolder import plain_path
    from vixhedge.sweep_text import METRIC_WORDS

    def words(metric: Any) -> str:
        return METRIC_WORDS.get(metric, (str(metric),))[0]

    metric = s["rank_by"].get("metric", "?")
    tried = [r.get("rank_by") for r in s.get("rankings") or () if isinstance(r, dict) and r.get("rank_by") != metric]
    m = s.get("market") or {}
    first, cut, last = m.get("first_session"), m.get("in_sample_end"), m.get("last_session")
    text = (f"the best of {fmt.plural(int(s.get('points') or 0), 'point')} of the sweep {plain_path(folder)} "
            f"by {words(metric)}"
            + (f" (ranked by {', '.join(map(words, tried))} too)" if tried else ""))
    if first and (cut or last):
        text += f", ranked on {first}..{cut or last}"
    r = s.get("out_of_sample_rank") or {}
    if cut and r.get("test_rank"):
        text += (f"; out of sample, after {cut} to {last}, it ranked {r['test_rank']} of {r['points']} (a point "
                 f"drawn at random ranks as well or better with probability {fmt.num(r.get('random_pick'), 3)})")
    return text


def from_sweep(cfg: C.Config, name: str, keys: dict[str, Any]) -> dict[str, Any]:
    """Variant ``name``'s ``keys`` with ``sweep = FOLDER`` expanded (module docstring): the sweep's base keys that
    differ from ``cfg``, its best point's keys, ``searched``, then the variant's own other keys (they win)."""
    keys = dict(keys)
    typed = str(keys.pop(SWEEP))
    if not typed.strip():  # (trial FUZZ40 L5: Path('') is '.', and the line said `sweep = '.'`)
        raise C.ConfigError(f"variant {name}: sweep = {typed!r} is empty: give the folder `vixhedge sweep ... --out "
                            "FOLDER` wrote")
    folder = Path(typed)
    s = _summary(folder, name)
    point = {k: v for k, v in s["best"].items() if "." in k}  # (the grid's dotted keys; the rest are figures)
    return {**_base_keys(cfg, folder, name), **point, SEARCHED: search_words(s, folder), **keys}


def _where(start: str, end: str, ranked: tuple[str, str]) -> str:
    """Where ``start``..``end`` lies against the ``ranked`` days (first, last; inclusive): "inside", "partly",
    "outside"."""
    if start >= ranked[0] and end <= ranked[1]:
        return "inside"
    return "partly" if start <= ranked[1] and ranked[0] <= end else "outside"


def _span_words(start: str, end: str, ranked: tuple[str, str]) -> str:
    """The sentence on one window against the days its pick was ranked on (trial VIS38 M1: a window wholly inside
    them was "partly in sample")."""
    where, this = _where(start, end, ranked), f"This window, {start}..{end},"
    if where == "inside":
        return f"{this} lies wholly inside the days it was ranked on: its figures here are in sample"
    if where == "partly":
        return (f"{this} overlaps the days it was ranked on ({max(start, ranked[0])}..{min(end, ranked[1])}): its "
                "figures here are partly in sample")
    return f"{this} is outside the days it was ranked on: its figures here are out of sample"


#: what an interval out of sample tests (trial VIS38 M2: a window outside the ranked days was still "the best of many
#: tried", beside "outside the days it was ranked on")
FAIR = ("its intervals test the one point the search chose, as one fixed in advance, provided nothing seen on those "
        "days guided the choice (a pick made again after reading the sweep's out-of-sample figures is in sample "
        "there too)")


def search_caveats(variants: dict[str, dict[str, Any]], start: str | None, end: str | None,
                   windows: Sequence[tuple[str, str]] = ()) -> list[str]:
    """The caveat lines of a comparison's variants (console, report.html, comparison.json; ``windows``: compare
    --windows' (start, end) of each window): each variant picked by a search (``searched``) said with its search
    and, where its words give the days the sweep ranked on, whether ``start``..``end`` lies inside, across or
    outside them (compare --windows: how many windows do); on days it was ranked on its intervals count none of the
    search, on other days they test the one point chosen (:data:`FAIR`). The other variants, in one line, are
    tested as chosen in advance."""
    out, plain = [], [n for n, keys in variants.items() if SEARCHED not in keys]
    for name, keys in variants.items():
        if SEARCHED not in keys:
            continue
        text = str(keys[SEARCHED])
        seen = _FITTED.search(text)
        ranked = (seen.group(1), seen.group(2)) if seen else None
        where, span = [], ""
        if ranked and windows:  # (VIS38 M4: one line over the range said "partly in sample" of 10 windows, 4 of
            where = [_where(a, b, ranked) for a, b in windows]  # them inside, 1 across, 5 outside)
            span = (f". Of the {fmt.plural(len(where), 'window')}: wholly inside the days it was ranked on (in "
                    f"sample) {where.count('inside')}, overlapping them {where.count('partly')}, outside them (out of "
                    f"sample) {where.count('outside')}")
        elif ranked and start and end:
            where, span = [_where(start, end, ranked)], ". " + _span_words(start, end, ranked)
        held = "a CI of its that excludes 0 in a window that meets those days" if windows else \
            "a difference of its that holds here, after Holm's too,"
        parts = [f"Its intervals count none of that search: {held} is the best of many tried, not a test fixed in "
                 "advance"] if set(where) != {"outside"} else []
        if "outside" in where:
            parts.append(("in the windows outside them, " if windows else "") + FAIR)
        body = "; ".join(parts)
        out.append(f"CI caveat: {name} was picked by a search: {text}{span}. {body[0].upper()}{body[1:]}")
    if plain:
        out.append(f"CI caveat: {', '.join(plain)}: {'each variant is' if len(plain) > 1 else 'a variant is'} tested "
                   "as if chosen before any result was seen; one picked by a search (a sweep's best point) is not: "
                   "give it as --variant NAME sweep=FOLDER, and a line says the search")
    return out
