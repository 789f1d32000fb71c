"""``python -m derive``: the ``derive`` command line, for where the console script is not on
the path.

>>> from derive.__main__ import main
>>> main.__module__
'derive.commands.cli'
"""

import sys

from derive.commands.cli import main

if __name__ == "__main__":
    sys.exit(main())
