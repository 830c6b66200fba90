#!/usr/bin/env bash
# Bounded gRPC load against local servers on loopback; prints a table.
#
#   bench/load.sh [SECONDS_PER_SCENARIO]        (default 10)
#
# Builds the release binaries and starts three servers pinned to
# SERVER_CORE: `gazetteer serve` (the embedded default gazetteer), and two
# no-op baselines from `gazetteer-load noop-server` that answer Resolve with
# an empty response without resolving: one answering inline, one answering
# from the blocking thread pool as the real server resolves. Then runs
# `gazetteer-load run` pinned to CLIENT_CORE against them, scenario by
# scenario, and, when h2load (Debian: nghttp2-client) is installed, the
# 1 KB scenarios again with h2load as the load generator. The servers' CPU
# time per call comes from /proc/PID/stat (utime + stime) over each
# measured window. Results are printed as a Markdown table.
#
# Environment:
#   SERVER_CORE, CLIENT_CORE   cores for taskset (default 0 and 1)
#   LOAD_SKIP_BUILD=1          use the binaries already built
#   LOAD_H2LOAD=0              skip h2load even when it is installed
#   LOAD_RESULTS=FILE          also write every result as JSON Lines to FILE
#   LOAD_NICE=N                run servers and load generators under nice -n N
#                              (e.g. -10 as root, on a machine shared with
#                              other work; default: no nice)
#   CARGO_TARGET_DIR           where the binaries are (default target/)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

seconds="${1:-10}"
if ! [[ "$seconds" =~ ^[0-9]+$ ]] || [ "$seconds" -eq 0 ]; then
  echo "usage: bench/load.sh [SECONDS_PER_SCENARIO]" >&2
  exit 64
fi
server_core="${SERVER_CORE:-0}"
client_core="${CLIENT_CORE:-1}"
bin="${CARGO_TARGET_DIR:-$root/target}/release"
texts="$root/bench/texts"
work="$(mktemp -d)"
results="$work/results.jsonl"
declare -A server_pid server_addr
pids=()

stop_servers() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
trap 'stop_servers; rm -rf "$work"' EXIT

if [ "${LOAD_SKIP_BUILD:-0}" != 1 ]; then
  echo "== cargo build --release --bins" >&2
  cargo build --release --bins >&2
fi

pin=()
if command -v taskset >/dev/null && [ "$(nproc)" -ge 2 ]; then
  pin=(taskset -c)
  if [ -n "${LOAD_NICE:-}" ]; then pin=(nice -n "$LOAD_NICE" taskset -c); fi
else
  echo "warning: taskset or a second core missing; servers and client are not pinned" >&2
fi
on_core() {
  local core="$1"
  shift
  if [ "${#pin[@]}" -gt 0 ]; then "${pin[@]}" "$core" "$@"; else "$@"; fi
}

# Starts server NAME in the background, logging to $work/NAME.log, and waits
# until its log shows the address it listens on (port 0: no collisions).
# taskset execs the server, so $! is the server's own PID.
start_server() {
  local name="$1"
  shift
  if [ "${#pin[@]}" -gt 0 ]; then
    "${pin[@]}" "$server_core" "$@" >"$work/$name.log" 2>&1 &
  else
    "$@" >"$work/$name.log" 2>&1 &
  fi
  local pid=$! addr=""
  pids+=("$pid")
  for _ in $(seq 1 600); do
    addr="$(grep -oE '(address=|SERVING on )[0-9.]+:[0-9]+' "$work/$name.log" | head -1 | grep -oE '[0-9.]+:[0-9]+' || true)"
    if [ -n "$addr" ]; then
      server_pid[$name]="$pid"
      server_addr[$name]="$addr"
      echo "== $name: pid $pid on $addr" >&2
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "error: $name exited:" >&2
      cat "$work/$name.log" >&2
      exit 1
    fi
    sleep 0.1
  done
  echo "error: $name did not start within 60 s:" >&2
  cat "$work/$name.log" >&2
  exit 1
}

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load average before: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
echo "== servers on core $server_core, load generator on core $client_core, ${seconds}s per scenario after 1 s warm-up${LOAD_NICE:+, nice $LOAD_NICE}" >&2
start_server no-op "$bin/gazetteer-load" noop-server --listen 127.0.0.1:0
start_server no-op-blocking "$bin/gazetteer-load" noop-server --blocking --listen 127.0.0.1:0
# The real server sheds calls over --max-concurrent-requests (default four
# per core, so 4 when pinned to one core); raise it so the comparison is
# about resolving, not shedding.
start_server real "$bin/gazetteer" serve --listen 127.0.0.1:0 --max-concurrent-requests 1024

