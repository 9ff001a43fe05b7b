"""``qmclient diagnostics``: versions, folders and store statistics for support."""

from __future__ import annotations

import argparse

from qmclient.cli.base import Out, command, open_ctx


def _configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="as JSON")
    p.add_argument("--quick", action="store_true", help="skip the integrity check")


@command("diagnostics", "versions, folders and store statistics (to send to support)", _configure)
def run(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.diagnostics import as_text, collect

    with open_ctx(args) as ctx:
        info = collect(ctx, integrity=not args.quick)
    if args.json:
        out.json(info)
    else:
        print(as_text(info), end="")
    return 0 if info["store"]["integrity"] in ("ok", "not checked") else 1
