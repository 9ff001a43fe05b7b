"""Connecting from the command line: connect (a .qmconnect file, or an address and a code),
disconnect, and checking a saved receipt offline."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qmclient.cli.base import CliError, Out, command, open_ctx


def _say_check(out: Out, result: Any) -> None:
    unit = result.office_unit
    out.say(
        f"已连接报送服务器 {result.endpoint}：办公室登记的单位为“{unit.get('name', '')}”"
        f"（{unit.get('district', '') or '—'}）",
        f"connected to {result.endpoint}: the office knows this unit as "
        f"'{unit.get('name', '')}' ({unit.get('district', '') or '-'})",
    )
    warning = result.clock_warning
    if warning:
        out.say(*warning)
    for name, mine, theirs in result.mismatches:
        out.say(
            f"注意：本机资料的“{name}”为“{mine}”，办公室登记为“{theirs}”。"
            "可用 --take-over 采用办公室的登记。",
            f"note: this computer's profile has {name} '{mine}', the office has '{theirs}'. "
            "Use --take-over to adopt the office's.",
        )


def _conf_connect(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path, help="the .qmconnect file from the office")
    p.add_argument("--endpoint", help="the intake server's address (https://…)")
    p.add_argument("--code", help="the connection code (qmt_…); better: --code-stdin")
    p.add_argument("--code-stdin", action="store_true", help="read the code from standard input")
    p.add_argument(
        "--take-over",
        action="store_true",
        help="use the unit's name and district as the office knows them",
    )


@command(
    "connect", "connect to the office's intake server (.qmconnect file or code)", _conf_connect
)
def connect_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.work import QmError
    from qmclient.services import connection
    from qmclient.sync.errors import SyncError

    with open_ctx(args) as ctx:
        campaign_id = ""
        if args.file is not None:
            try:
                info = connection.read_connection_file(args.file)
            except QmError as err:
                raise CliError(zh=err.message_zh, en=err.message_en) from None
            endpoint, code, campaign_id = info.endpoint, info.token, info.campaign_id
        else:
            if not args.endpoint:
                raise CliError(
                    zh="请给出连接文件，或 --endpoint 地址 和 --code 连接码",
                    en="give a .qmconnect file, or --endpoint URL and --code CODE",
                )
            endpoint = args.endpoint
            code = sys.stdin.readline().strip() if args.code_stdin else (args.code or "")
        try:
            result = connection.connect(ctx, endpoint, code, campaign_id=campaign_id)
        except SyncError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        except connection.KeyringUnavailable as err:
            hint_zh, hint_en = connection.FALLBACK_HINT
            raise CliError(
                zh=f"{err.message_zh}\n{hint_zh}", en=f"{err.message_en}\n{hint_en}"
            ) from None
        except QmError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        _say_check(out, result)
        if args.take_over and result.mismatches:
            connection.take_over_profile(ctx, result.office_unit)
            out.say("已采用办公室登记的单位信息。", "the office's unit details are now used.")
        return 0


@command("disconnect", "forget the intake server and its connection code", lambda p: None)
def disconnect_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import connection

    with open_ctx(args) as ctx:
        old = connection.disconnect(ctx)
        if old:
            out.say(
                f"已断开与 {old} 的连接，连接码已删除。", f"disconnected from {old}; code removed."
            )
        else:
            out.say("本机尚未连接报送服务器。", "not connected to an intake server.")
        return 0


def verify_receipt_file(args: argparse.Namespace, out: Out, path: Path) -> int:
    """``qmclient receipt verify FILE``: the signature checked offline."""
    from qmclient.core.work import QmError
    from qmclient.services import receipts
    from qmclient.sync.errors import SyncError

    with open_ctx(args) as ctx:
        try:
            data = receipts.read_receipt_file(path)
        except (SyncError, QmError) as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        check = receipts.verify_receipt(ctx, data, getattr(args, "key", None))
        print(receipts.receipt_text(data, out.lang), end="")
        out.say(check.text("zh"), check.text("en"))
        return 0 if check.valid else 1
