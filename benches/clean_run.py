#!/usr/bin/env python3
"""A clean run: starts BIN --file FILE in a pty, waits SECONDS (5), types q. It writes the library
cache and the saved state, which the measuring scripts never do (they kill the app).
  python3 benches/clean_run.py BIN FILE [SECONDS]"""
import os, pty, sys, time, select

pid, fd = pty.fork()
if pid == 0:
    os.execv(sys.argv[1], [sys.argv[1], "--file", sys.argv[2]])
end = time.time() + float(sys.argv[3] if len(sys.argv) > 3 else 5)
while time.time() < end:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            os.read(fd, 1 << 20)
        except OSError:
            break
os.write(fd, b"q")
os.waitpid(pid, 0)
