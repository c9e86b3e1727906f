"""Safe to point at any site and to run with secrets (issue 15): what a crawl opens, sends and
writes, tried as an attacker would with servers on 127.0.0.1."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import SITES

LISTEN_PROBE = textwrap.dedent(
    """
    import socket, sys
    listening = []
    original = socket.socket.listen

    def listen(self, *args):
        listening.append(self.getsockname())
        return original(self, *args)

    socket.socket.listen = listen
    from geoaudit.cli import main
    code = main(sys.argv[1:])
    print("LISTENING", listening)
    sys.exit(code)
    """
)


def test_a_crawl_opens_no_listening_socket(serve, tmp_path):
    """Scrapy's telnet console and RemoteControl (an HTTP server that runs Python code) are off,
    and so is any listening extension a later Scrapy adds: the crawl listens on no port."""
    base = serve(SITES / "basic")
    proc = subprocess.run(
        [sys.executable, "-c", LISTEN_PROBE, "audit", f"{base}/", "-q", "--no-probe",
         "-o", str(tmp_path / "out")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={"HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "LISTENING []" in proc.stdout, proc.stdout
    assert not (tmp_path / "home").exists(), "the crawl wrote to the user's profile folder"
