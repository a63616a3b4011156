"""The real programs, for tests that need them: gunicorn serving the app, a Celery worker, a
redis-server and a PostgreSQL instance of the test's own, each on a free loopback port, each
started with a bound wait and stopped (never left behind) by the test that started it.

Each database is the test's own: ``LiveTemplate`` migrates one database per test session (per
xdist worker) with the regions, one province administrator with a TOTP device and an API token;
every test copies it (``CREATE DATABASE ... TEMPLATE``), which takes a second, not a migration."""

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import psutil
import requests

ROOT = Path(__file__).resolve().parents[3]
PYTHON = sys.executable
BIN = Path(PYTHON).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
USERNAME = "live_admin"
PASSWORD = "Live-test-pass-9"  # noqa: S105 - a throwaway account in a throwaway database
TOTP_HEX = "3132333435363738393031323334353637383930"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(predicate, timeout: float, what: str, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise TimeoutError(f"{what} not ready within {timeout:.0f} s")


def _stop(process: subprocess.Popen, timeout: float = 10) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        for child in psutil.Process(process.pid).children(recursive=True):
            child.kill()
        process.kill()
        process.wait(5)


def psql(sql: str, url: str = ADMIN_URL) -> str:
    result = subprocess.run(
        ["psql", url, "-v", "ON_ERROR_STOP=1", "-qAtc", sql], capture_output=True, text=True, timeout=60, check=True
    )
    return result.stdout.strip()


def manage(*args, env: dict, timeout: float = 120) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    if result.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def app_env(base: Path, database_url: str, redis_url: str = "") -> dict:
    """The environment of one deployment: its database, its Redis (none: cache in-process, tasks
    eager) and its own directories; DEBUG off, development keys (not the production TLS posture)."""
    var = base / "var"
    var.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "BOAI_", "PYTEST_"))}
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        BOAI_VAR_DIR=str(var),
        BOAI_MEDIA_ROOT=str(base / "media"),
        BOAI_SMS_OUTBOX=str(base / "sms-outbox.jsonl"),
        BOAI_AUDIT_CHECKPOINT_DIR=str(base / "checkpoints"),
        DJANGO_DEBUG="0",
        DJANGO_SETTINGS_MODULE="config.settings",
        LOG_LEVEL="WARNING",
        PYTHONPATH=str(ROOT),
    )
    return env


def totp_now() -> str:
    from django_otp.oath import TOTP

    return f"{TOTP(bytes.fromhex(TOTP_HEX)).token():06d}"


class LiveTemplate:
    """A migrated database with the regions and one province administrator, to copy per test."""

    def __init__(self, base: Path):
        self.name = f"boai_live_tpl_{uuid.uuid4().hex[:12]}"
        self.url = f"postgres://postgres@127.0.0.1:5432/{self.name}"
        self.base = base
        self.token = ""
        self.dump = base / "template.dump"

    def create(self) -> None:
        psql(f"CREATE DATABASE {self.name}")
        env = app_env(self.base, self.url)
        manage("migrate", "-v0", env=env, timeout=180)
        manage("load_regions", env=env)
        manage(
            "create_user", "--username", USERNAME, "--password", PASSWORD, "--role", "province_admin",
            "--org", "RC530000", env=env,
        )  # fmt: skip
        manage(
            "shell",
            "-c",
            "from django_otp.plugins.otp_totp.models import TOTPDevice; from boai.accounts.models import User; "
            f"TOTPDevice.objects.create(user=User.objects.get(username='{USERNAME}'), name='live', "
            f"key='{TOTP_HEX}', confirmed=True)",
            env=env,
        )
        self.token = manage("issue_token", "--username", USERNAME, env=env).strip()

    def pg_dump(self) -> Path:
        if not self.dump.exists():
            subprocess.run(
                [PG_BIN / "pg_dump", "-Fc", "-f", self.dump, self.url], check=True, timeout=120, capture_output=True
            )
        return self.dump

    def drop(self) -> None:
        psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@contextmanager
def copied_database(template: LiveTemplate):
    name = f"boai_live_{uuid.uuid4().hex[:12]}"
    psql(f"CREATE DATABASE {name} TEMPLATE {template.name}")
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        psql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


class RedisServer:
    """A redis-server of the test's own, without persistence; stop() and start() keep its port."""

    def __init__(self, base: Path):
        self.port = free_port()
        self.dir = base / f"redis-{self.port}"
        self.dir.mkdir(parents=True, exist_ok=True)
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> "RedisServer":
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.dir), "--logfile", str(self.dir / "redis.log")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for(self.ping, 10, "redis-server")
        return self

    def ping(self) -> bool:
        import redis

        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.exceptions.RedisError:
            return False

    def stop(self) -> None:
        if self.process:
            _stop(self.process)
            self.process = None


