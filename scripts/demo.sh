#!/usr/bin/env bash
# The main job: sets up what is needed, builds the CLI and runs `laissez demo`, the whole flow.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# cargo run, so a CARGO_TARGET_DIR or a configured target directory is honoured.
exec cargo run -q -p laissez-cli -- demo "$@"
