"""Throwaway Redis servers on loopback for the Redis tests: a standalone server, or a Redis
Cluster of 3 masters + 3 replicas, each process in a directory of its own under a work
directory, with helpers to find where a key lives, kill and restart nodes, and talk RESP.

    from redis_nodes import Standalone, Cluster, key_slot, cleanup_all

    r = Standalone(work)             # redis-server --save '' --appendonly no, a free port
    r.call("SET", "k", "v")          # one command over RESP (a RespError for an error reply)
    r.kill(); r.start()              # SIGKILL, then the same port again

    c = Cluster(work)                # 6 nodes, redis-cli --cluster create … --cluster-replicas 1
    c.keyslot("throttle:{anon:ip10.0.0.1}:1")   # CLUSTER KEYSLOT (checked against key_slot())
    c.master_of_slot(slot)           # the node that owns the slot now (CLUSTER NODES)
    c.get(key)                       # GET on the owner, following MOVED and ASK

Standard library only. Every process started here is killed again: by stop()/kill(), by
cleanup_all() (registered with atexit; call it in a `finally` too), and, for processes started
from the main thread, by the kernel when this Python process dies (PR_SET_PDEATHSIG), so not
even a SIGKILL of the test leaves a redis-server behind.
"""
import atexit
import ctypes
import os
import signal
import socket
import subprocess
import sys
import threading
import time

_live = []  # every process this module (or a test through spawn()) started and has not reaped
_live_lock = threading.Lock()


# --------------------------------------------------------------------------------------------
# processes

