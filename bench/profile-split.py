#!/usr/bin/env python3
"""bench/profile-split.py FILE... - splits async-profiler's collapsed stacks (recorded with its threads option) by
thread and, on the event loops, by the code that owns each sample's own (leaf) frame: the kernel, Netty, Vert.x,
the JDK's classes, the JVM's stubs and native code, Hookcast, and the libraries it calls. docs/performance.md
(Profiling) records the files."""
import sys, re, collections
threads = collections.Counter(); own = collections.Counter(); total = 0
def group(thread):
    t = thread.lower()
    if 'eventloop' in t: return 'event loops'
    if 'compiler' in t: return 'JIT compiler'
    if 'access-log' in t: return 'webhook-log writer'
    if 'gc' in t or 'vm thread' in t: return 'GC and VM'
    if 'worker' in t: return 'workers'
    return 'other: ' + re.sub(r'[-0-9 ]+$', '', thread)[:30]
def owner(frame):
    f = frame
    if f.endswith('_[k]'): return 'kernel'
    f = re.sub(r'_\[.\]$', '', f)
    if f.startswith('io/netty/'): return 'Netty'
    if f.startswith('io/vertx/'): return 'Vert.x'
    if f.startswith('io/hookcast/'): return 'Hookcast'
    if re.match(r'(java|javax|jdk|sun)/', f): return 'JDK classes'
    if re.match(r'com/fasterxml|io/micrometer', f): return 'Jackson, Micrometer'
    if f.startswith('io/opentelemetry/'): return 'OpenTelemetry'
    if re.match(r'ch/qos|org/slf4j', f): return 'Logback'
    return 'JVM stubs and native'
for path in sys.argv[1:]:
    for line in open(path):
        line = line.rstrip('\n')
        if not line: continue
        stack, n = line.rsplit(' ', 1); n = int(n)
        frames = stack.split(';')
        thread = frames[0].strip('[]')
        thread = re.sub(r' tid=\d+$', '', thread)
        g = group(thread); threads[g] += n; total += n
        if g == 'event loops': own[owner(frames[-1])] += n
print('samples', total)
for g, n in threads.most_common(): print(f'{g:24s} {100*n/total:5.1f}%')
el = sum(own.values())
print('event loops own time:')
for o, n in own.most_common(): print(f'  {o:22s} {100*n/el:5.1f}%')
