#!/usr/bin/env bash
# Installs PostgreSQL from Debian if missing, starts its cluster on 127.0.0.1,
# and makes a role and database for the tests (idempotent).
# Prints the URL: postgres://frontier:frontier@127.0.0.1:PORT/frontier_test
set -euo pipefail
if ! command -v pg_lsclusters >/dev/null; then
  echo "[postgres] apt-get install postgresql" >&2
  apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
if [ -z "$version" ]; then
  version=$(ls /usr/lib/postgresql | sort -n | tail -1)
  pg_createcluster "$version" main >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
  pg_ctlcluster "$version" main start >&2
fi
# liveness: ready within ~1 s idle; 60 s holds on two busy cores.
for _ in $(seq 1 300); do
  runuser -u postgres -- psql -p "$port" -tAc "SELECT 1" >/dev/null 2>&1 && break
  sleep 0.2
done
runuser -u postgres -- psql -p "$port" -v ON_ERROR_STOP=1 -q >&2 <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'frontier') THEN
    CREATE ROLE frontier LOGIN PASSWORD 'frontier' CREATEDB;
  END IF;
END \$\$;
SQL
if ! runuser -u postgres -- psql -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname = 'frontier_test'" | grep -q 1; then
  runuser -u postgres -- createdb -p "$port" -O frontier frontier_test >&2
fi
echo "postgres://frontier:frontier@127.0.0.1:$port/frontier_test"
