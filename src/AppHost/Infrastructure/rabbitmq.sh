#!/usr/bin/env bash
# Runs the Debian-installed RabbitMQ as a local executable resource of the app host, with its management UI.
# In: RABBITMQ_NODE_PORT, RABBITMQ_DIST_PORT, RABBITMQ_MANAGEMENT_PORT, PLATFORM_RABBITMQ_DATA,
#     PLATFORM_RABBITMQ_NODENAME, PLATFORM_RABBITMQ_PASSWORD (user "platform", set when the node is first created).
# Optional, for a node of a cluster on one machine: PLATFORM_RABBITMQ_COOKIE (the Erlang cookie all its nodes share)
# and PLATFORM_RABBITMQ_PEERS (running nodes to join at the first start, comma-separated node names).
set -euo pipefail
: "${RABBITMQ_NODE_PORT:?}" "${RABBITMQ_DIST_PORT:?}" "${RABBITMQ_MANAGEMENT_PORT:?}"
: "${PLATFORM_RABBITMQ_DATA:?}" "${PLATFORM_RABBITMQ_NODENAME:?}" "${PLATFORM_RABBITMQ_PASSWORD:?}"
server=/usr/lib/rabbitmq/bin/rabbitmq-server
[ -x "$server" ] || { echo "RabbitMQ is not installed: run the README's command (it installs rabbitmq-server)." >&2; exit 1; }
base="$PLATFORM_RABBITMQ_DATA"
mkdir -p "$base/mnesia" "$base/log"

cat > "$base/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBITMQ_NODE_PORT
management.tcp.port = $RABBITMQ_MANAGEMENT_PORT
management.tcp.ip = 127.0.0.1
default_user = platform
default_pass = $PLATFORM_RABBITMQ_PASSWORD
default_user_tags.administrator = true
default_permissions.configure = .*
default_permissions.read = .*
default_permissions.write = .*
loopback_users = none
CONF
echo '[rabbitmq_management].' > "$base/enabled_plugins"
if [ -n "${PLATFORM_RABBITMQ_PEERS:-}" ]; then
  echo "cluster_formation.peer_discovery_backend = classic_config" >> "$base/rabbitmq.conf"
  i=1
  for peer in ${PLATFORM_RABBITMQ_PEERS//,/ }; do
    echo "cluster_formation.classic_config.nodes.$i = $peer" >> "$base/rabbitmq.conf"
    i=$((i + 1))
  done
fi
if [ -n "${PLATFORM_RABBITMQ_COOKIE:-}" ]; then
  printf '%s' "$PLATFORM_RABBITMQ_COOKIE" > "$base/.erlang.cookie"
  chmod 600 "$base/.erlang.cookie"
fi

export HOME="$base"   # the Erlang cookie lives here; rabbitmqctl needs the same HOME
export RABBITMQ_NODENAME="$PLATFORM_RABBITMQ_NODENAME"
export RABBITMQ_NODE_IP_ADDRESS=127.0.0.1
# Keep Erlang distribution and epmd on loopback too.
export ERL_EPMD_ADDRESS=127.0.0.1
# Idle Erlang schedulers busy-wait by default; on a small shared machine that spinning takes CPU from the services.
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1} +sbwt none +sbwtdcpu none +sbwtdio none"
export RABBITMQ_MNESIA_BASE="$base/mnesia"
export RABBITMQ_LOG_BASE="$base/log"
export RABBITMQ_LOGS=-
export RABBITMQ_CONFIG_FILE="$base/rabbitmq.conf"
export RABBITMQ_ENABLED_PLUGINS_FILE="$base/enabled_plugins"
export RABBITMQ_PID_FILE="$base/rabbitmq.pid"
exec "$server"
