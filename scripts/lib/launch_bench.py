"""The window benchmark, all against baselines measured in the same run under one Xvfb:
launch to first painted code (bare Tauri window vs Ninsho with 20 and 1,000 accounts),
idle CPU while codes count down (the bare window changing one line once a second vs Ninsho
with 20 and 500 accounts), and `ninsho code` against `oathtool --totp` as whole processes.
Prints one table; the page-side figures (search, scrolling, import) come from
window_bench.mjs."""

import base64
import json
import os
import random
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse

READY = b"first codes painted"
ISSUERS = ["給与システム", "勤怠管理", "経費精算", "Microsoft", "Google", "GitHub", "さくらのクラウド", "freee", "Slack", "AWS"]


def accounts_file(n, path, seed):
    """n accounts as otpauth:// lines, as an export of a shared-accounts desk would hold:
    ten services, IDs starting with A and B, every key different."""
    rnd = random.Random(seed)
    with open(path, "w", encoding="utf-8") as out:
        for i in range(n):
            secret = base64.b32encode(rnd.randbytes(20)).decode().rstrip("=")
            issuer = urllib.parse.quote(ISSUERS[i % len(ISSUERS)])
            account = urllib.parse.quote(f"{'AB'[i % 2]}{i:05d}@example.co.jp")
            out.write(f"otpauth://totp/{issuer}:{account}?secret={secret}&issuer={issuer}\n")


def make_vault(cli, path, n):
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as f:
        source = f.name
    accounts_file(n, source, n)
    subprocess.run([cli, "import", "--yes", source], env={**os.environ, "NINSHO_VAULT": path}, check=True, stdout=subprocess.DEVNULL)
    os.unlink(source)


def launch(binary, vault=None):
    """Seconds from spawn until the app reports its first paint; the process is left running."""
    env = {**os.environ, "NINSHO_VAULT": vault} if vault else os.environ
    start = time.monotonic()
    proc = subprocess.Popen([binary], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, start_new_session=True, env=env)
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


def idle_share(binary, vault, warmup, seconds):
    """Share of one core the app and its WebKit processes use while showing codes."""
    _, proc = launch(binary, vault)
    time.sleep(warmup)
    before, t0 = cpu_seconds(proc.pid), time.monotonic()
    time.sleep(seconds)
    share = (cpu_seconds(proc.pid) - before) / (time.monotonic() - t0)
    stop(proc)
    return share


def installed_copy(binary, scratch):
    """The binary copied as an installer would write it. Run where the linker wrote it, the
    same bytes took 137 page faults a start instead of 127 (perf stat): the page cache holds
    a linker's output differently from a copied file, and that alone moved the ratio."""
    copy = os.path.join(scratch, "bin", os.path.basename(os.path.dirname(binary)) + "-" + os.path.basename(binary))
    os.makedirs(os.path.dirname(copy), exist_ok=True)
    shutil.copy2(binary, copy)
    os.sync()
    return copy


def process_cost(commands, runs, warmup=50):
    """Per command: median and worst wall time and mean user+system CPU, in seconds. Each
    round starts every command once, in an order that rotates: run one after another
    (hyperfine's way), the commands met different moments of the machine's drift, and
    oathtool's own median moved by a quarter between two runs a minute apart."""
    argvs = [shlex.split(c) for c in commands]
    walls = [[] for _ in argvs]
    cpus = [[] for _ in argvs]
    devnull = os.open(os.devnull, os.O_WRONLY)
    for r in range(warmup + runs):
        k = r % len(argvs)
        for i in list(range(k, len(argvs))) + list(range(k)):
            started = time.perf_counter()
            pid = os.posix_spawnp(argvs[i][0], argvs[i], os.environ, file_actions=[(os.POSIX_SPAWN_DUP2, devnull, 1)])
            _, status, usage = os.wait4(pid, 0)
            wall = time.perf_counter() - started
            if os.waitstatus_to_exitcode(status) != 0:
                raise SystemExit(f"{commands[i]} failed")
            if r >= warmup:
                walls[i].append(wall)
                cpus[i].append(usage.ru_utime + usage.ru_stime)
    os.close(devnull)
    return [(statistics.median(w), max(w), statistics.mean(c)) for w, c in zip(walls, cpus)]


def row(label, value, worst, unit, ratio):
    print(f"{label:<52} {value:>9} {worst:>9} {unit:<3} {ratio:>7}")


