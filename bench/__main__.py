"""``python -m bench [--small] [--json PATH]``: see bench/README.md."""

from bench.runner import main

raise SystemExit(main())
