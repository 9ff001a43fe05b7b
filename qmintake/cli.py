"""``qmintake``: run the intake server and do the office's chores from the command line.

    qmintake serve [--host H] [--port P]           run the server (port 0: any free port)
    qmintake migrate                                create or upgrade the database
    qmintake token issue --name N --kind K [--district D] [--credit-code C]
    qmintake token list | qmintake token revoke UNIT_ID
    qmintake submissions [--campaign C] [--json]    what has been received
    qmintake return UUID --comment TEXT             send back for revision
    qmintake accept UUID
    qmintake show UUID [--revision N]               status, receipts and the report (JSON)
    qmintake files UUID DIR [--revision N]          copy its photos and videos to DIR
    qmintake export OUT.xlsx [--campaign C] [--expected ROSTER.xlsx]   the Excel roll-up
    qmintake archive CAMPAIGN OUT.zip [--expected ROSTER.xlsx]   the whole campaign, one zip
    qmintake report-zip UUID OUT.zip [--revision N]  one report: Word, Excel, media
    qmintake smtp set|show                          the office's mail account (for reminders)
    qmintake remind CAMPAIGN --roster R.xlsx [--district D] [--send]   preview/send reminders
    qmintake user add NAME --role admin|reviewer|viewer   an office account of the console
    qmintake campaign import FILE | campaign list   campaigns are kept in the database
    qmintake roster import CAMPAIGN FILE            the units expected to report
    qmintake sweep                                  remove expired unfinished uploads
    qmintake check                                  every recorded file is in the media store
    qmintake openapi                                print the OpenAPI description

Every command takes ``--data-dir`` (or ``$QMINTAKE_DATA_DIR``) and ``--db-url`` (or
``$QMINTAKE_DB_URL``; default SQLite in the data folder) and ``--campaign-file`` (any
number; stored in the database, so later commands need not repeat it; with none stored,
the campaigns bundled with qmclient).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import socket
import sys
from pathlib import Path

from qmintake import __version__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="qmintake", description="qmintake — 质量月报送接收服务")
    p.add_argument("--version", action="version", version=f"qmintake {__version__}")
    p.add_argument("--data-dir", type=Path, default=os.environ.get("QMINTAKE_DATA_DIR"))
    p.add_argument("--db-url", default=os.environ.get("QMINTAKE_DB_URL", ""))
    p.add_argument("--campaign-file", type=Path, action="append", default=[])
    p.add_argument(
        "--receipt-prefix",
        action="append",
        default=[],
        metavar="CAMPAIGN=PREFIX",
        help="receipt number prefix of a campaign (default from its id and year, e.g. JN2022)",
    )
    p.add_argument("--max-upload-bytes", type=int, default=4 * 1024**3)
    p.add_argument("--upload-expiry-hours", type=float, default=24.0)
    p.add_argument(
        "--tus-endpoint",
        default=os.environ.get("QMINTAKE_TUS_ENDPOINT", ""),
        help="URL of a standard tus server taking the uploads (announced in discovery)",
    )
    p.add_argument(
        "--hook-secret",
        default=os.environ.get("QMINTAKE_HOOK_SECRET", ""),
        help="enables /api/v1/hooks/tusd for that tus server (call it with ?secret=…)",
    )
    p.add_argument("--tus-store-dir", type=Path, help="that tus server's file store folder")
    p.add_argument(
        "--media-store",
        default=os.environ.get("QMINTAKE_MEDIA_STORE", ""),
        help="s3://bucket/prefix keeps photos and videos in an S3-compatible object store "
        "(credentials and region from the usual AWS variables or files); default: DATA_DIR",
    )
    p.add_argument(
        "--s3-endpoint",
        default=os.environ.get("QMINTAKE_S3_ENDPOINT", ""),
        help="the object store's URL (default $AWS_ENDPOINT_URL, else AWS)",
    )
    p.add_argument(
        "--body-timeout",
        type=float,
        default=60.0,
        help="seconds to wait for the next bytes of a request body before ending it",
    )
    p.add_argument(
        "--lease-seconds",
        type=float,
        default=30.0,
        help="an upload's writer lease; a replica that died is taken over after this",
    )
    p.add_argument(
        "--receipt-key",
        type=Path,
        help="Ed25519 key (PEM) that signs receipts (default: DATA_DIR/receipt-signing.key)",
    )
    sub = p.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="run the server")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8600)
    serve.add_argument("--log-level", default="warning")
    serve.add_argument("--proxy-headers", action="store_true", help="trust X-Forwarded-*")
    serve.add_argument(
        "--behind-tls", action="store_true", help="a TLS proxy is in front: Secure cookies"
    )

    sub.add_parser("migrate", help="create or upgrade the database")

    token = sub.add_parser("token", help="issue, list and revoke unit tokens")
    tsub = token.add_subparsers(dest="token_command", required=True)
    issue = tsub.add_parser("issue")
    issue.add_argument("--name", required=True)
    issue.add_argument("--kind", required=True, choices=("department", "district", "enterprise"))
    issue.add_argument("--district", default="")
    issue.add_argument("--credit-code", default="")
    issue.add_argument("--label", default="")
    issue.add_argument("--json", action="store_true")
    tsub.add_parser("list")
    revoke = tsub.add_parser("revoke")
    revoke.add_argument("unit_id", type=int)

    subs = sub.add_parser("submissions", help="list what has been received")
    subs.add_argument("--campaign")
    subs.add_argument("--json", action="store_true")

    ret = sub.add_parser("return", help="return a received submission for revision")
    ret.add_argument("uuid")
    ret.add_argument("--comment", required=True)
    acc = sub.add_parser("accept", help="accept a received submission")
    acc.add_argument("uuid")

    show = sub.add_parser("show", help="print a submission: status, receipts and its report")
    show.add_argument("uuid")
    show.add_argument("--revision", type=int, help="default: the newest")
    files = sub.add_parser("files", help="copy a submission's photos and videos to a folder")
    files.add_argument("uuid")
    files.add_argument("out", type=Path)
    files.add_argument("--revision", type=int, help="default: the newest")

    exp = sub.add_parser("export", help="export everything received to an Excel roll-up")
    exp.add_argument("out", type=Path)
    exp.add_argument("--campaign")
    exp.add_argument("--expected", type=Path, help="the roster (.xlsx): fills the 未报送单位 sheet")

    arc = sub.add_parser("archive", help="the whole campaign as one zip (folders, manifest)")
    arc.add_argument("campaign")
    arc.add_argument("out", type=Path)
    arc.add_argument("--expected", type=Path, help="the roster (.xlsx) for the roll-up")
    rzip = sub.add_parser("report-zip", help="one received report as a zip (Word, Excel, media)")
    rzip.add_argument("uuid")
    rzip.add_argument("out", type=Path)
    rzip.add_argument("--revision", type=int, help="default: the newest received")
    from qmintake.office.cli import add_remind_parser

    add_remind_parser(sub)

    from qmintake import officecli

    officecli.add_parsers(sub)  # user, campaign, roster
    sub.add_parser("sweep", help="remove expired unfinished uploads")
    sub.add_parser("check", help="check that every recorded file is in the media store")
    sub.add_parser("openapi", help="print the OpenAPI description (JSON)")
    return p


def _settings(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from qmintake.settings import Settings

    if args.data_dir is None:
        from platformdirs import user_data_dir

        args.data_dir = Path(user_data_dir("qmintake", appauthor=False))
    prefixes = {}
    for item in args.receipt_prefix:
        cid, _, prefix = item.partition("=")
        if not cid or not prefix:
            raise SystemExit(f"--receipt-prefix {item!r}: expected CAMPAIGN=PREFIX")
        prefixes[cid] = prefix
    return Settings(
        data_dir=args.data_dir,
        db_url=args.db_url,
        campaign_files=tuple(args.campaign_file),
        max_upload_bytes=args.max_upload_bytes,
        upload_expiry=dt.timedelta(hours=args.upload_expiry_hours),
        receipt_prefixes=prefixes,
        tus_endpoint=args.tus_endpoint,
        hook_secret=args.hook_secret,
        tus_store_dir=args.tus_store_dir,
        receipt_key=args.receipt_key,
        media_store=args.media_store,
        s3_endpoint=args.s3_endpoint,
        body_timeout_s=args.body_timeout,
        lease_ttl_s=args.lease_seconds,
        behind_tls=getattr(args, "behind_tls", False),
    )


def _state(args: argparse.Namespace, *, serving: bool = False):  # type: ignore[no-untyped-def]
    from qmintake.db import SCHEMA_HEAD, migrate, migrate_apart, schema_revision
    from qmintake.settings import IntakeState

    st = IntakeState(_settings(args))
    if schema_revision(st.db.engine) != SCHEMA_HEAD:
        if serving:  # the server does not keep Alembic in memory for a one-off step
            migrate_apart(st.db.url)
        else:
            migrate(st.db.engine)
    st.reload_campaigns()  # stores campaign files given on the command line
    return st


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from qmintake.app import create_app
    from qmintake.media import MediaStoreError
    from qmintake.tus import sweep_expired

    st = _state(args, serving=True)
    try:
        st.blobs.check()
    except MediaStoreError as exc:
        print(f"qmintake: {exc.message_zh}\nqmintake: {exc.message_en}", file=sys.stderr)
        st.close()
        return 2
    sweep_expired(st)
    app = create_app(st.settings, st)
    sock = socket.socket(socket.AF_INET6 if ":" in args.host else socket.AF_INET)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((args.host, args.port))
    except OSError as exc:
        print(
            f"qmintake: cannot listen on {args.host}:{args.port}: {exc.strerror}", file=sys.stderr
        )
        st.close()
        return 2
    host, port = sock.getsockname()[:2]
    from qmintake.leases import drop_node_leases, node_name

    st.node = node_name(host, port)
    drop_node_leases(st.db, st.node)
    config = uvicorn.Config(
        app,
        log_level=args.log_level,
        proxy_headers=args.proxy_headers,
        timeout_keep_alive=30,
        lifespan="on",
    )
    server = uvicorn.Server(config)
    shown = f"[{host}]" if ":" in host else host
    print(f"qmintake {__version__} listening on http://{shown}:{port}", flush=True)
    server.run(sockets=[sock])
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    from qmclient.core.campaign import CampaignError
    from qmclient.core.work import QmError
    from qmclient.export.expected_units import ExpectedUnitsError
    from qmintake.media import MediaStoreError

    try:
        return _run(args)
    except MediaStoreError as exc:
        print(f"qmintake: {exc.message_zh}\nqmintake: {exc.message_en}", file=sys.stderr)
        return 2
    except CampaignError as exc:
        print(f"qmintake: campaign file: {exc}", file=sys.stderr)
        return 2
    except (QmError, ExpectedUnitsError) as exc:
        print(f"qmintake: {exc.message_zh}\nqmintake: {exc.message_en}", file=sys.stderr)
        return 1


def _run(args: argparse.Namespace) -> int:
    cmd = args.command
    if cmd == "serve":
        return _serve(args)
    if cmd == "openapi":
        from qmintake.openapi import openapi_json

        sys.stdout.write(openapi_json())
        return 0
    st = _state(args)
    try:
        if cmd == "migrate":
            print("database is up to date")
            return 0
        if cmd == "token":
            return _token(st, args)
        if cmd == "submissions":
            return _submissions(st, args)
        if cmd in ("return", "accept"):
            return _decide(st, args)
        if cmd in ("show", "files"):
            return _show(st, args)
        if cmd == "export":
            from qmintake.rollup import export_rollup

            n = export_rollup(st, args.out, args.campaign, _expected(st, args.expected))
            print(f"{n} submission(s) written to {args.out}")
            return 0
        if cmd in ("archive", "report-zip", "remind", "smtp"):
            from qmintake.office.cli import run_office

            return run_office(st, args, _expected(st, getattr(args, "expected", None)))
        if cmd in ("user", "campaign", "roster"):
            from qmintake import officecli

            return officecli.run(st, args)
        if cmd == "sweep":
            from qmintake.tus import sweep_expired

            print(f"{sweep_expired(st)} expired upload(s) removed")
            return 0
        if cmd == "check":
            from qmintake.mediacheck import check_media, print_findings

            return print_findings(check_media(st))
    finally:
        st.close()
    return 2


def _expected(st, path: Path | None):  # type: ignore[no-untyped-def]
    """The roster file's units (district names mapped to ids), or None without one."""
    if path is None:
        return None
    from qmclient.export.expected_units import read_expected_units

    names = {d.name_zh: d.id for s in st.campaigns.all() for d in s.campaign.districts}
    return read_expected_units(path, names)