def _pdeathsig():
    """In the child, before exec: die with SIGKILL when the parent (thread) dies."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG
    except Exception:
        pass


def spawn(args, **kw):
    """subprocess.Popen, remembered for cleanup_all(). Started from the main thread, the child
    also gets PR_SET_PDEATHSIG (which follows the creating *thread*: from a worker thread it
    would kill the child when that thread ends, so it is not used there)."""
    if threading.current_thread() is threading.main_thread():
        kw.setdefault("preexec_fn", _pdeathsig)
    p = subprocess.Popen(args, **kw)
    with _live_lock:
        _live.append(p)
    return p


def reap(p, timeout=10):
    """SIGKILL (if still running) and wait."""
    if p is None:
        return
    if p.poll() is None:
        try:
            p.kill()
        except OSError:
            pass
    try:
        p.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        pass
    with _live_lock:
        if p in _live:
            _live.remove(p)


def cleanup_all():
    """Kills every process started through spawn() that is still running. Idempotent."""
    with _live_lock:
        procs = list(_live)
    for p in procs:
        reap(p)


atexit.register(cleanup_all)


def exit_on_signals():
    """SIGTERM/SIGHUP (ctest's timeout, a closed terminal) become sys.exit: `finally` blocks
    and atexit run, so the servers are stopped."""
    for s in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(s, lambda signum, _frame: sys.exit(128 + signum))


def free_port(also_plus=None):
    """A free TCP port on 127.0.0.1; with also_plus=N, one where port+N is free as well (a
    cluster node's bus port is port + 10000)."""
    for _ in range(200):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        s.close()
        if also_plus is None:
            return port
        if port + also_plus > 65535:
            continue
        t = socket.socket()
        try:
            t.bind(("127.0.0.1", port + also_plus))
            return port
        except OSError:
            continue
        finally:
            t.close()
    raise RuntimeError("no free port found")


# --------------------------------------------------------------------------------------------
# RESP

class RespError(Exception):
    """An error reply (-ERR …, -MOVED 1234 127.0.0.1:7001, -ASK …, -CLUSTERDOWN …)."""


class Resp:
    """One RESP2 connection. call(*args) sends a command and returns its reply: str for simple
    and bulk strings (None for nil), int, list; raises RespError for an error reply and OSError
    when the connection fails."""

    def __init__(self, port, host="127.0.0.1", timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass

    def send(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            b = a if isinstance(a, bytes) else str(a).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(out))

    def call(self, *args):
        self.send(*args)
        return self.reply()

    def _line(self):
        while b"\r\n" not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf += chunk
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _exact(self, n):
        while len(self.buf) < n + 2:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("connection closed by the server")
            self.buf += chunk
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RespError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            return None if n < 0 else self._exact(n).decode(errors="replace")
        if kind == b"*":
            n = int(rest)
            if n < 0:
                return None
            items = []
            for _ in range(n):
                try:
                    items.append(self.reply())
                except RespError as e:  # an error inside an array (EXEC): keep it as a value
                    items.append(e)
            return items
        raise ConnectionError(f"unexpected RESP reply {line[:80]!r}")


def call(port, *args, timeout=5.0):
    """One command on a fresh connection."""
    c = Resp(port, timeout=timeout)
    try:
        return c.call(*args)
    finally:
        c.close()


def info(port, section=""):
    """INFO as a dict (section headers dropped)."""
    text = call(port, "INFO", section) if section else call(port, "INFO")
    out = {}
    for line in text.splitlines():
        if ":" in line and not line.startswith("#"):
            k, v = line.split(":", 1)
            out[k] = v
    return out


def ping(port, timeout=0.5):
    try:
        return call(port, "PING", timeout=timeout) == "PONG"
    except (OSError, RespError):
        return False


class Monitor:
    """MONITOR on one server, in a thread, as a context manager: .lines holds every command the
    server executed meanwhile ('… [0 127.0.0.1:51234] "GET" "key"'). Redirected commands
    (MOVED/ASK answers) are not executed, so they do not show; INFO errorstats counts them."""

    def __init__(self, port):
        self.port = port
        self.lines = []
        self._stop = threading.Event()

    def __enter__(self):
        self.conn = Resp(self.port, timeout=0.2)
        if self.conn.call("MONITOR") != "OK":
            raise RespError("MONITOR refused")
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            try:
                self.lines.append(self.conn.reply())
            except socket.timeout:
                continue
            except (OSError, RespError):
                break

    def __exit__(self, *exc):
        time.sleep(0.05)  # the last commands' lines are on their way
        self._stop.set()
        self.thread.join(timeout=2)
        self.conn.close()
        return False

    def matching(self, *needles):
        return [l for l in self.lines if all(n in l for n in needles)]


# --------------------------------------------------------------------------------------------
# slots

def _crc16_table():
    table = []
    for i in range(256):
        crc = i << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else (crc << 1)
        table.append(crc & 0xFFFF)
    return table


_CRC16 = _crc16_table()


def key_slot(key):
    """Redis Cluster's hash slot of a key (CRC16/XMODEM mod 16384 of the hash tag, if any)."""
    k = key.encode() if isinstance(key, str) else key
    start = k.find(b"{")
    if start >= 0:
        end = k.find(b"}", start + 1)
        if end > start + 1:
            k = k[start + 1:end]
    crc = 0
    for b in k:
        crc = ((crc << 8) & 0xFFFF) ^ _CRC16[((crc >> 8) ^ b) & 0xFF]
    return crc % 16384


# --------------------------------------------------------------------------------------------
# servers

class RedisNode:
    """One redis-server process in the foreground (so we hold its pid), on a fixed port and
    directory: start() after kill() comes back on the same port with the same files."""

    def __init__(self, work, name, port=None, cluster=False, extra=()):
        self.dir = os.path.join(work, name)
        os.makedirs(self.dir, exist_ok=True)
        self.name = name
        self.cluster = cluster
        self.port = port or free_port(also_plus=10000 if cluster else None)
        self.extra = list(extra)
        self.proc = None
        self.log_path = os.path.join(self.dir, "redis.log")

    def args(self):
        a = ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir, "--logfile", self.log_path,
             "--daemonize", "no", "--enable-debug-command", "local",
             # a replica's first sync at once (Redis 7 waits 5 s for more replicas by default)
             "--repl-diskless-sync-delay", "0"]
        if self.cluster:
            # A replica may take over however long it was cut off from its master.
            a += ["--cluster-enabled", "yes", "--cluster-config-file",
                  os.path.join(self.dir, "nodes.conf"), "--cluster-node-timeout", "1000",
                  "--cluster-replica-validity-factor", "0"]
        return a + self.extra

    def start(self, timeout=10):
        if self.alive():
            return self
        self.proc = spawn(self.args(), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                          stderr=subprocess.STDOUT, cwd=self.dir)
        deadline = time.monotonic() + timeout
        while not ping(self.port):
            if self.proc.poll() is not None:
                raise RuntimeError(f"redis-server {self.name} on {self.port} exited with "
                                   f"{self.proc.returncode}; log:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"redis-server {self.name} on {self.port} did not answer PING "
                                   f"in {timeout} s; log:\n{self.log_tail()}")
            time.sleep(0.02)
        return self

    restart = start

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def kill(self):
        """SIGKILL: no goodbye to clients or to the cluster."""
        reap(self.proc)

    def stop(self, timeout=5):
        """SHUTDOWN NOSAVE (SIGTERM as fallback), then wait; SIGKILL if it lingers."""
        if not self.alive():
            reap(self.proc)
            return
        try:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=timeout)
        except (OSError, subprocess.TimeoutExpired):
            pass
        reap(self.proc)

    def call(self, *args, timeout=5.0):
        return call(self.port, *args, timeout=timeout)

    def info(self, section=""):
        return info(self.port, section)

    def cli(self, *args, cluster=False, timeout=30):
        """redis-cli -p PORT [-c] ARGS: its stdout (stripped)."""
        cmd = ["redis-cli", "-p", str(self.port)] + (["-c"] if cluster else []) + [str(a) for a in args]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        if p.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)}: exit {p.returncode}: {p.stderr.strip()}")
        return p.stdout.strip()

    def scan(self, pattern):
        """redis-cli --scan --pattern: the keys this server holds that match."""
        out = self.cli("--scan", "--pattern", pattern)
        return [k for k in out.splitlines() if k]

    def log_tail(self, n=30):
        try:
            with open(self.log_path, errors="replace") as f:
                return "".join(f.readlines()[-n:])
        except OSError:
            return ""

    def __repr__(self):
        return f"<redis {self.name} :{self.port}{'' if self.alive() else ' (down)'}>"


