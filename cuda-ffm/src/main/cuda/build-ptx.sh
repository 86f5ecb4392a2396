#!/usr/bin/env bash
# Compiles each .cu here to PTX for compute capability 8.0 (JIT-compiled by the driver on 8.0+, so an
# RTX 3090 and an H100 both load it) and writes it to the resource folder with a header recording the
# sha256 of the .cu and of every local header it includes; PtxUpToDateTest compares those.
# Usage: build-ptx.sh [nvcc]    (run from anywhere; default nvcc /usr/local/cuda/bin/nvcc)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/dev/pagoda/cuda/ptx"
nvcc="${1:-/usr/local/cuda/bin/nvcc}"
mkdir -p "$out"
for cu in "$here"/*.cu; do
  op="$(basename "$cu" .cu)"
  tmp="$(mktemp)"
  "$nvcc" -arch=compute_80 -ptx -O3 -std=c++17 -I"$here" -o "$tmp" "$cu"
  {
    echo "// Generated from src/main/cuda/$op.cu by src/main/cuda/build-ptx.sh (nvcc -arch=compute_80 -ptx -O3). Do not edit."
    echo "// pagoda-source-sha256 $op.cu $(sha256sum "$cu" | cut -d' ' -f1)"
    for inc in $(grep -oE '^#include "[^"]+"' "$cu" | sed -E 's/#include "(.*)"/\1/'); do
      echo "// pagoda-source-sha256 $inc $(sha256sum "$here/$inc" | cut -d' ' -f1)"
      for inc2 in $(grep -oE '^#include "[^"]+"' "$here/$inc" | sed -E 's/#include "(.*)"/\1/'); do
        echo "// pagoda-source-sha256 $inc2 $(sha256sum "$here/$inc2" | cut -d' ' -f1)"
      done
    done
    cat "$tmp"
  } > "$out/$op.ptx"
  rm -f "$tmp"
done
