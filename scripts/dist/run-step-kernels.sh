#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh, where Nsight Compute (ncu) is
# installed: each kernel of one captured decode step timed alone (ncu --graph-profiling node, the first
# replay of DecodeStepProfile's graph: embedding .. argmax), summed by kernel name, against the replay of
# the whole step (run DecodeStepProfile without ncu for that: under ncu its times mean nothing). What the
# step's kernels take on their own versus the replay says how much of a token is spent between kernels
# (launch gaps, waits on the kernel before) rather than inside them.
# Usage: run-step-kernels.sh MODEL.gguf [position=576] [context=640]
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
model="$1"; position="${2:-576}"; context="${3:-640}"
ncu="$(command -v ncu || echo /usr/local/cuda/bin/ncu)"
if [ ! -x "$ncu" ]; then
  echo "run-step-kernels.sh: no ncu on this host (Nsight Compute): nothing timed"
  exit 0
fi
# DecodeStepProfile's first graph launch is the whole step; 700 nodes cover a 70-layer step's ~10 per layer
timeout 300 "$ncu" --target-processes all --graph-profiling node --clock-control none --cache-control none \
  --launch-count 700 --metrics gpu__time_duration.sum --csv --page raw --print-units base \
  "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.DecodeStepProfile "$model" "$position" "$context" \
  > "$out/step-kernels.csv" 2> "$out/step-kernels.err" || echo "ncu failed (exit $?)" >> "$out/step-kernels.err"
# rows: the first one whose kernel name starts with "embedding" through the next "argmax"
awk -F'","' '
  /^"ID","Process ID"/ { for (i = 1; i <= NF; i++) { gsub(/"/, "", $i); if ($i == "Kernel Name") k = i; if ($i == "gpu__time_duration.sum") t = i } next }
  !k || !t { next }
  { name = $k; gsub(/"/, "", name); sub(/\(.*/, "", name); v = $t; gsub(/[",]/, "", v) }  # the raw page prints thousands separators
  v !~ /^[0-9.]+$/ { next }
  !on && name ~ /^embedding/ { on = 1 }
  on { n[name]++; s[name] += v; total += v; count++; }
  on && name ~ /^argmax/ { exit }
  END {
    printf "%-40s %6s %10s %9s\n", "kernel (one decode step, each timed alone)", "count", "us total", "us each"
    for (x in n) printf "%-40s %6d %10.1f %9.2f\n", x, n[x], s[x] / 1000, s[x] / 1000 / n[x] | "sort -k3 -n -r"
    close("sort -k3 -n -r")
    printf "%-40s %6d %10.1f\n", "sum of the step kernels", count, total / 1000
  }' "$out/step-kernels.csv"
tail -3 "$out/step-kernels.err"
