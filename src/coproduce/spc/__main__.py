"""``python -m coproduce.spc``: the same as ``coproduce spc``."""

import sys

from coproduce.spc.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
