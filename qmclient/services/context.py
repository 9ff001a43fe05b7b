"""Everything a use case needs, opened once per process: data folder, store, media, campaigns."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from qmclient.services.campaigns import CampaignRegistry
from qmclient.store.database import (
    DB_NAME,
    Store,
    StoreFullError,
    StoreReadOnlyError,
    open_store,
    open_store_read_only,
)
from qmclient.store.location import prepare_data_dir, resolve_data_dir
from qmclient.store.media import MediaStore


@dataclass
class AppContext:
    data_dir: Path
    store: Store
    media: MediaStore
    campaigns: CampaignRegistry

    @property
    def logs_dir(self) -> Path:
        return self.data_dir / "logs"

    def close(self) -> None:
        self.store.close()


def open_context(
    data_dir: str | os.PathLike[str] | None = None, *, reading: bool = False
) -> AppContext:
    """Open the data folder (creating it on first use).  Raises ``StoreError``.

    ``reading=True`` is for use cases that only read (list, show, validate, export): when
    the disk is full or the folder cannot be written, the store is opened read-only
    instead of refusing (:class:`StoreFullError`, :class:`StoreReadOnlyError`)."""
    try:
        return _open_context(data_dir)
    except (StoreFullError, StoreReadOnlyError):
        if not reading or not (resolve_data_dir(data_dir) / DB_NAME).is_file():
            raise
    folder = resolve_data_dir(data_dir)
    store = open_store_read_only(folder / DB_NAME)
    return AppContext(folder, store, MediaStore(folder / "media"), CampaignRegistry(store))


def _open_context(data_dir: str | os.PathLike[str] | None) -> AppContext:
    from qmclient.services.backup import finish_interrupted_restore

    folder = resolve_data_dir(data_dir)
    finish_interrupted_restore(folder)  # a restore cut short between its two renames
    folder = prepare_data_dir(folder)
    store = open_store(folder / DB_NAME)
    media = MediaStore(folder / "media")
    media.sweep_temp()
    return AppContext(folder, store, media, CampaignRegistry(store))
