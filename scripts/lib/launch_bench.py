"""Times launch to first painted code, alternating a baseline and Ninsho, then measures
Ninsho's idle CPU while it shows codes. Prints a table with ratios against the baseline."""

import os
import signal
import statistics
import subprocess
import sys
import time

READY = b"first codes painted"


def launch(binary):
    """Seconds from spawn until the app reports its first paint; the process is left running."""
    start = time.monotonic()
    proc = subprocess.Popen([binary], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True)
    for line in proc.stderr:
        if READY in line:
            return time.monotonic() - start, proc
    raise RuntimeError(f"{binary} exited without painting")


def stop(proc):
    # The app is single-instance: its WebKit helpers (same process group) must be gone
    # before the next launch.
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    time.sleep(0.3)


def cpu_seconds(pid):
    """User+system CPU of a process and all its descendants (WebKit's helper processes)."""
    total, pids = 0.0, [pid]
    tick = os.sysconf("SC_CLK_TCK")
    while pids:
        p = pids.pop()
        try:
            fields = open(f"/proc/{p}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
            children = open(f"/proc/{p}/task/{p}/children").read().split()
            pids.extend(int(c) for c in children)
        except FileNotFoundError:
            pass
    return total


def main(bare, app):
    runs = int(os.environ.get("RUNS", "15"))
    times = {bare: [], app: []}
    for name in (bare, app):  # warm the page cache once each
        stop(launch(name)[1])
    for _ in range(runs):
        for name in (bare, app):
            seconds, proc = launch(name)
            times[name].append(seconds)
            stop(proc)

    _, proc = launch(app)
    time.sleep(3)
    before, t0 = cpu_seconds(proc.pid), time.monotonic()
    time.sleep(20)
    idle = (cpu_seconds(proc.pid) - before) / (time.monotonic() - t0)
    stop(proc)

    base = statistics.median(times[bare])
    print(f"{'launch to first code (median of ' + str(runs) + ')':<42} {'median':>9} {'p90':>9} {'ratio':>7}")
    for name, label in ((bare, "bare Tauri window (baseline)"), (app, "Ninsho, 20 accounts")):
        xs = sorted(times[name])
        med, p90 = statistics.median(xs), xs[int(0.9 * (len(xs) - 1))]
        print(f"{label:<42} {med * 1000:>7.0f} ms {p90 * 1000:>6.0f} ms {med / base:>6.2f}x")
    print(f"{'Ninsho idle CPU while showing codes':<42} {idle * 100:>8.2f} % of one core")


if __name__ == "__main__":
    main(*sys.argv[1:3])
