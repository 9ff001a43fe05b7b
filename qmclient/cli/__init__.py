"""The ``qmclient`` command: the desktop app without arguments, use cases with them.

Sub-commands register themselves in :data:`COMMANDS` from the modules of this package,
so each module stays about one thing (drafts, campaigns, …).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from qmclient import __version__
from qmclient.cli.base import COMMANDS, CliError, Out
from qmclient.core.work import QmError


def build_parser(*, commands: bool = True) -> argparse.ArgumentParser:
    """The whole parser; ``commands=False`` leaves out the sub-commands (the desktop app's
    start does not need them, and loading them all costs a tenth of its start-up)."""
    parser = argparse.ArgumentParser(
        prog="qmclient",
        description="质量月活动情况总结报送工具 — draft, check and hand in Quality Month reports.",
    )
    parser.add_argument("--version", action="version", version=f"qmclient {__version__}")
    parser.add_argument(
        "--data-dir", help="data folder (default: per-user data folder, or $QMCLIENT_DATA_DIR)"
    )
    parser.add_argument(
        "--lang",
        choices=["zh", "en"],
        default=None,
        help="language of messages (default: from the system locale)",
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="start offscreen, check that everything works, and exit (0 when it does)",
    )
    if not commands:
        parser.set_defaults(command=None)
        return parser
    from qmclient.cli import (  # noqa: F401  (they register commands)
        backup,
        campaigns,
        connect,
        coord,
        diagnostics,
        drafts,
        export,
        network,
        store,
        sync,
    )

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (helptext, configure, _run) in sorted(COMMANDS.items()):
        configure(sub.add_parser(name, help=helptext, description=helptext))
    return parser


def _default_lang() -> str:
    for var in ("QMCLIENT_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "en" if value.lower().startswith("en") else "zh"
    return "zh"


def _options_only(args: list[str]) -> bool:
    """No sub-command and no request for help: the desktop app (or ``--self-test``)."""
    takes_value = ("--data-dir", "--lang")
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    # opening a .qmconnect file (a double-click) starts the window with it
    connect_file = next((a for a in args_list if a.lower().endswith(".qmconnect")), None)
    if connect_file is not None and _options_only([a for a in args_list if a != connect_file]):
        args_list.remove(connect_file)
    else:
        connect_file = None
    args, unknown = None, args_list
    if _options_only(args_list):
        args, unknown = build_parser(commands=False).parse_known_args(args_list)
    if unknown:  # the whole parser, for its full usage and error messages
        args = build_parser().parse_args(args_list)
    assert args is not None
    out = Out(args.lang or _default_lang())
    if args.self_test:
        return _self_test(args, out)
    if args.command is None:
        return _start_gui(args, out, connect_file)
    _help, _configure, run = COMMANDS[args.command]
    try:
        return run(args, out)
    except CliError as err:
        out.error(err.message_zh, err.message_en)
        return err.exit_code
    except QmError as err:  # any service's error says in both languages what to do
        out.error(err.message_zh, err.message_en)
        return 130 if err.code == "cancelled" else 1
    except KeyboardInterrupt:
        out.error("已取消", "cancelled")
        return 130


def _start_gui(args: argparse.Namespace, out: Out, connect_file: str | None = None) -> int:
    try:
        from qmclient.ui.app import run_app
    except ImportError as exc:
        if "qmclient.ui" not in str(exc):
            out.error(f"无法启动图形界面：{exc}", f"the desktop app cannot start: {exc}")
            return 1
        out.error(
            "图形界面尚未安装；请使用子命令（qmclient --help）",
            "the desktop app is not available; use a sub-command (qmclient --help)",
        )
        return 2
    return run_app(data_dir=args.data_dir, lang=args.lang, connect_file=connect_file)


def _self_test(args: argparse.Namespace, out: Out) -> int:
    try:
        from qmclient.ui.selftest import run_self_test
    except ImportError as exc:
        out.error(f"无法进行自检：{exc}", f"the self-test cannot start: {exc}")
        return 1
    return run_self_test(data_dir=args.data_dir, lang=args.lang or out.lang)
