#!/usr/bin/env bash
# Copies the README's screenshots (English, normal font scale, half size: one per screen of the
# main path) from the last UI test run into android-demo/screenshots/, to commit. Run
# scripts/android-ui-test.sh -Dtest=ScreenshotTest first. Refuses more than 1 MB in all.
set -euo pipefail
DEMO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
FROM="$DEMO/build/screenshots/readme"
TO="$DEMO/screenshots"
[ -d "$FROM" ] || { echo "no $FROM: run scripts/android-ui-test.sh -Dtest=ScreenshotTest first" >&2; exit 1; }
total=$(cat "$FROM"/*.png | wc -c)
if [ "$total" -gt 1000000 ]; then
  echo "the screenshots are $total bytes, over the 1 MB the README may carry" >&2
  exit 1
fi
rm -rf "$TO" && mkdir -p "$TO"
cp "$FROM"/*.png "$TO"/
echo "$(ls "$TO" | wc -l) screenshots, $total bytes, in ${TO#"$DEMO"/}"
