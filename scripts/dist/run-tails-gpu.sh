#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: the any-width float kernels
# (cuda-ffm: AnyWidthKernelTest plus the matvec / fused / matmul / embedding tests they share code with)
# and the models they open to the CUDA backend (core: CudaSupportCheckTest, CudaBackendTest with
# stories260K and the odd-width synthesized F32/F16 models, CudaHybridTest's stories260K tests).
# Reference files from $dist/shared/reference when carried. Logs go to $OUT (or /tmp/pagoda-out); a
# short table comes last.
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"

kernel_cp="$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar"
"$java" "${flags[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute --class-path "$kernel_cp" \
  --select-class dev.pagoda.cuda.kernels.AnyWidthKernelTest --select-class dev.pagoda.cuda.kernels.MatVecKernelTest \
  --select-class dev.pagoda.cuda.kernels.FusedDecodeKernelTest --select-class dev.pagoda.cuda.kernels.MatMulKernelTest \
  --select-class dev.pagoda.cuda.kernels.EmbeddingKernelTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/tails-kernel-tests.log" 2>&1
kernel_rc=$?

"$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" \
  --select-class dev.pagoda.core.cuda.CudaSupportCheckTest --select-class dev.pagoda.core.cuda.CudaBackendTest \
  --select-method dev.pagoda.core.cuda.CudaHybridTest#stories260KHybridLogitsAndGreedyMatchTheGpuOnlyStreamedRun \
  --select-method dev.pagoda.core.cuda.CudaHybridTest#hybridIsTheDefaultForCudaStreamingAndNoHybridTurnsItOff \
  --details=tree --disable-banner --disable-ansi-colors > "$out/tails-core-tests.log" 2>&1
core_rc=$?

echo "=== GPU ==="
nvidia-smi --query-gpu=name,driver_version --format=csv 2>&1
for part in kernel core; do
  log="$out/tails-$part-tests.log"
  rc_var="${part}_rc"
  echo "=== $part tests (exit ${!rc_var}) ==="
  grep -E "✘|=> |worst|greedy tokens" "$log" | head -40
  grep -E "tests (successful|failed|aborted|skipped|found)|containers failed" "$log"
done
