"""Sending from the command line: login, submit, sync, status, receipt, outbox."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

from qmclient.cli.base import CliError, Out, command, open_ctx
from qmclient.core.sizes import size_text


def _sub(ctx: Any, ref: str) -> int:
    from qmclient.services.drafts import NotFoundError, resolve

    try:
        return resolve(ctx, ref)
    except NotFoundError as err:
        raise CliError(zh=f"找不到报告 {ref}", en=str(err)) from None


def _sync_error(err: Any) -> CliError:
    return CliError(zh=err.message_zh, en=err.message_en)


class _Progress:
    """One updating line on a terminal; stage changes only when output is not a terminal."""

    def __init__(self, out: Out) -> None:
        self.out = out
        self.tty = sys.stdout.isatty()
        self.last_stage = ""

    def __call__(self, e: Any) -> None:
        if e.stage == "uploading" and e.file is not None:
            if not self.tty:
                if self.last_stage != "uploading":
                    self.out.say(
                        f"正在上传报告 {e.submission_id} …", f"uploading report {e.submission_id} …"
                    )
                self.last_stage = e.stage
                return
            pct = 100 * e.bytes_done / e.bytes_total if e.bytes_total else 100
            eta = f" {int(e.eta_s // 60)}:{int(e.eta_s % 60):02d}" if e.eta_s else ""
            line = (
                f"\r[{e.files_done + 1}/{e.files_total}] {e.file.name[:30]}  "
                f"{size_text(e.bytes_done)}/{size_text(e.bytes_total)} ({pct:.0f}%)  "
                f"{size_text(e.bytes_per_s)}/s{eta}   "
            )
            print(line, end="", flush=True)
            self.last_stage = e.stage
            return
        if self.tty and self.last_stage == "uploading":
            print()
        self.last_stage = e.stage
        labels = {
            "connecting": ("正在连接报送服务器 …", "connecting to the intake server …"),
            "verifying": ("正在核对文件 …", "checking files …"),
            "finalising": ("正在确认报送 …", "finalising …"),
        }
        if e.stage in labels:
            self.out.say(*labels[e.stage])


def _report_outcomes(out: Out, outcomes: list[Any]) -> int:
    from qmclient.sync.errors import SyncError

    rc = 0
    for o in outcomes:
        if o.ok:
            r = o.receipt
            late = "" if r.get("on_time") else out.pick("（逾期）", " (late)")
            out.say(
                f"报告 {o.submission_id}（第 {o.revision} 版）已送达，回执编号 {r['receipt_number']}{late}",
                f"report {o.submission_id} (revision {o.revision}) received, receipt "
                f"{r['receipt_number']}{late}",
            )
            continue
        err: SyncError = o.error
        if err.kind == "cancelled":
            out.say("已暂停；下次同步会从断点继续。", "paused; the next sync continues from there.")
            rc = max(rc, 1)
            continue
        out.error(
            f"报告 {o.submission_id}：{err.message_zh}",
            f"report {o.submission_id}: {err.message_en}",
        )
        rc = max(rc, 1)
    return rc


def _sender_opts(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--chunk-mib",
        type=int,
        default=None,
        help="upload chunk size in MiB (default: 32, growing to 256 while the line is "
        "good; give a small fixed size on very unstable lines)",
    )


def _chunk(args: argparse.Namespace) -> int | None:
    if args.chunk_mib is None:
        return None
    if not 1 <= args.chunk_mib <= 256:
        raise CliError(
            zh="--chunk-mib 应在 1 到 256 之间", en="--chunk-mib must be between 1 and 256"
        )
    return int(args.chunk_mib) * 1024 * 1024


# ------------------------------------------------------------------------------ login


def _conf_login(p: argparse.ArgumentParser) -> None:
    p.add_argument("--endpoint", help="the intake endpoint's address (https://…)")
    p.add_argument(
        "--token-stdin", action="store_true", help="read the token from standard input (scripts)"
    )
    p.add_argument("--forget", action="store_true", help="remove the stored token")


@command("login", "store the token the office gave you (in the system keyring)", _conf_login)
def login(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.work import QmError
    from qmclient.services import connection, outbox
    from qmclient.sync.errors import SyncError
    from qmclient.sync.tokens import NoKeyringError, forget_token, save_token

    with open_ctx(args) as ctx:
        try:
            if args.endpoint:
                endpoint = outbox.set_endpoint(ctx, args.endpoint)
            else:
                endpoint = outbox.endpoint_for(ctx, ctx.campaigns.default())
        except SyncError as err:
            raise _sync_error(err) from None
        if args.forget:
            forget_token(endpoint)
            out.say(f"已删除 {endpoint} 的令牌", f"token for {endpoint} removed")
            return 0
        if args.token_stdin:
            token = sys.stdin.readline().strip()
        else:
            token = getpass.getpass(
                out.pick("请输入报送办公室发放的令牌：", "Token from the office: ")
            )
        token = token.strip()
        if not token:
            raise CliError(zh="没有输入令牌", en="no token given")
        name = ""
        try:
            name = str(connection.connect(ctx, endpoint, token).office_unit.get("name", ""))
        except SyncError as err:
            if err.kind == "action":
                raise _sync_error(err) from None
            out.say(
                f"暂时无法连接服务器核对令牌（{err.message_zh}）；令牌仍会保存。",
                f"the server cannot be reached to check the token ({err.message_en}); "
                "it is stored anyway.",
            )
            try:
                save_token(endpoint, token)
            except NoKeyringError as exc:
                raise CliError(zh=exc.message_zh, en=exc.message_en) from None
        except QmError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        out.say(
            f"已保存 {endpoint} 的令牌{f'（{name}）' if name else ''}",
            f"token for {endpoint} stored{f' ({name})' if name else ''}",
        )
        return 0


# ------------------------------------------------------------------------------ submit


def _conf_submit(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="submission number or UUID (prefix)")
    p.add_argument("--no-send", action="store_true", help="only queue it; 'qmclient sync' sends")
    _sender_opts(p)


@command("submit", "check, freeze and send a report to the lead office", _conf_submit)
def submit(args: argparse.Namespace, out: Out) -> int:
    from sqlalchemy import select

    from qmclient.services import outbox
    from qmclient.store.models import OutboxEntry
    from qmclient.sync.errors import SyncError

    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        try:
            queued = outbox.queue_submission(ctx, sid)
        except outbox.SubmitRefused as refused:
            for f in refused.findings:
                out.error(f"{f.path}：{f.message_zh}", f"{f.path}: {f.message_en}")
            raise CliError(
                zh="报告还有错误，未报送。请改正上面列出的问题后再报送。",
                en="the report has errors and was not sent; fix the problems above first.",
            ) from None
        except SyncError as err:
            raise _sync_error(err) from None
        for w in queued.warnings:
            out.say(f"注意：{w.message_zh}", f"note: {w.message_en}")
        out.say(
            f"报告 {sid} 第 {queued.revision} 版已冻结并加入发送队列（校验值 {queued.report_hash[:12]}）",
            f"report {sid} revision {queued.revision} frozen and queued "
            f"(hash {queued.report_hash[:12]})",
        )
        if args.no_send:
            return 0
        with ctx.store.read() as s:
            entry_id = s.scalars(
                select(OutboxEntry.id).where(
                    OutboxEntry.submission_id == sid, OutboxEntry.revision == queued.revision
                )
            ).one()
        with outbox.OutboxSender(ctx, on_event=_Progress(out), chunk_size=_chunk(args)) as sender:
            sender.recover()
            try:
                outcome = sender.send_entry(entry_id)
            except KeyboardInterrupt:
                sender.control.cancel()
                raise
        return _report_outcomes(out, [outcome])


# ------------------------------------------------------------------------------ sync


def _conf_sync(p: argparse.ArgumentParser) -> None:
    _sender_opts(p)


@command("sync", "send everything queued (resuming interrupted uploads)", _conf_sync)
def sync(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import outbox

    with open_ctx(args) as ctx:
        with outbox.OutboxSender(ctx, on_event=_Progress(out), chunk_size=_chunk(args)) as sender:
            outcomes = sender.send_all()
        if not outcomes:
            out.say("发送队列是空的", "nothing is queued")
            return 0
        return _report_outcomes(out, outcomes)


# ------------------------------------------------------------------------------ outbox


@command("outbox", "list what is queued and why anything is waiting", lambda p: None)
def outbox_cmd(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import outbox

    with open_ctx(args) as ctx:
        rows = outbox.outbox_rows(ctx)
        if not rows:
            out.say("发送队列是空的", "nothing is queued")
        for r in rows:
            state = {"queued": ("待发送", "waiting to send"), "held": ("待处理", "needs you")}[
                r.state
            ]
            out.say(
                f"{r.submission_id}  第{r.revision}版  {state[0]}  {r.title}  {r.error_zh}",
                f"{r.submission_id}  rev {r.revision}  {state[1]}  {r.title}  {r.error_en}",
            )
        return 0


# ------------------------------------------------------------------------------ status


def _conf_status(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="submission number or UUID (prefix)")
    p.add_argument("--json", action="store_true")


@command("status", "ask the office's endpoint about a sent report", _conf_status)
def status(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import outbox
    from qmclient.sync.errors import SyncError

    labels = {
        "open": ("已开始报送，尚未完成", "started, not finished"),
        "received": ("已送达，等待审核", "received, awaiting review"),
        "returned": ("退回修改", "returned for revision"),
        "accepted": ("已通过", "accepted"),
    }
    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        try:
            st = outbox.check_status(ctx, sid)
        except SyncError as err:
            raise _sync_error(err) from None
        if args.json:
            out.json(st.raw)
            return 0
        zh, en = labels.get(st.status, (st.status, st.status))
        out.say(
            f"状态：{zh}（第 {st.latest_revision} 版）",
            f"status: {en} (revision {st.latest_revision})",
        )
        if st.comment:
            out.say(f"办公室意见：{st.comment}", f"the office says: {st.comment}")
        if st.status == "returned":
            out.say(
                "请修改报告（会生成新的版本）后再次报送。",
                "edit the report (that opens a new revision) and submit again.",
            )
        return 0


# ------------------------------------------------------------------------------ receipt


def _conf_receipt(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="submission number or UUID (prefix), or 'verify'")
    p.add_argument("file", nargs="?", type=Path, help="with 'verify': a saved .json receipt")
    p.add_argument("--key", help="with 'verify': the office's public key (base64)")
    p.add_argument("--export", type=Path, help="write it to a file (.json: exact; else text)")
    p.add_argument("--json", action="store_true")


@command("receipt", "show or export the receipt of a sent report", _conf_receipt)
def receipt(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services import outbox
    from qmclient.sync.errors import SyncError

    if args.id == "verify":
        from qmclient.cli.connect import verify_receipt_file

        if args.file is None:
            raise CliError(zh="请给出要核对的回执文件", en="give the receipt file to check")
        return verify_receipt_file(args, out, args.file)
    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        data = outbox.receipt_of(ctx, sid)
        if data is None:
            raise CliError(zh="这份报告还没有回执（尚未送达）", en="this report has no receipt yet")
        if args.export:
            try:
                path = outbox.export_receipt(ctx, sid, args.export, out.lang)
            except SyncError as err:
                raise _sync_error(err) from None
            out.say(f"回执已保存到 {path}", f"receipt written to {path}")
        elif args.json:
            out.json(data)
        else:
            print(outbox.receipt_text(data, out.lang), end="")
        return 0
