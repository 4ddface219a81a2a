#!/usr/bin/env python3
"""Peak memory of one TUI run: BIN --file FILE under /usr/bin/time in a pty; types G, a search,
Esc and q, and prints the wall time and the peak RSS.
  python3 benches/peak.py BIN FILE [ENV=VALUE ...]
FILE is opened as the app opens it (it may save): give it a copy. Config, state and caches go to
a temporary directory unless ENV names them (FANTRACK_CACHE_DIR=DIR
keeps a cache between runs: run twice for the start from the cache)."""
import os, pty, sys, time, select, tempfile

bin_, file_ = sys.argv[1], sys.argv[2]
tmp = tempfile.mkdtemp()
os.environ.update(XDG_CONFIG_HOME=f"{tmp}/config", FANTRACK_STATE_DIR=f"{tmp}/state",
                  FANTRACK_CACHE_DIR=f"{tmp}/cache", FANTRACK_TVMAZE_URL="http://127.0.0.1:9")
for kv in sys.argv[3:]:
    k, v = kv.split("=", 1)
    os.environ[k] = v
out = f"{tmp}/time.out"
pid, fd = pty.fork()
if pid == 0:
    os.execv("/usr/bin/time", ["/usr/bin/time", "-o", out, "-f", "%e s %M KB", bin_, "--file", file_])

def drain(seconds):
    end = time.time() + seconds
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                os.read(fd, 1 << 20)
            except OSError:
                return

drain(1.5); os.write(fd, b"G"); drain(0.5); os.write(fd, b"/sea"); drain(0.5)
os.write(fd, b"\x1b"); drain(0.3); os.write(fd, b"q"); drain(2)
os.waitpid(pid, 0)
print(open(out).read().strip())
