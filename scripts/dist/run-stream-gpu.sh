#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh (copy this script beside
# run-backend-gpu.sh): the CUDA layer-streaming tests (CudaStreamingTest; synth-A files from
# $dist/shared/reference when carried), the pinned H2D ceiling, then the 70B Q4_K_M synthesized
# here (never carried): streamed under --vram 24g, resident, and streamed with a RAM budget that
# sends about a quarter of the blocks to storage. Logs go to $OUT (or /tmp/pagoda-out); a short table comes last.
set -uo pipefail
java_extra=(-Xmx8g)
source "$(dirname "$0")/dist-env.sh"
bench=("$java" "${flags[@]}" -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.StreamingBench)

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv > "$out/nvidia-smi.txt" 2>&1
df -h /tmp > "$out/df.txt" 2>&1; free -g >> "$out/df.txt" 2>&1

timeout 120 "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaStreamingTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/stream-tests.log" 2>&1
tests_rc=$?

timeout 60 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.CudaCeilings 1024 > "$out/ceilings.txt" 2>&1

file="$models/70b.gguf"
start=$(date +%s)
timeout 120 "${pagoda[@]}" synth --like llama-3.1-70b --type q4_k_m -o "$file" > "$out/synth.txt" 2>&1
echo "synth exit $? in $(( $(date +%s) - start )) s" >> "$out/synth.txt"
: > "$out/bench.txt"
for spec in "24g - 512 8" "- - 512 16" "24g 10g 64 1"; do
  echo "=== $spec" >> "$out/bench.txt"
  start=$(date +%s)
  timeout 130 "${bench[@]}" "$file" $spec >> "$out/bench.txt" 2>&1 || echo "bench exit $?" >> "$out/bench.txt"
  echo "took $(( $(date +%s) - start )) s" >> "$out/bench.txt"
done
rm -f "$file"

echo "=== GPU"; cat "$out/nvidia-smi.txt"
echo "=== streaming tests (exit $tests_rc)"
grep -E "✘|=> " "$out/stream-tests.log" | head -20
grep -E "tests (successful|failed|aborted|skipped|found)" "$out/stream-tests.log"
echo "=== ceilings"; grep -E "h2d|d2d" "$out/ceilings.txt"
echo "=== synth"; tail -2 "$out/synth.txt"
echo "=== bench"; grep -E "^===|^stream|stats:|exit|took|Exception|Error|^device|^host|^per token" "$out/bench.txt"
