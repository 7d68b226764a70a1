# Sourced by tests/install-prerequisites.sh and bench/run.sh: apt_install PACKAGE… installs Debian packages, only
# where we may (as root, where apt-get is, as in CI); the first call of a shell runs apt-get update once.
apt_install() {
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    [ -n "${APT_UPDATED:-}" ] || { apt-get update -qq && APT_UPDATED=1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  fi
}
