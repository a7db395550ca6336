"""``python -m soak``: see load/README.md."""

from soak.runner import main

raise SystemExit(main())
