#!/usr/bin/env bash
# install-test-deps.sh — make sure the system tools the test suite needs exist.
#
# The tests run against a real PostgreSQL server and Redis (see
# scripts/with-services.sh), render PDFs in headless Chromium with Liberation
# fonts, rasterise them with pdftoppm for comparisons, and compile translations
# with msgfmt. This script checks for each tool and apt-get installs only what
# is missing (Debian 12), so it is cheap to run on every CI start and safe to
# re-run. It waits for the dpkg/apt locks instead of failing when another apt
# process is running, and never prompts (no stdin needed).
#
# Output: one line per tool, "present" or "installed". Exits non-zero with a
# message if something cannot be installed.
set -euo pipefail

export DEBIAN_FRONTEND=noninteractive
LOCK_TIMEOUT=${APT_LOCK_TIMEOUT:-600}   # seconds to wait for dpkg/apt locks

die() { echo "install-test-deps: ERROR: $*" >&2; exit 1; }

# --- checks: each returns 0 if the tool is available -----------------------
have_postgresql() { compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null; }
have_psql()       { command -v psql >/dev/null 2>&1; }
have_redis()      { command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ]; }
have_chromium()   { command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ]; }
have_liberation() { [ -f /usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf ]; }
have_poppler()    { command -v pdftoppm >/dev/null 2>&1; }
have_gettext()    { command -v msgfmt >/dev/null 2>&1; }
have_wrk()        { command -v wrk >/dev/null 2>&1; }   # make load's saturation runs

# label | check function | apt package
TOOLS=(
  "postgresql-server|have_postgresql|postgresql"
  "psql|have_psql|postgresql-client"
  "redis-server|have_redis|redis-server"
  "chromium|have_chromium|chromium"
  "fonts-liberation|have_liberation|fonts-liberation"
  "pdftoppm|have_poppler|poppler-utils"
  "msgfmt|have_gettext|gettext"
  "wrk|have_wrk|wrk"
)

missing_pkgs=()
missing_labels=()
for entry in "${TOOLS[@]}"; do
  IFS='|' read -r label check pkg <<<"$entry"
  if "$check"; then
    echo "$label: present"
  else
    missing_labels+=("$label")
    # avoid duplicate package names
    case " ${missing_pkgs[*]:-} " in *" $pkg "*) ;; *) missing_pkgs+=("$pkg") ;; esac
  fi
done

[ ${#missing_pkgs[@]} -eq 0 ] && exit 0

[ "$(id -u)" -eq 0 ] || die "missing: ${missing_labels[*]} — run as root to install (${missing_pkgs[*]})"
command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install manually: ${missing_pkgs[*]}"

# Run an apt-get command, retrying while another process holds an apt/dpkg
# lock (DPkg::Lock::Timeout covers the dpkg lock; the retry loop also covers
# the lists/archives locks used by "apt-get update").
apt_retry() {
  local deadline=$(( $(date +%s) + LOCK_TIMEOUT )) err rc
  err=$(mktemp)
  while :; do
    rc=0
    apt-get -o DPkg::Lock::Timeout="$LOCK_TIMEOUT" "$@" </dev/null 2>"$err" || rc=$?
    if [ "$rc" -eq 0 ]; then rm -f "$err"; return 0; fi
    if grep -qiE 'could not get lock|unable to lock|is another process using it' "$err" \
       && [ "$(date +%s)" -lt "$deadline" ]; then
      echo "install-test-deps: apt is locked by another process, waiting..." >&2
      sleep 5
      continue
    fi
    cat "$err" >&2; rm -f "$err"
    return "$rc"
  done
}

echo "install-test-deps: installing ${missing_pkgs[*]}" >&2
apt_retry update -q >/dev/null || die "apt-get update failed"
apt_retry install -y -q --no-install-recommends "${missing_pkgs[@]}" >/dev/null \
  || die "apt-get install failed for: ${missing_pkgs[*]}"

failed=()
for entry in "${TOOLS[@]}"; do
  IFS='|' read -r label check pkg <<<"$entry"
  case " ${missing_labels[*]} " in *" $label "*) ;; *) continue ;; esac
  if "$check"; then
    echo "$label: installed"
  else
    failed+=("$label ($pkg)")
  fi
done
[ ${#failed[@]} -eq 0 ] || die "still missing after install: ${failed[*]}"
