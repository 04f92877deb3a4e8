"""A throwaway PostgreSQL cluster for tests: initdb in a temporary folder, a loopback port
(8570-8579), a database with the two roles of the shared deployment (README, "Shared
deployment"), stopped and deleted at the end. Debian's PostgreSQL 15 binaries
(/usr/lib/postgresql/15/bin, or $ASEMUS_PG_BIN); as root the server runs as the `postgres` user,
since PostgreSQL refuses to run as root."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

PG_BIN = Path(os.environ.get("ASEMUS_PG_BIN", "/usr/lib/postgresql/15/bin"))
PORTS = range(8570, 8580)
SUPERUSER_PASSWORD = "asemus-test-admin"
#: The deployment's roles (README, "Shared deployment"): staff write, the public dashboard reads.
STAFF, STAFF_PASSWORD = "asemus_staff", "asemus-test-staff"
PUBLIC, PUBLIC_PASSWORD = "asemus_public", "asemus-test-public"


def missing() -> str | None:
    """Why no cluster can be started here (None: it can)."""
    for b in ("initdb", "pg_ctl", "postgres"):
        if not (PG_BIN / b).exists():
            return f"PostgreSQL binaries not found ({PG_BIN / b}); install Debian's postgresql"
    try:
        import psycopg  # noqa: F401
    except ImportError:
        return "psycopg is not installed (pip install -r requirements.txt)"
    return None


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Cluster:
    """``Cluster().start()``; :meth:`url` for a role and database; :meth:`stop` removes it."""

    def __init__(self):
        self.root = Path(tempfile.mkdtemp(prefix="asemus-pg-"))
        self.data = self.root / "data"
        self.port = 0
        self._as_postgres = os.geteuid() == 0

    def _run(self, *argv: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [str(a) for a in argv]
        if self._as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, check=check, timeout=120)

    def start(self) -> Cluster:
        pwfile = self.root / "pw"
        pwfile.write_text(SUPERUSER_PASSWORD + "\n")
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(pwfile, "postgres", "postgres")
        self._run(PG_BIN / "initdb", "-D", self.data, "-U", "postgres", "--pwfile", pwfile,
                  "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8",
                  "--locale=C.UTF-8")
        self.port = _free_port()
        opts = (f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 "
                "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
                "-c shared_buffers=128MB -c max_connections=50")
        self._run(PG_BIN / "pg_ctl", "-D", self.data, "-l", self.root / "log", "-o", opts,
                  "-w", "-t", "60", "start")
        self.admin(f"CREATE ROLE {STAFF} LOGIN PASSWORD '{STAFF_PASSWORD}'; CREATE ROLE {PUBLIC} LOGIN PASSWORD '{PUBLIC_PASSWORD}'"
                   )
        return self

    def admin(self, sql: str, database: str = "postgres") -> None:
        """Run SQL as the superuser (autocommit: CREATE DATABASE cannot run in a transaction)."""
        import psycopg
        with psycopg.connect(self.url("postgres", SUPERUSER_PASSWORD, database),
                             autocommit=True) as c:
            for statement in filter(str.strip, sql.split(";")):
                c.execute(statement)

    def create_database(self, name: str) -> str:
        """A new database owned by the staff role, readable by the public role (the README's
        commands); returns the staff URL."""
        self.admin(f"CREATE DATABASE {name} OWNER {STAFF}; "
                   f"GRANT CONNECT ON DATABASE {name} TO {PUBLIC}")
        self.admin(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC; "
                   f"GRANT USAGE ON SCHEMA public TO {PUBLIC}; "
                   f"ALTER SCHEMA public OWNER TO {STAFF}", database=name)
        return self.url(STAFF, STAFF_PASSWORD, name)

    def copy_database(self, template: str, name: str) -> str:
        """A new database copied from ``template`` (no one may be connected to it); returns the
        staff URL."""
        self.admin(f"CREATE DATABASE {name} TEMPLATE {template} OWNER {STAFF}; "
                   f"GRANT CONNECT ON DATABASE {name} TO {PUBLIC}")
        return self.url(STAFF, STAFF_PASSWORD, name)

    def public_url(self, database: str) -> str:
        return self.url(PUBLIC, PUBLIC_PASSWORD, database)

    def url(self, user: str, password: str, database: str) -> str:
        return f"postgresql://{user}:{password}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        if self.data.exists():
            self._run(PG_BIN / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop",
                      check=False)
        shutil.rmtree(self.root, ignore_errors=True)

    def log(self) -> str:
        try:
            return (self.root / "log").read_text()[-4000:]
        except OSError:
            return ""


def wait_ready(url: str, timeout: float = 30) -> None:
    import psycopg
    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg.connect(url).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
