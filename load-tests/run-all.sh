#!/bin/sh
# Runs every load test in turn and exits non-zero if any guarantee broke.
#   docker compose --profile load run --rm --entrypoint sh k6 /scripts/run-all.sh    (inside the k6 image)
#   BASE_URL=http://localhost:3001 MAILPIT_URL=http://localhost:8025 load-tests/run-all.sh   (local k6)
# k6 reads BASE_URL and MAILPIT_URL (and the other knobs) from the environment.
set -u
dir=$(cd "$(dirname "$0")" && pwd)
failed=""
for script in per-email-limit per-ip-limit wrong-guesses-lockout single-use-code throughput; do
  echo "=== $script"
  k6 run --quiet "$dir/$script.js" || failed="$failed $script"
done
if [ -n "$failed" ]; then
  echo "FAILED:$failed" >&2
  exit 1
fi
echo "All load-test guarantees held."
