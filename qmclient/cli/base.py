"""What every sub-command shares: registration, output in two languages, opening the store."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from qmclient.core.work import Progress, QmError, Work

if TYPE_CHECKING:
    from qmclient.services.context import AppContext

Configure = Callable[[argparse.ArgumentParser], None]
Run = Callable[[argparse.Namespace, "Out"], int]
COMMANDS: dict[str, tuple[str, Configure, Run]] = {}


def command(name: str, helptext: str, configure: Configure) -> Callable[[Run], Run]:
    def register(run: Run) -> Run:
        COMMANDS[name] = (helptext, configure, run)
        return run

    return register


class CliError(QmError):
    """A command that cannot go on; the message says why and what to do."""

    code = "cli"

    def __init__(self, *, zh: str, en: str, exit_code: int = 1) -> None:
        super().__init__(zh=zh, en=en)
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


@contextmanager
def open_ctx(args: argparse.Namespace, *, reading: bool = False) -> Iterator[AppContext]:
    """The one way a command opens the data folder: ``with open_ctx(args) as ctx:``.
    It is closed when the block ends, however it ends; a store that cannot be opened is
    a :class:`CliError` saying why.  ``reading=True`` for commands that only read: they
    work on a full or read-only disk."""
    from qmclient.services.context import open_context
    from qmclient.store.database import StoreError

    try:
        ctx = open_context(args.data_dir, reading=reading)
    except StoreError as err:
        raise CliError(zh=err.message_zh, en=err.message_en) from None
    try:
        yield ctx
    finally:
        ctx.close()


def terminal_work(width: int = 60) -> Work:
    """The :class:`Work` a command hands to a long service: progress as
    ``[done/total] label`` on one line of the terminal (nothing when stderr is not one)."""
    if not sys.stderr.isatty():
        return Work()

    def show(p: Progress) -> None:
        if p.total:
            line = f"\r[{p.done}/{p.total}] {p.label[:width]:<{width}}"
            print(line, end="", file=sys.stderr, flush=True)

    return Work(show)
