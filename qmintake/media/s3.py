"""The media store on an S3-compatible object store (SeaweedFS, MinIO, Ceph RGW, AWS).

``--media-store s3://bucket/prefix``.  The endpoint, region and credentials come from
where every AWS tool reads them: ``AWS_ENDPOINT_URL`` (or ``--s3-endpoint``),
``AWS_REGION``/``AWS_DEFAULT_REGION``, ``AWS_ACCESS_KEY_ID``/``AWS_SECRET_ACCESS_KEY`` or
the shared files ``~/.aws/credentials`` and ``~/.aws/config`` (``AWS_PROFILE``,
``AWS_SHARED_CREDENTIALS_FILE``).  That standard chain is why the client is boto3.

Keys: ``<prefix>media/<sha256>`` for verified files, ``<prefix>uploads/<id>/…`` for the
tail of an unfinished upload (see ``media/s3upload.py``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any, BinaryIO
from urllib.parse import urlparse

from qmintake.media import MediaStoreError, check_key

CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 60
_DENIED = {"InvalidAccessKeyId", "SignatureDoesNotMatch", "AccessDenied", "403"}
_NO_BUCKET = {"NoSuchBucket"}
_NOT_FOUND = {"NoSuchKey", "404", "NotFound"}


def _code(exc: Exception) -> str:
    response = getattr(exc, "response", None) or {}
    return str((response.get("Error") or {}).get("Code", ""))


class _AsNoBucket(Exception):
    @property
    def response(self) -> dict[str, Any]:
        return {"Error": {"Code": "NoSuchBucket"}}


class S3MediaStore:
    kind = "s3"

    def __init__(self, bucket: str, prefix: str = "", endpoint: str = "") -> None:
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.endpoint = endpoint
        config = Config(
            connect_timeout=CONNECT_TIMEOUT_S,
            read_timeout=READ_TIMEOUT_S,
            retries={"max_attempts": 3, "mode": "standard"},
            s3={"addressing_style": "path"},
            max_pool_connections=32,
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self.client: Any = boto3.session.Session().client(
            "s3", endpoint_url=endpoint or None, config=config
        )

    @classmethod
    def from_url(cls, url: str, endpoint: str = "") -> S3MediaStore:
        parts = urlparse(url)
        if parts.scheme != "s3" or len(parts.netloc) < 3:
            raise MediaStoreError(
                zh=f"媒体存储地址 {url!r} 无效：应为 s3://存储桶/前缀（存储桶名至少 3 个字符）。",
                en=f"media store {url!r} is not s3://bucket/prefix (a bucket name of 3+ chars)",
                code="media-store-url",
            )
        return cls(parts.netloc, parts.path, endpoint)

    def describe(self) -> str:
        where = f" at {self.endpoint}" if self.endpoint else ""
        return f"s3://{self.bucket}/{self.prefix}{where}"

    # -- errors --------------------------------------------------------------------
    def error(self, exc: Exception, doing: str) -> MediaStoreError:
        """A clear, bilingual error for a failed call to the store."""
        code = _code(exc)
        where = self.describe()
        if code in _DENIED:
            return MediaStoreError(
                zh=f"对象存储 {where} 拒绝了凭据（{code}）：请检查 AWS_ACCESS_KEY_ID / "
                "AWS_SECRET_ACCESS_KEY 或凭据文件。",
                en=f"the object store {where} refused the credentials ({code}) while "
                f"{doing}: check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or the "
                "credentials file",
                code="media-store-denied",
            )
        if code in _NO_BUCKET:
            return MediaStoreError(
                zh=f"对象存储中没有存储桶 {self.bucket!r}：请先创建它，或改正 --media-store。",
                en=f"the bucket {self.bucket!r} does not exist at {where}: create it, or "
                "correct --media-store",
                code="media-store-no-bucket",
            )
        return MediaStoreError(
            zh=f"无法连接对象存储 {where}（{type(exc).__name__}）：请确认它在运行、地址正确，"
            "稍后重试。",
            en=f"cannot reach the object store {where} while {doing} "
            f"({type(exc).__name__}: {str(exc)[:200]}); check that it runs and the "
            "endpoint is right, then try again",
            code="media-store-unavailable",
        )

    def _call(self, doing: str, fn: Any, **kw: Any) -> Any:
        try:
            return fn(Bucket=self.bucket, **kw)
        except MediaStoreError:
            raise
        except Exception as exc:
            if _code(exc) in _NOT_FOUND:
                raise
            raise self.error(exc, doing) from exc

    # -- keys ----------------------------------------------------------------------
    def key_for(self, sha256: str) -> str:
        return f"{self.prefix}media/{check_key(sha256)}"

    def upload_key(self, upload_id: str, name: str) -> str:
        if not upload_id.isalnum():
            raise ValueError("bad upload id")
        return f"{self.prefix}uploads/{upload_id}/{name}"

    # -- the interface -------------------------------------------------------------
    def check(self) -> None:
        """Raise a clear :class:`MediaStoreError` unless the bucket answers (and the
        resumable SHA-256 that uploads into it need is there)."""
        from qmintake.media.sha256state import available

        if not available():
            raise MediaStoreError(
                zh="找不到 OpenSSL 的 libcrypto：上传到对象存储需要它来续算 SHA-256，请安装 OpenSSL。",
                en="OpenSSL's libcrypto was not found; uploads into an object store need it "
                "to carry the running SHA-256 between replicas: install OpenSSL",
                code="media-store-sha256",
            )
        try:
            self._call("checking the bucket", self.client.head_bucket)
            self._call("listing the bucket", self.client.list_objects_v2, MaxKeys=1)
        except MediaStoreError:
            raise
        except Exception as exc:  # HEAD of a missing bucket: a bare 404
            raise self.error(_AsNoBucket(), "checking the bucket") from exc

    def size(self, sha256: str) -> int | None:
        try:
            head = self._call(
                "looking up a file", self.client.head_object, Key=self.key_for(sha256)
            )
        except MediaStoreError:
            raise
        except Exception:  # not found
            return None
        return int(head["ContentLength"])

    def exists(self, sha256: str) -> bool:
        return self.size(sha256) is not None

    has = exists

    def open_range(self, sha256: str, start: int = 0, end: int | None = None) -> BinaryIO:
        kw: dict[str, Any] = {"Key": self.key_for(sha256)}
        if end is not None and end <= start:
            import io

            return io.BytesIO(b"")
        if start or end is not None:
            kw["Range"] = f"bytes={start}-{'' if end is None else end - 1}"
        try:
            answer = self._call("reading a file", self.client.get_object, **kw)
        except MediaStoreError:
            raise
        except Exception:
            from qmintake.media.local import _missing

            raise _missing(sha256) from None
        body: BinaryIO = answer["Body"]
        return body

    def put(self, sha256: str, src: BinaryIO, size: int) -> None:
        from boto3.s3.transfer import TransferConfig

        try:
            self.client.upload_fileobj(
                src,
                self.bucket,
                self.key_for(sha256),
                Config=TransferConfig(multipart_chunksize=16 * 1024 * 1024, max_concurrency=4),
            )
        except Exception as exc:
            raise self.error(exc, "storing a file") from exc

    def delete(self, sha256: str) -> None:
        self._call("deleting a file", self.client.delete_object, Key=self.key_for(sha256))

    def adopt(self, key: str, sha256: str, etag: str) -> None:
        """File an object already in the bucket (a tus server's finished upload, checked
        by the caller) under its content address, then remove the original.  The copy is
        made only if the object still has ``etag`` (what the caller read)."""
        from boto3.s3.transfer import TransferConfig

        try:
            self.client.copy(
                {"Bucket": self.bucket, "Key": key},
                self.bucket,
                self.key_for(sha256),
                ExtraArgs={"CopySourceIfMatch": etag},
                Config=TransferConfig(multipart_chunksize=64 * 1024 * 1024),
            )
        except Exception as exc:
            raise self.error(exc, "filing a finished upload") from exc
        self.delete_key(key)

    def delete_key(self, key: str) -> None:
        with contextlib.suppress(Exception):
            self.client.delete_object(Bucket=self.bucket, Key=key)

    def list(self) -> Iterator[str]:
        prefix = f"{self.prefix}media/"
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=prefix
        )
        try:
            for page in pages:
                for item in page.get("Contents", []):
                    name = item["Key"][len(prefix) :]
                    if len(name) == 64:
                        yield name
        except Exception as exc:
            raise self.error(exc, "listing files") from exc
