"""The office's commands for the console's data: accounts, campaigns, the roster.

qmintake user add NAME --role admin|reviewer|viewer [--password-stdin]
qmintake user list | qmintake user password NAME [--password-stdin]
qmintake campaign import FILE [--prefix JN2022] | qmintake campaign list
qmintake roster import CAMPAIGN FILE [--dry-run]
"""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path
from typing import Any

COMMANDS = ("user", "campaign", "roster")


def add_parsers(sub: Any) -> None:
    user = sub.add_parser("user", help="office accounts of the console")
    usub = user.add_subparsers(dest="user_command", required=True)
    add = usub.add_parser("add", help="add an account (the password is asked for)")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=("admin", "reviewer", "viewer"))
    add.add_argument("--password-stdin", action="store_true", help="read it from stdin")
    usub.add_parser("list")
    pw = usub.add_parser("password", help="set an account's password and unlock it")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")

    camp = sub.add_parser("campaign", help="campaigns stored in the database")
    csub = camp.add_subparsers(dest="campaign_command", required=True)
    imp = csub.add_parser("import", help="store (or update) a campaign file")
    imp.add_argument("file", type=Path)
    imp.add_argument("--prefix", default="", help="receipt number prefix (default e.g. JN2022)")
    csub.add_parser("list")

    ros = sub.add_parser("roster", help="the roster of units expected to report")
    rsub = ros.add_subparsers(dest="roster_command", required=True)
    rimp = rsub.add_parser("import", help="import an .xlsx or .csv roster")
    rimp.add_argument("campaign")
    rimp.add_argument("file", type=Path)
    rimp.add_argument("--dry-run", action="store_true", help="check only; store nothing")


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise SystemExit("qmintake: the two passwords differ")
    return first


def run(st: Any, args: argparse.Namespace) -> int:
    from qmclient.core.work import QmError

    try:
        if args.command == "user":
            return _user(st, args)
        if args.command == "campaign":
            return _campaign(st, args)
        return _roster(st, args)
    except QmError as exc:
        print(f"qmintake: {exc.message('en')}\n          {exc.message('zh')}", file=sys.stderr)
        return 2


def _user(st: Any, args: argparse.Namespace) -> int:
    from qmintake.console import accounts

    who = f"cli:{getpass.getuser()}"
    if args.user_command == "add":
        user = accounts.add_user(st.db, args.name, args.role, _password(args), by=who)
        print(f"account {user.name} ({user.role}) added")
        return 0
    if args.user_command == "password":
        accounts.set_password(st.db, args.name, _password(args), by=who)
        print(f"password of {args.name} set; the account is unlocked")
        return 0
    for u in accounts.list_users(st.db):
        locked = " locked" if u.locked_until and u.locked_until > st.now() else ""
        print(f"{u.name}\t{u.role}{locked}")
    return 0


def _campaign(st: Any, args: argparse.Namespace) -> int:
    from qmclient.core.campaign import CampaignError
    from qmintake.campaigns import read_campaign_text, store_campaign
    from qmintake.console.accounts import audit

    if args.campaign_command == "import":
        try:
            campaign, text = read_campaign_text(args.file.read_bytes(), str(args.file))
        except OSError as exc:
            print(f"qmintake: {args.file}: {exc.strerror}", file=sys.stderr)
            return 2
        except CampaignError as exc:
            print(f"qmintake: campaign file: {exc}", file=sys.stderr)
            return 2
        who = f"cli:{getpass.getuser()}"
        changed = store_campaign(
            st.db, campaign, text, args.file.name, args.prefix.strip().upper(), who
        )
        audit(st.db, who, "campaign-import", campaign.id, args.file.name)
        served = st.reload_campaigns().get(campaign.id)
        state = "stored" if changed else "unchanged"
        print(f"campaign {campaign.id} {state} (receipt numbers {served.prefix}-000001, …)")
        return 0
    for s in st.campaigns.all():
        print(f"{s.campaign.id}\t{s.prefix}\t{s.campaign.due.isoformat()}\t{s.campaign.title}")
    return 0


def _roster(st: Any, args: argparse.Namespace) -> int:
    from qmintake import roster
    from qmintake.console.accounts import audit

    served = st.campaigns.get(args.campaign)
    if served is None:
        print(f"qmintake: there is no campaign {args.campaign!r}", file=sys.stderr)
        return 2
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(f"qmintake: {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    preview = roster.read_roster(data, args.file.name, served.campaign)
    for p in preview.problems:
        print(f"row {p.row}: {p.en} / {p.zh}", file=sys.stderr)
    good = preview.good_lines
    if args.dry_run:
        print(f"{len(good)} good row(s), {len(preview.bad_rows)} with problems (nothing stored)")
        return 0 if not preview.problems else 1
    added, updated = roster.apply_roster(st.db, served.campaign.id, good)
    who = f"cli:{getpass.getuser()}"
    audit(st.db, who, "roster-import", served.campaign.id, f"{args.file.name}: {added} added")
    print(
        f"{added} unit(s) added, {updated} updated, {len(preview.bad_rows)} row(s) skipped "
        "for problems"
    )
    return 0 if not preview.problems else 1
