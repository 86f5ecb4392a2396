#!/usr/bin/env bash
# Runs on the GPU host from a distribution made with PAGODA_BASE_REV set (make-device-dist.sh): one decode change
# measured and checked in one short lease. A synthetic Llama-3.1-8B Q4_K_M made here (deleted after); `pagoda bench
# -p 512 -n 256 --backend cuda` of lib-base/ (the base revision) and of lib/ (this tree) under each variant given,
# interleaved, two rounds; DecodeStepTimeline of lib/ (each ring launch's time resident before its wait, its run,
# the chain of small kernels before it); the decode kernels' tests (ring matvecs, fused small ops, attention) and
# the whole-model tests of lib/ (programmatic launches; one-launch attention); KernelBandwidth shapes for the down projections' row lengths,
# and the down shapes with a ring block's requests in flight capped at 1, 2 and 3 (-Dpagoda.cuda.ringAhead).
# Logs go to $OUT (or /tmp/pagoda-out); a short table comes as it goes. Without the shapes (AB_SHAPES=0), five
# variants and one bench round took 95 s on an H100 (2026-12-07).
# Usage: run-decode-ab-gpu.sh [LABEL=-Dprop=value[,-Dprop=value...] ...]
#   each argument is one more variant of lib/ with those JVM options; lib/ as built always runs, as "new".
#   e.g. run-decode-ab-gpu.sh no-joint=-Dpagoda.cuda.ringQ4kThenQ6k=false
#   AB_SHAPES=0: stop before the KernelBandwidth shapes; AB_ROUNDS=N: N interleaved bench rounds, not 2 (a shorter lease);
#   AB_KERNEL_TESTS="RingMatVecKernelTest ...": the cuda-ffm kernel test classes to run (default: the five decode ones);
#   AB_MODELS="llama-3.1-8b:q8_0 llama-3.1-70b:q4_k_m": more models (shape:type, made with pagoda synth), every
#   variant once on each (-n 64 for a 70B shape, else 256), after the tests.
#   AB_CHECK_OPTIONS="-Dprop=value ...": the timeline and the programmatic-launch test run once more with them (a
#   variant that changes launches, e.g. -Dpagoda.cuda.attentionStep=true, is checked as well as timed).
#   AB_PLAIN_MODEL_TESTS=0: skip the whole-model tests without options (programmatic launches, one-launch attention)
#   when the default launches have not changed (a short lease).
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"
T0=$(date +%s)
t() { echo "[$(( $(date +%s) - T0 ))s] $*"; }
cp_of() { local l="$1"; echo "$l/pagoda-core.jar:$l/pagoda-gguf.jar:$l/pagoda-cuda-ffm.jar:$l/pagoda-nvme-ffm.jar:$l/pagoda-examples.jar"; }

if [ ! -d "$dist/lib-base" ]; then
  echo "run-decode-ab-gpu.sh: $dist/lib-base is missing: make the distribution with PAGODA_BASE_REV=REV" >&2
  exit 2
fi
labels=(base new)
libs=("$dist/lib-base" "$lib")
options=("" "")
for variant in "$@"; do
  if [[ "$variant" != *=-D* ]]; then
    echo "run-decode-ab-gpu.sh: variant '$variant': expected LABEL=-Dprop=value[,-Dprop=value...]" >&2
    exit 2
  fi
  labels+=("${variant%%=*}")
  libs+=("$lib")
  options+=("${variant#*=}")
done
echo "base: $(cat "$dist/lib-base/REVISION")"
nvidia-smi --query-gpu=name --format=csv,noheader 2>&1

m="$models/ab-8b-q4km.gguf"
timeout 90 "${pagoda[@]}" synth --like llama-3.1-8b --type q4_k_m -o "$m" > "$out/ab-synth.txt" 2>&1
t "synth rc=$?"
: > "$out/ab-bench.txt"
bench_all() {  # bench_all MODEL TOKENS ROUNDS NAME: every label on MODEL, interleaved
  local model="$1" tokens="$2" rounds="$3" name="$4" round i r
  for round in $(seq 1 "$rounds"); do
    for i in "${!labels[@]}"; do
      IFS=',' read -r -a extra <<< "${options[$i]}"
      r=$(timeout 90 "$java" "${flags[@]}" ${extra[@]+"${extra[@]}"} -cp "$(cp_of "${libs[$i]}")" dev.pagoda.cli.Main bench \
            -m "$model" -p 512 -n "$tokens" --backend cuda 2>&1 | tee -a "$out/ab-bench.txt" \
          | grep -E "^(decode|memory +[0-9]|pagoda bench:)|Exception" \
          | sed -E 's/ tokens in [0-9.]+ s//; s/measured device copy bandwidth \(read \+ write\)/copy/' | tr -s ' ' | tr '\n' ' ')
      t "$name round $round ${labels[$i]}: $r"
    done
  done
}
bench_all "$m" 256 "${AB_ROUNDS:-2}" 8b-q4_k_m

