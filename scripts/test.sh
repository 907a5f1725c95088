#!/usr/bin/env bash
# Runs every test of the portal on a fresh machine: installs what the tests need
# (Node 22 and yarn 4 when missing, Debian's chromium, postgresql and
# redis-server), starts PostgreSQL 15 and Redis 7, then runs type-check, the
# API report check, lint, prettier, the unit and integration tests (SQLite and
# PostgreSQL) and the Playwright end-to-end suite against a started portal in
# headless Chromium.
#
# It ends with one line: `N passed, N failed`, summed over every suite.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"
started_at=$(date +%s)
# Non-interactive runs: jest without watch mode, Playwright starts its own portal.
export CI=true
results="$root/test-results"
mkdir -p "$results"

log() { printf '\n==> %s\n' "$*"; }
die() { printf '\nFATAL: %s\n' "$*" >&2; echo "0 passed, 1 failed"; exit 1; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# --- Debian packages the tests need ------------------------------------------
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
[ -x /usr/lib/postgresql/15/bin/postgres ] || need+=(postgresql)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  log "Installing Debian packages: ${need[*]}"
  as_root apt-get update -qq || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
    die "apt-get install ${need[*]} failed"
fi
# A real Prometheus, and promtool to backfill its test data, for the SLA tests
# (without the recommended exporters).
if ! command -v promtool >/dev/null 2>&1; then
  log "Installing Debian packages: prometheus"
  as_root apt-get update -qq || die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus >/dev/null ||
    die "apt-get install prometheus failed"
fi

# --- PostgreSQL 15 ------------------------------------------------------------
log "Starting PostgreSQL 15"
if ! pg_lsclusters -h 2>/dev/null | grep -q '^15 main'; then
  as_root pg_createcluster 15 main >/dev/null || die "could not create the PostgreSQL 15 cluster"
fi
as_root pg_ctlcluster 15 main start 2>/dev/null || true
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL 15 is not accepting connections on 127.0.0.1:5432"
PG_PASSWORD="${PG_TEST_PASSWORD:-backstage-test}"
as_root su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD '$PG_PASSWORD';\"" >/dev/null ||
  die "could not set the PostgreSQL test password"
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:${PG_PASSWORD}@127.0.0.1:5432"
PGPASSWORD="$PG_PASSWORD" psql -h 127.0.0.1 -U postgres -tAc 'select 1' >/dev/null ||
  die "PostgreSQL rejects the test connection string"

# --- Redis 7 ------------------------------------------------------------------
log "Starting Redis"
if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --port 6379 --bind 127.0.0.1 --save '' >/dev/null ||
    die "could not start redis-server"
fi
for _ in $(seq 1 20); do
  redis-cli -p 6379 ping >/dev/null 2>&1 && break
  sleep 0.5
done
[ "$(redis-cli -p 6379 ping 2>/dev/null)" = "PONG" ] || die "Redis is not answering on 127.0.0.1:6379"
export BACKSTAGE_TEST_CACHE_REDIS7_CONNECTION_STRING="redis://127.0.0.1:6379"

# There is no Docker engine: TestDatabases/TestCaches use the servers above.
export BACKSTAGE_TEST_DISABLE_DOCKER=1
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

# --- Node 22 and dependencies -------------------------------------------------
log "Setting up Node 22 and yarn 4"
# shellcheck source=toolchain.sh
. "$root/scripts/toolchain.sh" || die "toolchain set-up failed"
node --version
yarn --version
log "Installing dependencies (yarn install --immutable)"
yarn install --immutable >"$results/yarn-install.log" 2>&1 || {
  tail -40 "$results/yarn-install.log"
  die "yarn install --immutable failed"
}

# --- Kamaji's CRDs (KAMAJI_CRD_DIR, ../shared, or downloaded and checked) -------
log "Kamaji CRDs"
crd_dir="$(bash "$root/scripts/kamaji-crds.sh")" || die "the Kamaji CRDs are missing (see above)"
echo "$crd_dir"

# --- The suites -----------------------------------------------------------------
passed=0
failed=0
record() { # name status
  if [ "$2" -eq 0 ]; then passed=$((passed + 1)); echo "PASS $1"; else failed=$((failed + 1)); echo "FAIL $1"; fi
}

log "Type-check (tsc)"
yarn tsc; record "type-check" $?

# The reports are built from dist-types/, written by tsc. An incremental
# build can print a union's members in another order than a fresh one, so the
# declarations are written afresh first. An unreviewed change to a package's
# public API (report.api.md) fails the run.
log "API reports (yarn build:api-reports:only --ci)"
{ yarn tsc --incremental false && yarn build:api-reports:only --ci; }
record "api-reports" $?

log "Lint"
yarn lint:all; record "lint" $?

log "Prettier"
yarn prettier:check; record "prettier" $?

log "Unit and integration tests (jest; SQLite, PostgreSQL 15, Redis 7)"
rm -f "$results/jest-results.json"
yarn test --json --outputFile="$results/jest-results.json"
jest_status=$?
if [ -f "$results/jest-results.json" ]; then
  read -r jp jf pg redis <<<"$(node -e '
    const r = require(process.argv[1]);
    const tests = r.testResults.flatMap(s => s.assertionResults);
    const pg = tests.filter(t => t.status === "passed" && /POSTGRES_15/.test(t.fullName)).length;
    const redis = tests.filter(t => t.status === "passed" && /REDIS_7/.test(t.fullName)).length;
    // A suite that failed to run (no assertions) counts as one failure.
    const broken = r.testResults.filter(s => s.status === "failed" && s.assertionResults.every(t => t.status !== "failed")).length;
    console.log(r.numPassedTests, r.numFailedTests + broken, pg, redis);
  ' "$results/jest-results.json")"
  passed=$((passed + jp))
  failed=$((failed + jf))
  echo "jest: $jp passed, $jf failed ($pg PostgreSQL 15 and $redis Redis 7 tests passed)"
  if [ "$pg" -eq 0 ]; then
    echo "FAIL no PostgreSQL 15 test ran: TestDatabases skipped PostgreSQL"
    failed=$((failed + 1))
  fi
  if [ "$redis" -eq 0 ]; then
    echo "FAIL no Redis 7 test ran: TestCaches skipped Redis"
    failed=$((failed + 1))
  fi
  if [ "$jest_status" -ne 0 ] && [ "$jf" -eq 0 ]; then
    echo "FAIL jest exited with $jest_status"
    failed=$((failed + 1))
  fi
else
  echo "FAIL jest wrote no results"
  failed=$((failed + 1))
fi

log "End-to-end tests (Playwright, headless Chromium, one portal start)"
rm -f "$results/e2e-results.json"
yarn test:e2e
e2e_status=$?
if [ -f "$results/e2e-results.json" ]; then
  read -r ep ef <<<"$(node -e '
    const s = require(process.argv[1]).stats;
    console.log(s.expected + s.flaky, s.unexpected);
  ' "$results/e2e-results.json")"
  passed=$((passed + ep))
  failed=$((failed + ef))
  echo "e2e: $ep passed, $ef failed"
  if [ "$ep" -eq 0 ]; then
    echo "FAIL no end-to-end test ran"
    failed=$((failed + 1))
  fi
  if [ "$e2e_status" -ne 0 ] && [ "$ef" -eq 0 ]; then
    echo "FAIL playwright exited with $e2e_status"
    failed=$((failed + 1))
  fi
else
  echo "FAIL playwright wrote no results"
  failed=$((failed + 1))
fi

echo
echo "took $(( $(date +%s) - started_at )) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
