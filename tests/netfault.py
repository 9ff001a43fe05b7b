"""A fault-injecting TCP proxy for tests: cuts, resets and stalls real connections.

``FaultProxy(target_port)`` listens on 127.0.0.1 port 0 and forwards every connection to
the target.  For each new connection it draws a :class:`Fault` from its :class:`FaultPlan`
(seeded, so a failing run can be replayed) and applies it when the connection has carried
the drawn number of bytes in the drawn direction:

- ``cut``: both sides are closed cleanly (FIN), as when a Wi-Fi drops;
- ``reset``: both sides are reset (RST, ``SO_LINGER`` 0), as when a NAT forgets the flow;
- ``stall``: forwarding stops for ``stall_s`` seconds, then the connection is closed, as a
  server that accepts and never answers;
- ``corrupt``: one byte is flipped in passing and the connection goes on (a bad NIC or
  middlebox), which only checksums can notice;
- ``answer``: the proxy answers the request itself with canned HTTP bytes (a ``429`` with
  ``Retry-After``, a ``503``, a captive portal's ``200`` HTML page) and closes;
- ``hang``: nothing passes any more, either way, and nobody is told (no FIN, no RST): a
  laptop lid closed mid-upload, Wi-Fi gone.  The client's bytes are swallowed until it
  gives up and closes; the server's side is then held ``stall_s`` longer (standing in for
  the server's own wait for body bytes) before it is closed;
- ``slow``: the connection carries on at ``rate`` bytes per second client → server.

:func:`random_fault` draws one of these for the soak.

``rate_up`` limits the client's sending speed (a slow line).  The proxy can also be
switched off (``refuse()``: new connections are closed at once) and
on again.  ``stats`` counts connections, bytes and the faults applied.  Reusable by any
test that needs a bad network between a client and a real server.
"""

from __future__ import annotations

import contextlib
import random
import selectors
import socket
import struct
import threading
import time
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Fault:
    kind: str  # "none" | "cut" | "reset" | "stall" | "corrupt" | "answer" | "hang" | "slow"
    direction: str = "up"  # "up": client → server bytes counted; "down": server → client
    at_byte: int = 0
    stall_s: float = 0.0
    response: bytes = b""  # for "answer": raw HTTP bytes sent instead of the server's
    rate: float = 0.0  # for "slow": bytes per second client → server
    label: str = ""  # what the soak counts it as ("503", "429", …); the kind when empty


SOAK_KINDS = ("cut", "reset", "hang", "slow", "503", "429")


def random_fault(rng: random.Random, max_offset: int, kinds: tuple[str, ...] = SOAK_KINDS) -> Fault:
    """One fault of ``kinds`` at a uniform offset of the client's bytes below ``max_offset``
    (cuts and resets also in the server's answer, a third of the time)."""
    kind = rng.choice(kinds)
    at = rng.randrange(0, max(1, max_offset))
    if kind in ("503", "429"):
        status, reason = (
            (503, "Service Unavailable") if kind == "503" else (429, "Too Many Requests")
        )
        body = b'{"code":"busy","title":"busy"}'
        answer = http_answer(
            status, reason, {"Retry-After": "1", "Content-Type": "application/problem+json"}, body
        )
        return Fault("answer", "up", max(1, at), response=answer.response, label=kind)
    if kind == "slow":
        return Fault("slow", "up", 0, rate=rng.choice((2, 4, 8)) * 1024 * 1024, label=kind)
    if kind in ("cut", "reset") and rng.random() < 1 / 3:
        return Fault(kind, "down", rng.randrange(0, 2048))
    return Fault(kind, "up", at, stall_s=0.5)


def http_answer(status: int, reason: str, headers: dict[str, str], body: bytes = b"") -> Fault:
    """A fault that answers the first request itself (429, 503, a captive portal page)."""
    head = f"HTTP/1.1 {status} {reason}\r\n"
    all_headers = {**headers, "Content-Length": str(len(body)), "Connection": "close"}
    head += "".join(f"{k}: {v}\r\n" for k, v in all_headers.items())
    return Fault("answer", "up", 1, response=head.encode("latin-1") + b"\r\n" + body)


