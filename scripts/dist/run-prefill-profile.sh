#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: where a prefill batch's time
# goes (PrefillProfile: the batch forward, then each op over all layers) on synthetic Llama-3.1 shapes
# made here (never carried), the matmul TFLOP/s per type, and `pagoda bench` prefill for comparison.
# PAGODA_PREFILL_MODELS: the shapes, e.g. "llama-3.1-8b:q4_k_m llama-3.1-70b:q4_k_m" (default 8B Q4_K_M).
# Logs go to $OUT (or /tmp/pagoda-out); the tables come last.
set -uo pipefail
java_extra=(-Xmx8g)
source "$(dirname "$0")/dist-env.sh"
: > "$out/prefill-profile.txt"
timeout 60 "$java" "${flags[@]}" -cp "$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar:$lib/pagoda-bench-cuda.jar" \
  dev.pagoda.bench.cuda.MatMulThroughput > "$out/matmul-bench.txt" 2>&1
for spec in ${PAGODA_PREFILL_MODELS:-llama-3.1-8b:q4_k_m}; do
  shape="${spec%%:*}" type="${spec##*:}"
  file="$models/$shape-$type.gguf"
  start=$(date +%s)
  timeout 240 "${pagoda[@]}" synth --like "$shape" --type "$type" -o "$file" > /dev/null 2>&1
  echo "=== $shape $type (synth exit $? in $(( $(date +%s) - start )) s)" >> "$out/prefill-profile.txt"
  timeout 180 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.PrefillProfile "$file" 512 \
    >> "$out/prefill-profile.txt" 2>&1 || echo "profile exit $?" >> "$out/prefill-profile.txt"
  timeout 150 "${pagoda[@]}" bench -m "$file" -p 512 -n 16 --backend cuda 2>&1 | grep -E "^prefill|^decode" \
    >> "$out/prefill-profile.txt"
  rm -f "$file"
done
echo "=== matmul TFLOP/s (512 tokens)"; cat "$out/matmul-bench.txt"
cat "$out/prefill-profile.txt"
