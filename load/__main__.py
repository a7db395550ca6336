"""``python -m load [--scale small] …``: see load/README.md."""

from load.runner import main

raise SystemExit(main())
