#!/usr/bin/env bash
# Real MOSIP Claim 169 codes on camera-like frames: Laissez's scanner beside ZXing-C++ (issue 16,
# docs/BENCHMARKS.md "Claim 169 codes on camera-like frames (issue 16)").
#   bench/claim169-frames/run.sh OUT_DIR [SEED]          (from the repository root)
# Frames by claim169_frames.py (the shared generator's distortions, imported from
# ../shared/bench/qr_frames.py); ZXing-C++ by ../shared/bench/qr_peers.py (PyPI zxing-cpp 3.1.1,
# the venv of ../shared/bench/qr_frames.sh); Laissez by `laissez-bench qr-scan frames` (release),
# as the "QR scanning" section runs it. Tables by ../shared/bench/qr_summarize.py and
# `claim169_frames.py summary`, also written to OUT_DIR/results/*.md.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shared=$(cd "$root/../shared/bench" && pwd)
out=${1:?usage: run.sh OUT_DIR [SEED]}; seed=${2:-20261122}
venv=${QR_BENCH_VENV:-/tmp/qr-bench-venv}
if [[ ! -x $venv/bin/python ]] || ! "$venv/bin/python" -c 'import zxingcpp, cv2, segno' 2>/dev/null; then
  python3 -m venv "$venv"   # the versions qr_frames.sh installs
  "$venv/bin/pip" install -q zxing-cpp==3.1.1 opencv-python-headless==5.0.0.93 pillow==13.0.0 numpy==2.4.6 segno==1.6.6
fi
cd "$root"
cargo build -q --release -p laissez-bench
cargo build -q -p laissez-cli          # `laissez claim169 issue` only makes codes: debug is fine
mkdir -p "$out/results"
target/release/laissez-bench claim169-codes --out "$out/face-codes.json"
"$venv/bin/python" "$here/claim169_frames.py" frames --out "$out" --seed "$seed" \
  --laissez target/debug/laissez --codes "$out/face-codes.json"
"$venv/bin/python" "$shared/qr_peers.py" zxingcpp "$out/img" > "$out/results/zxingcpp.tsv"
target/release/laissez-bench qr-scan frames "$out/img" "$out/results/laissez.tsv"
"$venv/bin/python" "$shared/qr_summarize.py" "$out" "$out/results" | tee "$out/results/summary.md"
"$venv/bin/python" "$here/claim169_frames.py" summary "$out" "$out/results" | tee "$out/results/by-code.md"
