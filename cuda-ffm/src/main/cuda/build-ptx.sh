#!/usr/bin/env bash
# Compiles each .cu here to PTX for compute capability 8.0 (JIT-compiled by the driver on 8.0+, so an
# RTX 3090 and an H100 both load it), the decode-step modules also for 9.0 (below), and writes each to
# the resource folder with a header recording the sha256 of the .cu and of every local header it
# includes, directly or through other headers; PtxUpToDateTest compares those.
# Usage: build-ptx.sh [nvcc [source-folder output-folder]]    (run from anywhere; default nvcc
#   /usr/local/cuda/bin/nvcc). The folders, relative to the cuda-ffm module, default to src/main/cuda and the
#   shipped PTX's resource folder; the test-only probe kernels are built with
#   build-ptx.sh /usr/local/cuda/bin/nvcc src/test/cuda src/test/resources/dev/pagoda/cuda/probe
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
module="$(cd "$here/../../.." && pwd)"
nvcc="${1:-/usr/local/cuda/bin/nvcc}"
src="$module/${2:-src/main/cuda}"
out="$module/${3:-src/main/resources/dev/pagoda/cuda/ptx}"
from="$(realpath --relative-to="$module" "$src")"
mkdir -p "$out"
# <op>.ptx for compute_80; for a .cu that includes programmatic_launch.cuh also <op>.sm_90.ptx for
# compute_90, where its kernels wait for their predecessor (griddepcontrol) and may be launched early.
# every local header a file includes, at any depth (each once per path: the caller sorts them unique)
local_headers() {
  local inc
  for inc in $(grep -oE '^#include "[^"]+"' "$1" | sed -E 's/#include "(.*)"/\1/'); do
    echo "$inc"
    local_headers "$src/$inc"
  done
}
compile() {  # compile <cu> <arch> <out>
  local cu="$1" arch="$2" target="$3" op tmp
  op="$(basename "$cu" .cu)"
  tmp="$(mktemp)"
  "$nvcc" -arch="$arch" -ptx -O3 -std=c++17 -I"$src" -o "$tmp" "$cu"
  {
    echo "// Generated from $from/$op.cu by src/main/cuda/build-ptx.sh (nvcc -arch=$arch -ptx -O3). Do not edit."
    echo "// pagoda-source-sha256 $op.cu $(sha256sum "$cu" | cut -d' ' -f1)"
    local inc
    for inc in $(local_headers "$cu" | sort -u); do
      echo "// pagoda-source-sha256 $inc $(sha256sum "$src/$inc" | cut -d' ' -f1)"
    done
    cat "$tmp"
  } > "$target"
  rm -f "$tmp"
}
for cu in "$src"/*.cu; do
  op="$(basename "$cu" .cu)"
  compile "$cu" compute_80 "$out/$op.ptx"
  if grep -q '^#include "programmatic_launch.cuh"' "$cu"; then
    compile "$cu" compute_90 "$out/$op.sm_90.ptx"
  else
    rm -f "$out/$op.sm_90.ptx"
  fi
done
