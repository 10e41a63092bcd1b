#!/usr/bin/env bash
# The main job: sets up what is needed, builds the CLI and runs `laissez demo`, the whole flow.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
cargo build -q -p laissez-cli </dev/null
exec target/debug/laissez demo "$@"
