"""Entry point of the frozen kiosk: the same as the `kiosk` console script (kiosk.cli.main).

A frozen program has no `python -m kiosk`; code that restarts the kiosk (the supervisor) may still
build its command as `[sys.executable, "-m", "kiosk", ...]`. Such a leading `-m kiosk` is dropped
here, so the bundle runs the same command line as the source tree.
"""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    if args[:2] == ["-m", "kiosk"]:
        args = args[2:]
    sys.exit(main(args))
