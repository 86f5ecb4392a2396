#!/usr/bin/env bash
# Decode round 25 (docs/perf/NOTES.md): a distribution of branch decode-swiglu-first in lib/ and main (or the
# revision to compare) in lib-base/ (make-device-dist.sh with PAGODA_BASE_REV): decode kernel tests, two A/B rounds
# of base / lib / lib with -Dpagoda.cuda.swiGluTriggerFirst=true, the programmatic whole-model test without and with
# it, the timeline with it, then KernelBandwidth shapes on the ring and the register kernels (equal bytes, other row lengths).
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
T0=$(date +%s)
t() { echo "[$(( $(date +%s) - T0 ))s] $*"; }
cp_of() { local l="$1"; echo "$l/pagoda-core.jar:$l/pagoda-gguf.jar:$l/pagoda-cuda-ffm.jar:$l/pagoda-nvme-ffm.jar:$l/pagoda-examples.jar"; }
echo "lib: $(cat "$lib/REVISION" 2>/dev/null) base: $(cat "$dist/lib-base/REVISION")"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>&1
m="$models/ab-8b-q4km.gguf"
( timeout 100 "${pagoda[@]}" synth --like llama-3.1-8b --type q4_k_m -o "$m" > "$out/ab-synth.txt" 2>&1; echo "synth rc=$?" > "$out/synth.rc" ) &
sp=$!
junit() {
  local log="$1" classpath="$2"; shift 2
  local sel=(); for c in "$@"; do sel+=(--select-class "$c"); done
  timeout 120 "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
    --class-path "$classpath" "${sel[@]}" --details=tree --disable-banner --disable-ansi-colors > "$out/$log" 2>&1
  t "$log rc=$? $(grep -E 'tests (successful|failed|aborted)' "$out/$log" | tr -s ' ' | tr '\n' ' ')"
  grep -E "✘" -A3 "$out/$log" | head -12
}
kcp="$cp:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar"
bcp="$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar"
junit decode-kernels.log "$kcp" dev.pagoda.cuda.kernels.RingMatVecKernelTest dev.pagoda.cuda.kernels.PtxUpToDateTest dev.pagoda.cuda.kernels.FusedDecodeKernelTest \
  dev.pagoda.cuda.kernels.SmallOpsKernelTest dev.pagoda.cuda.kernels.AttentionKernelTest
wait $sp; t "$(cat "$out/synth.rc")"
labels=(base merged swiglu-first); libs=("$dist/lib-base" "$lib" "$lib"); options=("" "" "-Dpagoda.cuda.swiGluTriggerFirst=true")
for round in 1 2; do
  for i in 0 1 2; do
    r=$(timeout 60 "$java" "${flags[@]}" ${options[$i]} -cp "$(cp_of "${libs[$i]}")" dev.pagoda.cli.Main bench \
          -m "$m" -p 512 -n 256 --backend cuda 2>&1 | tee -a "$out/ab-bench.txt" \
        | grep -E "^(decode|memory +[0-9]|pagoda bench:)|Exception" \
        | sed -E 's/ tokens in [0-9.]+ s//; s/measured device copy bandwidth \(read \+ write\)/copy/' | tr -s ' ' | tr '\n' ' ')
    t "round $round ${labels[$i]}: $r"
  done
done
junit programmatic.log "$bcp" dev.pagoda.core.cuda.CudaProgrammaticLaunchTest
flags+=(-Dpagoda.cuda.swiGluTriggerFirst=true)
junit programmatic-swiglu-first.log "$bcp" dev.pagoda.core.cuda.CudaProgrammaticLaunchTest
timeout 60 "$java" "${flags[@]}" -cp "$bcp" dev.pagoda.core.cuda.DecodeStepTimeline "$m" 576 640 30 > "$out/timeline-swiglu-first.txt" 2>&1
t "timeline swiglu-first rc=$?"; grep -v "^WARNING" "$out/timeline-swiglu-first.txt" | head -13
unset 'flags[${#flags[@]}-1]'
rm -f "$m"
K() { local o="$1" f="$2"; shift 2; timeout 150 "$java" "${flags[@]}" $o -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.KernelBandwidth shapes \
  "$@" > "$out/$f" 2>&1; t "$f rc=$?"; grep -E "^(Q|ceiling)" "$out/$f"; }
K "" shapes-ring.txt Q4_K,Q6_K 28672x4096 14336x4096 8192x7168 4096x14336 2048x28672 16384x14336
K -Dpagoda.cuda.matvecRing=false shapes-register.txt Q4_K 14336x4096 4096x14336 16384x14336
