#!/usr/bin/env python3
"""Medians of traced starts (lines written by FANTRACK_TRACE_START): each phase's end and
length in wall time, and the decode's CPU on its two threads. Usage: trace_sum.py FILE..."""
import re, statistics as st, sys

PHASES = ['config', 'cache-read', 'cache-decode', 'app', 'rescued', 'terminal', 'state-read',
          'restore', 'frame', 'answered']
for f in sys.argv[1:]:
    rows = []
    for line in open(f):
        rows.append({m.group(1): (int(m.group(2)), int(m.group(3)))
                     for m in re.finditer(r'([\w-]+)=(\d+)/(\d+)@', line)})
    rows = [d for d in rows if all(k in d for k in PHASES)]
    print(f"{f}: {len(rows)} starts")
    if not rows:
        continue
    med = lambda fn: st.median(fn(d) for d in rows) / 1000
    prev = None
    for k in PHASES:
        took = med(lambda d: d[k][0] - (d[prev][0] if prev else 0))
        print(f"  {k:13s} at {med(lambda d: d[k][0]):6.2f} ms  (+{took:.2f})")
        prev = k
    print(f"  decode CPU: {med(lambda d: d['cache-decode'][1] - d['cache-read'][1]):.2f} ms "
          f"on main, {med(lambda d: d['decode-half'][1]) if all('decode-half' in d for d in rows) else 0:.2f} ms "
          "on the other thread")
    hashed = [d['hashed'] for d in rows if 'hashed' in d]
    if hashed:
        print(f"  RON hashed at {st.median(h[0] for h in hashed) / 1000:.2f} ms, "
              f"{st.median(h[1] for h in hashed) / 1000:.2f} ms of CPU")
