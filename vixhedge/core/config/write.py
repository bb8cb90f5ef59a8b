"""Writing a config: :func:`to_dict` (a plain nested dict, TOML-ready) and :func:`to_toml` (its TOML text, keys in a
fixed order, so a config's text, and the run id that hashes it, depend on its values only). Reading is :mod:`.load`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from vixhedge.core.config.load import Config


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


@dataclasses.dataclass(frozen=True)
class Omitted:
    """A field marked ``omit_default`` at its default, kept by ``to_dict(obj, omitted=True)``: printed commented."""

    value: Any


def to_dict(obj: Any, omitted: bool = False) -> Any:
    """Return a plain nested dict (TOML-ready) of a config object. A field marked ``omit_default`` is left out at its
    default (a key added later changes no earlier config.toml nor run id), or with ``omitted`` kept as
    :class:`Omitted`."""
    if dataclasses.is_dataclass(obj):
        out = {}
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if not (f.metadata.get("omit_default") and value == _default(f)):
                out[f.name] = to_dict(value, omitted)
            elif omitted:
                out[f.name] = Omitted(to_dict(value))
        return out
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (tuple, list)):
        return [to_dict(v) for v in obj]
    if isinstance(obj, dict):  # a plug-in's table: a plain copy of the read-only one (core/config/readonly.py)
        return {k: to_dict(v) for k, v in obj.items()}
    return obj


def to_toml(cfg: Config, omitted: bool = False) -> str:
    """Serialise a config to TOML text (deterministic key order). ``omitted`` (``--print-config``): the keys left out
    at their defaults too, as comments in their tables, and each key's meaning as a comment after it (the values,
    config.toml's and the run id's, are otherwise the same)."""
    lines: list[str] = []
    for f in dataclasses.fields(cfg):
        if omitted:
            _emit_table(to_dict(getattr(cfg, f.name), True), [f.name], lines, explained=True)
        else:
            lines += _section_lines(f.name, getattr(cfg, f.name))
    return "\n".join(lines).strip() + "\n"


_SECTION_LINES: dict[int, tuple[Any, list[str]]] = {}  # id(section) -> (section, its TOML lines): frozen, reused


def _section_lines(name: str, section: Any) -> list[str]:
    """Return the TOML lines of one top-level section (remembered: a sweep's points share most sections)."""
    hit = _SECTION_LINES.get(id(section))
    if hit is not None and hit[0] is section:
        return hit[1]
    lines: list[str] = []
    _emit_table(to_dict(section), [name], lines)
    if len(_SECTION_LINES) >= 256:
        _SECTION_LINES.clear()
    _SECTION_LINES[id(section)] = (section, lines)
    return lines


def toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):  # an inline table: an omitted plug-in table, {}
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(x)}" for k, x in v.items()) + "}"
    return '"' + str(v).translate(_ESCAPES) + '"'


# a TOML basic string's escapes: the quote, the backslash and every control character (U+0000..U+001F, U+007F), the
# short ones where TOML has them, else \uXXXX (trial FUZZ33 H2: a line break written raw, a config.toml its reader
# refused); anything else (unicode included) as it is
_ESCAPES = {c: f"\\u{c:04X}" for c in (*range(0x20), 0x7F)} | {
    ord('"'): '\\"', ord("\\"): "\\\\", 0x08: "\\b", 0x09: "\\t", 0x0A: "\\n", 0x0C: "\\f", 0x0D: "\\r"}
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def toml_key(k: str) -> str:
    """``k`` as a TOML key: bare where TOML allows it (letters, digits, ``_``, ``-``), else a quoted basic string
    (a plug-in table's key read from a quoted one, ``"a b" = 1``, is written back as one)."""
    return k if _BARE_KEY.fullmatch(k) else toml_value(k)


def _emit_table(table: dict[str, Any], path: list[str], lines: list[str], explained: bool = False) -> None:
    """The TOML lines of ``table`` at ``path``; ``explained`` (``--print-config``): each table and key followed by
    its meaning as a comment (the config reference's words, :mod:`.meanings`: trial HELP23 read 185 bare keys)."""
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    subtables = {k: v for k, v in table.items() if isinstance(v, dict)}
    words: dict[str, str] = {}
    if explained:
        from vixhedge.core.config.meanings import MEANING, SECTIONS

        words = {**SECTIONS, **MEANING}
    note = lambda key: f"  # {words[key]}" if key in words else ""  # noqa: E731
    name = ".".join(path)
    if path and scalars:
        lines.append(f"[{name}]{note(name)}")
    for k, v in scalars.items():
        lines.append(f"# {toml_key(k)} = {toml_value(v.value)}  (its default: a run's config.toml leaves it out)"
                     + note(f"{name}.{k}").replace("  # ", "; ", 1) if isinstance(v, Omitted)
                     else f"{toml_key(k)} = {toml_value(v)}{note(f'{name}.{k}')}")
    if path and scalars:
        lines.append("")
    for k, v in subtables.items():
        _emit_table(v, path + [k], lines, explained)
