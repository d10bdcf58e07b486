#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to run MLDA-Net for .NET:
# OpenCvSharpExtern links libgtk-3.so.0 (package libgtk-3-0); the build vendors three.js for mlda serve's page with
# npm (package npm). With --tests (./run-tests) also the browser test's headless Chromium (chromium, chromium-driver).
# Quiet and fast when all is present.
set -euo pipefail
tests=0
[ "${1:-}" = "--tests" ] && tests=1

# grep reads all input (no -q): with pipefail, an early exit would SIGPIPE ldconfig and fail the check at random.
have_gtk() { ldconfig -p 2>/dev/null | grep 'libgtk-3\.so\.0' >/dev/null; }

if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK is required (dotnet not found on PATH)" >&2
  exit 1
fi

if ! have_gtk; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing libgtk-3-0 (needed by OpenCV's native runtime)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    # Debian 13 / Ubuntu 24.04 renamed the package libgtk-3-0t64.
    apt-get install -y -qq --no-install-recommends libgtk-3-0 >&2 ||
      apt-get install -y -qq --no-install-recommends libgtk-3-0t64 >&2
  elif [ "$(id -u)" = "0" ]; then
    echo "error: libgtk-3.so.0 is missing and apt-get is not available; install GTK 3 with your package manager" >&2
    exit 1
  else
    echo "error: OpenCV needs libgtk-3.so.0. Install it as root: sudo apt-get install libgtk-3-0 (libgtk-3-0t64 on Debian 13 / Ubuntu 24.04)" >&2
    exit 1
  fi
  if ! have_gtk; then
    echo "error: libgtk-3.so.0 still missing after installing libgtk-3-0" >&2
    exit 1
  fi
fi

# Debian packages for the commands that are missing: "command package" pairs.
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need npm npm
if [ "$tests" = 1 ]; then
  need chromium chromium
  need chromedriver chromium-driver
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "error: missing ${missing[*]}: install as root (sudo apt-get install ${missing[*]})" >&2
    exit 1
  fi
fi
