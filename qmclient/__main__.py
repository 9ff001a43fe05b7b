"""``python -m qmclient`` is the same as the ``qmclient`` command."""

import sys

from qmclient.cli import main

sys.exit(main())
