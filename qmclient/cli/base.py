"""What every sub-command shares: registration, output in two languages, opening the store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from typing import Any

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace, "Out"], int]
COMMANDS: dict[str, tuple[str, Configure, Run]] = {}


def command(name: str, helptext: str, configure: Configure) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        COMMANDS[name] = (helptext, configure, run)
        return run

    return register


class CliError(Exception):
    def __init__(self, message_zh: str, message_en: str, exit_code: int = 1) -> None:
        super().__init__(message_en)
        self.message_zh = message_zh
        self.message_en = message_en
        self.exit_code = exit_code


class Out:
    """Prints in the chosen language; errors go to stderr."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def pick(self, zh: str, en: str) -> str:
        return zh if self.lang == "zh" else en

    def say(self, zh: str, en: str | None = None) -> None:
        print(self.pick(zh, en if en is not None else zh))

    def error(self, zh: str, en: str) -> None:
        print(self.pick("错误：", "error: ") + self.pick(zh, en), file=sys.stderr)

    def json(self, data: Any) -> None:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def open_ctx(args: argparse.Namespace, *, reading: bool = False) -> Any:
    """Open the data folder, turning store problems into clear command-line errors.
    ``reading=True`` for commands that only read: they work on a full or read-only disk."""
    from qmclient.services.context import open_context
    from qmclient.store.database import StoreError

    try:
        return open_context(args.data_dir, reading=reading)
    except StoreError as err:
        raise CliError(err.message_zh, err.message_en) from None
