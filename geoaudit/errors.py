"""Errors a user can cause, and the one-line wording of any exception."""

from __future__ import annotations

import signal
import sys
from typing import Any

EXIT_OK = 0
EXIT_GATE_FAILED = 1
EXIT_USAGE_OR_FETCH = 2
EXIT_INTERNAL = 3


class GeoauditError(Exception):
    """A problem to report as one line and an exit code, never as a traceback."""

    exit_code = EXIT_USAGE_OR_FETCH


def describe_exception(exc: BaseException) -> str:
    """One line for an exception: its type and the first line of its message, no traceback."""
    text = str(exc).strip()
    name = type(exc).__name__
    return f"{name}: {text.splitlines()[0]}" if text else name


def _interrupt(signum: int, frame: Any) -> None:
    raise KeyboardInterrupt


_interrupt_lost = False


def _keep_lost_interrupt(unraisable: Any) -> None:
    """A Ctrl-C that landed in a finaliser or a weakref callback, where Python drops the
    KeyboardInterrupt with an "Exception ignored in" traceback: kept for
    `raise_lost_interrupt` instead."""
    global _interrupt_lost
    if isinstance(unraisable.exc_value, KeyboardInterrupt):
        _interrupt_lost = True
        return
    sys.__unraisablehook__(unraisable)


def raise_lost_interrupt() -> None:
    """Raise the KeyboardInterrupt a finaliser dropped, if one did."""
    if _interrupt_lost:
        raise KeyboardInterrupt


def stop_on_signals() -> None:
    """Ctrl-C and SIGTERM raise KeyboardInterrupt, which the command line reports as one
    line and exit 2; one a finaliser dropped is raised again when the command returns. Scrapy
    takes both signals over while a crawl runs; this puts them back."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    sys.unraisablehook = _keep_lost_interrupt
