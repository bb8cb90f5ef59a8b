"""Where the inputs of a data directory live: its layout, standard or shared (described in :mod:`feeds.directory`).

:func:`detect_layout` returns the first layout that matches, or raises DataError saying what is missing; two files
for one series are an error naming both. :mod:`feeds.directory` re-exports :class:`Layout`, :func:`detect_layout`
and :func:`relative_note`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from feeds.loaders.fileerrors import not_a_file
from feeds.marketdata import DataError

__all__ = ["LAYOUTS", "Layout", "detect_layout", "relative_note"]

_VX_GLOBS = ("*.csv", "*.csv.gz")


@dataclass(frozen=True)
class Layout:
    """Where each input of a data directory lives."""

    name: str
    spx: Path
    vix: Path
    vx: tuple[Path, ...]
    chains: tuple[Path, ...] = ()


def _first(root: Path, names: Sequence[str]) -> Path | None:
    """Return the one file of ``names`` in ``root``, in any letter case (``SPX.csv`` is the SPX file, as a
    case-insensitive disk would find it; None if none); two of them are an error (which one is meant? ``spx.csv``
    beside ``SPX.csv`` too: robustness trial, session 8, the second was ignored without a word)."""
    order = {n.lower(): k for k, n in enumerate(names)}
    try:
        found = sorted((p for p in root.iterdir() if p.name.lower() in order and p.is_file()),
                       key=lambda p: (order[p.name.lower()], p.name))
    except OSError:  # not a folder, or not readable: as no file (the caller names what is missing)
        found = []
    if len(found) > 1:
        raise DataError(f"{root}: {' and '.join(p.name for p in found)} are both there, two files for one series: "
                        "keep one (move the other out of the folder)")
    return found[0] if found else None


def _vx_order(path: Path) -> tuple[int, str]:
    name = path.name.upper()
    rank = 0 if name.startswith("CFE_") else 1 if name.startswith("VX_") else 2
    return rank, path.name


def _standard(root: Path) -> Layout | None:
    spx = _first(root, ("spx.csv", "spx.csv.gz"))
    vix = _first(root, ("vix.csv", "vix.csv.gz", "VIX_History.csv"))
    if spx is None or vix is None or not (root / "vx").is_dir():
        return None
    vx = sorted((p for g in _VX_GLOBS for p in (root / "vx").glob(g)), key=_vx_order)
    chains = sorted(p for g in _VX_GLOBS for p in (root / "chains").glob(g)) if (root / "chains").is_dir() else []
    return Layout("standard", spx, vix, tuple(vx), tuple(chains))


_SHARED_VX = ("vix_futures_close_settle_per_contract_2004_2023/vx_close_settle_2004_2023.csv.gz",
              "vix_futures_settle_all_listed_2004_2025/vx_settle_all_listed_2004_2025.csv.gz")
_SHARED_RAW = "vix_futures_cfe_per_contract_2004_2015/raw"


def _shared(root: Path) -> Layout | None:
    spx = root / "spx_index_daily" / "SPX_daily_combined_1927_2026.csv.gz"
    vix = root / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv"
    raw = root / _SHARED_RAW
    vx = sorted(raw.glob("CFE_*_VX.csv"), key=_vx_order) if raw.is_dir() else []
    vx += [root / extra for extra in _SHARED_VX if (root / extra).is_file()]  # any one VX source is enough
    if not (spx.is_file() and vix.is_file() and (vx or raw.is_dir())):
        return None
    chains = sorted((root / "spx_option_chains_2019_sample" / "daily").glob("*.csv.gz"))
    vix_options = root / "vix_options_cboe_datashop_sample_2016" / "UnderlyingOptionsEODCalcs_2016-06-01.csv"
    if os.path.lexists(vix_options):  # a folder or a broken link there is named by its load, not left out unsaid
        chains.append(vix_options)
    return Layout("shared", spx, vix, tuple(vx), tuple(chains))


def relative_note(path: Path | str) -> str:
    """Return ``" (taken relative to the current directory: /abs/path)"`` for a relative path, else ""."""
    path = Path(path)
    return "" if path.is_absolute() else f" (taken relative to the current directory: {os.path.abspath(path)})"


def missing_file(what: str, key: str, given: str, blank: str) -> str:
    """One line for a file a config key names that does not exist: the key, its value as given (quoted as TOML
    writes it, blank included), where a relative path was looked for, and the fix (``blank``: what "" means)."""
    return (f"{what} file does not exist: {key} = {json.dumps(given)}{relative_note(given)}: check the path, or "
            f"set {key} = \"\" ({blank})")


def detect_layout(root: Path | str) -> Layout:
    """Return the layout of ``root`` or raise DataError saying what is missing."""
    root = Path(root)
    if not root.is_dir():
        state = "is a file, not a folder" if root.exists() else "does not exist"
        raise DataError(f"data directory {str(root)!r}{relative_note(root)} {state}")
    for probe in (_standard, _shared):
        layout = probe(root)
        if layout is not None:
            if not layout.vx:
                vx = root / ("vx" if layout.name == "standard" else _SHARED_RAW)
                if vx.is_dir() and not os.access(vx, os.R_OK | os.X_OK):  # a glob of it finds nothing, silently
                    raise DataError(f"{vx}: cannot read the folder of VX files (no permission): make it readable "
                                    "for you (chmod u+rx), or give a readable copy")
                raise DataError(f"{root}: no VX files found ({layout.name} layout)")
            for path in (*layout.vx, *layout.chains):  # a folder or a broken link under a file's name: one line
                if why := not_a_file(path):            # now, not an OSError from the first stat of it
                    raise DataError(f"{path}: {why}")
            return layout
    name, missing = min(((n, m(root)) for n, m in (("standard", _missing_standard), ("shared", _missing_shared))),
                        key=lambda nm: len(nm[1]))
    if len(missing) < _LAYOUT_PARTS[name]:  # some of a layout is there: name what is not
        gone = [m.removeprefix("missing ") for m in missing if m.startswith("missing ")]
        odd = [m for m in missing if not m.startswith("missing ")]  # a folder or a broken link in a file's place
        text = "; ".join(([f"missing {' and '.join(gone)}"] if gone else []) + odd)
        spx = f": {NO_SPX}" if name == "standard" and any(g.startswith("the SPX file") for g in gone) else ""
        raise DataError(f"{root}: not a complete data directory ({name} layout): {text}{spx} ({LAYOUTS})")
    raise DataError(f"{root}: not a data directory: give spx.csv, vix.csv (or VIX_History.csv) and a vx/ folder "
                    f"of VX files, or the ../shared/data folders ({LAYOUTS})")


_LAYOUT_PARTS = {"standard": 3, "shared": 3}
LAYOUTS = "README *Real data* gives the layouts"  # where a data directory's two layouts are told (HELP32 L10)
#: where a standard folder's missing SPX file comes from (a ``vixhedge data fetch`` cache has none: HELP32 M2)
NO_SPX = ("vixhedge data fetch downloads no SPX history: add a daily SPX OHLC CSV as spx.csv (columns "
          "date,open,high,low,close), e.g. a copy of "
          "../shared/data/spx_index_daily/SPX_daily_combined_1927_2026.csv.gz as spx.csv.gz")


def _missing_standard(root: Path) -> list[str]:
    """What of the standard layout is not there, each as "missing the SPX file ..." or, where something else stands
    in a file's place (a folder, a broken link), "the VIX file vix.csv is a folder, not a file: ...")."""
    out = []
    for what, names in (("the SPX file", ("spx.csv", "spx.csv.gz")),
                        ("the VIX file", ("vix.csv", "vix.csv.gz", "VIX_History.csv"))):
        if _first(root, names) is None:
            out.append(_not_there(root, what, names))
    return out + ([] if (root / "vx").is_dir() else ["missing the folder vx/ of VX files"])