check_options=(${AB_CHECK_OPTIONS:-})
timeline() {  # timeline LOG [JVM options...]
  local log="$1"; shift
  timeout 90 "$java" "${flags[@]}" "$@" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.DecodeStepTimeline "$m" 576 640 30 \
    > "$out/$log" 2>&1
  t "$log rc=$?"
  grep -v "^WARNING" "$out/$log" | head -14
}
timeline ab-timeline.txt
[ ${#check_options[@]} -gt 0 ] && timeline ab-timeline-check.txt "${check_options[@]}"
rm -f "$m"

timeout 150 "$java" "${flags[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar" \
  $(for c in ${AB_KERNEL_TESTS:-RingMatVecKernelTest FusedDecodeKernelTest SmallOpsKernelTest AttentionKernelTest AttentionDecodeStepKernelTest}; do
      echo "--select-class dev.pagoda.cuda.kernels.$c"; done) \
  --details=tree --disable-banner --disable-ansi-colors > "$out/ab-kernel-tests.log" 2>&1
t "kernel tests rc=$? $(grep -E 'tests (successful|failed|aborted)' "$out/ab-kernel-tests.log" | tr -s ' ' | tr '\n' ' ')"
grep -E "✘" -A4 "$out/ab-kernel-tests.log" | head -12
model_tests() {  # model_tests CLASS LOG [JVM options...]: one whole-model test class of core
  local class="$1" log="$2"; shift 2
  timeout 150 "$java" "${flags[@]}" "$@" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
    --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class "dev.pagoda.core.cuda.$class" \
    --details=tree --disable-banner --disable-ansi-colors > "$out/$log" 2>&1
  t "$class $* rc=$? $(grep -E 'tests (successful|failed|aborted)' "$out/$log" | tr -s ' ' | tr '\n' ' ')"
  grep -E "✘" -A4 "$out/$log" | head -12
}
[ "${AB_PLAIN_MODEL_TESTS:-1}" = 1 ] && model_tests CudaProgrammaticLaunchTest ab-backend-tests.log
[ ${#check_options[@]} -gt 0 ] && model_tests CudaProgrammaticLaunchTest ab-backend-tests-check.log "${check_options[@]}"
[ "${AB_PLAIN_MODEL_TESTS:-1}" = 1 ] && model_tests CudaAttentionStepTest ab-attention-step-tests.log
# the whole model against llama.cpp's logits, and hybrid layers against the fused step, with the variant's launches
[ ${#check_options[@]} -gt 0 ] && model_tests CudaBackendTest ab-backend-model-check.log "${check_options[@]}"
[ ${#check_options[@]} -gt 0 ] && model_tests CudaHybridTest ab-hybrid-check.log "${check_options[@]}"

# the same bytes as rows of 28672, 14336, 7168 and 4096 columns (q6_K 7168 is not on the ring: rows must hold
# 2048s), and 14336 columns over four times the rows (one tile per ring block against four); the ring, then q4_K
# on the register kernels
shapes() {  # shapes LOG [JVM options...] -- TYPES SHAPE...
  local log="$1"; shift
  local opts=(); while [ "$1" != "--" ]; do opts+=("$1"); shift; done; shift
  timeout 120 "$java" "${flags[@]}" ${opts[@]+"${opts[@]}"} -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.KernelBandwidth \
    shapes "$@" > "$out/$log" 2>&1
  t "$log rc=$?"
  grep -E "^(Q|ceiling)" "$out/$log"
}
# more models, one round each (AB_MODELS="llama-3.1-8b:q8_0 llama-3.1-70b:q4_k_m"; made here, deleted after)
for spec in ${AB_MODELS:-}; do
  shape="${spec%%:*}"; type="${spec##*:}"; file="$models/ab-$shape-$type.gguf"
  if timeout 180 "${pagoda[@]}" synth --like "$shape" --type "$type" -o "$file" >> "$out/ab-synth.txt" 2>&1; then
    bench_all "$file" "$([[ $shape == *70b* ]] && echo 64 || echo 256)" 1 "$shape-$type"
  else
    t "synth $spec failed"
  fi
  rm -f "$file"
done

if [ "${AB_SHAPES:-1}" = 0 ]; then
  t "done (AB_SHAPES=0: no KernelBandwidth shapes)"
  exit 0
fi
shapes ab-shapes.txt -- Q4_K,Q6_K 2048x28672 4096x14336 8192x7168 14336x4096 16384x14336
shapes ab-shapes-register.txt -Dpagoda.cuda.matvecRing=false -- Q4_K 4096x14336 14336x4096 16384x14336
# the down projection's shape with a ring block's requests in flight capped (round 26: does its first stage come
# late behind the whole burst?)
for n in 1 2 3; do
  shapes ab-shapes-ahead$n.txt -Dpagoda.cuda.ringAhead=$n -- Q4_K,Q6_K 4096x14336 16384x14336
done
