"""Drafting from the command line: new, list, show, set, activity, attach, caption, validate."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import Any

from qmclient.cli.base import CliError, Out, command, open_ctx, terminal_work


def _sub(ctx: Any, ref: str) -> int:
    from qmclient.services.drafts import NotFoundError, resolve

    try:
        return resolve(ctx, ref)
    except NotFoundError as err:
        raise CliError(zh=f"找不到报告 {ref}", en=str(err)) from None


def _no_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable output")


def _id_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("id", help="submission number or UUID (prefix)")


# ------------------------------------------------------------------------------ profile


def _conf_profile(p: argparse.ArgumentParser) -> None:
    for name in ("name", "kind", "district", "credit-code", "contact-person", "phone", "email"):
        p.add_argument(f"--{name}")
    p.add_argument("--json", action="store_true")


@command("profile", "show or set this installation's unit profile", _conf_profile)
def profile(args: argparse.Namespace, out: Out) -> int:
    from dataclasses import asdict

    from qmclient.core.report import Unit
    from qmclient.services.drafts import UNIT_FIELDS, get_profile, save_profile

    with open_ctx(args) as ctx:
        unit = get_profile(ctx) or Unit()
        changes = {f: getattr(args, f) for f in UNIT_FIELDS if getattr(args, f) is not None}
        if changes:
            if "district" in changes:
                d = ctx.campaigns.default().district_by_name(changes["district"])
                if d is None:
                    raise CliError(
                        zh=f"区县“{changes['district']}”不在活动区县名单中",
                        en=f"unknown district {changes['district']!r}",
                    )
                changes["district"] = d.id
            unit = Unit(**{**asdict(unit), **changes})
            save_profile(ctx, unit)
        if args.json:
            out.json(asdict(unit))
        else:
            for f in UNIT_FIELDS:
                out.say(f"{f}: {getattr(unit, f)}")
        return 0


# ------------------------------------------------------------------------------ new / list


def _conf_new(p: argparse.ArgumentParser) -> None:
    p.add_argument("--title", default="")
    p.add_argument("--campaign", help="campaign id (default: the current campaign)")


@command("new", "create a new draft report", _conf_new)
def new(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.campaigns import UnknownCampaignError
    from qmclient.services.drafts import create_draft, load_report

    with open_ctx(args) as ctx:
        try:
            sid = create_draft(ctx, campaign_id=args.campaign, title=args.title)
        except UnknownCampaignError as err:
            raise CliError(zh=f"没有活动 {err.campaign_id}", en=str(err)) from None
        report = load_report(ctx, sid)
        out.say(f"已创建草稿 {sid}（{report.uuid}）", f"created draft {sid} ({report.uuid})")
        return 0


def _conf_list(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", help="only submissions with this status")
    p.add_argument("--json", action="store_true")


@command("list", "list the reports in the store", _conf_list)
def list_(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.lifecycle import status_words
    from qmclient.services.drafts import list_submissions

    with open_ctx(args, reading=True) as ctx:
        rows = list_submissions(ctx, status=args.status)
        if args.json:
            out.json([r._asdict() for r in rows])
            return 0
        if not rows:
            out.say(
                "还没有报告；用 qmclient new 创建", "no reports yet; create one with qmclient new"
            )
        for r in rows:
            zh, en = status_words(r.status, r.export_note, r.revision)
            stamp = r.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            out.say(
                f"{r.id:>5}  {r.uuid[:8]}  第{r.revision}版  {zh:<6} {stamp}  "
                f"{r.title or '（无标题）'}  活动{r.activity_count} 图片/视频{r.media_count}",
                f"{r.id:>5}  {r.uuid[:8]}  rev {r.revision}  {en:<9} {stamp}  "
                f"{r.title or '(untitled)'}  activities {r.activity_count} media {r.media_count}",
            )
        return 0


# ------------------------------------------------------------------------------ show / set


def _conf_show(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument("--json", action="store_true", help="the report document as JSON")


@command("show", "show one report", _conf_show)
def show(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.lifecycle import status_words
    from qmclient.services.drafts import load_report, status_of
    from qmclient.services.export_record import latest

    with open_ctx(args, reading=True) as ctx:
        sid = _sub(ctx, args.id)
        report = load_report(ctx, sid)
        status, note = status_of(ctx, sid), latest(ctx, sid)
        if args.json:
            exported = None
            if note is not None:
                exported = {
                    "at": note.made_at.isoformat(),
                    "revision": note.revision,
                    "mail_count": note.mail_count,
                    "kinds": list(note.kinds),
                    "report_hash": note.report_hash,
                }
            out.json({**report.to_dict(), "status": status, "exported": exported})
            return 0
        zh, en = status_words(status, note, report.revision)
        campaign = ctx.campaigns.get(report.campaign_id)
        u = report.unit
        district = campaign.district(u.district)
        lines = [
            f"{report.title}",
            f"UUID {report.uuid}  第{report.revision}版 rev {report.revision}  {zh} / {en}  "
            f"{campaign.id}",
            f"单位 unit: {u.name} [{u.kind}] {district.name_zh if district else u.district} "
            f"{u.credit_code}",
            f"联系人 contact: {u.contact_person} {u.phone} {u.email}",
            "",
            report.summary or "（正文为空 / no summary）",
            "",
        ]
        for i, a in enumerate(report.activities, 1):
            area = campaign.focus_area(a.focus_area)
            lines.append(
                f"活动 {i}: {a.name} — {area.name_zh if area else a.focus_area} "
                f"{a.start_date or ''}~{a.end_date or ''} {a.place} {a.participants or ''}"
            )
        for i, m in enumerate(report.media, 1):
            lines.append(
                f"媒体 {i}: {m.original_name} {m.media_type} {m.size} B "
                f"{m.sha256[:12]} “{m.caption}”"
            )
        out.say("\n".join(lines))
        return 0


def _conf_set(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument(
        "assignments",
        nargs="+",
        metavar="FIELD=VALUE",
        help="title, summary, unit.name, unit.kind, unit.district, unit.credit_code, "
        "unit.contact_person, unit.phone, unit.email; VALUE @FILE reads a file, "
        "@- reads standard input",
    )


@command("set", "set fields of a report", _conf_set)
def set_(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import FieldError, load_report, update_fields

    changes: dict[str, str] = {}
    for item in args.assignments:
        key, sep, value = item.partition("=")
        if not sep:
            raise CliError(
                zh=f"“{item}”应写成 字段=值", en=f"{item!r} should be FIELD=VALUE", exit_code=2
            )
        if value.startswith("@"):
            source = value[1:]
            try:
                value = sys.stdin.read() if source == "-" else Path(source).read_text("utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise CliError(
                    zh=f"无法读取 {source}：{exc}", en=f"cannot read {source}: {exc}"
                ) from None
        changes[key.strip()] = value
    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        if changes.get("unit.district"):
            campaign = ctx.campaigns.get(load_report(ctx, sid).campaign_id)
            d = campaign.district_by_name(changes["unit.district"])
            if d is None:
                raise CliError(
                    zh=f"区县“{changes['unit.district']}”不在活动区县名单中",
                    en=f"unknown district {changes['unit.district']!r}",
                )
            changes["unit.district"] = d.id
        try:
            update_fields(ctx, sid, changes)
        except FieldError as err:
            raise CliError(zh=f"字段有误：{err}", en=str(err), exit_code=2) from None
        out.say(
            f"已保存（第{load_report(ctx, sid).revision}版）",
            f"saved (revision {load_report(ctx, sid).revision})",
        )
        return 0


# ------------------------------------------------------------------------------ activities


def _conf_activity(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = sub.add_parser("add", help="add an activity")
    _id_arg(add)
    add.add_argument("--focus", required=True, help="focus area id or number (1-7)")
    add.add_argument("--name", required=True)
    add.add_argument("--start", help="YYYY-MM-DD")
    add.add_argument("--end", help="YYYY-MM-DD")
    add.add_argument("--place", default="")
    add.add_argument("--organiser", default="")
    add.add_argument("--participants")
    add.add_argument("--description", default="")
    add.add_argument("--results", default="")
    rm = sub.add_parser("remove", help="remove an activity")
    _id_arg(rm)
    rm.add_argument("number", type=int, help="activity number as shown by `show`")


@command("activity", "add or remove activities of a report", _conf_activity)
def activity(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import FieldError, add_activity, load_report, remove_activity

    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        report = load_report(ctx, sid)
        if args.action == "remove":
            if not 1 <= args.number <= len(report.activities):
                raise CliError(zh=f"没有第 {args.number} 项活动", en=f"no activity {args.number}")
            remove_activity(ctx, report.activities[args.number - 1].id)
            out.say("已删除活动", "activity removed")
            return 0
        campaign = ctx.campaigns.get(report.campaign_id)
        focus = args.focus
        if focus.isdigit() and 1 <= int(focus) <= len(campaign.focus_areas):
            focus = campaign.focus_areas[int(focus) - 1].id
        if campaign.focus_area(focus) is None:
            choices = ", ".join(f.id for f in campaign.focus_areas)
            raise CliError(
                zh=f"活动重点“{args.focus}”不存在，可选：{choices}",
                en=f"unknown focus area {args.focus!r}; choose one of {choices}",
                exit_code=2,
            )
        try:
            add_activity(
                ctx,
                sid,
                {
                    "focus_area": focus,
                    "name": args.name,
                    "start_date": args.start,
                    "end_date": args.end,
                    "place": args.place,
                    "organiser": args.organiser,
                    "participants": args.participants,
                    "description": args.description,
                    "results": args.results,
                },
            )
        except FieldError as err:
            raise CliError(zh=f"活动信息有误：{err}", en=str(err), exit_code=2) from None
        out.say("已添加活动", "activity added")
        return 0


# ------------------------------------------------------------------------------ media


def _conf_attach(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument("files", nargs="+", type=Path, help="photos, videos or folders")
    p.add_argument("--caption", default="")
    p.add_argument("--activity", type=int, help="link to activity number N")


@command("attach", "attach photos and videos (files or folders) to a report", _conf_attach)
def attach(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import attach_files, load_report

    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        activity_id = None
        if args.activity is not None:
            acts = load_report(ctx, sid).activities
            if not 1 <= args.activity <= len(acts):
                raise CliError(
                    zh=f"没有第 {args.activity} 项活动", en=f"no activity {args.activity}"
                )
            activity_id = acts[args.activity - 1].id
        result = attach_files(
            ctx,
            sid,
            args.files,
            activity_id=activity_id,
            caption=args.caption,
            work=terminal_work(50),
        )
        if sys.stderr.isatty():
            print(file=sys.stderr)
        for m in result.added:
            out.say(
                f"已添加 {m.original_name}（{m.media_type}，{m.size} 字节）",
                f"added {m.original_name} ({m.media_type}, {m.size} bytes)",
            )
        for path, zh, en in result.skipped:
            out.say(f"{path}：{zh}", f"{path}: {en}")
        for err in result.failed:
            out.error(f"{err.path}：{err.message_zh}", f"{err.path}: {err.message_en}")
        return 1 if result.failed else 0


def _conf_caption(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument("number", type=int, help="media number as shown by `show`")
    p.add_argument("caption")


@command("caption", "set the caption of a photo or video", _conf_caption)
def caption(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import load_report, update_media

    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        media = load_report(ctx, sid).media
        if not 1 <= args.number <= len(media):
            raise CliError(
                zh=f"没有第 {args.number} 个图片/视频", en=f"no media item {args.number}"
            )
        update_media(ctx, sid, media[args.number - 1].sha256, caption=args.caption)
        out.say("已保存说明", "caption saved")
        return 0


# ------------------------------------------------------------------------------ validate


def _conf_validate(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument("--json", action="store_true")
    p.add_argument("--now", help="judge the deadline at this ISO time instead of now")


@command("validate", "check a report; exit status 1 when it has errors", _conf_validate)
def validate_(args: argparse.Namespace, out: Out) -> int:
    from qmclient.core.validation import has_errors
    from qmclient.services.drafts import validate_submission

    now = dt.datetime.now(dt.UTC)
    if args.now:
        try:
            now = dt.datetime.fromisoformat(args.now)
        except ValueError:
            raise CliError(
                zh=f"--now 的时间格式不正确：{args.now}", en=f"bad --now {args.now!r}", exit_code=2
            ) from None
        if now.tzinfo is None:
            raise CliError(
                zh="--now 需要带时区，例如 2022-09-30T12:00+08:00",
                en="--now needs a time zone, e.g. 2022-09-30T12:00+08:00",
                exit_code=2,
            )
    with open_ctx(args, reading=True) as ctx:
        sid = _sub(ctx, args.id)
        findings = validate_submission(ctx, sid, now)
        failed = has_errors(findings)
        if args.json:
            out.json({"ok": not failed, "findings": [f.to_dict() for f in findings]})
        else:
            for f in findings:
                mark = (
                    out.pick("错误", "error")
                    if f.severity == "error"
                    else out.pick("提示", "warning")
                )
                out.say(
                    f"[{mark}] {f.message_zh}  ({f.code} @ {f.path})",
                    f"[{mark}] {f.message_en}  ({f.code} @ {f.path})",
                )
            errors = sum(f.severity == "error" for f in findings)
            warnings = len(findings) - errors
            out.say(
                f"{errors} 个错误，{warnings} 个提示", f"{errors} error(s), {warnings} warning(s)"
            )
        return 1 if failed else 0


# ------------------------------------------------------------------------------ log / delete


@command("log", "show what happened to a report (audit log)", _conf_show)
def log(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import audit_log

    with open_ctx(args, reading=True) as ctx:
        events = audit_log(ctx, _sub(ctx, args.id))
        if args.json:
            out.json(
                [
                    {"at": e.at, "revision": e.revision, "action": e.action, "detail": e.detail}
                    for e in events
                ]
            )
        for e in events if not args.json else []:
            out.say(
                f"{e.at.astimezone():%Y-%m-%d %H:%M:%S}  rev {e.revision}  {e.action}  {e.detail}"
            )
        return 0


def _conf_delete(p: argparse.ArgumentParser) -> None:
    _id_arg(p)
    p.add_argument("--yes", action="store_true", help="do not ask")


@command("delete", "delete a report", _conf_delete)
def delete(args: argparse.Namespace, out: Out) -> int:
    from qmclient.services.drafts import FieldError, delete_submission

    with open_ctx(args) as ctx:
        sid = _sub(ctx, args.id)
        if not args.yes:
            answer = input(out.pick("确定删除该报告？[y/N] ", "Delete this report? [y/N] "))
            if answer.strip().lower() not in ("y", "yes", "是"):
                return 1
        try:
            delete_submission(ctx, sid)
        except FieldError as err:
            raise CliError(zh="正在报送的报告不能删除", en=str(err)) from None
        out.say("已删除", "deleted")
        return 0
