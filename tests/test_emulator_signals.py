"""`hubwh emulate` stops on SIGTERM and SIGINT, whenever the signal comes: right
after it is ready, while idle, while requests are in flight, while it is stopping,
and while its main thread holds a lock of the `threading` module (where a signal
handler that takes that lock again would wait for itself for ever).

Every emulator here is a real `hubwh emulate` process on the small sample snapshot.
"""

from __future__ import annotations

import os
import random
import selectors
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx2
import pytest

from hubwh.emulator import sample

# seconds from the signal to the exit: generous, since a hang never ends and the machine running
# the suite may be loaded (40 processes on 2 cores); a signal during interpreter start-up gets more
STOP_WITHIN = 15.0
START_STOP_WITHIN = 30.0


@pytest.fixture(scope="module")
def snapshot_dir(tmp_path_factory):
    return sample.write_sample_hub(tmp_path_factory.mktemp("emulator-signals") / "hub")


def _start(command: list[str]) -> subprocess.Popen:
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _read_url(proc: subprocess.Popen, timeout: float = 30.0) -> str:
    """The first line of output (the URL served), without waiting for ever."""
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(timeout):
            proc.kill()
            raise AssertionError(f"no URL after {timeout} s: {proc.communicate()}")
    url = proc.stdout.readline().strip()
    assert url.startswith("http://127.0.0.1:"), (url, proc.communicate())
    return url


def _wait(proc: subprocess.Popen, what: str, within: float = STOP_WITHIN) -> tuple[int, str]:
    """(exit status, stderr), or fail when the process outlives `within` seconds."""
    try:
        _, err = proc.communicate(timeout=within)
    except subprocess.TimeoutExpired:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"{what}: still running {within} s after the signal; stderr: {err}") from None
    return proc.returncode, err


def _hammer(url: str, until: threading.Event) -> None:
    """Requests back to back on one keep-alive connection until the server goes away."""
    with httpx2.Client(base_url=url, timeout=5.0) as client:
        while not until.is_set():
            try:
                client.get("/api/models", params={"limit": 3})
                client.get(f"/api/models/{sample.RICH_MODEL}/commits/main")
            except httpx2.HTTPError:
                return


def _one_stop(snapshot_dir, sig: int, moment: str, delay: float) -> str:
    command = [sys.executable, "-m", "hubwh.cli", "emulate", "--snapshot", str(snapshot_dir)]
    if moment == "busy":
        command += ["--latency-ms", "20"]  # so that some requests are always mid-answer
    proc = _start(command)
    what = f"{signal.Signals(sig).name} {moment} {delay:.2f}s"
    if moment == "starting":
        # Before it is ready the signal may find Python itself still starting (which then
        # dies of it, or exits 1 on a SIGINT amid its imports): it only has to end.
        time.sleep(delay)
        proc.send_signal(sig)
        _wait(proc, what, within=START_STOP_WITHIN)
        return what
    url = _read_url(proc)
    done = threading.Event()
    clients = []
    if moment == "busy":
        clients = [threading.Thread(target=_hammer, args=(url, done), daemon=True) for _ in range(4)]
        for client in clients:
            client.start()
    time.sleep(delay)
    proc.send_signal(sig)
    try:
        status, err = _wait(proc, what)
    finally:
        done.set()
        for client in clients:
            client.join(timeout=10)
    assert status == 0, (what, status, err)
    assert "served: " in err and "Traceback" not in err, (what, err)
    return what


@pytest.mark.slow  # 40 emulator processes: 10-35 s
def test_stops_cleanly_whenever_the_signal_comes(snapshot_dir):
    rng = random.Random(10)
    runs = [(signal.SIGTERM if i % 2 else signal.SIGINT, "starting", rng.uniform(0, 0.3)) for i in range(4)]
    for i in range(36):
        sig = signal.SIGTERM if i % 3 else signal.SIGINT
        moment = ("ready", "idle", "busy", "busy")[i % 4]
        # idle: across the old main loop's 1 s wake-up; busy: while requests are in flight
        delay = {"ready": 0.0, "idle": rng.uniform(0.0, 1.2), "busy": rng.uniform(0.05, 0.5)}[moment]
        runs.append((sig, moment, delay))
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=4) as pool:
        done = list(pool.map(lambda run: _one_stop(snapshot_dir, *run), runs))
    assert len(done) == 40
    assert time.monotonic() - started < 180  # bounded; ~25 s on an idle 2-core machine


# The driver runs `hubwh emulate` with a profile hook on its main thread: once the URL is
# printed, each time that thread has just acquired a threading.Condition's lock (as
# Event.wait and Event.set do), it signals its own process, so the signal's Python-level
# handler, if any, runs while the lock is held.
DRIVER = r"""
import os, sys, threading
from hubwh.cli import main

sig = int(sys.argv[1])
state = {"ready": False, "sent": 0}
enter = threading.Condition.__enter__.__code__

def hook(frame, event, arg):
    if event == "c_return" and arg is print:
        state["ready"] = True
    elif state["ready"] and event == "return" and frame.f_code is enter and state["sent"] < 3:
        state["sent"] += 1
        os.kill(os.getpid(), sig)

sys.setprofile(hook)
sys.exit(main(["emulate", "--snapshot", sys.argv[2]]))
"""


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=lambda s: s.name)
def test_stops_on_a_signal_that_comes_while_a_threading_lock_is_held(snapshot_dir, sig):
    proc = _start([sys.executable, "-c", DRIVER, str(int(sig)), str(snapshot_dir)])
    _read_url(proc)
    time.sleep(0.3)
    if proc.poll() is None:  # the hook signalled nothing (or nothing that stopped it): stop it as a user would
        os.kill(proc.pid, sig)
    status, err = _wait(proc, signal.Signals(sig).name)
    assert status == 0, (status, err)
    assert "served: " in err and "Traceback" not in err, err
