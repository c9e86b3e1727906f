"""Serve a folder over HTTP on 127.0.0.1 (a free port) in a background thread.

`geoaudit demo` serves the bundled demo site with it, and the tests serve fixture sites. It is a
plain static server: directories answer with their index.html and `/dir` redirects to `/dir/`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any


class StaticHandler(SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012  (the base class declares it, as a plain attribute)
        **SimpleHTTPRequestHandler.extensions_map,
        ".html": "text/html; charset=utf-8",
        ".txt": "text/plain; charset=utf-8",
        ".md": "text/markdown; charset=utf-8",
        ".xml": "application/xml",
    }

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request logs would mix with the audit's progress lines."""


class LocalServer(ThreadingHTTPServer):
    # socketserver's default backlog of 5 drops connections a crawler opens in parallel, and
    # each dropped one waits out a TCP retransmission: a second lost per burst.
    request_queue_size = 128
    daemon_threads = True


@contextmanager
def serve_http(handler: Callable[..., BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with `handler` on a free 127.0.0.1 port; yield the base URL; stop on exit."""
    server = LocalServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def serve_directory(root: Path) -> AbstractContextManager[str]:
    """Serve the folder `root` statically; yields `http://127.0.0.1:PORT`."""
    return serve_http(functools.partial(StaticHandler, directory=str(root)))
