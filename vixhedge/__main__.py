from vixhedge.cli import main

raise SystemExit(main())
