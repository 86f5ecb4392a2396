#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh (with shared/reference copied
# in for CudaBackendTest): the kernel and backend tests, then the two tuning sweeps of the cuda-ffm test
# jar: MatVecShapeSweep (decode matvec at every k-split and several grids, the launcher's choice marked
# *) and DecodeAttentionSweep (one token's attention by part and split count, and one small kernel's
# floor in a graph). Logs go to $OUT (or /tmp/pagoda-out); a short summary comes last.
# Usage: run-sweep-gpu.sh
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"

run_kernel_tests
kernel_rc=$?
run_backend_tests
backend_rc=$?
sweep_cp="$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar"
timeout 240 "$java" "${flags[@]}" -cp "$sweep_cp" dev.pagoda.cuda.kernels.MatVecShapeSweep > "$out/matvec-sweep.txt" 2>&1 \
  || echo "MatVecShapeSweep failed (exit $?)" >> "$out/matvec-sweep.txt"
timeout 120 "$java" "${flags[@]}" -cp "$sweep_cp" dev.pagoda.cuda.kernels.DecodeAttentionSweep > "$out/attention-sweep.txt" 2>&1 \
  || echo "DecodeAttentionSweep failed (exit $?)" >> "$out/attention-sweep.txt"

echo "=== cuda-ffm kernel tests (exit $kernel_rc) ==="
grep -E "✘" "$out/kernel-tests.log" | head -20
grep -E "tests (successful|failed)" "$out/kernel-tests.log"
echo "=== backend tests (exit $backend_rc) ==="
grep -E "✘|worst cosine|INT8 x" "$out/backend-tests.log" | head -40
grep -E "tests (successful|failed)" "$out/backend-tests.log"
echo "=== matvec: the launcher's choice (*) and the best per case, GB/s of weights ==="
grep -E "^device|\*$|^best|failed" "$out/matvec-sweep.txt"
echo "=== one-token attention, us per layer ==="
grep -vE "^WARNING" "$out/attention-sweep.txt"
