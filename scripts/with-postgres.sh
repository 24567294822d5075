#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs a command against a throwaway PostgreSQL 15 server on 127.0.0.1, then removes it.
set -euo pipefail

# Usage: scripts/with-postgres.sh COMMAND [ARGS...]
#
# Starts a private server (trust auth, fsync off, listening only on 127.0.0.1 and on a
# Unix socket inside its temporary directory), creates the database optimist_test, runs
# COMMAND with the environment below, then stops the server and deletes the directory,
# also when COMMAND fails or the script gets INT/TERM/HUP. Exits with COMMAND's status.
#
#   OPTIMIST_TEST_POSTGRES_URL  postgresql://postgres@127.0.0.1:PORT/optimist_test?connect_timeout=10
#                               (the query part matters: SOCI 4.0.3 appends "=" to a
#                               connection-string token without one, which turns a bare
#                               URI's database into "optimist_test=")
#   OPTIMIST_TEST_POSTGRES_CONNINFO  the same in key=value form
#   PGHOST PGPORT PGUSER PGDATABASE  the same, for psql and libpq defaults
#   OPTIMIST_TEST_PG_STOP       script: stops the server (pg_ctl stop -m fast -w); extra
#                               arguments go to pg_ctl, e.g. "-m immediate" for a crash
#   OPTIMIST_TEST_PG_START      script: starts it again on the same port and options (-w)
#   OPTIMIST_TEST_PG_DATA       the data directory (pg_ctl -D)
#   OPTIMIST_TEST_PG_CTL        command prefix running pg_ctl as the right user, e.g.
#                               $OPTIMIST_TEST_PG_CTL -D "$OPTIMIST_TEST_PG_DATA" -w status
#   OPTIMIST_TEST_PG_OPTIONS    the server options used at start (pg_ctl start -o ...)
#   OPTIMIST_TEST_PG_LOG        the server log
#
# As root, the server runs as the "postgres" OS user (initdb refuses root) in a directory
# under /tmp; otherwise as the calling user under ${TMPDIR:-/tmp}. OPTIMIST_PG_BIN
# overrides the server binaries' directory (default /usr/lib/postgresql/15/bin).

readonly pg_bin="${OPTIMIST_PG_BIN:-/usr/lib/postgresql/15/bin}"
readonly database=optimist_test
readonly me="with-postgres"

die() {
  echo "$me: $*" >&2
  exit 1
}

