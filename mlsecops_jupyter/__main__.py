"""``python -m mlsecops_jupyter`` is the ``mlsec`` command line."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
