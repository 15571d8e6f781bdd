"""Entry script of the frozen app (PyInstaller): the same ``main`` as the ``bildungskoordination`` command."""

import sys

from bildungskoordination.cli import main

if __name__ == "__main__":
    sys.exit(main())