def _not_there(root: Path, what: str, names: Sequence[str]) -> str:
    """Return "missing WHAT NAME (or ...)", or what stands under one of ``names`` instead of the file."""
    try:
        entries = [p for p in root.iterdir() if p.name.lower() in {n.lower() for n in names}]
    except OSError:
        entries = []
    for p in sorted(entries):
        if why := not_a_file(p):
            return f"{what} {p.name} {why}"
    return f"missing {what} {names[0]} (or {', '.join(names[1:])})"


def _missing_shared(root: Path) -> list[str]:
    parts = (("the SPX file", "spx_index_daily/SPX_daily_combined_1927_2026.csv.gz"),
             ("the VIX file", "cboe_volatility_indices/VIX_daily_1990_2026.csv"))
    out = [f"{what} {rel} {not_a_file(root / rel)}" if not_a_file(root / rel) else f"missing {what} {rel}"
           for what, rel in parts if not (root / rel).is_file()]
    if not (root / _SHARED_RAW).is_dir() and not any((root / f).is_file() for f in _SHARED_VX):
        odd = [f"{f} {not_a_file(root / f)}" for f in _SHARED_VX if not_a_file(root / f)]
        out.append(f"missing VX files: the folder {_SHARED_RAW}/ or {' or '.join(_SHARED_VX)}"
                   + (f" ({'; '.join(odd)})" if odd else ""))
    return out
