#!/usr/bin/env bash
# Checks the two system packages the test suite needs: a Chromium for Playwright and PostgreSQL's
# server binaries (initdb, postgres) for the Postgres tests. `npm test` runs it first (pretest),
# and .ci/run uses it too. As root on Debian/Ubuntu it installs what is missing with apt-get;
# anywhere else it stops and prints the command for this machine.
#   KIOSK_E2E_CHROMIUM=/path/to/chrome   use any Chromium instead of /usr/bin/chromium
#   KIOSK_SYSTEM_DEPS_NO_INSTALL=1       only check, never install
set -euo pipefail

chromium="${KIOSK_E2E_CHROMIUM:-/usr/bin/chromium}"

have_chromium() { [ -x "${chromium}" ]; }
have_postgres() {
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1
}

if [ -n "${KIOSK_E2E_CHROMIUM:-}" ] && ! have_chromium; then
  echo "system-deps: KIOSK_E2E_CHROMIUM=${KIOSK_E2E_CHROMIUM} is not an executable Chromium." >&2
  exit 1
fi

missing=()
have_chromium || missing+=(chromium)
have_postgres || missing+=(postgresql)
[ "${#missing[@]}" -eq 0 ] && exit 0

can_apt=0
if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1 && [ -z "${KIOSK_SYSTEM_DEPS_NO_INSTALL:-}" ]; then
  can_apt=1
fi

if [ "${can_apt}" -eq 1 ]; then
  # Chromium from Debian: Playwright cannot download its own browser where there is no internet.
  echo "system-deps: installing ${missing[*]} with apt-get (the tests need them)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}"
  exit 0
fi

echo "system-deps: the tests need ${missing[*]}, which this machine lacks. Install with:" >&2
if command -v apt-get >/dev/null 2>&1; then
  echo "  sudo apt-get install -y ${missing[*]}" >&2
elif command -v brew >/dev/null 2>&1; then
  for m in "${missing[@]}"; do
    case "${m}" in
      chromium) echo "  npx playwright install chromium   # then: export KIOSK_E2E_CHROMIUM=\"\$(node -e 'console.log(require(\"playwright-core\").chromium.executablePath())')\"" >&2 ;;
      postgresql) echo "  brew install postgresql@16 && brew link postgresql@16   # puts initdb on the PATH" >&2 ;;
    esac
  done
else
  for m in "${missing[@]}"; do
    case "${m}" in
      chromium) echo "  npx playwright install chromium, then set KIOSK_E2E_CHROMIUM to that browser (or to any Chromium)" >&2 ;;
      postgresql) echo "  PostgreSQL's server package, so that initdb is on the PATH" >&2 ;;
    esac
  done
fi
exit 1
