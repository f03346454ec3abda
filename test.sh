#!/usr/bin/env bash
# Runs every test: unit, per-service HTTP tests on real PostgreSQL and RabbitMQ, and end to end through the gateway.
# Tests start their own servers in fresh temporary folders and remove them afterwards.
set -uo pipefail
cd "$(dirname "$0")"
bash scripts/prerequisites.sh --for-tests || exit 1
# The webhook tests also check signatures with the npm standardwebhooks package (a verifier no one here wrote).
if ! command -v npm >/dev/null; then
  echo "prerequisites: installing nodejs and npm"
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null || exit 1
fi
npm ci --prefix tests/Partners.Tests/verifier --no-audit --no-fund --loglevel=error >/dev/null || { echo "npm ci failed"; exit 1; }
# The Kubernetes manifests are checked against the Kubernetes schemas offline with the npm kubernetes-models package.
npm ci --prefix tests/Platform.Tests/kubernetes-schemas --no-audit --no-fund --loglevel=error >/dev/null || { echo "npm ci failed"; exit 1; }

log=$(mktemp /tmp/platform-test.XXXXXX.log)
dotnet build Platform.slnx -c Release -nologo -clp:ErrorsOnly 2>&1 | tee "$log" || true
if [ "${PIPESTATUS[0]}" -ne 0 ]; then
  echo "build failed"
  exit 1
fi

# Two test projects at a time: each starts its own PostgreSQL and RabbitMQ (own ports, node name and folder), and
# most of a test's time is spent waiting on them, so two keep the machine's two cores busy.
# A hung test is reported with a dump rather than holding CI.
dotnet test Platform.slnx -c Release --no-build -m:2 --blame-hang-timeout 5m -nologo 2>&1 | tee -a "$log"
status=${PIPESTATUS[0]}

# One summary line per test assembly ("Passed!  - Failed: 0, Passed: 21, ..."); the runner may repeat one.
summaries=$(grep -E '^(Passed|Failed)! ' "$log" | sort -u)
passed=$(grep -oE 'Passed: +[0-9]+' <<<"$summaries" | awk '{s+=$2} END {print s+0}')
failed=$(grep -oE 'Failed: +[0-9]+' <<<"$summaries" | awk '{s+=$2} END {print s+0}')
rm -f "$log"
echo
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
