"""Entry point frozen by PyInstaller: the same ``main`` as ``enroll-viewer``."""

import sys

from enroll_viewer.launch import main

if __name__ == "__main__":
    sys.exit(main())
