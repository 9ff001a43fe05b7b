"""The office's download and reminder commands of ``qmintake`` (parsed in ``qmintake.cli``).

qmintake archive CAMPAIGN OUT.zip [--expected ROSTER.xlsx]
qmintake report-zip UUID OUT.zip [--revision N]
qmintake smtp set --host H [--port P] [--security ssl|starttls|none] [--username U]
                  [--sender ADDR] [--per-minute N] [--password-stdin | --no-password]
qmintake smtp show
qmintake remind CAMPAIGN --roster ROSTER.xlsx [--district ID] [--send] [--batch ID]
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qmclient.core.work import Progress, Work

if TYPE_CHECKING:
    from qmclient.core.rollup import ExpectedUnit
    from qmintake.settings import IntakeState


def add_remind_parser(sub: Any) -> None:
    smtp = sub.add_parser("smtp", help="the office's mail account for reminders")
    ssub = smtp.add_subparsers(dest="smtp_command", required=True)
    sset = ssub.add_parser("set", help="set the account (the password is asked for)")
    sset.add_argument("--host", required=True)
    sset.add_argument("--port", type=int, default=465)
    sset.add_argument("--security", choices=("ssl", "starttls", "none"), default="ssl")
    sset.add_argument("--username", default="")
    sset.add_argument("--sender", default="", help="the From address (default: the username)")
    sset.add_argument("--per-minute", type=int, default=20, help="at most this many mails a minute")
    sset.add_argument("--timeout", type=float, default=60.0)
    sset.add_argument("--cafile", help="an extra CA certificate to trust (PEM)")
    pw = sset.add_mutually_exclusive_group()
    pw.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    pw.add_argument("--no-password", action="store_true", help="keep the password stored before")
    ssub.add_parser("show", help="show the account (never the password)")

    remind = sub.add_parser("remind", help="preview or send reminders to units not reported")
    remind.add_argument("campaign")
    remind.add_argument("--roster", type=Path, required=True)
    remind.add_argument("--district", default="", help="only this district's units (id)")
    remind.add_argument("--send", action="store_true", help="send (default: only preview)")
    remind.add_argument("--batch", default="", help="resume this batch (the id printed before)")


def run_office(
    st: IntakeState, args: argparse.Namespace, expected: Sequence[ExpectedUnit] | None
) -> int:
    if args.command == "archive":
        from qmintake.office.archive import write_archive

        work = Work(_printer("archive"))
        archive = write_archive(st, args.campaign, args.out, expected, work)
        print(f"\n{archive.submissions} submission(s), {archive.size} bytes written to {args.out}")
        for m in archive.missing:
            print(f"qmintake: not received yet, left out: {m['path']}", file=sys.stderr)
        return 0
    if args.command == "report-zip":
        from qmintake.office.reportzip import write_report_zip

        args.out.parent.mkdir(parents=True, exist_ok=True)
        tmp = args.out.with_name(args.out.name + ".part")
        try:
            with tmp.open("wb") as f:
                write_report_zip(st, args.uuid, f, args.revision)
            tmp.replace(args.out)
        finally:
            tmp.unlink(missing_ok=True)
        print(f"written to {args.out}")
        return 0
    if args.command == "smtp":
        return _smtp(st, args)
    return _remind(st, args)


def _printer(what: str):  # type: ignore[no-untyped-def]
    last = [-1]

    def show(p: Progress) -> None:
        pct = int(100 * (p.fraction or 0))
        if pct != last[0]:
            last[0] = pct
            print(f"\r{what}: {pct}%", end="", file=sys.stderr, flush=True)

    return show


def _smtp(st: IntakeState, args: argparse.Namespace) -> int:
    from qmclient.export.smtp import SmtpSettings
    from qmintake.office.smtpaccount import load_account, save_account

    if args.smtp_command == "show":
        loaded = load_account(st)
        if loaded is None:
            print("no mail account set (qmintake smtp set …)")
            return 1
        for k, v in loaded[0].public().items():
            print(f"{k}: {v}")
        return 0
    settings = SmtpSettings(
        args.host, args.port, args.security, args.username, args.sender, args.timeout, args.cafile
    )
    password: str | None
    if args.no_password:
        password = None
    elif args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("mail password (授权码): ")
    account = save_account(st, settings, password, args.per_minute)
    state = "set" if account.password_set else "none"
    print(
        f"mail account saved: {settings.from_addr} via {args.host}:{args.port} (password: {state})"
    )
    return 0


def _remind(st: IntakeState, args: argparse.Namespace) -> int:
    from qmclient.export.expected_units import read_expected_units
    from qmintake.office.reminders import (
        new_batch_id,
        not_yet_reported,
        preview,
        send_batch,
        targets_from_roster,
    )

    names = {d.name_zh: d.id for s in st.campaigns.all() for d in s.campaign.districts}
    roster = read_expected_units(args.roster, names)
    targets = targets_from_roster(not_yet_reported(st, args.campaign, roster, args.district))
    if not args.send:
        for d in preview(st, args.campaign, targets):
            print(f"— {d.target.name} <{d.target.email or '没有邮箱'}>\n  {d.subject}")
        print(f"\n{len(targets)} unit(s) not reported; add --send to send (--batch to resume)")
        if targets:
            print(preview(st, args.campaign, targets[:1])[0].body)
        return 0
    batch = args.batch or new_batch_id()
    print(f"batch {batch} (to resume: --batch {batch})")
    result = send_batch(st, args.campaign, targets, batch, Work(_printer("reminders")))
    print(f"\nsent {len(result.sent)}, sent before {len(result.already_sent)}")
    for n in result.not_sent:
        print(f"NOT SENT\t{n.target.name}\t{n.zh}\t{n.en}")
    for n in result.uncertain:
        print(f"UNKNOWN\t{n.target.name}\t{n.zh}\t{n.en}")
    return 0 if not result.not_sent and not result.uncertain else 3
