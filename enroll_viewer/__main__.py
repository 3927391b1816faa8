"""Allow ``python -m enroll_viewer``."""

import sys

from enroll_viewer.launch import main

if __name__ == "__main__":
    sys.exit(main())
