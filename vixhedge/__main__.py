"""``python -m vixhedge`` and the installed ``vixhedge`` command (pyproject ``[project.scripts]``).

The CLI is imported inside :func:`run`, so an interrupt at any time after Python started, its imports included, is
one line (``vixhedge: interrupted``, exit 130; SIGTERM's: 143), never a traceback. Before it, a folder of the working
folder that would be imported instead of one of the project's packages (``feeds/``: ``python -m`` looks there first)
is one line, exit 2 (:func:`vixhedge.entry.start`; the CLI's parser imports them).
"""

import sys


def run() -> int:
    """Run the CLI on ``sys.argv``; return its exit code (SIGTERM as an interrupt: exit 143)."""
    received = None
    try:
        from vixhedge.cli_signals import sigterm_as_interrupt  # (an interrupt while importing it: the same line)

        with sigterm_as_interrupt() as received:
            from vixhedge.entry import start

            shadowed = start("vixhedge")  # stdout escapes what it cannot encode
            if shadowed:
                print(shadowed, file=sys.stderr)
                return 2
            import gc

            from vixhedge.cli import main

            code = main()
            gc.freeze()  # the process ends here: its final collection need not walk what the command built (issue 16)
    except KeyboardInterrupt:
        print("vixhedge: interrupted", file=sys.stderr)
        code = 130
    return received.exit_code(code) if received else code


if __name__ == "__main__":
    raise SystemExit(run())
