#!/usr/bin/env python3
"""Turn `make bench`'s JSON (vm/guest/bench.sh) into a table, a plot and
docs/perf.md's benchmark section.

bench-report.py DIR [--docs docs/perf.md --commit ID --date YYYY-MM-DD]

DIR holds rep*.json (glass perf --json, all tests, one per repetition),
sweep-P*.json (bulk with -P N), many-N-R.json (the many test, N connections,
round R), burst-N-R.json (the same with up to ten writes per ready connection),
busypoll.json (rr with SO_BUSY_POLL), netem.json and
the guest's facts (cpus, mem_kb, kernel, many_count). Writes DIR/bench.md,
DIR/bench.csv, DIR/sweep.csv, DIR/sweep.gp and, when gnuplot is installed,
DIR/sweep.svg. Ratios are taken within each run (glass / tcp-veth of the
same run), then summarised, since absolute figures under TCG move with the
host's load.
"""
import argparse
import glob
import json
import os
import re
import shutil
import statistics
import subprocess
import sys

BEGIN, END = '<!-- bench:begin -->', '<!-- bench:end -->'


def load(path):
    with open(path) as f:
        return json.load(f)


def read(path, default=''):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return default


def fmt(v):
    if v is None:
        return '-'
    a = abs(v)
    if 0 < a < 0.1:
        return f'{v:.2g}'  # a starved stream: keep its digits
    return f'{v:.0f}' if a >= 100 else f'{v:.1f}' if a >= 10 else f'{v:.2f}'


def rep_table(reps):
    """Rows (test, transport, figure, unit, min, median, max, ratio median, ratio min..max)."""
    values, ratios, order = {}, {}, []
    for rep in reps:
        for r in rep['results']:
            key = (r['test'], r['transport'], r['figure'], r['unit'])
            if key not in values:
                values[key], ratios[key] = [], []
                order.append(key)
            values[key].append(r['value'])
            if r['ratio'] is not None:
                ratios[key].append(r['ratio'])
    rows = []
    for key in order:
        v, q = values[key], ratios[key]
        rows.append(key + (min(v), statistics.median(v), max(v),
                           statistics.median(q) if q else None,
                           min(q) if q else None, max(q) if q else None, len(v)))
    return rows


def figure(doc, transport, name):
    for r in doc['results']:
        if r['transport'] == transport and r['figure'] == name:
            return r['value']
    return None


def sweep(dirname):
    rows = []
    for path in glob.glob(os.path.join(dirname, 'sweep-P*.json')):
        p = int(re.search(r'P(\d+)', path).group(1))
        d = load(path)
        row = [p]
        for t in ('glass', 'tcp-veth'):
            agg = figure(d, t, 'throughput')
            lo = figure(d, t, 'stream-min') if p > 1 else agg
            hi = figure(d, t, 'stream-max') if p > 1 else agg
            row += [agg, lo, hi]
        rows.append(row)
    return sorted(rows)


MANY_TRANSPORTS = ('glass', 'tcp-veth', 'unix')


def spread(values):
    """'median (min-max)' of the values that exist, '-' if none."""
    v = [x for x in values if x is not None]
    if not v:
        return '-'
    return f'{fmt(statistics.median(v))} ({fmt(min(v))}-{fmt(max(v))})'


def ratio_spread(pairs):
    """Median and range of a / b over the pairs where both exist."""
    r = [a / b for a, b in pairs if a and b]
    if not r:
        return '-'
    return f'**{statistics.median(r):.2f}x** ({min(r):.2f}-{max(r):.2f})'


def many_rounds(dirname, n, prefix='many'):
    """The rounds of PREFIX-N-R.json and PREFIX-100-R.json that both exist."""
    rounds = []
    for path in sorted(glob.glob(os.path.join(dirname, f'{prefix}-{n}-*.json'))):
        r = re.search(r'-(\d+)\.json$', path).group(1)
        base = os.path.join(dirname, f'{prefix}-100-{r}.json')
        if os.path.exists(base):
            rounds.append((load(path), load(base)))
    return rounds


def best_ratio(at_n, at_100):
    """The best round at N over the best at 100: a shared host only ever
    slows a run, so each count's fastest round is the nearest to its
    unhindered figure."""
    n = [x for x in at_n if x]
    b = [x for x in at_100 if x]
    return f'{max(n) / max(b):.2f}x' if n and b else '-'


