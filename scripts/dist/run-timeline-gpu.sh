#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: a timeline of the replayed decode
# step with Nsight Systems, each kernel node of the captured graph traced on its own
# (--cuda-graph-trace=node), so that what the per-op replays of DecodeStepProfile cannot show is measured:
# how long each kernel runs inside the step and how much time lies between one kernel's end and the next
# one's start (docs/perf/NOTES.md, decode round 14). Decodes 64 tokens of an 8B-shape Q4_K_M model (generated
# if $PAGODA_MODEL_DIR has none). Writes the raw kernel trace ($OUT/timeline-kernels.csv) and prints, per
# kernel name, launches and mean duration over the last 32 tokens, and the sum of gaps between consecutive
# kernels (the nsys branch has not run yet: no host so far had nsys; the raw files come back either way).
# Without nsys it runs DecodeStepTimeline (which ran on the H100 host on 2026-12-06, started directly, not yet
# through this script).
# Usage: run-timeline-gpu.sh [model.gguf]
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
nsys="$(command -v nsys || true)"
for candidate in /usr/local/cuda/bin/nsys /opt/nvidia/nsight-systems/*/bin/nsys /usr/local/cuda/nsight-systems-*/bin/nsys; do
  [ -z "$nsys" ] && [ -x "$candidate" ] && nsys="$candidate"
done
model="${1:-$models/8b-q4km.gguf}"
if [ ! -f "$model" ]; then
  "${pagoda[@]}" synth --like llama-3.1-8b --type q4_k_m -o "$model" > "$out/timeline-synth.txt" 2>&1 \
    || { echo "synth failed: $(tail -3 "$out/timeline-synth.txt")"; exit 1; }
fi
if [ -z "$nsys" ]; then
  # No Nsight Systems (the H100 host used so far): the ring matvecs' own timestamps instead (DecodeStepTimeline,
  # RingTrace): per kind of ring launch, its time resident before its wait, its run and the chain before it.
  echo "run-timeline-gpu.sh: no nsys on this host (Nsight Systems): the ring matvecs' timestamps instead"
  timeout 300 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.DecodeStepTimeline \
    "$model" 576 640 40 2>&1 | grep -v "^WARNING"
  exit "${PIPESTATUS[0]}"
fi
"$nsys" --version
rep="$out/timeline"
timeout 300 "$nsys" profile --trace=cuda --cuda-graph-trace=node --force-overwrite=true --output="$rep" \
  "${pagoda[@]}" bench -m "$model" -p 512 -n 64 --backend cuda > "$out/timeline-profile.txt" 2>&1
echo "nsys profile exit $? ($(grep -E '^decode' "$out/timeline-profile.txt" | head -1))"
for report in cuda_gpu_trace gputrace; do
  if "$nsys" stats --report "$report" --format csv --force-export=true --output "$out/timeline-$report" "$rep.nsys-rep" \
      > "$out/timeline-stats.txt" 2>&1; then
    csv="$(ls "$out/timeline-${report}"*.csv 2>/dev/null | head -1)"
    [ -n "$csv" ] && mv "$csv" "$out/timeline-kernels.csv" && break
  fi
done
if [ ! -f "$out/timeline-kernels.csv" ]; then
  echo "no kernel trace exported: $(tail -3 "$out/timeline-stats.txt")"
  exit 1
fi
# Columns by header name (quoted or not); kernels only (memcpy and memset rows have no grid). The last 32
# tokens are the last 32 x (kernels per token) rows, kernels per token counted by argmax's launches.
awk '
  function parse(line,   i, c, q, f, k) {
    k = 0; f = ""; q = 0
    for (i = 1; i <= length(line); i++) {
      c = substr(line, i, 1)
      if (c == "\"") q = !q; else if (c == "," && !q) { fld[++k] = f; f = "" } else f = f c
    }
    fld[++k] = f
    return k
  }
  NR == 1 { m = parse($0); for (i = 1; i <= m; i++) { if (fld[i] ~ /^Start/) s = i; if (fld[i] ~ /^Duration/) d = i; if (fld[i] == "Name") n = i } next }
  { parse($0); if (fld[n] ~ /^\[CUDA mem/) next; rows++; start[rows] = fld[s]; dur[rows] = fld[d]; name[rows] = fld[n]; if (fld[n] ~ /argmax/) tokens++ }
  END {
    if (!s || !d || !n || tokens == 0) { print "unexpected columns or no argmax kernel: see timeline-kernels.csv" > "/dev/stderr"; exit }
    per = int(rows / tokens); from = rows - 32 * per + 1; if (from < 1) from = 1
    for (r = from; r <= rows; r++) {
      k = name[r]; sub(/\(.*/, "", k); count[k]++; total[k] += dur[r]
      if (r > from) { g = start[r] - (start[r - 1] + dur[r - 1]); if (g > 0) gaps += g; else overlap -= g }
    }
    span = start[rows] + dur[rows] - start[from]
    printf "last 32 tokens: %.3f ms per token, %d kernels per token; gaps between kernels %.3f ms, overlaps %.3f ms per token\n",
      span / 32e6, per, gaps / 32e6, overlap / 32e6 > "/dev/stderr"
    for (k in total) printf "%-40s %6d launches %9.2f us mean %8.3f ms per token\n", k, count[k], total[k] / count[k] / 1e3, total[k] / 32e6
  }' "$out/timeline-kernels.csv" | sort -k7 -g -r | head -30
