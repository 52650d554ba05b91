"""python -m vigil.evaluation [--seeds 0 1 2 3 4]: the peer's crimelinkage figures as JSON."""

from vigil.evaluation.report import main

raise SystemExit(main())
