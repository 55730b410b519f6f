"""Chat fan-out on loopback: the real ASGI server, the Redis channel layer and PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_chat .venv/bin/python bench/chat_load.py \
        [--server uvicorn|daphne] [--layer pubsub|core] [--clients 500] [--rooms 50] \
        [--steady-seconds 30] [--redis-port 6392]

What it does, bounded in count and time, on 127.0.0.1 only:

1. Starts a PRIVATE redis-server (no persistence) on --redis-port and one ASGI server process
   (uvicorn or daphne) with production settings (config.settings.base), PostgreSQL and that Redis.
2. Creates bench people, rooms and real database sessions (each client sends its session cookie
   and the right Origin), replacing the previous run's bench rows.
3. Burst: every client sends one message at the same instant (the redis-py pool must hold).
4. Steady load: N clients in R rooms, one message per client every 10 s, for --steady-seconds;
   p50/p95/p99 fan-out latency (send → each member's screen), deliveries missed live, and missed
   after a final resume (the protocol's guarantee).
5. Sustained ceiling: in one 50-member room, steps the offered rate up by 1.2x until a step
   loses a message or its p99 passes 250 ms, twice running (a failing step is repeated once, so
   one hiccup of a shared machine does not end the search); the last good step's deliveries/s is
   `sustained`. The same search runs against a bare broadcast consumer (join group, re-broadcast;
   no auth, no database) served by the same server on the same channel layer: `bare_sustained`.
   The two searches take turns, step by step (chat, bare, chat, bare, ...), so both meet the
   machine as it is at that minute.
   The server process's CPU time (utime + stime from /proc) over the last good step, divided by
   the deliveries it made, is `cpu_ms_per_delivery` (`bare_cpu_ms_per_delivery` for the bare
   consumer): what one delivered message costs the server, less noisy than a ceiling on a
   shared machine.

The server runs with the per-member rate limit raised (CHAT_RATE_*) so the ceiling measures the
pipeline, not the flood limit. The last line is the summary.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SECRET = "bench-only-" + secrets.token_urlsafe(40)
P99_LIMIT_MS = 250.0
REFUSED_HANDSHAKES: list[str] = []  # handshakes the server answered with an error (retried)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_port(port: int, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"process for port {port} exited ({process.returncode})")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"nothing listening on {port}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (all its threads), from /proc."""
    try:
        # The command name (field 2) may hold spaces: count fields after its closing parenthesis.
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    utime, stime = int(fields[11]), int(fields[12])
    return (utime + stime) / os.sysconf("SC_CLK_TCK")


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return 0.0
    return 0.0


def stamp(ns: int) -> str:
    """The send time in a message body, as the filters will never read it: hex in threes with a
    "g" between ("t1a2g3b4g..."). Plain hex once held a post as a phone number (contact details
    held for a moderator, so lost to the members): once the clock's hex began with 7 and its first
    ten characters were digits, "t75490696811" read as a UK mobile without its 0."""
    digits = f"{ns:x}"
    return "t" + "g".join(digits[i : i + 3] for i in range(0, len(digits), 3))


def read_stamp(body: str) -> int:
    return int(body.rsplit(" t", 1)[-1].replace("g", ""), 16)


# --- Data ---------------------------------------------------------------------------------------


def prepare(args) -> tuple[list[tuple[str, int]], list[str], int]:
    """Bench people, rooms and sessions: (cookie, room) per client, ceiling cookies, its room."""
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from accounts.models import User
    from chat.models import Membership, Room

    call_command("migrate", verbosity=0)
    Room.objects.filter(name__startswith="bench-").delete()
    User.objects.filter(email__endswith="@bench.invalid").delete()
    total = args.clients + args.ceiling_members
    users = User.objects.bulk_create(
        User(email=f"bench-{n}@bench.invalid", display_name=f"Bench {n}", password="!")  # noqa: S106 - unusable
        for n in range(total)
    )
    rooms = Room.objects.bulk_create(Room(name=f"bench-{r}") for r in range(args.rooms))
    ceiling = Room.objects.create(name="bench-ceiling")
    members = [
        Membership(room=rooms[n % args.rooms], user=user, posted_count=100)
        for n, user in enumerate(users[: args.clients])
    ] + [Membership(room=ceiling, user=user, posted_count=100) for user in users[args.clients :]]
    Membership.objects.bulk_create(members)

    def session_for(user) -> str:
        store = SessionStore()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        return store.session_key

    steady = [
        (session_for(u), rooms[n % args.rooms].pk) for n, u in enumerate(users[: args.clients])
    ]
    ceiling_cookies = [session_for(u) for u in users[args.clients :]]
    from django.db import connections

    connections.close_all()
    return steady, ceiling_cookies, ceiling.pk


