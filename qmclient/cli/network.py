"""``qmclient proxy``: show or set the proxy the sync session uses."""

from __future__ import annotations

import argparse
import getpass

from qmclient.cli.base import Out, command, open_ctx


def _configure(p: argparse.ArgumentParser) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument("--system", action="store_true", help="use the system's proxy (default)")
    group.add_argument("--set", metavar="URL", help="use this proxy, e.g. http://proxy:8080")
    p.add_argument("--user", default="", help="proxy user name (the password is asked for)")


@command("proxy", "show or set the network proxy (system or explicit)", _configure)
def run(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.network import load_proxy, save_proxy

    with open_ctx(args) as ctx:  # a ProxySettingError is shown by main()
        if args.system:
            save_proxy(ctx, "system")
        elif args.set:
            password = getpass.getpass("代理密码 / proxy password: ") if args.user else None
            save_proxy(ctx, "manual", args.set, args.user, password)
        setting = load_proxy(ctx)
    if setting.mode == "system":
        out.say("使用系统代理设置", "using the system's proxy settings")
    else:
        who = f"（用户 {setting.user}）" if setting.user else ""
        out.say(
            f"使用代理 {setting.url}{who}", f"using the proxy {setting.url} {setting.user}".rstrip()
        )
    return 0