def _token(st, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from qmintake.auth import issue_token, revoke_tokens
    from qmintake.models import TokenRow

    if args.token_command == "issue":
        if args.district and not any(
            s.campaign.district(args.district) for s in st.campaigns.all()
        ):
            print(f"qmintake: unknown district id {args.district!r}", file=sys.stderr)
            return 2
        try:
            token, unit = issue_token(
                st.db, args.name, args.kind, args.district, args.credit_code, args.label
            )
        except ValueError as exc:
            print(f"qmintake: {exc}", file=sys.stderr)
            return 2
        if args.json:
            print(json.dumps({"token": token, **unit.to_dict()}, ensure_ascii=False))
        else:
            print(f"unit {unit.id}: {unit.name} ({unit.kind} {unit.district})")
            print(f"token (shown once, give it to the unit): {token}")
        return 0
    if args.token_command == "revoke":
        n = revoke_tokens(st.db, args.unit_id)
        print(f"{n} token(s) of unit {args.unit_id} revoked")
        return 0 if n else 1
    with st.db.session() as s:
        for row in s.scalars(select(TokenRow).order_by(TokenRow.id)).all():
            state = "revoked" if row.revoked_at else "active"
            u = row.unit
            print(f"{row.id}\tunit {u.id}\t{u.kind}\t{u.district}\t{u.name}\t{state}")
    return 0


def _submissions(st, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from qmintake.submissions import list_submissions

    items = list_submissions(st, None, args.campaign)
    if args.json:
        print(json.dumps(items, ensure_ascii=False, indent=2))
        return 0
    for it in items:
        latest = it["revisions"][-1] if it["revisions"] else {}
        receipt = (latest.get("receipt") or {}).get("receipt_number", "-")
        print(
            f"{it['uuid']}\tr{it['latest_revision']}\t{it['status']}\t{receipt}\t"
            f"{it['unit']['kind']}\t{it['unit']['district']}\t{it['unit']['name']}"
        )
    return 0


def _show(st, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from qmintake.problems import Problem
    from qmintake.submissions import list_submissions, report_of

    found = [s for s in list_submissions(st, None) if s["uuid"] == args.uuid.lower()]
    if not found:
        print(f"qmintake: there is no submission {args.uuid}", file=sys.stderr)
        return 1
    sub = found[0]
    revision = args.revision or sub["latest_revision"]
    try:
        report = report_of(st, sub["uuid"], revision)
    except Problem as exc:
        print(f"qmintake: {exc.detail}", file=sys.stderr)
        return 1
    if args.command == "show":
        print(json.dumps({**sub, "report": report}, ensure_ascii=False, indent=2))
        return 0
    from qmintake.fileout import export_files

    written = export_files(st, report, args.out)
    for path in written:
        print(path)
    missing = len(report.get("media", [])) - len(written)
    if missing:
        print(f"qmintake: {missing} file(s) have not been received", file=sys.stderr)
    return 0


def _decide(st, args: argparse.Namespace) -> int:  # type: ignore[no-untyped-def]
    from qmintake.problems import Problem
    from qmintake.submissions import office_decision

    action = "returned" if args.command == "return" else "accepted"
    try:
        result = office_decision(st, args.uuid, action, getattr(args, "comment", "") or "")
    except Problem as exc:
        print(f"qmintake: {exc.detail}", file=sys.stderr)
        return 1
    print(f"{result['uuid']}: {result['status']}")
    return 0
