"""One writer per upload across processes and replicas: a lease row in the database.

A lease is a row ``(name, holder, expires_at)``.  Taking it inserts the row, or takes over
a row whose holder let it expire (a replica killed, a request that hung); renewing moves
the expiry on and fails once someone else took it over; releasing deletes it.  Every step
is one statement on the shared database, so it holds on SQLite (one process, ``BEGIN
IMMEDIATE``) and on PostgreSQL (row locks) alike, and needs no ``flock`` on a shared
folder.  Replicas compare expiry times with their own clocks: keep them in sync (NTP).

A holder is ``<node>/<random>``; the node is the server's host and port
(:func:`node_name`), so a server restarted on the same address drops the leases its dead
predecessor held (:func:`drop_node_leases`) instead of waiting for them to expire.
"""

from __future__ import annotations

import datetime as dt
import socket
import threading
import time
import uuid
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, bindparam, delete, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from qmintake.db import Database
from qmintake.models import LeaseRow, utcnow

# the statements, built once: a lease is looked at several times per upload
_INSERT = insert(LeaseRow)
_TAKE_OVER = (
    update(LeaseRow)
    .where(LeaseRow.name == bindparam("lease"), LeaseRow.expires_at < bindparam("now"))
    .values(holder=bindparam("who"), expires_at=bindparam("until"))
)
_RENEW = (
    update(LeaseRow)
    .where(LeaseRow.name == bindparam("lease"), LeaseRow.holder == bindparam("who"))
    .values(expires_at=bindparam("until"))
)
_RELEASE = delete(LeaseRow).where(
    LeaseRow.name == bindparam("lease"), LeaseRow.holder == bindparam("who")
)


def _count(conn: Connection | Session, statement: Any, params: dict[str, Any] | None = None) -> int:
    """Run an UPDATE or DELETE; how many rows it touched."""
    result = cast("CursorResult[Any]", conn.execute(statement, params))
    return int(result.rowcount)


def node_name(host: str, port: int) -> str:
    return f"{socket.gethostname()}:{host}:{port}"[:60]


def drop_node_leases(db: Database, node: str) -> int:
    """Forget the leases of an earlier process of this node (it is gone: we hold its port)."""
    with db.session() as s:
        return _count(s, delete(LeaseRow).where(LeaseRow.holder.startswith(node + "/")))


class LeaseLost(Exception):
    """Another holder took the lease over: stop writing at once."""


class Lease:
    def __init__(self, db: Database, name: str, ttl_s: float, node: str) -> None:
        self.db = db
        self.name = name[:100]
        self.ttl = dt.timedelta(seconds=ttl_s)
        self.holder = f"{node}/{uuid.uuid4().hex[:16]}"
        self._renewed = 0.0
        self._lock = threading.Lock()
        self.held = False  # taken and not released

    def _row(self, now: dt.datetime) -> dict[str, Any]:
        return {"name": self.name, "holder": self.holder, "expires_at": now + self.ttl}

    def take_in(self, conn: Connection | Session) -> None:
        """Take a lease nobody can hold yet (a name just made, e.g. a new upload's) in
        the caller's transaction: held once that commits."""
        conn.execute(_INSERT, self._row(utcnow()))
        self._renewed = time.monotonic()
        self.held = True

    def take(self) -> bool:
        """Take the lease; False when someone else holds it (and it has not expired)."""
        now = utcnow()
        try:
            with self.db.begin() as conn:
                conn.execute(_INSERT, self._row(now))
        except IntegrityError:
            with self.db.begin() as conn:
                taken = _count(
                    conn,
                    _TAKE_OVER,
                    {
                        "lease": self.name,
                        "now": now,
                        "who": self.holder,
                        "until": now + self.ttl,
                    },
                )
            if taken != 1:
                return False
        self._renewed = time.monotonic()
        self.held = True
        return True

    def renew(self) -> None:
        """Move the expiry on; raises :class:`LeaseLost` when it was taken over."""
        with self._lock:
            with self.db.begin() as conn:
                kept = _count(
                    conn,
                    _RENEW,
                    {"lease": self.name, "who": self.holder, "until": utcnow() + self.ttl},
                )
            if kept != 1:
                raise LeaseLost(self.name)
            self._renewed = time.monotonic()

    def renew_if_due(self) -> None:
        """Renew when a third of the time to live has passed (cheap to call often)."""
        if time.monotonic() - self._renewed >= self.ttl.total_seconds() / 3:
            self.renew()

    def release(self) -> None:
        with self.db.begin() as conn:
            self.release_in(conn)
        self.held = False

    def release_in(self, conn: Connection | Session) -> None:
        """Release in the caller's transaction (with the step that ends the work); set
        :attr:`held` to False once that commits."""
        conn.execute(_RELEASE, {"lease": self.name, "who": self.holder})