# run_scenario LABEL SERVER TEXT CONCURRENCY CONNECTIONS [RUN_OPTION...]
run_scenario() {
  local label="$1" server="$2" text="$3" concurrency="$4" connections="$5"
  shift 5
  echo "-- $label: $server" >&2
  local json
  json="$(on_core "$client_core" "$bin/gazetteer-load" run --addr "${server_addr[$server]}" \
    --text "$texts/$text" --concurrency "$concurrency" --connections "$connections" \
    --duration "$seconds" --warmup 1 --server-pid "${server_pid[$server]}" --label "$label" --json "$@")"
  printf '{"server":"%s","generator":"gazetteer-load","result":%s}\n' "$server" "$json" >>"$results"
}

saturated="1 KB, saturated (c=128 over 4 conns)"
for server in no-op no-op-blocking real; do
  run_scenario "$saturated" "$server" en-1k.txt 128 4
done
for server in no-op no-op-blocking real; do
  run_scenario "1 KB, c=32" "$server" en-1k.txt 32 1
done
# Unlisted spelling variants (on by default) cost the most per call; the
# same two 1 KB scenarios with them off:
run_scenario "$saturated, listed spellings only" real en-1k.txt 128 4 --listed-spellings-only
run_scenario "1 KB, c=32, listed spellings only" real en-1k.txt 32 1 --listed-spellings-only
for server in no-op real; do
  run_scenario "10 KB, c=32" "$server" en-10k.txt 32 1
done
for server in no-op real; do
  run_scenario "100 KB, c=32" "$server" en-100k.txt 32 1
done

cpu_ticks() {
  # utime + stime (fields 14 and 15, counted after the command name).
  sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'
}

# h2load_scenario LABEL SERVER TEXT CLIENTS STREAMS_PER_CLIENT
# The same call through h2load: a POST of a length-prefixed protobuf body.
# h2load sees HTTP statuses only (the gRPC status is in trailers), so one
# call is checked with the Rust client first.
h2load_scenario() {
  local label="$1" server="$2" text="$3" clients="$4" streams="$5"
  echo "-- h2load, $label: $server" >&2
  local pid="${server_pid[$server]}" addr="${server_addr[$server]}"
  local body="$work/${text%.txt}.grpc" log="$work/h2load-requests.log"
  [ -f "$body" ] || "$bin/gazetteer-load" body "$texts/$text" --out "$body"
  rm -f "$log"
  local ticks_before ticks_after started ended
  ticks_before="$(cpu_ticks "$pid")"
  started="$(date +%s.%N)"
  on_core "$client_core" h2load --duration="$seconds" --warm-up-time=1 -c "$clients" -m "$streams" \
    -d "$body" -H 'content-type: application/grpc' -H 'te: trailers' --log-file="$log" \
    "http://$addr/gazetteer.v1.Resolver/Resolve" >"$work/h2load.out" 2>&1 || {
    cat "$work/h2load.out" >&2
    return 1
  }
  ended="$(date +%s.%N)"
  ticks_after="$(cpu_ticks "$pid")"
  python3 - "$label" "$server" "$texts/$text" "$clients" "$streams" "$seconds" \
    "$ticks_before" "$ticks_after" "$(getconf CLK_TCK)" "$started" "$ended" \
    "$work/h2load.out" "$log" >>"$results" <<'PY'
import json, re, sys
(label, server, text, clients, streams, seconds, t0, t1, hz, started, ended, out, log) = sys.argv[1:]
summary = open(out).read()
m = re.search(r"requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored", summary)
done, ok, failed = int(m.group(3)), int(m.group(4)), int(m.group(5)) + int(m.group(6))
rps = float(re.search(r"finished in [\d.]+m?s, ([\d.]+) req/s", summary).group(1))
# Columns: start (µs since the epoch), HTTP status (0: cut off at the end), µs.
rows = [l.rstrip("\n").split("\t") for l in open(log)]
lat = sorted(int(r[2]) for r in rows if len(r) == 3 and r[1] == "200")
q = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] / 1000 if lat else 0.0
cpu = (int(t1) - int(t0)) / int(hz)
wall = float(ended) - float(started)
size = len(open(text, "rb").read())
print(json.dumps({"server": server, "generator": "h2load", "result": {
    "label": label, "texts": [{"path": text, "bytes": size}],
    "concurrency": int(clients) * int(streams), "connections": int(clients),
    "seconds": float(seconds), "calls_ok": ok, "calls_failed": failed, "errors": {},
    "calls_per_second": rps, "text_mb_per_second": rps * size / 1e6,
    "latency_ms": {"p50": q(0.50), "p90": q(0.90), "p99": q(0.99), "max": lat[-1] / 1000 if lat else 0.0},
    # This CPU window also spans h2load's warm-up second and connection set-up.
    "server_cpu_percent": 100 * cpu / wall if wall > 0 else None,
    "server_cpu_us_per_call": 1e6 * cpu / done if done else None,
    "client_cpu_percent": None,
}}))
PY
}

