"""The district coordinator's commands: inbox, batch upload, roll-up."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from qmclient.cli.base import CliError, Out, command, open_ctx

OUTCOME_ZH = {"new": "新报告", "updated": "已更新", "duplicate": "重复", "quarantined": "已隔离"}


def _conf_inbox(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    imp = sub.add_parser("import", help="import packages, mails and folders")
    imp.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    imp.add_argument("--json", action="store_true", help="print the filing as JSON")
    ls = sub.add_parser("list", help="list what was received and how it was filed")
    ls.add_argument("--json", action="store_true")
    ls.add_argument(
        "--outcome", choices=["new", "updated", "duplicate", "quarantined"], default=None
    )
    chk = sub.add_parser("check", help="mark a received report as checked")
    chk.add_argument("id", type=int)
    chk.add_argument("--by", default="", help="who checked it (default: the unit profile)")
    ret = sub.add_parser("return", help="return a report to its unit with a comment")
    ret.add_argument("id", type=int)
    ret.add_argument("--comment", required=True)
    ret.add_argument("--by", default="")
    ret.add_argument("--note-dir", type=Path, default=None, help="where to write the .qmnote")
    note = sub.add_parser("apply-note", help="(a unit) import a coordinator's .qmnote")
    note.add_argument("path", type=Path)


def _line(out: Out, r: Any) -> str:
    outcome = out.pick(OUTCOME_ZH.get(r.outcome, r.outcome), r.outcome)
    review = {"checked": out.pick("已审核", "checked"), "returned": out.pick("已退回", "returned")}
    tail = f" [{review[r.review]}]" if r.review in review else ""
    reason = f" ({r.reason})" if r.reason else ""
    msg = out.pick(r.message_zh, r.message_en)
    return f"{r.id:>5}  {outcome}{reason}{tail}  {r.source_name}  — {msg}"


@command("inbox", "the coordinator's inbox: import, list, check and return reports", _conf_inbox)
def inbox_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import inbox, inbox_import

    with open_ctx(args) as ctx:
        if args.action == "import":
            missing = [p for p in args.paths if not p.exists() and not p.is_symlink()]
            if missing:
                raise CliError(
                    zh=f"找不到：{'、'.join(map(str, missing))}",
                    en=f"not found: {', '.join(map(str, missing))}",
                )
            rows = inbox_import.import_paths(ctx, args.paths)
            if args.json:
                out.json([r.to_dict() for r in rows])
            else:
                for r in rows:
                    out.say(_line(out, r))
                counts: dict[str, int] = {}
                for r in rows:
                    counts[r.outcome] = counts.get(r.outcome, 0) + 1
                out.say(
                    f"共 {len(rows)} 项："
                    + "，".join(f"{OUTCOME_ZH[k]} {v}" for k, v in counts.items()),
                    f"{len(rows)} items: " + ", ".join(f"{k} {v}" for k, v in counts.items()),
                )
            return 0
        if args.action == "list":
            rows = inbox.list_items(ctx, outcome=args.outcome)
            if args.json:
                out.json([r.to_dict() for r in rows])
            elif not rows:
                out.say("收件箱是空的", "the inbox is empty")
            for r in rows if not args.json else []:
                out.say(_line(out, r))
            return 0
        try:
            if args.action == "check":
                r = inbox.check_item(ctx, args.id, who=args.by)
                out.say(f"已标记为已审核：{r.unit_name}", f"marked as checked: {r.unit_name}")
                return 0
            if args.action == "return":
                r, note = inbox.return_item(
                    ctx, args.id, args.comment, who=args.by, note_dir=args.note_dir
                )
                out.say(f"已退回：{r.unit_name or r.source_name}", f"returned: {r.unit_name}")
                if note is not None:
                    out.say(
                        f"退回意见文件：{note}（发给报送单位，由其导入）",
                        f"note file: {note} (send it to the unit to import)",
                    )
                return 0
            sid, comment = inbox.apply_note(ctx, args.path)
            out.say(f"报告 {sid} 被退回修改：{comment}", f"report {sid} was returned: {comment}")
            return 0
        except inbox.InboxError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        except Exception as err:
            from qmclient.export.errors import PackageError

            if isinstance(err, PackageError):
                raise CliError(zh=err.message_zh, en=err.message_en) from None
            raise


def _conf_batch(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    up = sub.add_parser("upload", help="send many reports at once (resumes an earlier batch)")
    up.add_argument("ids", nargs="*", type=int, metavar="ID", help="report ids")
    up.add_argument("--all-checked", action="store_true", help="every report marked checked")
    # how many at once is chosen by the program (from the number and size of the
    # reports); this hidden override is for tests and diagnosis only
    up.add_argument("--parallel", type=int, default=None, help=argparse.SUPPRESS)
    up.add_argument("--json", action="store_true")


class _BatchProgress:
    def __init__(self, out: Out) -> None:
        self.out = out
        self.tty = sys.stdout.isatty()
        self.seen: dict[int, str] = {}

    def __call__(self, e: Any) -> None:
        item = e.item
        if self.tty:
            pct = 100 * e.bytes_done / e.bytes_total if e.bytes_total else 0
            print(
                f"\r[{e.items_done}/{e.items_total}] {pct:5.1f}%  {item.unit_name[:24]}  "
                f"{item.state}          ",
                end="",
                flush=True,
            )
        if self.seen.get(item.submission_id) != item.state and item.state in (
            "received",
            "failed",
            "held",
            "retrying",
        ):
            self.seen[item.submission_id] = item.state
            if self.tty:
                print()
            label = {
                "received": ("已送达", "received"),
                "failed": ("失败", "failed"),
                "held": ("需要处理", "needs you"),
                "retrying": ("重试中", "retrying"),
            }[item.state]
            extra = item.receipt_number or self.out.pick(item.message_zh, item.message_en)
            self.out.say(
                f"{label[0]}：{item.unit_name}（{extra}）",
                f"{label[1]}: {item.unit_name} ({extra})",
            )


@command("batch", "send many reports at once, several transfers in parallel", _conf_batch)
def batch_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import batch, inbox

    with open_ctx(args) as ctx:
        if args.parallel is not None and not 1 <= args.parallel <= batch.MAX_PARALLEL:
            raise CliError(
                zh=f"--parallel 应在 1 到 {batch.MAX_PARALLEL} 之间",
                en=f"--parallel must be between 1 and {batch.MAX_PARALLEL}",
            )
        ids = list(args.ids)
        if args.all_checked:
            ids += inbox.checked_submissions(ctx)
        if not ids:
            ids = batch.pending_submissions(ctx)  # resume what an earlier batch left
        if not ids:
            out.say(
                "没有要发送的报告（可给出编号，或用 --all-checked）",
                "nothing to send (give ids, or --all-checked)",
            )
            return 0
        items = batch.upload(ctx, ids, parallel=args.parallel, on_event=_BatchProgress(out))
        if sys.stdout.isatty():
            print()
        if args.json:
            out.json([i.to_dict() for i in items])
        ok = sum(1 for i in items if i.state == "received")
        out.say(
            f"共 {len(items)} 份：已送达 {ok} 份，未完成 {len(items) - ok} 份",
            f"{len(items)} reports: {ok} received, {len(items) - ok} not",
        )
        for i in items:
            if i.state != "received":
                out.say(
                    f"  {i.submission_id} {i.unit_name}：{i.message_zh}",
                    f"  {i.submission_id} {i.unit_name}: {i.message_en}",
                )
        return 0 if ok == len(items) else 1


def _conf_rollup(p: argparse.ArgumentParser) -> None:
    p.add_argument("--xlsx", type=Path, required=True, help="the district's table (.xlsx)")
    p.add_argument("--docx", type=Path, default=None, help="the district's summary (.docx)")
    p.add_argument(
        "--expected", type=Path, default=None, help="import the expected units (.xlsx) first"
    )
    p.add_argument("--json", action="store_true", help="print the counts as JSON")


@command("rollup", "the district's roll-up: table, counts, who has not reported", _conf_rollup)
def rollup_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.export.errors import ExportError
    from qmclient.export.expected_units import ExpectedUnitsError
    from qmclient.services import rollup

    with open_ctx(args) as ctx:
        if args.expected is not None:
            try:
                units = rollup.import_expected(ctx, args.expected)
            except ExpectedUnitsError as err:
                raise CliError(
                    zh=f"{args.expected}：{err.message_zh}", en=f"{args.expected}: {err.message_en}"
                ) from None
            out.say(f"已导入应报单位 {len(units)} 家", f"{len(units)} expected units imported")
        try:
            files = rollup.export(ctx, xlsx=args.xlsx, docx=args.docx)
        except ExportError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        r = files.rollup
        if args.json:
            out.json(
                {
                    "district": r.district,
                    "reports": len(r.reports),
                    "activities": len(r.rows),
                    "by_focus_area": r.by_focus_area,
                    "by_unit": r.by_unit,
                    "not_reported": [e.name for e in r.not_reported],
                    "unexpected": r.unexpected,
                }
            )
        out.say(
            f"已汇总 {len(r.reports)} 份报告、{len(r.rows)} 项活动；未报送 {len(r.not_reported)} 家",
            f"{len(r.reports)} reports, {len(r.rows)} activities; "
            f"{len(r.not_reported)} units have not reported",
        )
        for p in (files.xlsx, files.docx):
            if p is not None:
                out.say(f"已写入 {p}", f"written: {p}")
        return 0
