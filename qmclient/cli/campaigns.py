"""``qmclient campaign …``: show, list and import campaign definitions."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from qmclient.cli.base import CliError, Out, command, open_ctx


def _configure(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    show = sub.add_parser("show", help="show a campaign (default: the current one)")
    show.add_argument("id", nargs="?")
    show.add_argument("--json", action="store_true", help="the definition as JSON")
    sub.add_parser("list", help="list the campaigns this installation knows")
    imp = sub.add_parser("import", help="import a campaign definition file (TOML)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--default", action="store_true", help="make it the current campaign")


@command("campaign", "campaign definitions (show, list, import)", _configure)
def run(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.campaign import CampaignError
    from qmclient.core.deadline import deadline_status
    from qmclient.services.campaigns import UnknownCampaignError

    with open_ctx(args) as ctx:
        if args.action == "list":
            current = ctx.campaigns.default().id
            for c in ctx.campaigns.all():
                mark = "*" if c.id == current else " "
                out.say(
                    f"{mark} {c.id}  {c.title}  截止 {c.due:%Y-%m-%d}",
                    f"{mark} {c.id}  {c.title_en or c.title}  due {c.due:%Y-%m-%d}",
                )
            return 0
        if args.action == "import":
            try:
                c = ctx.campaigns.import_file(args.file)
            except CampaignError as err:
                raise CliError(
                    zh=f"活动定义文件不能导入：{err.message_zh}",
                    en=f"campaign file refused: {err.message_en}",
                ) from None
            if args.default:
                ctx.campaigns.set_default(c.id)
            out.say(f"已导入活动 {c.id}：{c.title}", f"imported campaign {c.id}: {c.title}")
            return 0
        try:
            c = ctx.campaigns.get(args.id) if args.id else ctx.campaigns.default()
        except UnknownCampaignError as err:
            raise CliError(zh=f"没有活动 {err.campaign_id}", en=str(err)) from None
        if args.json:
            out.json(c.raw)
            return 0
        status = deadline_status(c, dt.datetime.now(dt.UTC))
        areas = "\n".join(f"  {i}. {f.name_zh}（{f.id}）" for i, f in enumerate(c.focus_areas, 1))
        districts = "、".join(d.name_zh for d in c.districts)
        out.say(
            f"{c.title}\n主题：{c.theme}\n发文单位：{c.issuer}\n"
            f"活动期间：{c.period_start} 至 {c.period_end}\n"
            f"报送截止：{c.due:%Y-%m-%d %H:%M}（{c.timezone}）；{status.text_zh()}\n"
            f"逾期处理：{'接收但标记逾期' if c.late_policy == 'warn' else '不再接收'}\n"
            f"报送对象：{c.recipient.office_full or c.recipient.office}\n"
            f"  邮箱 {c.recipient.email}  电话 {c.recipient.phone}  传真 {c.recipient.fax}\n"
            f"邮件大小上限：{c.mail_size_limit // 2**20} MB\n活动重点：\n{areas}\n区县：{districts}",
            f"{c.title_en or c.title}\nTheme: {c.theme}\nIssued by: {c.issuer}\n"
            f"Period: {c.period_start} to {c.period_end}\n"
            f"Due: {c.due:%Y-%m-%d %H:%M} ({c.timezone}); {status.text_en()}\n"
            f"Late policy: {c.late_policy}\n"
            f"Recipient: {c.recipient.office_full or c.recipient.office}\n"
            f"  e-mail {c.recipient.email}  phone {c.recipient.phone}  fax {c.recipient.fax}\n"
            f"Mail size limit: {c.mail_size_limit // 2**20} MB\nFocus areas:\n"
            + "\n".join(f"  {i}. {f.name_en} ({f.id})" for i, f in enumerate(c.focus_areas, 1))
            + f"\nDistricts: {', '.join(d.name_en or d.name_zh for d in c.districts)}",
        )
        return 0
