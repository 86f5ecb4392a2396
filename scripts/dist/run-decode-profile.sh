#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh (with shared/reference
# copied in for CudaBackendTest): the attention / kv_store / small-op kernel tests, the CUDA backend
# tests, the device copy ceiling, then for 8B Q4_K_M and Q8_0 (generated here with pagoda synth, never
# carried): DecodeStepProfile (where one decode step's time goes) and pagoda bench. Logs go to $OUT
# (or /tmp/pagoda-out); a short table comes last.
# Usage: run-decode-profile.sh
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv \
  > "$out/nvidia-smi.txt" 2>&1

"$java" "${flags[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar" \
  --select-class dev.pagoda.cuda.kernels.AttentionKernelTest --select-class dev.pagoda.cuda.kernels.SmallOpsKernelTest \
  --select-class dev.pagoda.cuda.kernels.RopeKernelTest --select-class dev.pagoda.cuda.kernels.EmbeddingKernelTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/kernel-tests.log" 2>&1
kernel_rc=$?
"$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaBackendTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/backend-tests.log" 2>&1
backend_rc=$?

"$java" "${flags[@]}" -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.CudaCeilings 1024 > "$out/ceilings.txt" 2>&1
: > "$out/bench.txt"
for type in q4_k_m q8_0; do
  file="$models/llama-3.1-8b-$type.gguf"
  echo "=== llama-3.1-8b $type" >> "$out/bench.txt"
  if timeout 120 "${pagoda[@]}" synth --like llama-3.1-8b --type "$type" -o "$file" >> "$out/bench.txt" 2>&1; then
    timeout 120 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.DecodeStepProfile "$file" 576 640 \
      > "$out/profile-$type.txt" 2>&1 || echo "profile failed (exit $?)" >> "$out/profile-$type.txt"
    timeout 120 "${pagoda[@]}" bench -m "$file" -p 512 -n 128 --backend cuda >> "$out/bench.txt" 2>&1 \
      || echo "bench failed (exit $?)" >> "$out/bench.txt"
  else
    echo "synth failed (exit $?)" >> "$out/bench.txt"
  fi
  rm -f "$file"
done

echo "=== GPU ==="
cat "$out/nvidia-smi.txt"
echo "=== kernel tests (exit $kernel_rc) ==="
grep -E "✘|=> " "$out/kernel-tests.log" | head -20
grep -E "tests (successful|failed)" "$out/kernel-tests.log"
echo "=== backend tests (exit $backend_rc) ==="
grep -E "✘|=> " "$out/backend-tests.log" | head -20
grep -E "tests (successful|failed)" "$out/backend-tests.log"
echo "=== ceilings ==="
grep -E "device|d2d" "$out/ceilings.txt"
for type in q4_k_m q8_0; do
  echo "=== profile $type ==="
  grep -vE "^WARNING" "$out/profile-$type.txt" | grep -vE "^\s+at " | head -40
done
echo "=== bench ==="
grep -E "^===|^model|^prefill|^decode|^weights|^memory|failed|Exception" "$out/bench.txt"
