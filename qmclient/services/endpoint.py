"""Where reports are sent: the intake endpoint chosen by the user (or the campaign's) and
the HTTP settings (proxy) every request to it uses."""

from __future__ import annotations

from qmclient.core.campaign import Campaign
from qmclient.services import settings
from qmclient.services.context import AppContext
from qmclient.sync.api import normalize_endpoint
from qmclient.sync.errors import SyncError
from qmclient.sync.http import HttpSettings

ENDPOINT_SETTING = settings.ENDPOINT.name


def set_endpoint(ctx: AppContext, url: str) -> str:
    """Use ``url`` as the intake endpoint (over the campaign's); returns its normal form."""
    base = normalize_endpoint(url)
    settings.write(ctx, settings.ENDPOINT, base)
    return base


def endpoint_for(ctx: AppContext, campaign: Campaign | None = None) -> str:
    """The endpoint to send to: the one set by the user, else the campaign's."""
    chosen = settings.read(ctx, settings.ENDPOINT)
    if not chosen and campaign is not None:
        chosen = campaign.endpoint_url
    if not chosen:
        raise SyncError(
            "no-endpoint",
            zh="报送办公室尚未公布网上报送地址。请导出报告后通过电子邮件报送，或运行"
            "“qmclient login --endpoint 地址”设置报送地址。",
            en="The office has not published an endpoint. Export the report and send it by "
            "e-mail, or set the address with 'qmclient login --endpoint URL'.",
            kind="action",
        )
    return normalize_endpoint(chosen)


def http_settings(ctx: AppContext) -> HttpSettings:
    """The session's settings: the proxy chosen in the network settings, else the system's."""
    from qmclient.services.network import http_proxy

    return HttpSettings(proxy=http_proxy(ctx))
