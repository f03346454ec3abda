#!/usr/bin/env bash
# Installs what the platform needs on a fresh Debian machine that has only the .NET 10 SDK:
# RabbitMQ and PostgreSQL as local servers when no container engine answers (the app host then runs them itself).
# The tests always start local servers (in temporary folders), so `--for-tests` installs them whatever answers.
set -euo pipefail

command -v dotnet >/dev/null || { echo "The .NET 10 SDK is required (https://dot.net)." >&2; exit 1; }

# The end-to-end tests open the dashboard and the API document in a real browser: Debian's chromium, never a
# downloaded one. Needed by the tests whether or not a container engine answers; running the platform does not need it.
if [ "${1:-}" = "--for-tests" ] && [ ! -x /usr/lib/chromium/chromium ] && ! command -v chromium >/dev/null; then
  echo "prerequisites: installing chromium (the browser check of the dashboard and /docs)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  if ! $sudo apt-get install -y -qq --no-install-recommends chromium >/dev/null; then
    echo "prerequisites: could not install the Debian package chromium; the browser tests need it." >&2
    exit 1
  fi
fi

if [ "${1:-}" != "--for-tests" ] && docker info >/dev/null 2>&1; then
  echo "prerequisites: a container engine answers; RabbitMQ and PostgreSQL will run as containers."
  exit 0
fi

missing=()
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || missing+=(rabbitmq-server)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v setpriv >/dev/null || missing+=(util-linux)

if [ ${#missing[@]} -gt 0 ]; then
  echo "prerequisites: installing ${missing[*]} (no container engine answers, so the servers run locally)"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  # The packages' own services are not used: the app host runs its own instances on free ports.
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "prerequisites: RabbitMQ and PostgreSQL are installed."
