# Shared set-up steps of tools/run-tests and tools/start-demo (sourced, not run).
#
# Each step checks first and changes the machine only when something is missing:
#   ensure_system_packages  Debian packages for Chinese PDFs, browser tests and Odoo's builds
#                           (apt-get, only as root or with passwordless sudo; GUARANTEE_NO_APT=1
#                           turns it off)
#   ensure_odoo             Odoo 18.0 importable by python3: installed from $ODOO_SRC (a checkout
#                           of Odoo 18.0) when given, else cloned from Odoo's official repository
#   ensure_postgres         the local cluster answering, and the role $PGUSER (Odoo refuses
#                           `postgres`)
#   ensure_requirements     requirements.txt (and requirements-dev.txt when asked)
# Every failure says what to do and exits.

ODOO_GIT_URL=${ODOO_GIT_URL:-https://github.com/odoo/odoo.git}
ODOO_BRANCH=18.0
# Odoo 18's cbor2 pin builds only with setuptools<81: every pip call below uses this constraint.
BUILD_CONSTRAINTS=$(mktemp -t guarantee-build-constraints.XXXXXX)
echo 'setuptools<81' >"$BUILD_CONSTRAINTS"

setup_die() {
  echo "ERROR: $*" >&2
  exit 1
}

pip_install() {
  local log rc
  log=$(mktemp)
  PIP_CONSTRAINT="$BUILD_CONSTRAINTS" python3 -m pip install -q --disable-pip-version-check "$@" >"$log" 2>&1
  rc=$?
  grep -vE "Running pip as the 'root' user|is ignored: it is neither a file nor a directory" "$log"
  rm -f "$log"
  return $rc
}

_as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

# Debian packages: CJK fonts (PDFs), Chromium (browser tours), and the headers Odoo's
# requirements build against (python-ldap, psycopg2).
ensure_system_packages() {
  command -v dpkg >/dev/null 2>&1 || return 0
  local wanted=(fonts-noto-cjk chromium libldap2-dev libsasl2-dev libpq-dev git)
  local missing=()
  for package in "${wanted[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "${GUARANTEE_NO_APT:-0}" = 1 ]; then
    echo "note: missing Debian packages ${missing[*]} (GUARANTEE_NO_APT=1: not installing them)" >&2
    return 0
  fi
  echo "== installing Debian packages: ${missing[*]}"
  if ! { _as_root apt-get update -qq >/dev/null \
         && DEBIAN_FRONTEND=noninteractive _as_root apt-get install -y -qq "${missing[@]}" >/dev/null; }; then
    echo "note: could not install ${missing[*]} (needs root or sudo and a Debian mirror);" \
      "Chinese PDFs and browser tours need them: apt-get install ${missing[*]}" >&2
  fi
}

_odoo_importable() {
  (cd / && python3 -c "import odoo.release, sys; sys.exit(0 if odoo.release.version_info[0] == 18 else 1)") 2>/dev/null
}

_install_odoo_from() {
  local src=$1
  [ -f "$src/setup.py" ] && [ -d "$src/odoo/addons" ] \
    || setup_die "ODOO_SRC=$src is not an Odoo source checkout (no setup.py and odoo/addons)"
  echo "== installing Odoo 18.0 from $src"
  pip_install -r "$src/requirements.txt" \
    || setup_die "installing Odoo's requirements failed (Debian: apt-get install libldap2-dev libsasl2-dev libpq-dev)"
  # compat mode: the default editable mode hides `odoo` once an OCA wheel (odoo/addons/…) is installed
  pip_install --no-deps -e "$src" --config-settings editable_mode=compat \
    || setup_die "installing Odoo from $src failed"
}

ensure_odoo() {
  _odoo_importable && return 0
  local src=${ODOO_SRC:-}
  if [ -z "$src" ]; then
    src=${ODOO_CHECKOUT:-${XDG_CACHE_HOME:-$HOME/.cache}/guarantee/odoo-18.0}
    if [ ! -f "$src/setup.py" ]; then
      echo "== Odoo 18.0 is not importable: cloning $ODOO_GIT_URL ($ODOO_BRANCH) into $src"
      mkdir -p "$(dirname "$src")"
      git clone -q --depth 1 -b "$ODOO_BRANCH" "$ODOO_GIT_URL" "$src" 2>&1 || setup_die "Odoo 18.0 is not \
importable by python3, and $ODOO_GIT_URL cannot be reached. Either point ODOO_SRC at a checkout of \
Odoo 18.0 Community (git clone -b 18.0 --depth 1 https://github.com/odoo/odoo) and run again, or \
install Odoo 18.0 yourself (README.md, 'Prerequisites'), or use the official odoo:18.0 image."
    fi
  fi
  _install_odoo_from "$src"
  _odoo_importable || setup_die "Odoo was installed from $src but python3 still cannot import odoo 18.0"
}

ensure_postgres() {
  if ! pg_isready -q -h "$PGHOST" -p "$PGPORT" 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1; then
      local version
      version=$(ls /etc/postgresql 2>/dev/null | head -1)
      [ -n "$version" ] && _as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
    for _ in $(seq 1 30); do pg_isready -q -h "$PGHOST" -p "$PGPORT" && break; sleep 1; done
    pg_isready -q -h "$PGHOST" -p "$PGPORT" \
      || setup_die "PostgreSQL is not running on $PGHOST:$PGPORT (start it, or set PGHOST/PGPORT)"
  fi
  # Odoo refuses the superuser role `postgres`: make sure our role exists.
  if ! psql -U "$PGUSER" -d postgres -tAc 'select 1' >/dev/null 2>&1; then
    psql -U postgres -d postgres -c "CREATE ROLE \"$PGUSER\" LOGIN CREATEDB" >/dev/null 2>&1 \
      || _as_root su postgres -c "psql -c 'CREATE ROLE \"$PGUSER\" LOGIN CREATEDB'" >/dev/null 2>&1 \
      || setup_die "cannot create the PostgreSQL role $PGUSER: create it (createuser -d $PGUSER) or set PGUSER to an existing role that is not postgres"
  fi
}

ensure_requirements() {
  [ "${SKIP_PIP:-0}" = 1 ] && return 0
  echo "== installing requirements ($*)"
  local args=()
  for file in "$@"; do args+=(-r "$file"); done
  pip_install "${args[@]}" || setup_die "pip could not install $*"
}