# --- Clients ------------------------------------------------------------------------------------


class Client:
    """One websocket: records when each message id arrived and how long it took."""

    def __init__(self, url: str, origin: str, cookie: str | None, room: int):
        self.url, self.origin, self.cookie, self.room = url, origin, cookie, room
        self.ws = None
        self.seen: dict[int, float] = {}  # message id -> latency ms
        self.acks: dict[str, int] = {}
        self.errors: list[str] = []
        self.resumed = asyncio.Event()
        self.closed = False
        self.task: asyncio.Task | None = None

    async def open(self) -> None:
        import websockets

        headers = {"Cookie": f"sessionid={self.cookie}"} if self.cookie else {}
        for _attempt in range(3):
            try:
                self.ws = await self._connect(websockets, headers)
                break
            except websockets.InvalidStatus:
                REFUSED_HANDSHAKES.append(self.url)
                await asyncio.sleep(0.5)
        else:
            self.ws = await self._connect(websockets, headers)
        self.task = asyncio.create_task(self.read())

    async def _connect(self, websockets, headers):
        return await websockets.connect(
            self.url,
            additional_headers=headers,
            origin=self.origin,
            open_timeout=30,
            max_queue=None,
            compression=None,
        )

    async def read(self) -> None:
        import websockets

        try:
            async for raw in self.ws:
                now = time.perf_counter_ns()
                frame = json.loads(raw)
                kind = frame.get("type")
                if kind == "message":
                    message = frame["message"]
                    sent_at = read_stamp(message["body"])
                    self.seen.setdefault(message["id"], (now - sent_at) / 1e6)
                elif kind == "ack":
                    self.acks[frame["client_id"]] = frame["id"]
                elif kind == "error":
                    self.errors.append(frame.get("code", "?"))
                elif kind == "resumed":
                    self.resumed.set()
                elif kind == "bare":
                    self.seen.setdefault(frame["s"], (now - frame["t"]) / 1e6)
        except websockets.ConnectionClosed:
            self.closed = True

    async def _send(self, frame: dict) -> None:
        import websockets

        try:
            await self.ws.send(json.dumps(frame))
        except websockets.ConnectionClosed:
            self.closed = True

    async def send_chat(self, cid: str) -> None:
        body = f"bench {cid} {stamp(time.perf_counter_ns())}"
        await self._send({"type": "send", "body": body, "client_id": cid})

    async def send_bare(self, seq: int) -> None:
        await self._send({"type": "bare", "s": seq, "t": time.perf_counter_ns()})

    async def resume(self, after: int) -> None:
        self.resumed.clear()
        await self._send({"type": "resume", "after": after})
        if not self.closed:
            try:
                await asyncio.wait_for(self.resumed.wait(), 30)
            except TimeoutError:
                self.errors.append("resume_timeout")

    async def close(self) -> None:
        if self.ws is not None:
            await self.ws.close()
        if self.task is not None:
            await asyncio.gather(self.task, return_exceptions=True)


async def open_all(clients: list[Client], batch: int = 50) -> None:
    for start in range(0, len(clients), batch):
        await asyncio.gather(*(c.open() for c in clients[start : start + batch]))


