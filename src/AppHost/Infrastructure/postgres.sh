#!/usr/bin/env bash
# Runs the Debian-installed PostgreSQL as a local executable resource of the app host.
# In:  PGPORT, PLATFORM_PG_DATA (data folder), PLATFORM_PG_PASSWORD (superuser password, set at first init).
set -euo pipefail
: "${PGPORT:?}" "${PLATFORM_PG_DATA:?}" "${PLATFORM_PG_PASSWORD:?}"
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/postgres" ] || { echo "PostgreSQL is not installed: run the README's command (it installs postgresql)." >&2; exit 1; }
data="$PLATFORM_PG_DATA"
mkdir -p "$data"

run=()
if [ "$(id -u)" = 0 ]; then
  # initdb and postgres refuse to run as root: run as the postgres user, exec'd in place (no forking wrapper)
  # so that stopping the resource stops the server.
  chown -R postgres:postgres "$data"
  chmod 700 "$data"
  run=(setpriv --reuid=postgres --regid=postgres --init-groups --)
  if ! "${run[@]}" test -x "$data"; then
    echo "The postgres user cannot reach $data (a parent folder is private). Set Platform:DataDirectory to a reachable folder." >&2
    exit 1
  fi
fi

if [ ! -s "$data/PG_VERSION" ]; then
  pwfile=$(mktemp /tmp/platform-pg-pw.XXXXXX)
  printf '%s\n' "$PLATFORM_PG_PASSWORD" > "$pwfile"
  [ "$(id -u)" = 0 ] && chown postgres:postgres "$pwfile"
  "${run[@]}" "$bin/initdb" -D "$data" -U postgres --pwfile="$pwfile" --auth=scram-sha-256 -E UTF8 --locale=C.UTF-8 >/dev/null
  rm -f "$pwfile"
  echo "Initialised a new PostgreSQL cluster in $data"
fi

exec "${run[@]}" "$bin/postgres" -D "$data" -k "$data" -p "$PGPORT" \
  -c listen_addresses=127.0.0.1 -c max_connections=300 -c shared_buffers=256MB
