#!/usr/bin/env bash
# Runs on the GPU host's CPU (no GPU used) from a distribution made with PAGODA_BASE_REV set
# (make-device-dist.sh): the CPU engine of lib-base/ (the base revision) against lib/ (this tree), each
# measurement in its own JVM, base and new interleaved. RowDotRates for q4_k and q6_k at 16 threads (per-row
# rate in cache, GB/s of weights from memory with 1 and 16 threads), the new tree's PrefillRates (tile in
# cache, the 8B's gate/up matmul shape on 16 threads), then a synthetic Llama-3.1-8B Q4_K_M made here
# (deleted after) and `pagoda bench --backend cpu --threads 16 -p 64 -n 16` twice per build. Logs go to
# $OUT (or /tmp/pagoda-out); a short table comes last. About 5 minutes on the 16-core host.
# Usage: run-cpu-ab.sh   (PAGODA_CPU_THREADS=N: another thread count; PAGODA_CPU_FORMS="q4_k q6_k q5_k q8_0";
#        PAGODA_CPU_MODEL=llama-3.2-1b: another shape for the whole-model runs)
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"

threads="${PAGODA_CPU_THREADS:-16}"
if [ ! -d "$dist/lib-base" ]; then
  echo "run-cpu-ab.sh: $dist/lib-base is missing: make the distribution with PAGODA_BASE_REV=REV" >&2
  exit 2
fi
{ lscpu | head -20; cat "$dist/lib-base/REVISION"; } > "$out/cpu.txt" 2>&1

for form in ${PAGODA_CPU_FORMS:-q4_k q6_k}; do
  for which in base new; do
    l="$dist/lib"; [ "$which" = base ] && l="$dist/lib-base"
    timeout 120 "$java" "${flags[@]}" -cp "$l/pagoda-core.jar:$l/pagoda-core-tests.jar:$l/pagoda-gguf.jar" \
      dev.pagoda.core.cpu.RowDotRates "$form" "$threads" > "$out/rowdot-$form-$which.txt" 2>&1 \
      || echo "RowDotRates failed (exit $?)" >> "$out/rowdot-$form-$which.txt"
  done
done

new_tests="$dist/lib/pagoda-core.jar:$dist/lib/pagoda-core-tests.jar:$dist/lib/pagoda-gguf.jar"
timeout 60 "$java" "${flags[@]}" -cp "$new_tests" dev.pagoda.core.cpu.PrefillRates tile 1024 64 > "$out/prefill-rates.txt" 2>&1
timeout 120 "$java" "${flags[@]}" -cp "$new_tests" dev.pagoda.core.cpu.PrefillRates matmul q4_k 14336 4096 64 "$threads" \
  >> "$out/prefill-rates.txt" 2>&1

shape="${PAGODA_CPU_MODEL:-llama-3.1-8b}"
file="$models/cpu-ab-$shape-q4_k_m.gguf"
: > "$out/bench-cpu.txt"
if timeout 240 "${pagoda[@]}" synth --like "$shape" --type q4_k_m -o "$file" >> "$out/bench-cpu.txt" 2>&1; then
  for round in 1 2; do
    for which in base new; do
      l="$dist/lib"; [ "$which" = base ] && l="$dist/lib-base"
      echo "=== round $round $which" >> "$out/bench-cpu.txt"
      PAGODA_LIB="$l" timeout 180 bash -c 'source "$1/dist-env.sh"; "${pagoda[@]}" bench -m "$2" --backend cpu --threads "$3" -p 64 -n 16' \
        _ "$dist" "$file" "$threads" >> "$out/bench-cpu.txt" 2>&1 || echo "bench failed (exit $?)" >> "$out/bench-cpu.txt"
    done
  done
fi
rm -f "$file"

echo "== CPU A/B ($(cat "$dist/lib-base/REVISION") vs this tree), $threads threads, $shape Q4_K_M, $(grep -m1 'Model name' "$out/cpu.txt" | sed 's/  */ /g')"
for f in "$out"/rowdot-*.txt; do
  echo "-- $(basename "$f" .txt): $(grep -E '^[a-z0-9_-]+ +[0-9.]+ ' "$f" | tail -3 | awk '{printf "%s ns/row in cache, %s GB/s 1 thread, %s GB/s all; ", $2, $3, $4}')"
done
grep -E 'round [45]' "$out/prefill-rates.txt"
grep -E '^=== |^prefill|^decode' "$out/bench-cpu.txt"