def room_loss(clients: list[Client], sent: dict[int, int]) -> tuple[int, int, list[float]]:
    """(expected deliveries, missing, latencies) for messages ``sent`` (id -> room)."""
    by_room: dict[int, list[Client]] = {}
    for client in clients:
        by_room.setdefault(client.room, []).append(client)
    expected = missing = 0
    latencies: list[float] = []
    for message_id, room in sent.items():
        for client in by_room.get(room, []):
            expected += 1
            if message_id in client.seen:
                latencies.append(client.seen[message_id])
            else:
                missing += 1
    return expected, missing, latencies


# --- Phases -------------------------------------------------------------------------------------


async def burst(clients: list[Client]) -> str:
    started = time.monotonic()
    await asyncio.gather(*(c.send_chat(f"burst-{n}") for n, c in enumerate(clients)))
    while time.monotonic() - started < 30:
        if all(f"burst-{n}" in c.acks or c.errors for n, c in enumerate(clients)):
            break
        await asyncio.sleep(0.1)
    all_acked = time.monotonic() - started
    await asyncio.sleep(2)
    sent = {c.acks[f"burst-{n}"]: c.room for n, c in enumerate(clients) if f"burst-{n}" in c.acks}
    expected, missing, lat = room_loss(clients, sent)
    errors = sorted({e for c in clients for e in c.errors})
    return (
        f"burst: sent={len(clients)} acked={len(sent)} deliveries={expected} missed={missing} "
        f"p99_ms={percentile(lat, 99):.1f} errors={errors} all_acked_in={all_acked:.1f}s"
    )


async def steady(clients: list[Client], seconds: float, interval: float = 10.0):
    started = time.monotonic()
    counters = [0] * len(clients)

    async def run(n: int, client: Client) -> None:
        await asyncio.sleep(random.uniform(0, interval))
        while time.monotonic() - started < seconds:
            counters[n] += 1
            await client.send_chat(f"s{n}-{counters[n]}")
            await asyncio.sleep(interval)

    await asyncio.gather(*(run(n, c) for n, c in enumerate(clients)))
    await asyncio.sleep(3)
    sent = {}
    for n, client in enumerate(clients):
        for k in range(1, counters[n] + 1):
            message_id = client.acks.get(f"s{n}-{k}")
            if message_id is not None:
                sent[message_id] = client.room
    offered = sum(counters)
    expected, live_missing, latencies = room_loss(clients, sent)
    first = min(sent, default=0)
    await asyncio.gather(*(c.resume(first - 1) for c in clients))
    _expected, missing_after_resume, _lat = room_loss(clients, sent)
    refused = offered - len(sent)
    return {
        "dropped": sum(c.closed for c in clients),
        "offered": offered,
        "sent": len(sent),
        "refused": refused,
        "expected": expected,
        "live_missing": live_missing,
        "lost": missing_after_resume + refused,
        "latencies": latencies,
        "seconds": seconds,
    }


class Search:
    """One consumer's ceiling search: the offered rate steps up by 1.2x until loss or p99 > 250
    ms (a failing step is tried once more before the search stops); ``best`` is the deliveries/s
    of the last good step, ``best_cpu_ms`` the server's CPU milliseconds per delivery over it."""

    def __init__(self, kind: str, clients: list[Client], seq_start: int = 0):
        self.kind, self.clients = kind, clients
        self.rate = 20.0
        self.best = self.best_cpu_ms = 0.0
        self.retried = self.done = False
        self.seq = seq_start
        self.lines: list[str] = []

    async def step(self, step_seconds: float, server_pid: int) -> None:
        clients, members = self.clients, len(self.clients)
        for client in clients:
            client.seen.clear()
            client.acks.clear()
            client.errors.clear()
        rate = self.rate
        count = int(rate * step_seconds)
        cpu_before = cpu_seconds(server_pid)
        start = time.monotonic()
        first_seq = self.seq
        for i in range(count):
            delay = start + i / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            client = clients[i % members]
            if self.kind == "chat":
                await client.send_chat(f"c{self.seq}")
            else:
                await client.send_bare(self.seq)
            self.seq += 1
        sending = time.monotonic() - start
        await asyncio.sleep(1.5)
        cpu_ms = (cpu_seconds(server_pid) - cpu_before) * 1000
        if self.kind == "chat":
            ids = {}
            for client in clients:
                for cid, message_id in client.acks.items():
                    ids[message_id] = cid
            keys = list(ids)
            refused = count - len(keys)
        else:
            keys = list(range(first_seq, self.seq))
            refused = 0
        received = [c.seen[k] for c in clients for k in keys if k in c.seen]
        expected = len(keys) * members
        lost = expected - len(received) + refused * members
        p99 = percentile(received, 99)
        delivered_per_s = len(received) / max(sending, step_seconds)
        cpu_per_delivery = cpu_ms / len(received) if received else 0.0
        ok = lost == 0 and p99 <= P99_LIMIT_MS and sending <= step_seconds * 1.1
        verdict = "ok" if ok else ("STOP" if self.retried else "again")
        self.lines.append(
            f"  {self.kind} step rate={rate:.0f} msg/s deliveries/s={delivered_per_s:.0f} "
            f"lost={lost} p99_ms={p99:.1f} cpu_ms_per_delivery={cpu_per_delivery:.3f} {verdict}"
        )
        if not ok:
            self.done = self.retried
            self.retried = True
            return
        self.retried = False
        self.best, self.best_cpu_ms = delivered_per_s, cpu_per_delivery
        self.rate *= 1.2


