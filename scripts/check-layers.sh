#!/usr/bin/env bash
# The layers of docs/ARCHITECTURE.md, checked: crate dependencies point down, no module circle.
set -euo pipefail
exec python3 "$(dirname "$0")/check_layers.py" "$@"
