"""Read-only plug-in tables: ``hedge.policy_params`` and ``condor.selector_params`` inside the frozen config.

The config's dataclasses are frozen, but a table is a dict a plug-in could write to: trial PL25's policy did
``cfg.policy_params["contracts"] += 1`` each bar, and the same Config run twice in one process ended at $986,017
then $837,433, three sweep points took the first one's leftovers, and ``write_run`` wrote a table the run never used.
:func:`freeze` gives each table (and the tables and arrays inside it) as a dict / list that refuses every write,
still equal to, JSON-encoded as and written to TOML as the plain one, and picklable for a sweep's workers.
"""

from __future__ import annotations

from typing import Any, NoReturn

#: what a write to a plug-in table says (the plug-in's name is on the engine's line around it)
REFUSAL = ("a config's plug-in table is read-only (the same config runs again): copy it to change a value, "
           "thaw(cfg.policy_params) from vixhedge.api (dicts and lists all through), and keep a plug-in's state in "
           "its own objects")


def _refuse(*_: Any, **__: Any) -> NoReturn:
    raise TypeError(REFUSAL)


def _init_once(self: Any, *args: Any, **kwargs: Any) -> None:  # (__init__ again would refill it: review 25)
    if len(self):
        _refuse()
    super(type(self), self).__init__(*args, **kwargs)


class ReadOnlyDict(dict):
    """A dict that refuses writes (:func:`freeze`)."""

    __slots__ = ()
    __init__ = _init_once
    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self) -> tuple[Any, ...]:  # pickle and copy rebuild it whole (not item by item: refused)
        return type(self), (dict(self),)

    def __copy__(self) -> dict[str, Any]:  # copy.copy: a plain dict to change, as dict(...) gives
        return dict(self)


class ReadOnlyList(list):
    """A list that refuses writes (:func:`freeze`)."""

    __slots__ = ()
    __init__ = _init_once
    __setitem__ = __delitem__ = __iadd__ = __imul__ = append = extend = insert = pop = remove = _refuse
    clear = reverse = sort = _refuse

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (list(self),)

    def __copy__(self) -> list[Any]:
        return list(self)


def freeze(value: Any) -> Any:
    """``value`` with every dict and list in it, itself included, read-only (other values as they are); a tuple (a
    table given from Python) as a list, as TOML reads it back (review 25: config.toml wrote it as a string)."""
    if isinstance(value, dict):
        return value if type(value) is ReadOnlyDict else ReadOnlyDict((k, freeze(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return value if type(value) is ReadOnlyList else ReadOnlyList(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """A plain copy of ``value`` to change: every dict and list in it a new plain one (:func:`freeze` undone)."""
    if isinstance(value, dict):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, list):
        return [thaw(v) for v in value]
    return value
