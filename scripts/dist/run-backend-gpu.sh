#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: the CUDA backend's JUnit
# tests (core, dev.pagoda.core.cuda; reference files from $dist/shared/reference when carried), the
# device copy ceiling, then resident-model benchmarks on synthetic Llama-3.1 shapes generated here
# (never carried): 8B Q4_K_M, 8B Q8_0, 70B Q4_K_M, each deleted after its run. Logs go to $OUT (or
# /tmp/pagoda-out); a short table comes last.
# Usage: run-backend-gpu.sh [tests|bench|all]   (default all); PAGODA_MODEL_DIR picks where models go (/tmp).
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
what="${1:-all}"

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv \
  > "$out/nvidia-smi.txt" 2>&1

tests_rc=skipped
if [ "$what" != bench ]; then
  "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
    --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaBackendTest \
    --details=tree --disable-banner --disable-ansi-colors > "$out/backend-tests.log" 2>&1
  tests_rc=$?
fi

: > "$out/bench.txt"
if [ "$what" != tests ]; then
  "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.CudaCeilings 1024 \
    > "$out/ceilings.txt" 2>&1
  for spec in llama-3.1-8b:q4_k_m llama-3.1-8b:q8_0 llama-3.1-70b:q4_k_m; do
    shape="${spec%%:*}"; type="${spec##*:}"; file="$models/$shape-$type.gguf"
    echo "=== $shape $type" >> "$out/bench.txt"
    start=$(date +%s)
    if timeout 240 "${pagoda[@]}" synth --like "$shape" --type "$type" -o "$file" >> "$out/bench.txt" 2>&1; then
      echo "synth took $(( $(date +%s) - start )) s" >> "$out/bench.txt"
      timeout 300 "${pagoda[@]}" bench -m "$file" -p 512 -n 128 --backend cuda >> "$out/bench.txt" 2>&1 \
        || echo "bench failed (exit $?)" >> "$out/bench.txt"
    else
      echo "synth failed (exit $?)" >> "$out/bench.txt"
    fi
    rm -f "$file"
  done
fi

echo "=== GPU ==="
cat "$out/nvidia-smi.txt"
if [ "$what" != bench ]; then
  echo "=== backend tests (exit $tests_rc) ==="
  grep -E "✘|=> |worst cosine|positions, worst" "$out/backend-tests.log" | head -40
  grep -E "tests (successful|failed|aborted|skipped|found)|containers failed" "$out/backend-tests.log"
fi
if [ "$what" != tests ]; then
  echo "=== ceilings ==="
  grep -E "device|d2d" "$out/ceilings.txt"
  echo "=== resident benchmarks ==="
  grep -E "^===|^model|^prefill|^decode|^weights|^memory|failed|took|Exception" "$out/bench.txt"
fi
