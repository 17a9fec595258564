#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages that are missing and checks the
# toolchains that apt cannot provide in the right version.
# usage: install-deps.sh run|test "pkg pkg ..."
set -euo pipefail
purpose=$1
packages=$2

missing=()
for p in $packages; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "Installing Debian packages: ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

fail() { echo "error: $*" >&2; exit 1; }
command -v cargo >/dev/null || fail "Rust is not installed: see https://rustup.rs (cargo is needed to build EKS Desk)"
command -v node >/dev/null || fail "Node.js 20.19 or newer is needed to build the UI (e.g. from nodesource or nvm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || fail "Node.js $(node --version) is too old: the UI build needs 20.19 or newer"
command -v python3 >/dev/null || fail "python3 is needed for the local AWS emulator"
echo "Dependencies for '$purpose' are in place."