@dataclass
class FaultPlan:
    """How faults are drawn for each new connection."""

    p_cut: float = 0.0
    p_reset: float = 0.0
    p_stall: float = 0.0
    max_offset: int = 64 * 1024 * 1024  # a fault hits at a uniform byte offset below this
    # With mean_bytes set, every connection gets a fault (kinds weighted by p_cut, p_reset,
    # p_stall) at an exponentially distributed offset: long keep-alive connections are hit
    # about once per mean_bytes, as on a flaky line.
    mean_bytes: int | None = None
    p_down: float = 0.3  # share of faults that count the server's answer bytes instead
    stall_s: float = 5.0
    faults_left: int | None = None  # stop injecting after this many faults
    only: list[Fault] = field(default_factory=list)  # explicit faults, in order, first

    def draw(self, rng: random.Random) -> Fault:
        if self.only:
            return self.only.pop(0)
        if self.faults_left is not None and self.faults_left <= 0:
            return Fault("none")
        if self.mean_bytes:
            weights = [self.p_cut, self.p_reset, self.p_stall]
            kind = rng.choices(["cut", "reset", "stall"], weights)[0]
            if self.faults_left is not None:
                self.faults_left -= 1
            if rng.random() < self.p_down:
                return Fault(kind, "down", rng.randrange(0, 4096), self.stall_s)
            return Fault(kind, "up", int(rng.expovariate(1 / self.mean_bytes)), self.stall_s)
        r = rng.random()
        kind = "none"
        if r < self.p_cut:
            kind = "cut"
        elif r < self.p_cut + self.p_reset:
            kind = "reset"
        elif r < self.p_cut + self.p_reset + self.p_stall:
            kind = "stall"
        if kind == "none":
            return Fault("none")
        if self.faults_left is not None:
            self.faults_left -= 1
        direction = "down" if rng.random() < self.p_down else "up"
        at = rng.randrange(0, 2048 if direction == "down" else max(1, self.max_offset))
        return Fault(kind, direction, at, self.stall_s)


@dataclass
class ProxyStats:
    connections: int = 0
    bytes_up: int = 0
    bytes_down: int = 0
    faults: dict[str, int] = field(default_factory=dict)


