"""compare's arguments, checked in one place before any work (no market built, no run): the modes, the baseline,
the bootstrap's draws, block and CI method, and the window's sessions; :func:`vixhedge.compare.compare` and the
``vixhedge compare`` command (its ``--windows`` too) call :func:`check_compare_args`. And the window a compare gives
paired differences on (:func:`paired_sessions`), with the line that stands for them on a shorter one."""

from __future__ import annotations


from vixhedge import bootstrap as bs
from vixhedge.argtypes import MAX_BOOT, is_whole  # (MAX_BOOT: argtypes', which ci_null's parser reads before numpy)
from vixhedge import compare_variants as V
from vixhedge.core import config as C
from vixhedge.sweep_spec import MIN_SIDE_SESSIONS
from vixhedge.window import MIN_SESSIONS

__all__ = ["MAX_BOOT", "MIN_SESSIONS", "check_compare_args", "check_sessions", "not_paired_words", "paired_sessions"]


def check_sessions(cfg: C.Config, flag: str = "run.start..run.end") -> int:
    """Return the sessions of the run window; raise ConfigError (before any work) when a run could not hold them.
    A window of fewer than a sweep's side must hold (:data:`vixhedge.sweep_spec.MIN_SIDE_SESSIONS`) is compared on
    the table alone (:func:`compare`; trial RS35: the volmageddon period, 19 sessions, was refused whole).
    ``flag``: how the window was given (the command's words)."""
    from feeds import calendars

    n = len(calendars.trading_days(cfg.run.start, cfg.run.end))
    if n < MIN_SESSIONS:
        raise C.ConfigError(f"{flag} = {cfg.run.start}..{cfg.run.end} holds {n} session{'s' * (n != 1)}: compare "
                            f"needs at least {MIN_SESSIONS}, as a run: widen the window")
    return n


def check_compare_args(cfg: C.Config, modes: object, baseline: object, n_boot: object, block_days: object,
                       ci_method: object, cli: bool = False, window: str = "run.start..run.end",
                       variants: V.Variants | None = None) -> tuple[tuple[str, ...], int]:
    """Check compare's arguments before any work (no market built, no run): :func:`compare` and ``vixhedge compare``
    call it. Return (the modes as a tuple, the window's sessions); raise one ConfigError line naming the argument.

    ``cli``: the lines name the command's flags as typed (``--n-boot 5``; ``modes`` is ``--modes``'s string), else
    the Python argument (``n_boot = 5``) and the flag it is. ``window``: how the run window was given
    (:func:`check_sessions`). ``variants`` (checked: :func:`vixhedge.compare_variants.checked_variants`) are modes
    too, each config checked here."""
    from vixhedge.api_args import checked_modes

    def word(arg: str) -> str:
        return f"--{arg.replace('_', '-')}" if cli else arg

    def name(arg: str, value: object) -> str:
        return f"{word(arg)} {value!r}" if cli else f"{arg} = {value!r}"

    def flag(arg: str) -> str:  # the API's line names the command's flag too
        return "" if cli else f" (as --{arg.replace('_', '-')})"

    given = modes
    modes = checked_modes(modes, "compare", name("modes", given) if cli else None, tuple(variants or ()))
    for v, keys in (variants or {}).items():
        V.variant_config(cfg, v, keys)  # a key or value the config refuses: one line before any work
    if baseline not in modes:
        raise C.ConfigError(f"{name('baseline', baseline)} is not among {name('modes', given)}: add it to "
                            f"{word('modes')} or give {word('baseline')} one of {list(modes)}")
    if ci_method not in bs.CI_METHODS:  # else any other word ran BCa and was recorded as given
        raise C.ConfigError(f"{name('ci_method', ci_method)} is invalid: use one of {list(bs.CI_METHODS)}"
                            + flag("ci_method"))

    if not (is_whole(n_boot) and 100 <= n_boot <= MAX_BOOT):
        raise C.ConfigError(f"{name('n_boot', n_boot)} is invalid: use 100..{MAX_BOOT:,} bootstrap draws"
                            + flag("n_boot"))
    sessions = check_sessions(cfg, window)  # too short for the bootstrap
    if not (block_days is None or is_whole(block_days) and 1 <= block_days < sessions):
        shortest = f", the shortest of {window.split(':')[0]}" * window.startswith("--windows")  # (RS34: unnamed)
        raise C.ConfigError(f"{name('block_days', block_days)} is invalid: use a block of 1..{sessions - 1} days (the "
                            f"window {cfg.run.start}..{cfg.run.end} has {sessions} sessions{shortest}), or leave it "
                            f"out ({'None: ' * (not cli)}data-driven)" + flag("block_days"))
    return modes, sessions


def paired_sessions(sessions: int) -> bool:
    """Whether a window of ``sessions`` gets paired differences: as many as each side of a sweep's split holds
    (:data:`vixhedge.sweep_spec.MIN_SIDE_SESSIONS`); the block bootstrap and its Sharpe, drawdown and CVaR mean
    little on fewer, which compare gives the table alone."""
    return sessions >= MIN_SIDE_SESSIONS


def not_paired_words(sessions: int, block_days: object = None) -> str:
    """The line that stands for the paired differences of a window too short for them (a bootstrap block given,
    ``block_days``, said unused: trial IO31)."""
    unused = f" (--block-days {block_days} is not used)" if isinstance(block_days, int) else ""
    return (f"paired differences: not computed: the window holds {sessions} sessions, fewer than the "
            f"{MIN_SIDE_SESSIONS} its block bootstrap needs{unused}: read the table alone; a window of more sessions "
            "(--start/--end, without --period) gives them with CIs")
