#!/usr/bin/env python3
"""Side-by-side scrape benchmark of two exporters, interleaved in one run.

For each scenario both exporters are started fresh, then scraped alternately
(A, B, A, B, ...) --scrapes times each over HTTP on loopback, the way
Prometheus does (one kept-alive connection, or a new connection per scrape).
Reported per exporter: median and p99 scrape latency seen by the client, CPU
seconds the exporter process spent per 1000 scrapes (utime+stime from
/proc/PID/stat), resident memory after the scrapes (VmRSS) and bytes per
scrape on the wire. The whole set of scenarios is repeated --rounds times and
each figure is the median over the rounds.

Usage: scrape_bench.py --scenarios FILE.json [--scrapes 500] [--rounds 3]
The scenarios file lists {"name", "gzip", "keepalive", "exporters": [{"name",
"cmd": [...], "port"}, {...}]}; "{port}" in a command is replaced.
"""
import argparse
import http.client
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import time

TICKS = os.sysconf('SC_CLK_TCK')


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


def cpu_seconds(pid):
    with open(f'/proc/{pid}/stat') as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def rss_bytes(pid):
    with open(f'/proc/{pid}/status') as f:
        for line in f:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) * 1024
    return 0


class Target:
    def __init__(self, spec, gzip, keepalive):
        self.name = spec['name']
        self.port = free_port()
        cmd = [c.replace('{port}', str(self.port)) for c in spec['cmd']]
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.headers = {'Accept': 'text/plain;version=0.0.4;q=0.9,*/*;q=0.1',
                        'X-Prometheus-Scrape-Timeout-Seconds': '10'}
        if gzip:
            self.headers['Accept-Encoding'] = 'gzip'
        self.keepalive = keepalive
        self.conn = None
        self.latencies = []
        self.bytes = 0
        deadline = time.time() + 15
        while time.time() < deadline:
            try:
                self.scrape(record=False)
                break
            except OSError:
                self.conn = None
                time.sleep(0.05)
        else:
            raise SystemExit(f'{self.name} did not start: {cmd}')
        self.conn = None
        self.cpu0 = cpu_seconds(self.proc.pid)

    def scrape(self, record=True):
        if self.conn is None or not self.keepalive:
            if self.conn is not None:
                self.conn.close()
            self.conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=10)
        t0 = time.perf_counter()
        self.conn.request('GET', '/metrics', headers=self.headers)
        resp = self.conn.getresponse()
        body = resp.read()
        t1 = time.perf_counter()
        if resp.status != 200:
            raise SystemExit(f'{self.name}: HTTP {resp.status}')
        if record:
            self.latencies.append(t1 - t0)
            self.bytes = len(body)
        if not self.keepalive:
            self.conn.close()
            self.conn = None

    def finish(self, scrapes):
        lat = sorted(self.latencies)
        result = {
            'median_ms': statistics.median(lat) * 1000,
            'p99_ms': lat[min(len(lat) - 1, int(len(lat) * 0.99))] * 1000,
            'cpu_s_per_1000': (cpu_seconds(self.proc.pid) - self.cpu0) / scrapes * 1000,
            'rss_mb': rss_bytes(self.proc.pid) / 1e6,
            'bytes': self.bytes,
        }
        if self.conn is not None:
            self.conn.close()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        return result


def run_scenario(sc, scrapes):
    targets = []
    try:
        for e in sc['exporters']:
            targets.append(Target(e, sc['gzip'], sc['keepalive']))
        a, b = targets
        for _ in range(scrapes):
            a.scrape()
            b.scrape()
        return a.finish(scrapes), b.finish(scrapes)
    finally:
        # Whatever happened, no exporter outlives its scenario.
        for t in targets:
            if t.proc.poll() is None:
                t.proc.kill()
                t.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--scenarios', required=True)
    ap.add_argument('--scrapes', type=int, default=500)
    ap.add_argument('--rounds', type=int, default=3)
    args = ap.parse_args()
    with open(args.scenarios) as f:
        scenarios = json.load(f)
    results = {sc['name']: [] for sc in scenarios}
    for r in range(args.rounds):
        for sc in scenarios:
            results[sc['name']].append(run_scenario(sc, args.scrapes))
            print(f'round {r + 1}/{args.rounds}: {sc["name"]} done', file=sys.stderr)

    keys = ['median_ms', 'p99_ms', 'cpu_s_per_1000', 'rss_mb', 'bytes']
    print(f'{args.scrapes} scrapes per exporter per scenario, interleaved; '
          f'median of {args.rounds} rounds.\n')
    print('| scenario | exporter | median latency ms | p99 latency ms | CPU s / 1000 scrapes '
          '| RSS MB after | bytes / scrape |')
    print('|---|---|---|---|---|---|---|')
    ratios = []
    for sc in scenarios:
        med = []
        for i, e in enumerate(sc['exporters']):
            m = {k: statistics.median(run[i][k] for run in results[sc['name']]) for k in keys}
            med.append(m)
            print(f'| {sc["name"]} | {e["name"]} | {m["median_ms"]:.3f} | {m["p99_ms"]:.3f} | '
                  f'{m["cpu_s_per_1000"]:.3f} | {m["rss_mb"]:.1f} | {m["bytes"]:.0f} |')
        ours, theirs = med
        ratios.append((sc['name'], ours['cpu_s_per_1000'] / theirs['cpu_s_per_1000'],
                       ours['rss_mb'] / theirs['rss_mb'], ours['median_ms'] / theirs['median_ms']))
    print('\nRatios (first exporter / second; lower is better):\n')
    print('| scenario | CPU per scrape | resident memory | median latency |')
    print('|---|---|---|---|')
    for name, cpu, rss, lat in ratios:
        print(f'| {name} | {cpu:.3f} (1/{1 / cpu:.1f}) | {rss:.3f} (1/{1 / rss:.1f}) | '
              f'{lat:.3f} (1/{1 / lat:.1f}) |')


if __name__ == '__main__':
    main()
