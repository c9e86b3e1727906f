"""The output folder: one audit at a time, and files that are whole or absent.

An audit holds an exclusive lock (`fcntl.flock` on `.geoaudit.lock` in the folder) from the
start of its crawl to its last report, so a second audit into the same folder stops at once
with one line instead of overwriting the first. Reports are written to a temporary file beside
the target and renamed over it: a report is the old one or the new one, never half of one, and
a symlink in the folder is never written through.

geoaudit writes only its own files: `claim_outputs` lists, in `.geoaudit-files`, every name an
audit will write there, and refuses (one line, before the crawl) when one of those names is
already taken by something geoaudit did not write: a hand-written llms.txt in `-o .`, a folder
of the user's called crawl-state, a symlink. A folder that holds a geoaudit store but no list
(written by a version before the list) counts as geoaudit's.
"""

from __future__ import annotations

import fcntl
import functools
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from geoaudit.errors import GeoauditError

LOCK_FILE = ".geoaudit.lock"
OWNED_LIST = ".geoaudit-files"


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


def claim_outputs(out_dir: Path, names: Iterable[str], *, made_by_geoaudit: bool) -> None:
    """Record `names` as geoaudit's in `out_dir`, or end with one line when one of them is a
    file, folder or symlink geoaudit did not write. `made_by_geoaudit`: the folder holds a
    store from a version that kept no list."""
    out = Path(out_dir)
    listed = out / OWNED_LIST
    try:
        owned = set(listed.read_text(encoding="utf-8").splitlines()) if listed.is_file() else set()
    except (OSError, UnicodeDecodeError):
        owned = set()
    wanted = list(dict.fromkeys(names))
    for name in wanted:
        path = out / name
        if not (path.exists() or path.is_symlink()):
            continue
        if path.is_symlink() or not (name in owned or made_by_geoaudit):
            kind = "a symlink" if path.is_symlink() else "a folder" if path.is_dir() else "a file"
            raise GeoauditError(
                f"{path} is {kind} geoaudit did not write; move it away or choose another -o"
            )
    text = "".join(f"{name}\n" for name in sorted(owned | set(wanted)))
    try:
        write_atomically(listed, functools.partial(Path.write_text, data=text, encoding="utf-8"))
    except OSError as exc:
        raise GeoauditError(f"cannot write to the output folder {out}: {exc.strerror}") from None


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
