#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh, where Nsight Compute (ncu) is
# installed: profiles one launch each of the 8B-shape decode kernels that dominate a token (the int8-x
# q4_K matvec at 14336 x 4096, its fused SwiGLU down projection at 4096 x 14336, and one token's
# attention at 577 of 640 positions) with the sections that say what bounds them (throughput against the
# peaks, occupancy, warp stall reasons, memory traffic). Reports go to $OUT/ncu-*.txt.
# Usage: run-ncu-gpu.sh
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
ncu="$(command -v ncu || echo /usr/local/cuda/bin/ncu)"
if [ ! -x "$ncu" ]; then
  echo "run-ncu-gpu.sh: no ncu on this host (Nsight Compute): nothing profiled"
  exit 0
fi
sections=(--section SpeedOfLight --section Occupancy --section LaunchStats --section WarpStateStats
  --section SchedulerStats --section MemoryWorkloadAnalysis)
sweep_cp="$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar"
profile() {  # name kernel-regex main-class [args]
  local name="$1" kernel="$2"
  shift 2
  timeout 150 "$ncu" --target-processes all -k "regex:$kernel" -c 1 "${sections[@]}" \
    "$java" "${flags[@]}" -cp "$sweep_cp" "$@" > "$out/ncu-$name.txt" 2>&1 \
    || echo "ncu $name failed (exit $?)" >> "$out/ncu-$name.txt"
}
profile q4k-x8-gate '^matvec_x8_q4_k$' dev.pagoda.cuda.kernels.MatVecShapeSweep chosen
profile q4k-x8-down-swiglu '^matvec_swiglu_x8_q4_k$' dev.pagoda.cuda.kernels.MatVecShapeSweep chosen
profile attention-g4 '^attention_decode_g4$' dev.pagoda.cuda.kernels.DecodeAttentionSweep
for f in "$out"/ncu-*.txt; do
  echo "=== $(basename "$f")"
  grep -E "^  [a-z_0-9]+\(|Duration|Memory Throughput|DRAM Throughput|Compute \(SM\) Throughput|Registers Per|Achieved Occupancy|Theoretical Occupancy|Block Limit|Warp Cycles Per Issued|Issued Warp|No Eligible|Stall|failed|ERR" "$f" | head -40
done
