#!/usr/bin/env bash
# Starts (or stops) the servers the server tests need, as plain processes on free loopback ports:
#   eval "$(tools/test-services/services.sh start DIR)"   # exports INTEGRATIONHUB_TEST_POSTGRES / _REDIS
#   tools/test-services/services.sh stop DIR
# DIR holds their data and pid files; ./test.sh uses a temporary one and stops them on exit.
set -euo pipefail
cmd=${1:?usage: services.sh start|stop DIR}
dir=${2:?usage: services.sh start|stop DIR}
pg_bin=/usr/lib/postgresql/15/bin

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }

# Say what failed, with the server's own log, instead of failing silently inside $(...).
fail() { echo "services.sh: $1" >&2; [ -f "$2" ] && tail -20 "$2" >&2; exit 1; }

start() {
  mkdir -p "$dir"
  chmod 755 "$dir"   # the postgres user must reach its data folder inside
  # PostgreSQL refuses to run as root: its data folder belongs to the postgres user.
  local pg_port; pg_port=$(free_port)
  mkdir -p "$dir/pg"
  chown postgres:postgres "$dir/pg"
  runuser -u postgres -- "$pg_bin/initdb" -D "$dir/pg/data" -A trust -U postgres --no-sync >"$dir/pg-init.log" 2>&1 \
    || fail "initdb failed" "$dir/pg-init.log"
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w \
    -o "-p $pg_port -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null \
    || fail "PostgreSQL did not start" "$dir/pg/server.log"
  echo "$pg_port" > "$dir/pg.port"

  local redis_port; redis_port=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  for _ in $(seq 50); do redis-cli -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done
  redis-cli -p "$redis_port" ping >/dev/null 2>&1 || fail "Redis did not start" "$dir/redis.log"
  echo "$redis_port" > "$dir/redis.port"

  echo "export INTEGRATIONHUB_TEST_POSTGRES='Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=postgres'"
  echo "export INTEGRATIONHUB_TEST_REDIS='127.0.0.1:$redis_port'"
}

stop() {
  if [ -d "$dir/pg/data" ]; then
    runuser -u postgres -- "$pg_bin/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true
  fi
  if [ -f "$dir/redis.port" ]; then
    redis-cli -p "$(cat "$dir/redis.port")" shutdown nosave >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "$cmd" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: services.sh start|stop DIR" >&2; exit 2 ;;
esac
