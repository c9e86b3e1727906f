"""The output folder: one audit at a time, and files that are whole or absent.

An audit holds an exclusive lock (`fcntl.flock` on `.geoaudit.lock` in the folder) from the
start of its crawl to its last report, so a second audit into the same folder stops at once
with one line instead of overwriting the first. Reports are written to a temporary file beside
the target and renamed over it: a report is the old one or the new one, never half of one, and
a symlink in the folder is replaced, not written through.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geoaudit.errors import GeoauditError

LOCK_FILE = ".geoaudit.lock"


@contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold the folder's lock, or end with one line when another audit holds it."""
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
        handle = open(Path(out_dir) / LOCK_FILE, "a")  # noqa: SIM115 (held for the audit)
    except OSError as exc:
        raise GeoauditError(
            f"cannot write to the output folder {out_dir}: {exc.strerror}"
        ) from None
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise GeoauditError(
                f"another geoaudit is writing to {out_dir}: wait for it, or choose another -o"
            ) from None
        yield
    finally:
        handle.close()  # closing releases the lock


def write_atomically(path: Path, write: Callable[[Path], object]) -> None:
    """Run `write(temporary path)` and rename the result over `path`."""
    fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
