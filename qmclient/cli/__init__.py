"""The ``qmclient`` command: the desktop app without arguments, use cases with them.

Sub-commands register themselves in :data:`COMMANDS` from the modules of this package,
so each module stays about one thing (drafts, campaigns, …).
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from qmclient import __version__
from qmclient.cli.base import COMMANDS, CliError, Out
from qmclient.core.work import QmError

# Files Windows opens with qmclient (the installer's associations) arrive as the only
# argument; the window opens (acting on the file from there is the window's part).
OPENED_SUFFIXES = (".qmpkg", ".qmconnect")


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
    parser.add_argument(
        "--screenshot",
        metavar="PNG",
        help="with --self-test: save the picture of the main window it draws to this file",
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
    takes_value = ("--data-dir", "--lang", "--screenshot")
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in takes_value:
            skip = True
        elif arg in ("-h", "--help") or not arg.startswith("-"):
            return False
    return True


def _utf8_streams() -> None:
    """Chinese on stdout and stderr whatever the system's code page: on Windows a pipe or
    a file otherwise gets the ANSI code page, which cannot encode it."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "")
        reconfigure = getattr(stream, "reconfigure", None)  # TextIOWrapper has it
        if reconfigure is not None and encoding != "utf8":
            with contextlib.suppress(ValueError, OSError):
                reconfigure(encoding="utf-8", errors="backslashreplace")


def _platform_refused(out: Out) -> bool:
    """Say clearly, and stop, where the desktop app cannot work (Windows 7/8, old glibc)."""
    from qmclient.core import platforminfo

    problem = platforminfo.unsupported_here()
    if problem is None:
        return False
    out.error(*problem)
    return True


def main(argv: Sequence[str] | None = None) -> int:
    _utf8_streams()
    args_list = list(sys.argv[1:] if argv is None else argv)
    # opening a .qmconnect file (a double-click) starts the window with it
    connect_file = next((a for a in args_list if a.lower().endswith(".qmconnect")), None)
    if connect_file is not None and _options_only([a for a in args_list if a != connect_file]):
        args_list.remove(connect_file)
    else:
        connect_file = None
    if len(args_list) == 1 and args_list[0].lower().endswith(OPENED_SUFFIXES):
        args_list = []  # a double-clicked package: open the window
    args, unknown = None, args_list
    if _options_only(args_list):
        args, unknown = build_parser(commands=False).parse_known_args(args_list)
    if unknown:  # the whole parser, for its full usage and error messages
        args = build_parser().parse_args(args_list)
    assert args is not None
    out = Out(args.lang or _default_lang())
    if (args.self_test or args.command is None) and _platform_refused(out):
        return 3
    if args.self_test:
        return _self_test(args, out)
    if args.screenshot:
        out.error("--screenshot 只能与 --self-test 一起使用", "--screenshot needs --self-test")
        return 2
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
    return run_self_test(
        data_dir=args.data_dir, lang=args.lang or out.lang, screenshot=args.screenshot
    )