class FaultProxy:
    def __init__(
        self,
        target_port: int,
        target_host: str = "127.0.0.1",
        plan: FaultPlan | None = None,
        seed: int = 0,
    ) -> None:
        self.target = (target_host, target_port)
        self.plan = plan or FaultPlan()
        self.rate_up: float | None = None  # bytes per second client → server, None: no limit
        self.rng = random.Random(seed)
        self.stats = ProxyStats()
        self._lock = threading.Lock()
        self._refusing = False
        self._closing = threading.Event()
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._open: set[socket.socket] = set()
        self._accept = threading.Thread(target=self._accept_loop, daemon=True)
        self._accept.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def refuse(self, on: bool = True) -> None:
        """While on, every new connection is closed at once (as a server that is down)."""
        self._refusing = on

    def set_plan(self, plan: FaultPlan) -> None:
        with self._lock:
            self.plan = plan

    def close(self) -> None:
        self._closing.set()
        with contextlib.suppress(OSError):  # wake the accept() call up
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self._listener.close()
        with self._lock:
            for s in list(self._open):
                _close(s)
        for t in list(self._threads):
            t.join(timeout=5)
        self._accept.join(timeout=5)

    def __enter__(self) -> FaultProxy:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------ internals

    def _accept_loop(self) -> None:
        while not self._closing.is_set():
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            if self._closing.is_set():
                _close(client)
                return
            if self._refusing:
                _reset(client)
                continue
            with self._lock:
                fault = self.plan.draw(self.rng)
                self.stats.connections += 1
            t = threading.Thread(target=self._serve, args=(client, fault), daemon=True)
            t.start()
            self._threads = [x for x in self._threads if x.is_alive()]
            self._threads.append(t)

    def _count_fault(self, kind: str) -> None:
        with self._lock:
            self.stats.faults[kind] = self.stats.faults.get(kind, 0) + 1

    def _serve(self, client: socket.socket, fault: Fault) -> None:
        try:
            server = socket.create_connection(self.target, timeout=10)
        except OSError:
            _reset(client)
            return
        for s in (client, server):
            s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            s.setblocking(False)
        with self._lock:
            self._open.update((client, server))
        counted = {"up": 0, "down": 0}
        rate_up = fault.rate if fault.kind == "slow" else None
        if fault.kind == "slow":
            self._count_fault("slow")
            fault = Fault("none")
        started = time.monotonic()
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ, ("up", server))
        sel.register(server, selectors.EVENT_READ, ("down", client))
        try:
            while not self._closing.is_set():
                events = sel.select(timeout=0.5)
                for key, _ in events:
                    direction, dest = key.data
                    src = key.fileobj
                    assert isinstance(src, socket.socket)
                    try:
                        data = src.recv(256 * 1024)
                    except BlockingIOError:
                        continue
                    except OSError:
                        return
                    if not data:
                        # half-close: pass the FIN on, then finish when both are done
                        with contextlib.suppress(OSError):
                            dest.shutdown(socket.SHUT_WR)
                        sel.unregister(src)
                        if not sel.get_map():
                            return
                        continue
                    if fault.kind == "corrupt" and fault.direction == direction:
                        at = fault.at_byte - counted[direction]
                        if 0 <= at < len(data):
                            data = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1 :]
                            self._count_fault("corrupt")
                            fault = Fault("none")
                    elif fault.kind != "none" and fault.direction == direction:
                        room = fault.at_byte - counted[direction]
                        if room <= len(data):
                            if room > 0:
                                _send_all(dest, data[:room])
                                self._add_bytes(direction, room)
                            self._apply(fault, client, server)
                            return
                    counted[direction] += len(data)
                    self._add_bytes(direction, len(data))
                    if not _send_all(dest, data):
                        return
                    rate = rate_up or self.rate_up
                    if rate and direction == "up":
                        ahead = counted["up"] / rate - (time.monotonic() - started)
                        if ahead > 0 and self._closing.wait(ahead):
                            return
        finally:
            sel.close()
            for s in (client, server):
                _close(s)
            with self._lock:
                self._open.discard(client)
                self._open.discard(server)

    def _add_bytes(self, direction: str, n: int) -> None:
        with self._lock:
            if direction == "up":
                self.stats.bytes_up += n
            else:
                self.stats.bytes_down += n

    def _apply(self, fault: Fault, client: socket.socket, server: socket.socket) -> None:
        self._count_fault(fault.label or fault.kind)
        if fault.kind == "hang":
            self._swallow_until_closed(client)
            self._closing.wait(fault.stall_s)
            _close(client)
            _close(server)
        elif fault.kind == "stall":
            self._closing.wait(fault.stall_s)
            _close(client)
            _close(server)
        elif fault.kind == "answer":
            client.setblocking(True)
            try:
                client.settimeout(0.2)
                while client.recv(1 << 20):  # let the request body arrive, up to a pause
                    pass
            except OSError:
                pass
            client.setblocking(False)
            _send_all(client, fault.response)
            _close(client)
            _close(server)
        elif fault.kind == "reset":
            _reset(client)
            _reset(server)
        else:
            _close(client)
            _close(server)

    def _swallow_until_closed(self, client: socket.socket, limit_s: float = 300.0) -> None:
        """Read and drop what the client sends, answer nothing, until it closes."""
        sel = selectors.DefaultSelector()
        sel.register(client, selectors.EVENT_READ)
        deadline = time.monotonic() + limit_s
        try:
            while not self._closing.is_set() and time.monotonic() < deadline:
                if not sel.select(timeout=0.2):
                    continue
                try:
                    if not client.recv(256 * 1024):
                        return
                except BlockingIOError:
                    continue
                except OSError:
                    return
        finally:
            sel.close()


def _send_all(sock: socket.socket, data: bytes) -> bool:
    view = memoryview(data)
    sel = selectors.DefaultSelector()
    sel.register(sock, selectors.EVENT_WRITE)
    try:
        while view:
            try:
                n = sock.send(view)
                view = view[n:]
            except BlockingIOError:
                if not sel.select(timeout=30):
                    return False
            except OSError:
                return False
        return True
    finally:
        sel.close()


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()


def _reset(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    with contextlib.suppress(OSError):
        sock.close()