async def ceilings(searches: list[Search], step_seconds: float, max_steps: int, server_pid: int):
    """Run the searches step by step in turn (chat, bare, chat, bare, ...), so that both meet the
    same machine: on a shared box the load drifts over the minutes one whole search takes, and a
    search run after the other would compare two different machines."""
    for _round in range(max_steps):
        active = [search for search in searches if not search.done]
        if not active:
            break
        for search in active:
            await search.step(step_seconds, server_pid)


# --- Main ---------------------------------------------------------------------------------------


def start_server(args, env: dict, port: int, log) -> subprocess.Popen:
    if args.server == "uvicorn":
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--ws-max-size",
            "65536",
            "--no-server-header",
            "--lifespan",
            "off",
            "--log-level",
            "warning",
            "--no-access-log",
            # Small JSON frames gain little from deflate and it costs CPU and memory per socket.
            "--ws-per-message-deflate",
            "false",
        ]
    else:
        command = [
            sys.executable,
            "-m",
            "daphne",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "--websocket-max-message-size",
            "65536",
            "-v",
            "0",
            "config.asgi:application",
        ]
    return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)


async def run(args, steady_clients, ceiling_cookies, ceiling_room, port, server_pid) -> list[str]:
    base = f"ws://127.0.0.1:{port}"
    origin = f"http://127.0.0.1:{port}"
    out = []
    clients = [
        Client(f"{base}/ws/chat/{room}/", origin, cookie, room) for cookie, room in steady_clients
    ]
    t = time.monotonic()
    await open_all(clients)
    out.append(
        f"connected {len(clients)} clients in {time.monotonic() - t:.1f}s; "
        f"server rss={rss_mb(server_pid):.0f} MB"
    )
    await asyncio.sleep(1)
    out.append(await burst(clients))
    result = await steady(clients, args.steady_seconds)
    lat = result["latencies"]
    out.append(
        f"steady: offered={result['offered']} acked={result['sent']} "
        f"deliveries={result['expected']} "
        f"missed_live={result['live_missing']} lost_after_resume={result['lost']} "
        f"p50_ms={percentile(lat, 50):.1f} p95_ms={percentile(lat, 95):.1f} "
        f"p99_ms={percentile(lat, 99):.1f} sockets_dropped={result['dropped']} "
        f"server rss={rss_mb(server_pid):.0f} MB"
    )
    await asyncio.gather(*(c.close() for c in clients))

    chat_clients = [
        Client(f"{base}/ws/chat/{ceiling_room}/", origin, c, ceiling_room) for c in ceiling_cookies
    ]
    bare_clients = [
        Client(f"{base}/ws/bench/bare/{ceiling_room}/", origin, None, ceiling_room)
        for _c in ceiling_cookies
    ]
    await open_all(chat_clients)
    await open_all(bare_clients)
    await asyncio.sleep(0.5)
    chat_search, bare_search = Search("chat", chat_clients), Search("bare", bare_clients)
    await ceilings([chat_search, bare_search], args.step_seconds, args.max_steps, server_pid)
    out.extend(chat_search.lines)
    out.extend(bare_search.lines)
    await asyncio.gather(*(c.close() for c in chat_clients + bare_clients))
    out.append(f"server rss at end={rss_mb(server_pid):.0f} MB")
    out.append(f"handshakes refused then retried: {len(REFUSED_HANDSHAKES)}")
    sustained, cpu_ms = chat_search.best, chat_search.best_cpu_ms
    bare, bare_cpu_ms = bare_search.best, bare_search.best_cpu_ms
    ratio = sustained / bare if bare else 0.0
    out.append(
        f"chat: clients={len(clients)} rooms={args.rooms} "
        f"sent={result['sent']} lost={result['lost']} "
        f"p50_ms={percentile(lat, 50):.1f} p99_ms={percentile(lat, 99):.1f} "
        f"sustained={sustained:.0f} bare_sustained={bare:.0f} ratio={ratio:.2f} "
        f"cpu_ms_per_delivery={cpu_ms:.3f} bare_cpu_ms_per_delivery={bare_cpu_ms:.3f}"
    )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=["uvicorn", "daphne"], default="uvicorn")
    parser.add_argument("--layer", choices=["pubsub", "core"], default="pubsub")
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--rooms", type=int, default=50)
    parser.add_argument("--ceiling-members", type=int, default=50)
    parser.add_argument("--steady-seconds", type=float, default=30)
    parser.add_argument("--step-seconds", type=float, default=4)
    parser.add_argument("--max-steps", type=int, default=24)
    parser.add_argument("--redis-port", type=int, default=6392)
    args = parser.parse_args()
    if not 1 <= args.clients <= 2000 or not 1 <= args.rooms <= args.clients:
        raise SystemExit("Keep it bounded: 1-2000 clients, 1..clients rooms.")
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to your own PostgreSQL database (it gets bench rows).")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "SECRET_KEY": SECRET,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DEBUG": "false",
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "CHANNEL_LAYER": args.layer,
        "CHAT_BENCH_ROUTES": "true",
        "CHAT_BENCH_I_KNOW": "loopback",
        "CHAT_RATE_BURST": "100000",
        "CHAT_RATE_PER_MINUTE": "6000000",
        "LOG_LEVEL": "WARNING",
    }
    os.environ.update(env)
    redis = subprocess.Popen(
        [
            shutil.which("redis-server") or "redis-server",
            "--port",
            str(args.redis_port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = None
    lines: list[str] = []
    log = tempfile.TemporaryFile()
    try:
        wait_port(args.redis_port, redis)
        steady_clients, ceiling_cookies, ceiling_room = prepare(args)
        port = free_port()
        # The websocket Origin check compares scheme, host and port (config/asgi.py).
        env = {**env, "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{port}"}
        server = start_server(args, env, port, log)
        wait_port(port, server)
        print(
            f"server={args.server} layer={args.layer} cpus={os.cpu_count()} "
            f"python={sys.version.split()[0]}"
        )
        lines = asyncio.run(
            asyncio.wait_for(
                run(args, steady_clients, ceiling_cookies, ceiling_room, port, server.pid),
                timeout=args.steady_seconds + 600,
            )
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        redis.terminate()
        redis.wait(timeout=20)
        log.seek(0)
        tail = log.read().decode(errors="replace").strip().splitlines()[-3:]
        if not lines:
            print("server log tail:", *tail, sep="\n  ")
    log.seek(0)
    text = log.read().decode(errors="replace")
    print(
        f"server log: {text.count('Traceback')} tracebacks, "
        f"{text.count('MaxConnectionsError')} MaxConnectionsError"
    )
    errors = [line for line in text.splitlines() if "Error" in line and not line.startswith(" ")]
    for line in sorted(set(errors))[:5]:
        print(f"  server: {line[:160]}")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
