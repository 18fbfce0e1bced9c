"""``python -m thinksmall_kit`` runs the ``thinksmall`` command."""

from thinksmall_kit.cli import main

raise SystemExit(main())