class PrivatePostgres:
    """A PostgreSQL instance of the test's own (initdb into a directory the ``postgres`` OS user
    owns, which initdb needs when the tests run as root), on a free port, trust auth on loopback."""

    def __init__(self, base: Path):
        self.port = free_port()
        self.dir = base / f"pg-{self.port}"
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def admin_url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def _run(self, *args, timeout=60):
        return subprocess.run([*self.as_postgres, *args], capture_output=True, text=True, timeout=timeout, check=True)

    def init(self) -> "PrivatePostgres":
        self.dir.mkdir(parents=True)
        if self.as_postgres:
            shutil.chown(self.dir, "postgres", "postgres")
            for parent in (self.dir.parent, *self.dir.parent.parents):  # initdb and the server must reach it
                if parent == Path("/"):
                    break
                parent.chmod(parent.stat().st_mode | 0o711)
        self._run(
            str(PG_BIN / "initdb"), "-D", str(self.dir / "data"), "-U", "postgres", "--auth=trust", "-E", "UTF8",
            "--no-sync", timeout=120,
        )  # fmt: skip
        return self

    def start(self) -> None:
        self._run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-l", str(self.dir / "log"), "-w", "-t", "30",
            "-o", f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self._run(str(PG_BIN / "pg_ctl"), "-D", str(self.dir / "data"), "-m", mode, "-w", "-t", "30", "stop")

    def load(self, name: str, dump: Path) -> str:
        psql(f"CREATE DATABASE {name}", self.admin_url)
        subprocess.run(
            [PG_BIN / "pg_restore", "--no-owner", "-d", self.url(name), dump], check=True, timeout=120,
            capture_output=True,
        )  # fmt: skip
        return self.url(name)


class Gunicorn:
    """The app under gunicorn on a free loopback port; ready when /healthz answers."""

    def __init__(self, env: dict, log: Path, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.env = env
        self.log = log
        self.workers = workers
        self.threads = threads
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> "Gunicorn":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{self.port}",
                 "--workers", str(self.workers), "--threads", str(self.threads), "--timeout", "30",
                 "--graceful-timeout", "5"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        wait_for(self.healthy, 40, f"gunicorn on {self.port} (log: {self.log})", interval=0.25)
        wait_for(lambda: len(self.worker_pids()) == self.workers, 20, "gunicorn workers")
        return self

    def healthy(self) -> bool:
        if self.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{self.log.read_text(errors='replace')[-3000:]}")
        try:
            return requests.get(f"{self.url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def worker_pids(self) -> list[int]:
        return [child.pid for child in psutil.Process(self.process.pid).children()]

    def stop(self) -> None:
        if self.process:
            _stop(self.process)
            self.process = None


class CeleryWorker:
    def __init__(self, env: dict, log: Path):
        self.env = env
        self.log = log
        self.process = None

    def start(self) -> "CeleryWorker":
        with open(self.log, "ab") as log:
            self.process = subprocess.Popen(
                [str(BIN / "celery"), "-A", "config", "worker", "--pool", "solo", "--loglevel", "WARNING",
                 "--without-heartbeat", "--without-gossip", "--without-mingle"],
                cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        return self

    def stop(self) -> None:
        if self.process:
            _stop(self.process)
            self.process = None


class Client(requests.Session):
    """A browser-like client of one or more servers: it keeps the cookies, sends the CSRF token back
    and asks in simplified Chinese."""

    def __init__(self, timeout: float = 10):
        super().__init__()
        self.timeout = timeout
        self.headers["Accept-Language"] = "zh-hans"

    def request(self, method, url, **kwargs):
        kwargs.setdefault("timeout", self.timeout)
        if method.upper() not in ("GET", "HEAD") and "csrftoken" in self.cookies:
            headers = kwargs.setdefault("headers", {}) or {}
            headers.setdefault("X-CSRFToken", self.cookies["csrftoken"])
            headers.setdefault("Referer", url)
            kwargs["headers"] = headers
        return super().request(method, url, **kwargs)

    def login(self, base: str) -> None:
        """The staff login with its second step (the TOTP code of the template's device)."""
        self.get(f"{base}/accounts/login/")
        answer = self.post(f"{base}/accounts/login/", data={"username": USERNAME, "password": PASSWORD})
        assert answer.status_code == 200 and "/otp" in answer.url, answer.url
        answer = self.post(answer.url, data={"code": totp_now()})
        assert answer.status_code == 200 and "/login" not in answer.url, answer.text[:500]
