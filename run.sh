#!/usr/bin/env bash
# Starts the whole platform with the Aspire dashboard: RabbitMQ, PostgreSQL, the five services and the gateway.
# Data persists in ./.data between runs. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/prerequisites.sh
echo "Gateway:   http://localhost:5080   (e.g. http://localhost:5080/api/organizations/communities)"
echo "Dashboard: the login URL with its token is printed below (http://localhost:18888/login?t=...)"
# Build only when a source changed since the last build that succeeded: MSBuild's own up-to-date check of the app
# host and the ten projects it runs takes about 5 s even when nothing changed. The stamp takes the time the build
# started, so an edit made during the build triggers the next one.
stamp=src/AppHost/bin/.sources-built
changed=$(find src Directory.Build.props Directory.Packages.props global.json \( -name bin -o -name obj \) -prune -o -newer "$stamp" -print -quit 2>/dev/null || echo "no stamp")
if [ ! -f "$stamp" ] || [ -n "$changed" ]; then
  started=$(mktemp)
  trap 'rm -f "$started"' EXIT   # a failed build leaves no stamp behind
  dotnet build src/AppHost --nologo -v quiet -clp:ErrorsOnly
  mv "$started" "$stamp"
  trap - EXIT
fi
exec dotnet run --project src/AppHost --launch-profile http --no-build "$@"
