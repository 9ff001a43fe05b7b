"""Helpers shared by the coordinator's tests, scripts and benchmarks: a 历下区
coordinator's unit profile."""

from __future__ import annotations

from qmclient.core.report import Unit
from qmclient.services import drafts
from qmclient.services.context import AppContext


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
