#!/usr/bin/env bash
# Gradescope runs this once, as root, while it builds the autograder's image (Ubuntu).
# It installs Node from the distribution's own packages if the image lacks a recent enough one
# (never a script piped from the network), then the course's packages from the lock file.
set -euo pipefail
cd "$(dirname "$0")"
NEED_MAJOR=20
NEED_MINOR=19
version_ok() {
  command -v node >/dev/null 2>&1 || return 1
  local v major minor
  v="$(node -p 'process.versions.node' 2>/dev/null)" || return 1
  major="${v%%.*}"; minor="${v#*.}"; minor="${minor%%.*}"
  [ "$major" -gt "$NEED_MAJOR" ] || { [ "$major" -eq "$NEED_MAJOR" ] && [ "$minor" -ge "$NEED_MINOR" ]; }
}
if ! version_ok; then
  echo "Node ${NEED_MAJOR}.${NEED_MINOR} or newer is missing: trying the distribution's packages (apt-get install nodejs npm)"
  apt-get update
  apt-get install -y --no-install-recommends nodejs npm || true
fi
if ! version_ok; then
  have="$(node --version 2>/dev/null || echo 'no node')"
  cat >&2 <<MSG
setup.sh: this image has ${have}, and the grader needs Node ${NEED_MAJOR}.${NEED_MINOR} or newer.
The distribution's nodejs package is too old here. Choose a newer base image in the autograder
settings (an Ubuntu release whose nodejs package is ${NEED_MAJOR}.${NEED_MINOR}+), or install Node yourself in
this file from a source you trust (for example Node's signed release tarball, checked against its
SHASUMS256.txt), then rebuild the autograder.
MSG
  exit 1
fi
# --ignore-scripts: no kernel registration, no native TensorFlow download; grading runs on wasm.
npm ci --ignore-scripts --no-audit --no-fund
