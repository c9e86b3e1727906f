"""The geoaudit command line: parse options, wire the stages, map outcomes to exit codes.

Exit codes: 0 done; 1 a gate failed (--fail-under, --fail-on); 2 usage error, or the site could
not be audited (unreachable, start page not 2xx), with a one-line reason on stderr.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from geoaudit.cli import commands
from geoaudit.cli.config_file import Config, load_config
from geoaudit.cli.parser import build_parser, check_names
from geoaudit.errors import (
    EXIT_INTERNAL,
    EXIT_OK,
    EXIT_USAGE_OR_FETCH,
    GeoauditError,
    describe_exception,
    raise_lost_interrupt,
    stop_on_signals,
)
from geoaudit.escape import clipped, terminal_text

__all__ = ["build_parser", "main"]


def config_for(argv: Sequence[str] | None) -> Config:
    """The config file for this command line: `--config FILE`, else the nearest one. `demo`,
    `init`, `diff`, `rules` and `llms validate` read none."""
    words = list(sys.argv[1:] if argv is None else argv)
    pre = argparse.ArgumentParser(add_help=False)
    pre.add_argument("command", nargs="?")
    pre.add_argument("--config", type=Path)
    known, _ = pre.parse_known_args(words)
    if known.command not in ("audit", "report", "robots", "llms") or "validate" in words[:2]:
        return Config()
    return load_config(known.config, Path.cwd())


def _error(message: str) -> None:
    print(f"geoaudit: error: {terminal_text(clipped(message))}", file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    # SIGTERM stops any command the way Ctrl-C does (one line, exit 2); a crawl takes both
    # signals over while it runs (geoaudit.crawl.runner).
    stop_on_signals()
    try:
        config = config_for(argv)
    except GeoauditError as exc:
        _error(str(exc))
        return exc.exit_code
    parser = build_parser(config)
    check_names(parser, sys.argv[1:] if argv is None else argv)
    args = parser.parse_args(argv)
    try:
        code = commands.run(args)
        raise_lost_interrupt()
        return code
    except GeoauditError as exc:
        _error(str(exc))
        return exc.exit_code
    except BrokenPipeError:  # `geoaudit rules | head`: the reader has what it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (OSError, argparse.ArgumentTypeError) as exc:
        _error(str(exc))
        return EXIT_USAGE_OR_FETCH
    except KeyboardInterrupt:
        print("geoaudit: interrupted", file=sys.stderr)
        return EXIT_USAGE_OR_FETCH
    except Exception as exc:  # a bug: one line for the user, the traceback with --verbose
        if getattr(args, "verbose", False):
            raise
        print(
            f"geoaudit: internal error: {terminal_text(clipped(describe_exception(exc)))} "
            "(rerun with --verbose for details and please report it)",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