def many_table(rounds, many_n):
    """Each transport at N and at 100, the whole run and the data phase."""
    out = [f'| transport | 100 | {many_n} | {many_n} / 100 | while writing: 100 | {many_n} | '
           f'{many_n} / 100 | best rounds, while writing | slowest of {many_n} |',
           '|---|---:|---:|---:|---:|---:|---:|---:|---:|']
    for t in MANY_TRANSPORTS:
        cells = []
        for fig in ('throughput', 'while-writing'):
            at_n = [figure(d, t, fig) for d, _ in rounds]
            at_100 = [figure(b, t, fig) for _, b in rounds]
            cells += [spread(at_100), spread(at_n), ratio_spread(zip(at_n, at_100))]
        cells.append(best_ratio(at_n, at_100))
        cells.append(spread([figure(d, t, 'stream-min') for d, _ in rounds]))
        out.append(f'| {t} | ' + ' | '.join(cells) + ' |')
    return out + ['']


def many_section(dirname):
    """The many-connection rounds: each transport at N and at 100, and N/100."""
    many_n = read(os.path.join(dirname, 'many_count'))
    tried = sorted({int(re.search(r'many-(\d+)-\d+\.err', p).group(1))
                    for p in glob.glob(os.path.join(dirname, 'many-*-*.err'))}, reverse=True)
    failed = [n for n in tried if n > int(many_n or 0) and n != 100]
    rounds = many_rounds(dirname, many_n) if many_n else []
    if not rounds:
        return []
    out = [f'Many connections moving data at once (`--tests many --many N -l 16K`), {len(rounds)} '
           f'rounds alternating {many_n} and 100 connections, MB/s: median (min-max) over the '
           f'rounds; ratios are taken within each round. The writer writes once to each '
           f'connection epoll reports writable.']
    if failed:
        out.append(f'The guest could not run {", ".join(map(str, failed))} connections '
                   f'(see many-N-1.err); the largest run that worked is {many_n}.')
    out += ['', '"while writing": bytes read by the time the writer stopped, over that time (the '
            'data phase, without the last queued bytes and the FIN and EOF of every connection). '
            '"best rounds": the fastest round at each count, one over the other (a shared host '
            'only ever slows a run down). AF_UNIX has no protocol: its own ratio shows what the '
            'host and the benchmark leave to any transport at this count.', '']
    out += many_table(rounds, many_n)
    g_t = ratio_spread((figure(d, 'glass', 'throughput'), figure(d, 'tcp-veth', 'throughput'))
                       for d, _ in rounds)
    g_u = ratio_spread((figure(d, 'glass', 'throughput'), figure(d, 'unix', 'throughput'))
                       for d, _ in rounds)
    out += [f'At {many_n} connections glass moves {g_t} of TCP\'s throughput and {g_u} of '
            'AF_UNIX\'s, in the same rounds.', '']
    return out + burst_section(dirname, many_n)


def burst_section(dirname, many_n):
    """The rounds again with a writer like iperf3's (burst-N-R.json)."""
    rounds = many_rounds(dirname, many_n, 'burst')
    if not rounds:
        return []
    secs = read(os.path.join(dirname, 'burst_secs'), '?')
    out = [f'The same rounds with a writer like iperf3\'s (`--writes-per-wake 10`: up to ten '
           f'writes to each connection epoll reports writable, stopping at the first that falls '
           f'short), for {secs} s, so that every one of {many_n} connections has its turns:', '']
    return out + many_table(rounds, many_n)


def markdown(dirname, reps, rows, sw):
    out = []
    cpus, mem = read(os.path.join(dirname, 'cpus'), '?'), read(os.path.join(dirname, 'mem_kb'), '0')
    out.append(f'Guest: {cpus} vCPUs (QEMU TCG), {int(mem) // 1024} MiB, kernel '
               f'{read(os.path.join(dirname, "kernel"), "?")}; {len(reps)} repetitions of '
               '`glass perf --time 2` (all tests). Values: min / median / max over the '
               'repetitions; ratio: glass (or each transport) over tcp-veth **in the same run**, '
               'median and range over the repetitions. Lower is better for us and us/MB.')
    out.append('')
    out.append('| test | transport | figure | unit | min | median | max | ratio (median) | ratio range |')
    out.append('|---|---|---|---|---:|---:|---:|---:|---|')
    for (test, tr, fig, unit, lo, med, hi, r, rlo, rhi, n) in rows:
        rr = f'{rlo:.2f}-{rhi:.2f}' if r is not None else '-'
        rm = f'{r:.2f}x' if r is not None else '-'
        out.append(f'| {test} | {tr} | {fig} | {unit} | {fmt(lo)} | {fmt(med)} | {fmt(hi)} | {rm} | {rr} |')
    out.append('')
    if sw:
        out.append('Parallel streams (`glass perf --tests bulk -P N`, one run per N), MB/s: the '
                   'aggregate, and the slowest and fastest stream (a starved stream shows as a '
                   'slowest far below aggregate / N):')
        out.append('')
        out.append('| -P | glass | slowest | fastest | tcp-veth | slowest | fastest | glass / TCP |')
        out.append('|---:|---:|---:|---:|---:|---:|---:|---:|')
        for p, g, glo, ghi, t, tlo, thi in sw:
            ratio = f'{g / t:.2f}x' if g and t else '-'
            out.append(f'| {p} | {fmt(g)} | {fmt(glo)} | {fmt(ghi)} | {fmt(t)} | {fmt(tlo)} | '
                       f'{fmt(thi)} | {ratio} |')
        out.append('')
    out += many_section(dirname)
    busy = os.path.join(dirname, 'busypoll.json')
    if os.path.exists(busy):
        d = load(busy)
        cells = []
        for q in ('p50', 'p99', 'p99.9'):
            g, t = figure(d, 'glass', q), figure(d, 'tcp-veth', q)
            cells.append(f'{q} {fmt(g)} us (**{(g / t if g and t else 0):.2f}x** TCP)')
        u = figure(d, 'unix', 'p50')
        out.append('Request/response with `SO_BUSY_POLL` 50 us on both ends (`--tests rr '
                   '--busy-poll 50`, one run; TCP over veth has no poll to spin on): glass '
                   + ', '.join(cells) + f'; AF_UNIX p50 {fmt(u)} us.')
        out.append('')
    netem = os.path.join(dirname, 'netem.json')
    if os.path.exists(netem):
        d = load(netem)
        g, t = figure(d, 'glass', 'throughput'), figure(d, 'tcp-veth', 'throughput')
        out.append(f'Under `--netem "{d.get("netem", "")}"` (both pairs, both directions), bulk '
                   f'goodput: glass {fmt(g)} MB/s, tcp-veth {fmt(t)} MB/s, '
                   f'**{(g / t if g and t else 0):.2f}x**.')
        out.append('')
    return '\n'.join(out)


