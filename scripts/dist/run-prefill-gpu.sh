#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: the prefill matmul's GPU tests
# (MatMulKernelTest: both tilings, ragged batches 1..600, poisoned outputs) and the whole-model CUDA
# backend test (prefill logits vs the CPU), the matmul TFLOP/s per weight type at 512 tokens, then
# prefill of 512 tokens on synthetic Llama-3.1 shapes made here (never carried): 8B Q4_K_M resident,
# 70B Q4_K_M resident and under --vram 24g. Logs go to $OUT (or /tmp/pagoda-out); a short table comes last.
set -uo pipefail
java_extra=(-Xmx8g)
source "$(dirname "$0")/dist-env.sh"
testcp="$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar"

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv \
  > "$out/nvidia-smi.txt" 2>&1

timeout 90 "$java" "${flags[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$testcp" --select-class dev.pagoda.cuda.kernels.MatMulKernelTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/matmul-tests.log" 2>&1
matmul_rc=$?
timeout 120 "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaBackendTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/backend-tests.log" 2>&1
backend_rc=$?

timeout 60 "$java" "${flags[@]}" -cp "$testcp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.MatMulThroughput \
  > "$out/matmul-bench.txt" 2>&1

: > "$out/bench.txt"
run_bench() {  # label, file, extra bench options...
  local label="$1" file="$2"; shift 2
  echo "=== $label" >> "$out/bench.txt"
  local start=$(date +%s)
  timeout 150 "${pagoda[@]}" bench -m "$file" -p 512 -n 16 --backend cuda "$@" >> "$out/bench.txt" 2>&1 \
    || echo "bench exit $?" >> "$out/bench.txt"
  echo "took $(( $(date +%s) - start )) s" >> "$out/bench.txt"
}
for spec in llama-3.1-8b llama-3.1-70b; do
  file="$models/$spec-q4_k_m.gguf"
  start=$(date +%s)
  timeout 120 "${pagoda[@]}" synth --like "$spec" --type q4_k_m -o "$file" >> "$out/synth.txt" 2>&1
  echo "synth $spec exit $? in $(( $(date +%s) - start )) s" >> "$out/synth.txt"
  run_bench "$spec Q4_K_M resident" "$file"
  if [ "$spec" = llama-3.1-70b ]; then
    run_bench "$spec Q4_K_M --vram 24g" "$file" --vram 24g
  fi
  rm -f "$file"
done

echo "=== GPU"; cat "$out/nvidia-smi.txt"
echo "=== MatMulKernelTest (exit $matmul_rc)"
grep -E "✘|=> " "$out/matmul-tests.log" | head -20
grep -E "tests (successful|failed|aborted|skipped|found)" "$out/matmul-tests.log"
echo "=== CudaBackendTest (exit $backend_rc)"
grep -E "✘|=> |worst cosine|positions, worst" "$out/backend-tests.log" | head -20
grep -E "tests (successful|failed|aborted|skipped|found)" "$out/backend-tests.log"
echo "=== matmul TFLOP/s (512 tokens)"; cat "$out/matmul-bench.txt"
echo "=== synth"; grep synth "$out/synth.txt"
echo "=== prefill (pass: 8B >= 9,131 tok/s = llama.cpp; 70B --vram 24g >= 600 tok/s)"
grep -E "^===|^prefill|^decode|^model|exit|took|Exception|Error" "$out/bench.txt"