def Standalone(work, name="redis", port=None, extra=()):
    """A standalone redis-server, started."""
    return RedisNode(work, name, port=port, extra=extra).start()


class ClusterNodeInfo:
    """One line of CLUSTER NODES."""

    def __init__(self, line):
        parts = line.split()
        self.id = parts[0]
        self.port = int(parts[1].split("@")[0].rsplit(":", 1)[1])
        self.flags = set(parts[2].split(","))
        self.master_id = None if parts[3] == "-" else parts[3]
        self.link = parts[7]
        self.slots = []  # (first, last)
        for s in parts[8:]:
            if s.startswith("["):
                continue  # a migrating/importing marker
            a, _, b = s.partition("-")
            self.slots.append((int(a), int(b or a)))

    @property
    def is_master(self):
        return "master" in self.flags and "fail" not in self.flags

    def owns(self, slot):
        return any(a <= slot <= b for a, b in self.slots)


class Cluster:
    """A Redis Cluster of `masters` masters with `replicas` replicas each, on loopback."""

    def __init__(self, work, masters=3, replicas=1, name="cluster", timeout=30):
        self.work = os.path.join(work, name)
        self.nodes = [RedisNode(self.work, f"node{i + 1}", cluster=True)
                      for i in range(masters * (1 + replicas))]
        t0 = time.monotonic()
        for n in self.nodes:
            n.start()
        cmd = ["redis-cli", "--cluster", "create"] + [f"127.0.0.1:{n.port}" for n in self.nodes]
        cmd += ["--cluster-replicas", str(replicas), "--cluster-yes"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        if p.returncode != 0:
            raise RuntimeError(f"redis-cli --cluster create: exit {p.returncode}\n{p.stdout}\n{p.stderr}")
        self.wait_ok(timeout=timeout, masters=masters, total=len(self.nodes))
        self.wait_replicas_synced(timeout=timeout)
        self.ready_seconds = time.monotonic() - t0

    def node(self, port):
        return next(n for n in self.nodes if n.port == port)

    def alive(self):
        return [n for n in self.nodes if n.alive()]

    def wait_ok(self, timeout=30, masters=None, total=None, nodes=None):
        """Until every node given (default: every live one) says cluster_state:ok and, when
        masters/total are given, sees that many masters with slots / connected nodes."""
        deadline = time.monotonic() + timeout
        last = ""
        while True:
            bad = []
            for n in nodes or self.alive():
                try:
                    state = info_cluster(n.port).get("cluster_state")
                    view = self.view(n)
                except (OSError, RespError) as e:
                    bad.append(f"{n.name}: {e}")
                    continue
                if state != "ok":
                    bad.append(f"{n.name}: cluster_state {state}")
                elif masters is not None and sum(1 for v in view if v.is_master and v.slots) != masters:
                    bad.append(f"{n.name}: sees {sum(1 for v in view if v.is_master and v.slots)} masters")
                elif total is not None and sum(1 for v in view if v.link == "connected") != total:
                    bad.append(f"{n.name}: sees {sum(1 for v in view if v.link == 'connected')} connected")
            if not bad:
                return
            last = "; ".join(bad)
            if time.monotonic() > deadline:
                raise RuntimeError(f"cluster not ok after {timeout} s: {last}")
            time.sleep(0.1)

    def wait_replicas_synced(self, timeout=30):
        """Until every live replica's link to its master is up (a replica that never synced
        cannot take over)."""
        deadline = time.monotonic() + timeout
        while True:
            pending = []
            for n in self.alive():
                r = n.info("replication")
                if r.get("role") == "slave" and r.get("master_link_status") != "up":
                    pending.append(n.name)
            if not pending:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas not in sync after {timeout} s: {pending}")
            time.sleep(0.05)

    def view(self, via=None):
        """CLUSTER NODES as seen by `via` (default: the first live node)."""
        via = via or self.alive()[0]
        text = call(via.port, "CLUSTER", "NODES")
        out = []
        for line in text.splitlines():
            if not line.strip():
                continue
            v = ClusterNodeInfo(line)
            if "myself" in v.flags:
                v.link = "connected"
            out.append(v)
        return out

    def node_id(self, node):
        return call(node.port, "CLUSTER", "MYID")

    def masters(self, via=None):
        """The nodes that are masters with slots now (as `via` sees it)."""
        ports = {v.port for v in self.view(via) if v.is_master and v.slots}
        return [n for n in self.nodes if n.port in ports]

    def replicas_of(self, master, via=None):
        mid = self.node_id(master)
        ports = {v.port for v in self.view(via) if v.master_id == mid}
        return [n for n in self.nodes if n.port in ports]

    def keyslot(self, key):
        """CLUSTER KEYSLOT on a live node; checked against key_slot()."""
        slot = call(self.alive()[0].port, "CLUSTER", "KEYSLOT", key)
        if slot != key_slot(key):
            raise AssertionError(f"key_slot({key!r}) = {key_slot(key)}, CLUSTER KEYSLOT says {slot}")
        return slot

    def master_of_slot(self, slot, via=None):
        """The node owning the slot now, as `via` (default: every live node in turn until one
        answers) sees it; None when none does (during a failover)."""
        for n in ([via] if via else self.alive()):
            try:
                for v in self.view(n):
                    if v.is_master and v.owns(slot):
                        return self.node(v.port)
                return None
            except (OSError, RespError):
                continue
        return None

    def command(self, key, *args, timeout=1.0, redirects=5):
        """A command about `key` sent to the owner of its slot, following MOVED and ASK (as
        redis-cli -c does)."""
        owner = self.master_of_slot(key_slot(key))
        if owner is None:
            raise RespError(f"CLUSTERDOWN no master owns slot {key_slot(key)}")
        port, asking = owner.port, False
        for _ in range(redirects):
            c = Resp(port, timeout=timeout)
            try:
                if asking:
                    c.call("ASKING")
                return c.call(*args)
            except RespError as e:
                msg = str(e)
                if msg.startswith(("MOVED ", "ASK ")):
                    port, asking = int(msg.split()[2].rsplit(":", 1)[1]), msg.startswith("ASK ")
                    continue
                raise
            finally:
                c.close()
        raise RespError(f"too many redirects for {key}")

    def get(self, key, timeout=1.0):
        return self.command(key, "GET", key, timeout=timeout)

    def scan_masters(self, pattern):
        """{node: [keys]} over the current masters."""
        return {m: m.scan(pattern) for m in self.masters()}

    def kill(self, node):
        node.kill()

    def restart(self, node):
        node.start()

    def stop(self):
        for n in self.nodes:
            n.kill()


def info_cluster(port):
    text = call(port, "CLUSTER", "INFO")
    return dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
