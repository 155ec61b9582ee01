"""Object storage through boto3: any S3 API (AWS S3, MinIO, SeaweedFS) behind an endpoint URL.

An :class:`ObjectStore` is one bucket seen by one identity. Errors are turned into
:class:`StorageError` (transient: the task may retry) or :class:`AccessDenied` (terminal).
"""

from __future__ import annotations

import base64
import hashlib
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import boto3
from botocore.config import Config as BotoConfig
from botocore.exceptions import BotoCoreError, ClientError

from pipelines.errors import InterdictError, StorageError
from pipelines.settings import Settings

log = logging.getLogger(__name__)

_NOT_FOUND = {"404", "NoSuchKey", "NotFound", "NoSuchBucket"}
_DENIED = {"AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "403"}


class AccessDenied(InterdictError):
    """The identity is not allowed to do this (terminal: retrying will not help)."""


class ObjectNotFound(InterdictError):
    """The object does not exist."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def s3_client(settings: Settings, identity: str = "pipeline") -> Any:
    creds = settings.credentials(identity)
    return boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint,
        region_name=settings.s3_region,
        aws_access_key_id=creds.access_key if creds else None,
        aws_secret_access_key=creds.secret_key if creds else None,
        config=BotoConfig(
            retries={"max_attempts": 6, "mode": "standard"},
            connect_timeout=5,
            read_timeout=60,
            s3={"addressing_style": "path"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        ),
    )


@dataclass(frozen=True)
class ObjectInfo:
    key: str
    size: int
    etag: str


class ObjectStore:
    """One bucket, one identity."""

    def __init__(self, client: Any, bucket: str) -> None:
        self.client = client
        self.bucket = bucket

    @classmethod
    def open(cls, settings: Settings, bucket: str, identity: str = "pipeline") -> ObjectStore:
        return cls(s3_client(settings, identity), bucket)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{key}"

    def _fail(self, exc: Exception, action: str, key: str) -> InterdictError:
        if isinstance(exc, ClientError):
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND:
                return ObjectNotFound(f"{self.uri(key)} does not exist")
            if code in _DENIED:
                return AccessDenied(f"{action} {self.uri(key)} refused: {code}")
            return StorageError(f"{action} {self.uri(key)} failed: {code} {exc}")
        return StorageError(f"{action} {self.uri(key)} failed: {exc}")

    def ensure_bucket(self) -> None:
        try:
            self.client.head_bucket(Bucket=self.bucket)
            return
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code not in _NOT_FOUND:
                raise self._fail(exc, "head bucket", "") from None
        except BotoCoreError as exc:
            raise self._fail(exc, "head bucket", "") from None
        try:
            self.client.create_bucket(Bucket=self.bucket)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "create bucket", "") from None

    def put_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Write ``data`` at ``key``; returns its SHA-256.

        The body's MD5 travels with the request (the store refuses a body that does not match it)
        and the ETag the store answers with must equal it, so a truncated or altered upload never
        passes as written. Works for write-only identities too: no read-back needed.
        """
        digest = sha256_bytes(data)
        md5 = hashlib.md5(data, usedforsecurity=False)
        try:
            answer = self.client.put_object(
                Bucket=self.bucket,
                Key=key,
                Body=data,
                ContentType=content_type,
                ContentMD5=base64.b64encode(md5.digest()).decode("ascii"),
                Metadata={"sha256": digest},
            )
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "put", key) from None
        etag = str(answer.get("ETag", "")).strip('"')
        if etag and etag != md5.hexdigest():
            raise StorageError(f"{self.uri(key)}: the store holds other bytes than were sent (ETag {etag})")
        return digest

    def put_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> str:
        return self.put_bytes(key, path.read_bytes(), content_type)

    def get_bytes(self, key: str) -> bytes:
        try:
            body: bytes = self.client.get_object(Bucket=self.bucket, Key=key)["Body"].read()
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "get", key) from None
        return body

    def download(self, key: str, path: Path) -> str:
        """Copy ``key`` to ``path``; returns the SHA-256 of what was written."""
        data = self.get_bytes(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(path)
        return sha256_bytes(data)

    def exists(self, key: str) -> bool:
        try:
            self.client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as exc:
            code = str(exc.response.get("Error", {}).get("Code", ""))
            if code in _NOT_FOUND:
                return False
            raise self._fail(exc, "head", key) from None
        except BotoCoreError as exc:
            raise self._fail(exc, "head", key) from None
        return True

    def list_objects(self, prefix: str = "") -> Iterator[ObjectInfo]:
        paginator = self.client.get_paginator("list_objects_v2")
        try:
            for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
                for obj in page.get("Contents", []):
                    yield ObjectInfo(obj["Key"], int(obj["Size"]), str(obj.get("ETag", "")).strip('"'))
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "list", prefix) from None

    def list_keys(self, prefix: str = "") -> list[str]:
        return [obj.key for obj in self.list_objects(prefix)]

    def delete(self, key: str) -> None:
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except (ClientError, BotoCoreError) as exc:
            raise self._fail(exc, "delete", key) from None

    def delete_prefix(self, prefix: str) -> int:
        keys = self.list_keys(prefix)
        for key in keys:
            self.delete(key)
        return len(keys)
