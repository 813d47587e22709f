#!/usr/bin/env python3
"""Load test for `claimsim serve`: N clients, each sending a what-if every few seconds for a
fixed time, against a server on this machine (loopback only). Prints p50/p95/p99 latency, the
errors by kind, and, with --pid, the server's resident memory at the start and the end and the
CPU time it used per request (which, unlike latency, does not depend on other load).

    claimsim serve --port 0 &            # prints http://127.0.0.1:PORT/
    python3 scripts/loadtest.py http://127.0.0.1:PORT/ --pid $!
    python3 scripts/loadtest.py http://127.0.0.1:PORT/ --pid $! --keep-alive   # one connection per client

Bounded: clients x (duration / every) requests at most, each with a 30 s timeout. Python's
standard library only. The what-ifs are knockouts and presses of the scenario's own nodes,
chosen with a fixed seed, at --samples samples with the press method.
"""

import argparse
import http.client
import ipaddress
import os
import json
import random
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def loopback_only(url):
    host = urllib.parse.urlparse(url).hostname or ""
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except socket.gaierror:
        sys.exit(f"error: cannot resolve {host}")
    if not all(ipaddress.ip_address(a).is_loopback for a in addresses):
        sys.exit(f"error: {host} is not a loopback address; this load test runs against this machine only")


def get_json(url, body=None, timeout=30):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def rss_kib(pid):
    if pid is None:
        return None
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return None


def cpu_seconds(pid):
    """User plus system CPU time the process has used, from /proc (None without --pid)."""
    if pid is None:
        return None
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class KeptConnection:
    """One client's persistent HTTP/1.1 connection (--keep-alive). The server may close an
    idle one (after 5 s, or at once when others wait for a worker); like a browser, the client
    then sends the request again on a new connection, and counts it."""

    def __init__(self, base, timeout=30):
        parsed = urllib.parse.urlparse(base)
        self.host, self.port, self.timeout = parsed.hostname, parsed.port, timeout
        self.connection = None
        self.reconnects = 0

    def post_json(self, path, body):
        data = json.dumps(body).encode()
        for attempt in range(2):
            fresh = self.connection is None
            if fresh:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.connection.request("POST", path, body=data, headers={"Content-Type": "application/json"})
                response = self.connection.getresponse()
                payload = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if fresh or attempt:
                    raise
                self.reconnects += 1
                continue
            if response.getheader("Connection", "").lower() == "close":
                self.connection.close()
                self.connection = None
            if response.status >= 400:
                raise urllib.error.HTTPError(path, response.status, payload.decode(errors="replace"), None, None)
            return json.loads(payload)
        raise RuntimeError("unreachable")


def client(index, args, base, scenario, results, start, reconnects):
    rng = random.Random(index)
    names = [n["name"] for n in scenario["nodes"]]
    deadline = start + args.duration
    next_at = start + rng.uniform(0, args.every)  # clients spread over the first period
    kept = KeptConnection(base) if args.keep_alive else None
    path = "/api/run/" + urllib.parse.quote(scenario["id"])
    while next_at < deadline:
        time.sleep(max(0.0, next_at - time.time()))
        what_if = {"samples": args.samples, "method": "press"}
        if rng.random() < 0.5:
            what_if["knockout"] = [rng.choice(names)]
        else:
            what_if["press"] = [f"{rng.choice(names)}={rng.choice([-1, 1])}"]
        sent = time.perf_counter()
        try:
            if kept:
                kept.post_json(path, what_if)
            else:
                get_json(base + path.lstrip("/"), what_if)
            results.append((time.perf_counter() - sent, None))
        except urllib.error.HTTPError as e:
            # A 400 (e.g. a press the method refuses) is an answer, not a server failure.
            kind = "400 (the what-if refused)" if e.code == 400 else f"HTTP {e.code}"
            results.append((time.perf_counter() - sent, kind))
        except Exception as e:  # timeouts, refused or reset connections
            results.append((time.perf_counter() - sent, type(e).__name__))
        next_at += args.every
    if kept:
        reconnects.append(kept.reconnects)


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    k = min(len(sorted_values) - 1, max(0, round(p / 100 * (len(sorted_values) - 1))))
    return sorted_values[k]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("url", help="the address claimsim serve printed")
    parser.add_argument("--scenario", help="scenario id (default: the one with the most nodes)")
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--every", type=float, default=2.0, help="seconds between a client's requests")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--samples", type=int, default=5000)
    parser.add_argument("--pid", type=int, help="the server's process id, to report its memory")
    parser.add_argument("--keep-alive", action="store_true",
                        help="each client keeps one connection open (as a browser does) instead of one per request")
    args = parser.parse_args()
    if not (1 <= args.clients <= 200 and 0.1 <= args.every and 1 <= args.duration <= 600):
        sys.exit("error: keep it bounded: 1-200 clients, --every >= 0.1 s, --duration 1-600 s")
    base = args.url if args.url.endswith("/") else args.url + "/"
    loopback_only(base)
    try:
        listing = get_json(base + "api/scenarios")
    except OSError as e:
        sys.exit(f"error: no claimsim server answers at {base}: {e}\n  start one with `claimsim serve --port 0`")
    chosen = args.scenario or max(listing, key=lambda e: (e["nodes"], e["expectations"]))["id"]
    scenario = get_json(base + "api/scenarios/" + urllib.parse.quote(chosen))
    memory_before = rss_kib(args.pid)
    cpu_before = cpu_seconds(args.pid)
    results = []
    reconnects = []
    start = time.time() + 0.5
    threads = [threading.Thread(target=client, args=(i, args, base, scenario, results, start, reconnects))
               for i in range(args.clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    memory_after = rss_kib(args.pid)
    cpu_after = cpu_seconds(args.pid)
    latencies = sorted(ms * 1000 for ms, error in results if error is None)
    errors = {}
    for _, error in results:
        if error:
            errors[error] = errors.get(error, 0) + 1
    print(f"scenario {chosen} ({len(scenario['nodes'])} nodes), press, {args.samples} samples")
    print(f"{args.clients} clients, one what-if every {args.every:g} s each, for {args.duration:g} s"
          + (", each on a kept-open connection" if args.keep_alive else ", a connection per request"))
    print(f"requests {len(results)}, answered 200: {len(latencies)}, errors: {errors or 'none'}")
    print("latency ms: p50 {:.0f}  p95 {:.0f}  p99 {:.0f}  max {:.0f}".format(
        percentile(latencies, 50), percentile(latencies, 95), percentile(latencies, 99),
        latencies[-1] if latencies else float("nan")))
    if args.keep_alive:
        print(f"requests sent again on a new connection after the server closed an idle one: {sum(reconnects)}")
    if memory_before is not None:
        print(f"server memory (VmRSS): {memory_before / 1024:.1f} MiB before, {memory_after / 1024:.1f} MiB after")
        # CPU per request does not depend on what else the machine runs; latency does.
        per_request = (cpu_after - cpu_before) / max(1, len(results)) * 1000
        print(f"server CPU: {cpu_after - cpu_before:.1f} s in all, {per_request:.0f} ms per request")
    server_errors = sum(n for kind, n in errors.items() if not kind.startswith("400"))
    return 1 if server_errors else 0


if __name__ == "__main__":
    sys.exit(main())
