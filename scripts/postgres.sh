# Sourced by scripts/test.sh after setup.sh: makes sure the tests have a
# PostgreSQL server, or says loudly that this run is SQLite only.
#   SAO_TEST_POSTGRES_URL  the server to use (default: the machine's, 127.0.0.1:5432)
#   SAO_TEST_SQLITE_ONLY=1 a developer's explicit choice: no PostgreSQL this run
# Without the flag a run that cannot reach PostgreSQL fails here, before the
# build: CI must never pass on SQLite alone without saying so.

pg_url="${SAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

pg_answers() { pg_isready -q -d "$pg_url" >/dev/null 2>&1; }

# Waits (by condition, at most $1 seconds) for the server to answer.
pg_wait() {
  local deadline=$(( $(date +%s) + $1 ))
  until pg_answers; do
    [ "$(date +%s)" -ge "$deadline" ] && return 1
    sleep 0.5
  done
}

# Debian's cluster, installed if missing, started if stopped, opened to local
# connections without a password (what these machines have by default).
pg_start_local() {
  if ! command -v pg_ctlcluster >/dev/null; then
    say "PostgreSQL is not installed: installing Debian's postgresql"
    apt_install postgresql
  fi
  local version
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  if [ -z "$version" ]; then
    say "no PostgreSQL cluster under /etc/postgresql" >&2
    return 1
  fi
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -Eq '^host[[:space:]]+all[[:space:]]+(all|postgres)[[:space:]]+127\.0\.0\.1/32[[:space:]]+trust' "$hba" 2>/dev/null; then
    sed -i '1i host all postgres 127.0.0.1/32 trust' "$hba"
  fi
  say "starting PostgreSQL $version (the local cluster)"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null \
    || pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
}

if [ "${SAO_TEST_SQLITE_ONLY:-0}" = 1 ]; then
  unset SAO_TEST_POSTGRES_URL
  postgres_line="SQLITE ONLY: SAO_TEST_SQLITE_ONLY=1 was set, POSTGRESQL WAS NOT TESTED"
else
  command -v pg_isready >/dev/null || apt_install postgresql-client
  if ! pg_answers; then
    say "PostgreSQL is not answering at $pg_url"
    case "$pg_url" in
      *@127.0.0.1:5432/* | *@localhost:5432/*) pg_start_local || true ;;
    esac
    pg_wait 30 || true
  fi
  if ! pg_answers; then
    say "FAILED: no PostgreSQL at $pg_url. CI tests both engines; start one, point" >&2
    say "SAO_TEST_POSTGRES_URL at one, or run SQLite only with SAO_TEST_SQLITE_ONLY=1." >&2
    exit 1
  fi
  export SAO_TEST_POSTGRES_URL="$pg_url"
  postgres_line="PostgreSQL: the data-layer and server tests ran on PostgreSQL ($pg_url) as well as SQLite"
fi
say "$postgres_line"