def main(bare, app, cli, scratch, cli_plain_release):
    runs = int(os.environ.get("RUNS", "15"))
    # Rounds alternate the three windows. With 3 the 20-account ratio moved by ±0.2x
    # between runs of one build; with 8 it was 1.50x and 1.58x in two runs of one build.
    idle_rounds = int(os.environ.get("IDLE_ROUNDS", "8"))
    # A whole TOTP period: every window holds exactly one refresh of the codes (shorter
    # windows held one or none, and their figures wandered by a third between runs).
    idle_seconds = float(os.environ.get("IDLE_SECONDS", "30"))
    vaults = {n: os.path.join(scratch, f"vault-{n}.ninsho") for n in (20, 500, 1000)}
    for n, path in vaults.items():
        make_vault(cli, path, n)
    # Files for window_bench.mjs's import preview: accounts none of the vaults holds.
    for n in (20, 1000):
        accounts_file(n, os.path.join(scratch, f"import-{n}.txt"), -n)

    launches = [("bare Tauri window (baseline)", bare, None), ("Ninsho, 20 accounts", app, vaults[20]), ("Ninsho, 1,000 accounts", app, vaults[1000])]
    times = {label: [] for label, _, _ in launches}
    for _, binary, vault in launches:  # warm the page cache once each
        stop(launch(binary, vault)[1])
    for _ in range(runs):
        for label, binary, vault in launches:
            seconds, proc = launch(binary, vault)
            times[label].append(seconds)
            stop(proc)

    idles = [("bare window, one line changed each second (baseline)", bare, None), ("Ninsho, 20 accounts", app, vaults[20]), ("Ninsho, 500 accounts", app, vaults[500])]
    shares = {label: [] for label, _, _ in idles}
    for _ in range(idle_rounds):
        for label, binary, vault in idles:
            shares[label].append(idle_share(binary, vault, 8, idle_seconds))

    secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
    process_runs = int(os.environ.get("PROCESS_RUNS", "1000"))
    cli, cli_plain_release = installed_copy(cli, scratch), installed_copy(cli_plain_release, scratch)
    (o_med, o_max, o_cpu), (n_med, n_max, n_cpu), (p_med, p_max, p_cpu) = process_cost(
        [f"oathtool --totp -b {secret}", f"{cli} code --secret {secret}", f"{cli_plain_release} code --secret {secret}"], process_runs
    )

    print(f"{'':<52} {'median':>9} {'worst':>9} {'':<3} {'ratio':>7}")
    print(f"launch to first code painted ({runs} launches each)")
    base = statistics.median(times[launches[0][0]])
    for label, _, _ in launches:
        xs = times[label]
        row(f"  {label}", f"{statistics.median(xs) * 1000:.0f}", f"{max(xs) * 1000:.0f}", "ms", f"{statistics.median(xs) / base:.2f}x")
    print(f"idle CPU, app + WebKit processes ({idle_rounds} x {idle_seconds:.0f} s after 8 s, % of one core)")
    base = statistics.median(shares[idles[0][0]])
    for label, _, _ in idles:
        xs = shares[label]
        row(f"  {label}", f"{statistics.median(xs) * 100:.2f}", f"{max(xs) * 100:.2f}", "%", f"{statistics.median(xs) / base:.2f}x")
    print(f"one code as a whole process ({process_runs} rounds, the three in turn)")
    row("  oathtool --totp (baseline), wall", f"{o_med * 1000:.2f}", f"{o_max * 1000:.2f}", "ms", "1.00x")
    row("  ninsho code --secret (release-cli profile), wall", f"{n_med * 1000:.2f}", f"{n_max * 1000:.2f}", "ms", f"{n_med / o_med:.2f}x")
    row("  the same, plain release profile, wall", f"{p_med * 1000:.2f}", f"{p_max * 1000:.2f}", "ms", f"{p_med / o_med:.2f}x")
    row("  oathtool --totp (baseline), CPU user+system", f"{o_cpu * 1000:.2f}", "", "ms", "1.00x")
    row("  ninsho code --secret (release-cli), CPU user+system", f"{n_cpu * 1000:.2f}", "", "ms", f"{n_cpu / o_cpu:.2f}x")
    row("  the same, plain release profile, CPU user+system", f"{p_cpu * 1000:.2f}", "", "ms", f"{p_cpu / o_cpu:.2f}x")
    sys.stdout.flush()


if __name__ == "__main__":
    main(*sys.argv[1:6])
