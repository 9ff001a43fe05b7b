"""Why the store cannot be used, in Chinese and English (no SQLAlchemy needed to raise or
show these: the window can report them before the database layer is loaded)."""

from __future__ import annotations

from pathlib import Path

from qmclient.core.work import QmError

# The newest migration this program knows; tests check it matches the migrations folder.
SCHEMA_HEAD = "0003"
SCHEMA_HISTORY = ("0001", "0002", "0003")
DB_NAME = "qmclient.sqlite3"


class StoreError(QmError):
    """The store cannot be used; ``message_zh`` says why in Chinese."""

    code = "store"


class StoreTooNewError(StoreError):
    code = "store-too-new"


class StoreCorruptError(StoreError):
    def __init__(self, path: Path, detail: str, backup: Path | None) -> None:
        offer_en = f" The newest backup is {backup}." if backup else " There is no backup."
        offer_zh = f"最近的备份是 {backup}。" if backup else "没有可用的备份。"
        super().__init__(
            zh=f"数据库文件 {path} 已损坏（{detail}），文件已原样保留。{offer_zh}",
            en=f"The database {path} is damaged ({detail}). It was left as it is.{offer_en}",
            code="store-corrupt",
        )
        self.path = path
        self.backup = backup