def write_plot(dirname, sw):
    with open(os.path.join(dirname, 'sweep.csv'), 'w') as f:
        f.write('P,glass,glass_min,glass_max,tcp,tcp_min,tcp_max\n')
        for row in sw:
            f.write(','.join('' if v is None else str(v) for v in row) + '\n')
    gp = os.path.join(dirname, 'sweep.gp')
    with open(gp, 'w') as f:
        f.write('''set terminal svg size 900,540 dynamic font "sans,12"
set output "sweep.svg"
set datafile separator ","
set title "glass perf -P N: aggregate and slowest stream, glass vs TCP over veth (same guest)"
set xlabel "parallel streams (-P)"
set ylabel "MB/s"
set logscale x 2
set key top left
set grid
plot "sweep.csv" skip 1 using 1:2 with linespoints lw 2 lc rgb "#1f77b4" title "glass aggregate", \\
     "" skip 1 using 1:5 with linespoints lw 2 lc rgb "#d62728" title "TCP aggregate", \\
     "" skip 1 using 1:3 with linespoints dt 2 lc rgb "#1f77b4" title "glass slowest stream", \\
     "" skip 1 using 1:6 with linespoints dt 2 lc rgb "#d62728" title "TCP slowest stream"
''')
    if shutil.which('gnuplot') and sw:
        r = subprocess.run(['gnuplot', 'sweep.gp'], cwd=dirname, capture_output=True, text=True)
        if r.returncode != 0:
            print(f'bench-report: gnuplot failed: {r.stderr.strip()}', file=sys.stderr)
            return False
    return True


def update_docs(path, body, date, commit):
    with open(path) as f:
        text = f.read()
    section = (f'{BEGIN}\n## Benchmark: {date}, commit {commit}\n\n'
               f'Written by `make bench` (scripts/bench-report.py); the plot is '
               f'`out/bench/<time>/sweep.svg`.\n\n{body}\n{END}')
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section + text[text.index(END) + len(END):]
    else:
        text = text.rstrip('\n') + '\n\n' + section + '\n'
    with open(path, 'w') as f:
        f.write(text)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('dir')
    ap.add_argument('--docs')
    ap.add_argument('--commit', default='')
    ap.add_argument('--date', default='')
    a = ap.parse_args()
    reps = [load(p) for p in sorted(glob.glob(os.path.join(a.dir, 'rep*.json')))]
    if not reps:
        sys.exit(f'bench-report: no rep*.json in {a.dir}')
    rows = rep_table(reps)
    with open(os.path.join(a.dir, 'bench.csv'), 'w') as f:
        f.write('test,transport,figure,unit,min,median,max,ratio_median,ratio_min,ratio_max,runs\n')
        for row in rows:
            f.write(','.join('' if v is None else str(v) for v in row) + '\n')
    sw = sweep(a.dir)
    ok = write_plot(a.dir, sw)
    body = markdown(a.dir, reps, rows, sw)
    with open(os.path.join(a.dir, 'bench.md'), 'w') as f:
        f.write(body + '\n')
    print(body)
    if a.docs:
        update_docs(a.docs, body, a.date, a.commit)
    sys.exit(0 if ok else 1)


if __name__ == '__main__':
    main()
