#!/usr/bin/env bash
# Compiles each .cu here to PTX for compute capability 8.0 (JIT-compiled by the driver on 8.0+, so an
# RTX 3090 and an H100 both load it), the decode-step modules also for 9.0 (below), and writes each to
# the resource folder with a header recording the sha256 of the .cu and of every local header it
# includes; PtxUpToDateTest compares those.
# Usage: build-ptx.sh [nvcc]    (run from anywhere; default nvcc /usr/local/cuda/bin/nvcc)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
out="$here/../resources/dev/pagoda/cuda/ptx"
nvcc="${1:-/usr/local/cuda/bin/nvcc}"
mkdir -p "$out"
# <op>.ptx for compute_80; for a .cu that includes programmatic_launch.cuh also <op>.sm_90.ptx for
# compute_90, where its kernels wait for their predecessor (griddepcontrol) and may be launched early.
compile() {  # compile <cu> <arch> <out>
  local cu="$1" arch="$2" target="$3" op tmp
  op="$(basename "$cu" .cu)"
  tmp="$(mktemp)"
  "$nvcc" -arch="$arch" -ptx -O3 -std=c++17 -I"$here" -o "$tmp" "$cu"
  {
    echo "// Generated from src/main/cuda/$op.cu by src/main/cuda/build-ptx.sh (nvcc -arch=$arch -ptx -O3). Do not edit."
    echo "// pagoda-source-sha256 $op.cu $(sha256sum "$cu" | cut -d' ' -f1)"
    for inc in $(grep -oE '^#include "[^"]+"' "$cu" | sed -E 's/#include "(.*)"/\1/'); do
      echo "// pagoda-source-sha256 $inc $(sha256sum "$here/$inc" | cut -d' ' -f1)"
      for inc2 in $(grep -oE '^#include "[^"]+"' "$here/$inc" | sed -E 's/#include "(.*)"/\1/'); do
        echo "// pagoda-source-sha256 $inc2 $(sha256sum "$here/$inc2" | cut -d' ' -f1)"
      done
    done
    cat "$tmp"
  } > "$target"
  rm -f "$tmp"
}
for cu in "$here"/*.cu; do
  op="$(basename "$cu" .cu)"
  compile "$cu" compute_80 "$out/$op.ptx"
  if grep -q '^#include "programmatic_launch.cuh"' "$cu"; then
    compile "$cu" compute_90 "$out/$op.sm_90.ptx"
  else
    rm -f "$out/$op.sm_90.ptx"
  fi
done
