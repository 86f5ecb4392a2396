#!/usr/bin/env bash
# Compiles the test-only probe kernels here to PTX for compute capability 8.0 into the test resources
# (GridBarrierProbe loads them). Not part of the build: the PTX is committed, as the shipped kernels' is.
# Usage: build-probe-ptx.sh [nvcc]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/dev/pagoda/cuda/probe"
nvcc="${1:-/usr/local/cuda/bin/nvcc}"
mkdir -p "$out"
for cu in "$here"/*.cu; do
  op="$(basename "$cu" .cu)"
  tmp="$(mktemp)"
  "$nvcc" -arch=compute_80 -ptx -O3 -std=c++17 -o "$tmp" "$cu"
  { echo "// Generated from src/test/cuda/$op.cu by src/test/cuda/build-probe-ptx.sh (nvcc -arch=compute_80 -ptx -O3). Do not edit."
    echo "// pagoda-source-sha256 $op.cu $(sha256sum "$cu" | cut -d' ' -f1)"
    cat "$tmp"; } > "$out/$op.ptx"
  rm -f "$tmp"
done
