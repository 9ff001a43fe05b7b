from qmintake.cli import main

raise SystemExit(main())
