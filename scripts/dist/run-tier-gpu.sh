#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: the CUDA streaming
# bit-identity tests (CudaStreamingTest), then the Llama 3.1 70B shape at Q4_K_M synthesized here
# (never carried) decoded with `pagoda run --stats` under --vram 24g (tiers A + B) and under
# --vram 24g --ram 10g (about a quarter of the blocks read from storage every token). Each run
# prints decode tok/s, the PCIe bound (tier B + C bytes per token / pinned H2D measured in the run)
# and the storage bound (tier C bytes per token / O_DIRECT rate measured at open) with the achieved
# fraction of each, and the process's RSS against the budgets. Logs go to $OUT (or /tmp/pagoda-out);
# a short summary comes last. About 4 minutes on an H100 host.
set -uo pipefail
java_extra=(-Xmx4g)
source "$(dirname "$0")/dist-env.sh"

nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current --format=csv > "$out/nvidia-smi.txt" 2>&1
df -h /tmp > "$out/df.txt" 2>&1; free -g >> "$out/df.txt" 2>&1

timeout 120 "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaStreamingTest \
  --details=tree --disable-banner --disable-ansi-colors > "$out/tier-tests.log" 2>&1
tests_rc=$?

file="$models/70b-tier.gguf"
start=$(date +%s)
timeout 120 "${pagoda[@]}" synth --like llama-3.1-70b --type q4_k_m -o "$file" > "$out/tier-synth.txt" 2>&1
echo "synth exit $? in $(( $(date +%s) - start )) s" >> "$out/tier-synth.txt"

prompt="Once upon a time"
run_tier() {  # name, timeout, -n, budgets...
  local name=$1 limit=$2 n=$3; shift 3
  start=$(date +%s)
  timeout "$limit" "${pagoda[@]}" run -m "$file" -p "$prompt" -n "$n" --temp 0 --backend cuda --stats "$@" \
    > "$out/tier-$name.out" 2> "$out/tier-$name.log"
  echo "exit $? in $(( $(date +%s) - start )) s" >> "$out/tier-$name.log"
}
run_tier vram24 150 16 --vram 24g
run_tier vram24-ram10 170 8 --vram 24g --ram 10g
rm -f "$file"

echo "=== GPU"; cat "$out/nvidia-smi.txt"
echo "=== streaming tests (exit $tests_rc)"
grep -E "✘|=> " "$out/tier-tests.log" | head -20
grep -E "tests (successful|failed|aborted|skipped|found)" "$out/tier-tests.log"
echo "=== synth"; tail -1 "$out/tier-synth.txt"
for name in vram24 vram24-ram10; do
  echo "=== run --stats, ${name/-/ }"
  grep -E "^prompt:|tier A|^streaming:|bound:|^resident|^budgets|^mapping|^exit|Exception|Error" "$out/tier-$name.log"
done
