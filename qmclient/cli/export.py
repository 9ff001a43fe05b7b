"""Export and import from the command line: export ID …, import PKG…."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from qmclient.cli.base import CliError, Out, command, open_ctx, terminal_work


def _conf_export(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="submission number or UUID (prefix)")
    p.add_argument("--docx", type=Path, help="the Word report (.docx) to write")
    p.add_argument("--xlsx", type=Path, help="the Excel table (.xlsx) to write")
    p.add_argument("--eml", type=Path, metavar="DIR", help="folder for the e-mail drafts (.eml)")
    p.add_argument("--package", type=Path, help="the portable package (.qmpkg) to write")
    p.add_argument(
        "--downscale",
        type=int,
        metavar="LONGSIDE",
        help="mail photos at most this many pixels on the long side (GPS removed)",
    )
    p.add_argument("--quality", type=int, default=85, help="JPEG quality of downscaled photos")
    p.add_argument(
        "--video",
        choices=["reencode", "omit"],
        default="omit",
        help="a video too large for one mail: re-encode it smaller, or leave it out",
    )
    p.add_argument(
        "--draft",
        action="store_true",
        help="export although the checks find errors; every output is marked 草稿 (draft)",
    )
    p.add_argument("--plan", action="store_true", help="only show what would be produced")
    p.add_argument("--json", action="store_true", help="machine-readable output")


@command("export", "export a report: Word, Excel, e-mail drafts, package", _conf_export)
def export(args: argparse.Namespace, out: Out) -> int:
    from qmclient.cli.drafts import _sub
    from qmclient.export.errors import ExportError
    from qmclient.export.text import size_text
    from qmclient.services.clearance import NotCleared
    from qmclient.services.export import ExportOptions, plan, run

    if not any((args.docx, args.xlsx, args.eml, args.package)):
        raise CliError(
            zh="请至少指定 --docx、--xlsx、--eml 或 --package 之一",
            en="give at least one of --docx, --xlsx, --eml, --package",
            exit_code=2,
        )
    if args.downscale is not None and not 200 <= args.downscale <= 10000:
        raise CliError(
            zh="--downscale 应在 200 到 10000 像素之间", en="--downscale: 200..10000", exit_code=2
        )
    if not 30 <= args.quality <= 95:
        raise CliError(zh="--quality 应在 30 到 95 之间", en="--quality: 30..95", exit_code=2)
    options = ExportOptions(
        docx=args.docx.absolute() if args.docx else None,
        xlsx=args.xlsx.absolute() if args.xlsx else None,
        eml_dir=args.eml.absolute() if args.eml else None,
        package=args.package.absolute() if args.package else None,
        downscale=args.downscale,
        quality=args.quality,
        video=args.video,
        draft=args.draft,
    )
    with open_ctx(args, reading=True) as ctx:
        sid = _sub(ctx, args.id)
        if args.plan:
            p = plan(ctx, sid, options)
            if args.json:
                out.json(
                    {
                        "ok": p.ok,
                        "files": [vars(f) for f in p.files],
                        "mail_parts": [vars(m) for m in p.mail_parts],
                        "videos": [vars(v) for v in p.videos],
                        "problems": [
                            {"code": e.code, "zh": e.message_zh, "en": e.message_en}
                            for e in p.problems
                        ],
                        "blockers": [f.to_dict() for f in p.blockers],
                        "warnings": [f.to_dict() for f in p.warnings],
                    }
                )
            else:
                for f in p.files:
                    approx = "" if f.exact else "≈"
                    out.say(f"{f.kind:8} {approx}{size_text(f.size):>10}  {f.path}")
                for v in p.videos:
                    if v.note_zh:
                        out.say(v.note_zh, v.note_en)
                for e in p.problems:
                    out.error(e.message_zh, e.message_en)
                for finding in p.blockers:
                    out.error(f"必须修改：{finding.message_zh}", f"to fix: {finding.message_en}")
                for finding in p.warnings:
                    out.say(f"注意：{finding.message_zh}", f"note: {finding.message_en}")
            return 0 if p.ok and (args.draft or not p.blockers) else 1
        try:
            result = run(ctx, sid, options, work=terminal_work())
        except NotCleared as err:
            raise CliError(
                zh=err.message_zh + "\n若只需导出草稿供核对，请加 --draft（文件中将标明“草稿”）",
                en=err.message_en
                + "\nto export a draft for checking, add --draft (the files say 草稿)",
            ) from None
        except ExportError as err:
            if sys.stderr.isatty():
                print(file=sys.stderr)
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        if sys.stderr.isatty():
            print(file=sys.stderr)
        if args.json:
            out.json(
                {
                    "files": [str(f) for f in result.files],
                    "mail_parts": [vars(m) for m in result.mail_parts],
                    "videos": [vars(v) for v in result.videos],
                    "status": result.status,
                    "report_hash": result.report_hash,
                    "warnings": [{"zh": zh, "en": en} for zh, en in result.warnings],
                }
            )
            return 0
        for path in result.files:
            out.say(f"已写入 {path}", f"wrote {path}")
        for m in result.mail_parts:
            out.say(
                f"邮件 {m.index}/{m.total}：{size_text(m.size)}，附件 {len(m.attachments)} 个",
                f"mail {m.index}/{m.total}: {size_text(m.size)}, {len(m.attachments)} attachments",
            )
        for v in result.videos:
            if v.note_zh:
                out.say(v.note_zh, v.note_en)
        for zh, en in result.warnings:
            out.say(f"注意：{zh}", f"note: {en}")
        return 0


def _conf_import(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "packages", nargs="+", type=Path, metavar="PKG", help=".qmpkg files or folders of them"
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")


@command("import", "import packages (.qmpkg) into the store", _conf_import)
def import_(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.packages import import_package

    with open_ctx(args) as ctx:
        paths: list[Path] = []
        for given in args.packages:
            paths.extend(sorted(given.rglob("*.qmpkg")) if given.is_dir() else [given])
        if not paths:
            raise CliError(zh="没有找到 .qmpkg 报送包", en="no .qmpkg packages found", exit_code=2)
        results = [import_package(ctx, path) for path in paths]
        if args.json:
            out.json([r.to_dict() for r in results])
        else:
            for r in results:
                line_zh = f"{r.code:<24} {Path(r.path).name}  {r.message_zh}"
                line_en = f"{r.code:<24} {Path(r.path).name}  {r.message_en}"
                if r.ok:
                    out.say(line_zh, line_en)
                else:
                    out.error(line_zh, line_en)
        return 0 if all(r.ok for r in results) else 1


def _conf_send(p: argparse.ArgumentParser) -> None:
    p.add_argument("files", nargs="+", type=Path, metavar="EML", help=".eml files or folders")
    p.add_argument("--host", help="SMTP server (kept for next time)")
    p.add_argument("--port", type=int)
    p.add_argument("--security", choices=["ssl", "starttls", "none"])
    p.add_argument("--user", help="account name on the server")
    p.add_argument("--from", dest="sender", help="sender address (default: the account)")
    p.add_argument("--cafile", help="an extra CA certificate to trust (private servers)")
    p.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else: from the system keyring)",
    )
    p.add_argument("--remember", action="store_true", help="keep that password in the keyring")
    p.add_argument("--id", help="submission the mails belong to (for its history)")


@command("send-mail", "send exported e-mail drafts over SMTP (TLS)", _conf_send)
def send_mail(args: argparse.Namespace, out: Out) -> int:
    from dataclasses import replace

    from qmclient.export.smtp import SendError, SmtpSettings
    from qmclient.services import mailing

    files: list[Path] = []
    for f in args.files:
        files.extend(sorted(f.glob("*.eml")) if f.is_dir() else [f])
    if not files:
        raise CliError(zh="没有找到 .eml 邮件文件", en="no .eml files found", exit_code=2)
    with open_ctx(args) as ctx:
        settings = mailing.load_settings(ctx)
        if settings is None and not args.host:
            raise CliError(
                zh="请用 --host 指定邮件服务器", en="give the mail server with --host", exit_code=2
            )
        settings = settings or SmtpSettings(args.host)
        changes = {
            k: v
            for k, v in {
                "host": args.host,
                "port": args.port,
                "security": args.security,
                "username": args.user,
                "sender": args.sender,
                "cafile": args.cafile,
            }.items()
            if v is not None
        }
        if "security" in changes and "port" not in changes:
            changes["port"] = {"ssl": 465, "starttls": 587, "none": 25}[args.security]
        settings = replace(settings, **changes)
        mailing.save_settings(ctx, settings)
        password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
        sid = None
        if args.id:
            from qmclient.cli.drafts import _sub

            sid = _sub(ctx, args.id)
        try:
            if password is not None and args.remember:
                mailing.remember_password(settings, password)
            sent = mailing.send(ctx, files, settings, password=password, submission_id=sid)
        except SendError as err:
            raise CliError(zh=err.message_zh, en=err.message_en) from None
        out.say(f"已发送 {sent} 封邮件", f"sent {sent} messages")
        return 0
