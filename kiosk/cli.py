"""Command line: `kiosk [run]`, `check`, `render`, `schema`, `bench`, `stats`, `pin`, `bundle`.

Each subcommand imports what it needs only when it runs: `kiosk check` must never pull in Qt,
so that it is fast and works on a machine with no display.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from kiosk import __version__


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("run", help="run the kiosk (the default)")
    _add_run_options(p)


def _add_run_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", type=Path, help="content file to show (default: see README, 'Where content is found')")
    p.add_argument("--windowed", action="store_true", help="preview in a window instead of fullscreen")
    p.add_argument("--size", help="window size as WxH with --windowed, e.g. 1080x1920")
    p.add_argument("--smoke", action="store_true", help="draw every screen once, print a ready line and exit")
    p.add_argument("--supervise", action="store_true", help="restart the kiosk after a crash or a hang")
    p.add_argument("--fleet", type=Path, help="fleet settings (sync, heartbeat, metrics, opening hours); default: fleet.yaml in the config folder")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Negative-emissions exhibition kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command")
    _add_run(sub)

    p = sub.add_parser("check", help="validate a content file and the assets it names")
    p.add_argument("path", nargs="?", type=Path, help="content file (default: the one the kiosk would show)")

    p = sub.add_parser("schema", help="write the JSON Schema of the content file")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")

    p = sub.add_parser("render", help="write one PNG per screen and language, offscreen")
    p.add_argument("--out", type=Path, default=Path("shots"))
    p.add_argument("--size", default="1920x1080", help="WxH, e.g. 3840x2160 or 1080x1920")
    p.add_argument("--lang", help="only this language")
    p.add_argument("--content", type=Path)
    p.add_argument("--high-contrast", action="store_true")
    p.add_argument("--large-text", action="store_true")
    p.add_argument("--reduced-motion", action="store_true")

    p = sub.add_parser("bench", help="measure frame times and memory of the flow views, offscreen")
    p.add_argument("--frames", type=int, default=300)
    p.add_argument("--quick", action="store_true", help="fewer frames and cases, for a smoke test")
    p.add_argument("--soak-frames", type=int, default=0, help="also run this many frames and report memory growth")
    p.add_argument("--content", type=Path)

    p = sub.add_parser("stats", help="visit statistics from the local analytics database")
    p.add_argument(
        "sources",
        nargs="*",
        help="databases or exported files of several kiosks (per kiosk and in total); "
        "or `export --out FILE`: write this kiosk's visits for sending in",
    )
    p.add_argument("--out", type=Path, help="with `stats export`: the file to write")
    p.add_argument("--since", help="YYYY-MM-DD")
    p.add_argument("--csv", type=Path)
    p.add_argument("--png", type=Path)
    p.add_argument("--db", type=Path, help="analytics database (default: the per-user data folder)")

    p = sub.add_parser("pin", help="print an operator PIN hash for content.yaml")
    p.add_argument("pin", nargs="?", help="the PIN (asked for when left out)")
    p.add_argument("--content", type=Path, help="write the hash into this content file (atomically)")

    from kiosk.sync.cli import add_parser as add_bundle_parser

    add_bundle_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if os.environ.get("KIOSK_FALLBACK") == "1":
        # The supervisor's calm screen after repeated crashes (a frozen bundle cannot run -c).
        from kiosk.ui.operator import fallback_main

        return fallback_main()
    parser = build_parser()
    # `kiosk --windowed` means `kiosk run --windowed`: run is the default command.
    known = {"run", "check", "schema", "render", "bench", "stats", "pin", "bundle", "-h", "--help", "--version"}
    if not argv or argv[0] not in known:
        argv = ["run", *argv]
    args = parser.parse_args(argv)

    if args.command == "check":
        from kiosk.content.check import main as check_main

        return check_main(args.path)
    if args.command == "schema":
        from kiosk.content.schema import main as schema_main

        return schema_main(args.out)
    if args.command == "render":
        from kiosk.ui.render import main as render_main

        return render_main(args)
    if args.command == "bench":
        from kiosk.bench import main as bench_main

        return bench_main(args)
    if args.command == "stats":
        from kiosk.stats import main as stats_main

        return stats_main(args)
    if args.command == "bundle":
        from kiosk.sync.cli import main as bundle_main

        return bundle_main(args)
    if args.command == "pin":
        from kiosk.operator_pin import main as pin_main

        return pin_main(args.pin, args.content)
    if args.supervise:
        from kiosk.supervisor import main as supervise_main

        return supervise_main(argv)
    from kiosk.ui.app import main as app_main

    return app_main(args)
