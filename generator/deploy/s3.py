"""Deploy a built site to any S3-compatible bucket (boto3), in the order `plan` explains.

Credentials come the usual boto3 way (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an
instance role); nothing secret is read from the repository or printed.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from generator.deploy.plan import LocalFile, Plan, local_files, make_plan
from generator.problems import BuildError, Problem

# Pages must be revalidated so a new deploy is seen at once; everything else may be cached a while
# (content-hashed Pagefind chunks change name when they change).
ENTRY_CACHE = "no-cache"
ASSET_CACHE = "public, max-age=3600"
TEXT_TYPES = ("text/", "application/json", "application/javascript", "application/xml", "image/svg+xml")
EXTRA_TYPES = {".pf_meta": "application/octet-stream", ".pf_index": "application/octet-stream",
               ".pf_fragment": "application/octet-stream", ".pagefind": "application/octet-stream",
               ".webmanifest": "application/manifest+json", ".jsonl": "application/x-ndjson"}


@dataclass(frozen=True)
class Target:
    bucket: str
    prefix: str = ""  # "" or "folder/" inside the bucket
    endpoint: str | None = None  # None: AWS itself; else the S3-compatible service's URL
    region: str | None = None

    def key(self, name: str) -> str:
        return self.prefix + name

    @property
    def label(self) -> str:
        return f"{self.endpoint or 's3'}/{self.bucket}/{self.prefix}"


@dataclass
class DeployReport:
    uploaded: int = 0
    deleted: int = 0
    unchanged: int = 0
    bytes: int = 0


def content_type(key: str) -> str:
    suffix = Path(key).suffix.lower()
    kind = EXTRA_TYPES.get(suffix) or mimetypes.guess_type(key)[0] or "application/octet-stream"
    if kind.startswith(TEXT_TYPES) and "charset" not in kind:
        kind += "; charset=utf-8"
    return kind


def client(target: Target):
    import boto3
    from botocore.config import Config

    s3 = boto3.client("s3", endpoint_url=target.endpoint, region_name=target.region or "us-east-1",
                      config=Config(retries={"max_attempts": _attempts(), "mode": "standard"},
                                    connect_timeout=10, read_timeout=60,
                                    # Checksums only where S3 requires them: several S3-compatible
                                    # stores reject the newer default ones.
                                    request_checksum_calculation="when_required",
                                    response_checksum_validation="when_required"))
    s3.meta.events.register("before-send.s3.PutObject", _close_after_empty_body)
    return s3


def _attempts() -> int:
    """boto3's own AWS_MAX_ATTEMPTS, if set, else 5: a flaky link to the bucket is retried, a dead one not forever."""
    value = os.environ.get("AWS_MAX_ATTEMPTS", "")
    return int(value) if value.isdigit() and int(value) > 0 else 5


def _close_after_empty_body(request, **_) -> None:
    """Some S3-compatible servers (SeaweedFS 4.x seen) leave a kept-alive connection unusable after a
    PUT with an empty body, so the next upload on it waits for the read timeout (60 s). Closing that
    one connection costs a reconnect and nothing else, on any server."""
    if request.headers.get("Content-Length") in ("0", b"0"):
        request.headers["Connection"] = "close"


def remote_files(s3, target: Target) -> dict[str, str]:
    """Key (below the prefix) → MD5 of every object under the prefix."""
    out: dict[str, str] = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=target.bucket, Prefix=target.prefix):
        for obj in page.get("Contents", ()):
            etag = obj.get("ETag", "").strip('"')
            # A multipart ETag ("…-N") is not an MD5: such an object is always re-uploaded.
            out[obj["Key"][len(target.prefix):]] = etag if "-" not in etag else ""
    return out


def plan_deploy(site: Path, target: Target, s3=None) -> Plan:
    s3 = s3 or client(target)
    with _s3_errors(target):
        return make_plan(local_files(site), remote_files(s3, target))


def deploy(site: Path, target: Target, s3=None, dry_run: bool = False,
           progress: Callable[[str], None] = lambda _: None,
           on_upload: Callable[[LocalFile], None] = lambda _: None) -> tuple[Plan, DeployReport]:
    s3 = s3 or client(target)
    plan = plan_deploy(site, target, s3)
    report = DeployReport(unchanged=plan.unchanged)
    progress(f"待上传 {len(plan.assets)} 个资源文件、{len(plan.entries)} 个页面和入口文件，"
             f"待删除 {len(plan.deletions)} 个，{plan.unchanged} 个未变")
    if dry_run or plan.empty:
        return plan, report
    with _s3_errors(target):
        stages = (("资源文件", plan.assets, ASSET_CACHE), ("页面和入口文件", plan.entries, ENTRY_CACHE))
        for stage, files, cache in stages:
            for i, f in enumerate(files, 1):
                with f.path.open("rb") as body:
                    s3.put_object(Bucket=target.bucket, Key=target.key(f.key), Body=body,
                                  ContentType=content_type(f.key), CacheControl=cache)
                report.uploaded += 1
                report.bytes += f.size
                on_upload(f)
                if i % 500 == 0:
                    progress(f"已上传{stage} {i}/{len(files)}")
        for start in range(0, len(plan.deletions), 1000):  # DeleteObjects takes at most 1,000 keys
            batch = plan.deletions[start:start + 1000]
            s3.delete_objects(Bucket=target.bucket,
                              Delete={"Objects": [{"Key": target.key(k)} for k in batch], "Quiet": True})
            report.deleted += len(batch)
    return plan, report


class _s3_errors:
    """Network and permission failures end in one Chinese sentence naming the target, never a traceback."""

    def __init__(self, target: Target):
        self.target = target

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if exc is None:
            return False
        from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

        if isinstance(exc, NoCredentialsError):
            code, params = "deploy_no_credentials", {}
        elif isinstance(exc, ClientError):
            err = exc.response.get("Error", {})
            code, params = "deploy_refused", {"code": err.get("Code", "?"), "detail": err.get("Message", "")[:200]}
        elif isinstance(exc, BotoCoreError):
            code, params = "deploy_unreachable", {"detail": str(exc)[:200]}
        else:
            return False
        raise BuildError([Problem(code, params={"target": self.target.label, **params})]) from None
