"""``python -m vixhedge`` and the installed ``vixhedge`` command (pyproject ``[project.scripts]``).

The CLI is imported inside :func:`run`, so an interrupt at any time after Python started, its imports included, is
one line (``vixhedge: interrupted``, exit 130; SIGTERM's: 143), never a traceback. Before it, a folder of the working
folder that would be imported instead of one of the project's packages (``feeds/``: ``python -m`` looks there first)
is one line, exit 2 (:func:`vixhedge.entry.start`; the CLI's parser imports them); so is a module there named like a
standard-library one that a library imported in its place and failed on (:func:`vixhedge.entry.stdlib_shadow`).
"""

import sys


def run() -> int:
    """Run the CLI on ``sys.argv``; return its exit code (SIGTERM as an interrupt: exit 143)."""
    received = None
    try:
        from vixhedge.cli_signals import sigterm_as_interrupt  # (an interrupt while importing it: the same line)

        with sigterm_as_interrupt() as received:
            from vixhedge import entry

            shadowed = entry.start("vixhedge")  # stdout escapes what it cannot encode
            if shadowed:
                print(shadowed, file=sys.stderr)
                return 2
            import gc

            try:
                from vixhedge.cli import main
            except Exception as exc:  # noqa: BLE001 - a user's random.py imported by a library in the stdlib's place
                shadow = entry.stdlib_shadow("vixhedge", exc)
                if shadow is None:
                    raise
                print(shadow, file=sys.stderr)
                return 2
            code = main()
            gc.freeze()  # the process ends here: its final collection need not walk what the command built (issue 16)
    except KeyboardInterrupt:
        print("vixhedge: interrupted", file=sys.stderr)
        code = 130
    return received.exit_code(code) if received else code


if __name__ == "__main__":
    raise SystemExit(run())
