"""The server's settings and the state one running app holds (no module-level globals)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qmintake.campaigns import CampaignRegistry
from qmintake.db import Database, sqlite_url
from qmintake.hashcache import HasherCache
from qmintake.media import open_media_store
from qmintake.signing import ReceiptSigner

GIB = 1024**3


@dataclass
class Settings:
    data_dir: Path
    db_url: str = ""  # empty: SQLite in data_dir
    campaign_files: tuple[Path, ...] = ()  # empty: the campaigns bundled with qmclient
    max_upload_bytes: int = 4 * GIB
    upload_expiry: dt.timedelta = dt.timedelta(hours=24)
    max_json_bytes: int = 4 * 1024 * 1024
    max_media_per_submission: int = 500
    receipt_prefixes: dict[str, str] = field(default_factory=dict)
    tus_endpoint: str = ""  # announced in discovery when another tus server takes uploads
    hook_secret: str = ""  # enables /api/v1/hooks/tusd
    tus_store_dir: Path | None = None  # that tus server's file store, read by post-finish
    receipt_key: Path | None = None  # default: <data_dir>/receipt-signing.key
    media_store: str = ""  # "" → the data folder; "s3://bucket/prefix" → an object store
    s3_endpoint: str = ""  # default: $AWS_ENDPOINT_URL, else AWS itself
    body_timeout_s: float = 60.0  # the longest wait for the next bytes of a request body
    lease_ttl_s: float = (
        30.0  # an upload's writer lease; taken over this long after its holder died
    )
    behind_tls: bool = False  # the console's cookies get Secure (a TLS proxy in front)

    @property
    def database_url(self) -> str:
        return self.db_url or sqlite_url(self.data_dir)


class IntakeState:
    """Everything a running app needs: settings, database, campaigns, media store."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        self.db = Database(settings.database_url)
        self.blobs = open_media_store(settings)
        # read now, not lazily: a first look from inside an open transaction would wait
        # on itself (SQLite's write lock)
        self._campaigns: CampaignRegistry | None = self._load_campaigns()
        self.hashers = HasherCache()
        self.uploads = self._upload_area()
        self.node = f"process-{uuid.uuid4().hex[:12]}"  # named by its address once serving
        self.signer = ReceiptSigner.load_or_create(
            settings.receipt_key or settings.data_dir / "receipt-signing.key"
        )

    def _upload_area(self) -> Any:
        """Where unfinished tus uploads live: beside the store, in its own terms."""
        from qmintake.media.local import LocalMediaStore

        if isinstance(self.blobs, LocalMediaStore):
            from qmintake.media.localupload import LocalUploads

            return LocalUploads(self.blobs, self.hashers)
        from qmintake.media.s3 import S3MediaStore
        from qmintake.media.s3upload import S3Uploads

        assert isinstance(self.blobs, S3MediaStore)
        return S3Uploads(self.blobs, self.db)

    @property
    def campaigns(self) -> CampaignRegistry:
        """The campaigns stored in the database (read at start; ``reload_campaigns()``
        after an import or a migration)."""
        if self._campaigns is None:
            self._campaigns = self._load_campaigns()
        return self._campaigns

    def _load_campaigns(self) -> CampaignRegistry:
        return CampaignRegistry.from_database(
            self.db, self.settings.campaign_files, self.settings.receipt_prefixes
        )

    def reload_campaigns(self) -> CampaignRegistry:
        self._campaigns = None
        return self.campaigns

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)

    def close(self) -> None:
        self.db.close()
