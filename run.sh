#!/usr/bin/env bash
# Starts the whole platform with the Aspire dashboard: RabbitMQ, PostgreSQL, the five services and the gateway.
# Data persists in ./.data between runs. Stop with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/prerequisites.sh
echo "Gateway:   http://localhost:5080   (e.g. http://localhost:5080/api/organizations/communities)"
echo "Dashboard: the login URL with its token is printed below (http://localhost:18888/login?t=...)"
exec dotnet run --project src/AppHost --launch-profile http "$@"
