import gc

from vixhedge.cli import main

code = main()
gc.freeze()  # the process ends here: its final collection need not walk what the command built (issue 16)
raise SystemExit(code)
