"""A PostgreSQL cluster of the tests' own: Debian's PostgreSQL binaries, a free port on 127.0.0.1,
its data in a temporary folder, password authentication (so the tests can check the lake's
catalog password goes nowhere), stopped and removed at the end.

As root, initdb and pg_ctl refuse to run, so they run as the `postgres` user the Debian package
creates. Where PostgreSQL is not installed, `postgres_or_skip()` skips with one line."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

# the password of the tests' cluster: tests assert it never shows up in logs, files or errors
PASSWORD = "Lake-pw-7f3c91e2"
USER = "postgres"


def _bin_dir() -> Path | None:
    for found in sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True):
        if (Path(found) / "initdb").exists():
            return Path(found)
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Postgres:
    """A running cluster; `catalog(db)` is the DuckLake catalog string without the password."""

    bin_dir: Path
    folder: Path
    port: int
    run_as: str | None

    @property
    def data(self) -> Path:
        return self.folder / "data"

    def _run(self, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
        cmd = list(args)
        if self.run_as:
            cmd = ["runuser", "-u", self.run_as, "--", *cmd]
        return subprocess.run(
            cmd, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120, check=True
        )

    def createdb(self, name: str) -> str:
        self._run(
            str(self.bin_dir / "createdb"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            USER,
            name,
            env={"PGPASSWORD": PASSWORD},
        )
        return name

    def dump(self, db: str) -> str:
        """The database as SQL text (pg_dump): what the catalog holds."""
        return self._run(
            str(self.bin_dir / "pg_dump"),
            "-h",
            "127.0.0.1",
            "-p",
            str(self.port),
            "-U",
            USER,
            db,
            env={"PGPASSWORD": PASSWORD},
        ).stdout

    def catalog(self, db: str, *, password: bool = True) -> str:
        text = f"postgres:dbname={db} host=127.0.0.1 port={self.port} user={USER}"
        return f"{text} password={PASSWORD}" if password else text

    def stop(self) -> None:
        try:
            self._run(str(self.bin_dir / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")
        except subprocess.SubprocessError:
            pass
        shutil.rmtree(self.folder, ignore_errors=True)


def start_postgres() -> Postgres | str:
    """Start a cluster, or say in one line why not."""
    bin_dir = _bin_dir()
    if bin_dir is None:
        return "PostgreSQL is not installed (apt-get install postgresql): lake tests skipped"
    run_as = None
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root without a `postgres` user to run PostgreSQL as: lake tests skipped"
        run_as = "postgres"
    folder = Path(tempfile.mkdtemp(prefix="hubwh-pg-"))
    if run_as:
        entry = pwd.getpwnam(run_as)
        os.chown(folder, entry.pw_uid, entry.pw_gid)
    pwfile = folder / "pw"
    pwfile.write_text(PASSWORD + "\n")
    if run_as:
        os.chown(pwfile, entry.pw_uid, entry.pw_gid)
    pg = Postgres(bin_dir, folder, _free_port(), run_as)
    try:
        pg._run(
            str(bin_dir / "initdb"),
            "-D",
            str(pg.data),
            "-U",
            USER,
            "-A",
            "scram-sha-256",
            f"--pwfile={pwfile}",
            "-E",
            "UTF8",
            "--no-sync",
        )
        pg._run(
            str(bin_dir / "pg_ctl"),
            "-D",
            str(pg.data),
            "-o",
            f"-p {pg.port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-l",
            str(folder / "log"),
            "-w",
            "start",
        )
    except (subprocess.SubprocessError, OSError) as exc:
        log = (folder / "log").read_text(errors="replace")[-500:] if (folder / "log").exists() else ""
        detail = getattr(exc, "stderr", "") or str(exc)
        pg.stop()
        return f"could not start PostgreSQL: {detail.strip()[:300]} {log.strip()}"
    for _ in range(50):
        try:
            with socket.create_connection(("127.0.0.1", pg.port), timeout=1):
                break
        except OSError:
            time.sleep(0.1)
    return pg


@pytest.fixture(scope="session")
def postgres():
    """A PostgreSQL cluster for the whole session (skips where PostgreSQL is not installed)."""
    pg = start_postgres()
    if isinstance(pg, str):
        pytest.skip(pg)
    try:
        yield pg
    finally:
        pg.stop()


@pytest.fixture(scope="session")
def new_lake(postgres, tmp_path_factory):
    """A factory of empty DuckLakes catalogued in the session's PostgreSQL: `new_lake(name)` returns
    the environment a process needs to work on it (HUBWH_TARGET=lake, the catalog string with the
    password in it, the data folder), for os.environ or a child process's env."""
    made: set[str] = set()

    def make(name: str) -> dict[str, str]:
        if name in made:
            raise ValueError(f"lake {name!r} made twice in this session")
        made.add(name)
        db = postgres.createdb(f"lake_{name}")
        folder = tmp_path_factory.mktemp(f"lake-{name}")
        return {
            "HUBWH_TARGET": "lake",
            "HUBWH_LAKE_CATALOG": postgres.catalog(db),
            "HUBWH_LAKE_DATA_PATH": str(folder / "data"),
        }

    return make
