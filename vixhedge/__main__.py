import sys

try:  # the CLI's imports included: an interrupt at any time is one line, never a traceback
    import gc

    from vixhedge.cli import main

    code = main()
    gc.freeze()  # the process ends here: its final collection need not walk what the command built (issue 16)
except KeyboardInterrupt:
    print("vixhedge: interrupted", file=sys.stderr)
    code = 130
raise SystemExit(code)
