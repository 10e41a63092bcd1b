#!/usr/bin/env bash
# Installs what the build and the tests need on a fresh Debian/Ubuntu machine (as root or with
# sudo), or checks it on macOS. Idempotent: installs only what is missing.
set -euo pipefail

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }

if [[ "$(uname -s)" == "Linux" ]] && have apt-get; then
  have cc || need_apt+=(build-essential)
  have java || need_apt+=(default-jdk-headless)
  have mvn || need_apt+=(maven)
  have curl || need_apt+=(curl ca-certificates)
  # Swift runs in a Debian trixie chroot made with debootstrap (scripts/swift-test.sh).
  have swift || have debootstrap || need_apt+=(debootstrap)
  # The Android app's resources for its UI tests on the JVM (scripts/android-ui-test.sh).
  have aapt || need_apt+=(aapt)
  if ((${#need_apt[@]})); then
    sudo_cmd=""
    [[ $(id -u) -eq 0 ]] || sudo_cmd="sudo"
    echo "==> apt-get install ${need_apt[*]}"
    $sudo_cmd apt-get update -qq </dev/null
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
      "${need_apt[@]}" </dev/null
  fi
fi

if ! have cargo; then
  if have rustup; then
    rustup default stable
  else
    echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
    exit 2
  fi
fi
if have rustup; then
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
fi