if [ "${LOAD_H2LOAD:-1}" != 0 ] && command -v h2load >/dev/null; then
  on_core "$client_core" "$bin/gazetteer-load" run --addr "${server_addr[real]}" \
    --text "$texts/en-1k.txt" --calls 1 --warmup 0 --concurrency 1 >/dev/null
  for server in no-op no-op-blocking real; do
    h2load_scenario "$saturated" "$server" en-1k.txt 4 32
  done
  for server in no-op no-op-blocking real; do
    h2load_scenario "1 KB, c=32" "$server" en-1k.txt 1 32
  done
else
  echo "(h2load not installed or LOAD_H2LOAD=0: no h2load runs)" >&2
fi

stop_servers
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg)" >&2
if [ -n "${LOAD_RESULTS:-}" ]; then cp "$results" "$LOAD_RESULTS"; fi

python3 - "$results" "$saturated" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
saturated = sys.argv[2]
def opt(v, fmt, unit=""):
    return "–" if v is None else format(v, fmt) + unit
print("| Scenario | Server | Generator | Calls/s | Text MB/s | p50 ms | p90 ms | p99 ms | max ms | Server CPU | Server CPU/call | Client CPU | Failed |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for row in rows:
    r, l = row["result"], row["result"]["latency_ms"]
    failed = ", ".join(f"{k} {v}" for k, v in r["errors"].items()) or str(r["calls_failed"])
    print(f"| {r['label']} | {row['server']} | {row['generator']} | {r['calls_per_second']:.0f} | "
          f"{r['text_mb_per_second']:.2f} | {l['p50']:.2f} | {l['p90']:.2f} | {l['p99']:.2f} | {l['max']:.2f} | "
          f"{opt(r['server_cpu_percent'], '.0f', '%')} | {opt(r['server_cpu_us_per_call'], '.0f', ' µs')} | "
          f"{opt(r['client_cpu_percent'], '.0f', '%')} | {failed} |")
def find(label, server, generator):
    return next((row["result"] for row in rows if row["result"]["label"] == label
                 and row["server"] == server and row["generator"] == generator), None)
print()
for gen in ("gazetteer-load", "h2load"):
    for base in ("no-op", "no-op-blocking"):
        for suffix in ("", ", listed spellings only"):
            a, b = find(saturated, base, gen), find(saturated + suffix, "real", gen)
            if a and b:
                cpu = ""
                if a["server_cpu_us_per_call"] and b["server_cpu_us_per_call"]:
                    cpu = f"; by server CPU per call {a['server_cpu_us_per_call'] / b['server_cpu_us_per_call']:.2f}"
                print(f"- {gen}, 1 KB saturated{suffix}: real / {base} throughput {b['calls_per_second'] / a['calls_per_second']:.2f}{cpu} (target ≥ 0.60)")
            a, b = find("1 KB, c=32", base, gen), find("1 KB, c=32" + suffix, "real", gen)
            if a and b:
                print(f"- {gen}, 1 KB at c=32{suffix}: real / {base} p99 latency {b['latency_ms']['p99'] / a['latency_ms']['p99']:.2f} (target ≤ 1.5)")
PY