if [[ $# -eq 0 || $1 == -h || $1 == --help ]]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

for tool in initdb pg_ctl createdb; do
  [[ -x $pg_bin/$tool ]] || die "$pg_bin/$tool not found (install the postgresql package)"
done

as_pg=()
tmp_base="${TMPDIR:-/tmp}"
if [[ $(id -u) -eq 0 ]]; then
  id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' OS user"
  as_pg=(runuser -u postgres --)
  tmp_base=/tmp
fi

dir=""
child=""

# Runs a server tool as the server's OS user, from a directory that user can enter.
pg() {
  (cd "$dir" && "${as_pg[@]}" "$@")
}

# shellcheck disable=SC2317 # invoked by the EXIT trap
cleanup() {
  local rc=$? pgdata pid
  set +e
  trap '' INT TERM HUP
  trap - EXIT
  if [[ -n $dir && -d $dir ]]; then
    pgdata="$dir/data"
    if [[ -f $pgdata/postmaster.pid ]]; then
      pg "$pg_bin/pg_ctl" -D "$pgdata" -w -t 30 stop -m fast >/dev/null 2>&1 ||
        pg "$pg_bin/pg_ctl" -D "$pgdata" -w -t 10 stop -m immediate >/dev/null 2>&1
    fi
    if [[ -f $pgdata/postmaster.pid ]]; then
      pid=$(head -n 1 "$pgdata/postmaster.pid" 2>/dev/null)
      if [[ $pid =~ ^[0-9]+$ ]]; then
        kill -KILL "$pid" 2>/dev/null
        sleep 0.2
      fi
    fi
    rm -rf "$dir"
  fi
  exit "$rc"
}

# shellcheck disable=SC2317 # invoked by the INT/TERM/HUP traps
on_signal() {
  local sig=$1 code=$2
  if [[ -n $child ]]; then
    kill -"$sig" "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  exit "$code"
}

trap cleanup EXIT
trap 'on_signal INT 130' INT
trap 'on_signal TERM 143' TERM
trap 'on_signal HUP 129' HUP

dir=$(mktemp -d "$tmp_base/optimist-pg.XXXXXX")
# pg_ctl hands the options to a shell, and a Unix socket path has at most 107 bytes.
[[ $dir =~ ^[A-Za-z0-9_./-]+$ ]] || die "temporary directory '$dir' has unusual characters"
((${#dir} + 16 < 108)) || die "temporary directory '$dir' is too long for a Unix socket"
if [[ ${#as_pg[@]} -gt 0 ]]; then
  chown postgres: "$dir"
fi
chmod 0700 "$dir"
data="$dir/data"
log="$dir/log"

if ! pg "$pg_bin/initdb" -D "$data" -A trust -U postgres -E UTF8 --no-locale --no-sync \
  >"$dir/initdb.log" 2>&1; then
  cat "$dir/initdb.log" >&2
  die "initdb failed"
fi

# True when something on this machine uses TCP port $1 (any address, any state).
port_in_use() {
  local hex
  printf -v hex ':%04X' "$1"
  awk -v p="$hex" 'FNR > 1 && substr($2, length($2) - 4) == p { found = 1 }
                   END { exit !found }' /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

port=$((20000 + RANDOM % 20001))
started=""
for ((attempt = 0; attempt < 50; attempt++, port++)); do
  ((port <= 40000)) || port=20000
  port_in_use "$port" && continue
  options="-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off"
  options+=" -c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
  : >"$log"
  [[ ${#as_pg[@]} -eq 0 ]] || chown postgres: "$log"
  if pg "$pg_bin/pg_ctl" -D "$data" -l "$log" -w -t 60 start -o "$options" >/dev/null 2>&1; then
    started=yes
    break
  fi
  # Lost a race for the port: try the next one. Anything else is fatal.
  grep -q 'could not bind\|Address already in use' "$log" || break
  pg "$pg_bin/pg_ctl" -D "$data" -w stop -m immediate >/dev/null 2>&1 || true
done
if [[ -z $started ]]; then
  echo "$me: --- server log ($log) ---" >&2
  cat "$log" >&2 || true
  die "PostgreSQL failed to start"
fi

if ! "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres "$database" >"$dir/createdb.log" 2>&1; then
  cat "$dir/createdb.log" "$log" >&2
  die "could not create database $database"
fi

pg_ctl_cmd="${as_pg[*]}${as_pg[*]:+ }$pg_bin/pg_ctl"
q_prefix=""
[[ ${#as_pg[@]} -eq 0 ]] || q_prefix="$(printf '%q ' "${as_pg[@]}")"

cat >"$dir/stop" <<EOF
#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Stops the throwaway PostgreSQL server; extra arguments go to pg_ctl (e.g. -m immediate).
set -euo pipefail
cd $(printf %q "$dir")
exec ${q_prefix}$(printf %q "$pg_bin/pg_ctl") -D $(printf %q "$data") -w -t 60 stop -m fast "\$@" >/dev/null
EOF
cat >"$dir/start" <<EOF
#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Starts the throwaway PostgreSQL server again, on the same port and with the same options.
set -euo pipefail
cd $(printf %q "$dir")
exec ${q_prefix}$(printf %q "$pg_bin/pg_ctl") -D $(printf %q "$data") -l $(printf %q "$log") -w -t 60 start -o $(printf %q "$options") "\$@" >/dev/null
EOF
chmod 0755 "$dir/stop" "$dir/start"

unset PGHOSTADDR PGSERVICE PGSERVICEFILE PGPASSWORD PGPASSFILE PGOPTIONS PGSSLMODE
export PGHOST=127.0.0.1 PGPORT="$port" PGUSER=postgres PGDATABASE="$database"
export OPTIMIST_TEST_POSTGRES_URL="postgresql://postgres@127.0.0.1:$port/$database?connect_timeout=10"
export OPTIMIST_TEST_POSTGRES_CONNINFO="host=127.0.0.1 port=$port user=postgres dbname=$database connect_timeout=10"
export OPTIMIST_TEST_PG_DATA="$data"
export OPTIMIST_TEST_PG_CTL="$pg_ctl_cmd"
export OPTIMIST_TEST_PG_OPTIONS="$options"
export OPTIMIST_TEST_PG_LOG="$log"
export OPTIMIST_TEST_PG_STOP="$dir/stop"
export OPTIMIST_TEST_PG_START="$dir/start"

echo "$me: PostgreSQL listening on 127.0.0.1:$port (database $database)" >&2

# Run the command as a child and wait for it, so that INT/TERM reach this script at once
# and the server is always cleaned up. Keep stdin, and undo the SIGINT/SIGQUIT ignoring
# that bash applies to background jobs.
rc=0
(
  trap - INT QUIT
  exec "$@"
) <&0 &
child=$!
wait "$child" || rc=$?
child=""
exit "$rc"
