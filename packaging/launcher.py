"""Entry point of the bundled program (PyInstaller runs this file as ``__main__``)."""

import multiprocessing
import sys

from qmclient.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()
    sys.exit(main())
