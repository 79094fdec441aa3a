#!/usr/bin/env python3
"""Where the event loops wait for a CPU, from a `perf sched` trace.

Record while a benchmark runs, then summarise:
    perf sched record -g -o /tmp/sched.data -- sleep 4
    perf sched timehist -i /tmp/sched.data > /tmp/timehist.txt
    python3 bench/sched-waits.py /tmp/timehist.txt [MIN_WAIT_MS]

For every time a Vert.x event loop was woken and had to wait at least MIN_WAIT_MS (default 0.6) before it ran,
it adds up which threads ran on that event loop's CPU meanwhile. An argon2 thread that left the CPU from inside
the kernel is shown with the kernel function it yielded in (libsodium maps and populates its memory per hash).
"""
import bisect
import collections
import re
import sys

# time, [cpu], task, wait time, scheduling delay, run time (ms), then the optional call chain.
LINE = re.compile(r'^\s*([\d.]+)\s+\[(\d+)\]\s+(.*?)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s*(.*)$')


def thread_group(task):
    """'argon2-1[3029/2911]' -> 'argon2', 'vert.x-eventloop-thread-0[..]' -> 'vert.x-eventloo'."""
    name = re.sub(r'\[[\d/]+\]$', '', task)
    return re.sub(r'[-_ ]?\d+$', '', name)


def argon2_label(chain):
    """Where an argon2 thread left the CPU: in user space (preempted on return from an interrupt) or in the kernel."""
    if not chain[0]:
        return 'argon2'  # recorded without -g
    if chain[0] in ('irqentry_exit_to_user_mode', 'exit_to_user_mode_loop'):
        return 'argon2 (user)'
    where = chain[1] if chain[0] == '__cond_resched' and len(chain) > 1 else chain[0]
    return f'argon2 (kernel: {where})'


def main(path, min_wait_ms):
    runs = []  # (cpu, start s, end s, group, call chain)
    event_loop_waits = []  # (cpu, wait start s, wait end s, wait ms)
    for line in open(path):
        m = LINE.match(line)
        if not m:
            continue
        end, cpu, task = float(m.group(1)), int(m.group(2)), m.group(3)
        delay_ms, run_ms, chain = float(m.group(5)), float(m.group(6)), m.group(7)
        start = end - run_ms / 1000
        runs.append((cpu, start, end, thread_group(task), chain.split(' <- ')))
        if 'eventloo' in task:
            event_loop_waits.append((cpu, start - delay_ms / 1000, start, delay_ms))

    delays = sorted(w[3] for w in event_loop_waits)
    if not delays:
        sys.exit('no event-loop threads in ' + path)

    def pct(q):
        return delays[min(len(delays) - 1, int(q * len(delays)))]

    print(f'event-loop wake-ups: {len(delays)}; wait before running p50 {pct(.5):.3f} p99 {pct(.99):.3f} '
          f'p99.9 {pct(.999):.3f} max {delays[-1]:.3f} ms')

    by_cpu = collections.defaultdict(list)  # a CPU's runs, in time order (the trace lists them as they end)
    for run in runs:
        by_cpu[run[0]].append(run)
    run_ends = {cpu: [run[2] for run in cpu_runs] for cpu, cpu_runs in by_cpu.items()}
    blame = collections.Counter()
    long_waits = [w for w in event_loop_waits if w[3] >= min_wait_ms]
    for cpu, since, until, _ in long_waits:
        first = bisect.bisect_right(run_ends[cpu], since)  # the first run still going when the wait began
        for _, start, end, group, chain in by_cpu[cpu][first:]:
            if start >= until:
                break
            overlap = min(end, until) - max(start, since)
            if overlap <= 0:
                continue
            if group == 'argon2':
                group = argon2_label(chain)
            blame[group] += overlap * 1000
    print(f'waits of {min_wait_ms} ms or more: {len(long_waits)}, {sum(w[3] for w in long_waits):.1f} ms in all; '
          'ran on the same CPU meanwhile (ms):')
    for group, ms in blame.most_common(12):
        print(f'  {group:45s} {ms:7.1f}')


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]) if len(sys.argv) > 2 else 0.6)
