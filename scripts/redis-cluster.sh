#!/usr/bin/env bash
# Starts or stops a throwaway 3-primary Redis Cluster on loopback for the cluster tests.
#   scripts/redis-cluster.sh start   # prints: export REDIS_CLUSTER_NODES=127.0.0.1:7101,...
#   scripts/redis-cluster.sh stop
# Ports: REDIS_CLUSTER_BASE_PORT (default 7101) .. +2. Data lives in tmp/redis-cluster/<base port> (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
base="${REDIS_CLUSTER_BASE_PORT:-7101}"
ports=("$base" "$((base + 1))" "$((base + 2))")
dir="$PWD/tmp/redis-cluster/$base" # one folder per port range: stopping one cluster never touches another

stop() {
  for p in "${ports[@]}"; do redis-cli -h 127.0.0.1 -p "$p" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$dir"
}

start() {
  for cmd in redis-server redis-cli; do
    command -v "$cmd" >/dev/null || { echo "$cmd not found: apt-get install redis-server" >&2; exit 1; }
  done
  stop
  mkdir -p "$dir"
  for p in "${ports[@]}"; do
    mkdir -p "$dir/$p"
    redis-server --port "$p" --bind 127.0.0.1 --daemonize yes --cluster-enabled yes \
      --cluster-config-file "$dir/$p/nodes.conf" --cluster-node-timeout 5000 \
      --dir "$dir/$p" --save "" --appendonly no --logfile "$dir/$p/redis.log"
  done
  for p in "${ports[@]}"; do
    for _ in $(seq 1 50); do redis-cli -p "$p" ping >/dev/null 2>&1 && break; sleep 0.1; done
  done
  redis-cli --cluster create "${ports[@]/#/127.0.0.1:}" --cluster-replicas 0 --cluster-yes >"$dir/create.log" 2>&1 \
    || { cat "$dir/create.log" >&2; stop; exit 1; }
  for _ in $(seq 1 100); do
    ok=1
    for p in "${ports[@]}"; do
      redis-cli -p "$p" cluster info 2>/dev/null | grep -q 'cluster_state:ok' || ok=0
    done
    [ "$ok" = 1 ] && break
    sleep 0.2
  done
  [ "$ok" = 1 ] || { echo "cluster did not reach cluster_state:ok" >&2; stop; exit 1; }
  nodes=$(printf '127.0.0.1:%s,' "${ports[@]}")
  echo "export REDIS_CLUSTER_NODES=${nodes%,}"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
