"""Helpers shared by the coordinator's tests, scripts and benchmarks: a keyring in memory
and a 历下区 coordinator's unit profile."""

from __future__ import annotations

import keyring.backend

from qmclient.core.report import Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext


class MemoryKeyring(keyring.backend.KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.items.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.items[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.items.pop((service, username), None)


def make_coordinator(ctx: AppContext, district: str = "lixia") -> None:
    drafts.save_profile(
        ctx,
        Unit(
            name="历下区市场监督管理局",
            kind="district",
            district=district,
            contact_person="李四",
            phone="0531-82568852",
        ),
    )
