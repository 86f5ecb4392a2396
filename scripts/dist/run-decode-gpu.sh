#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh (with shared/reference copied
# in for CudaBackendTest): the decode round's checks and numbers in one go. The cuda-ffm kernel tests
# (every kernel vs its scalar reference), the CUDA backend's whole-model tests, the decode matvec
# bandwidth per weight type and one token's attention at 576/640 .. 32768 positions (KernelBandwidth
# matvec, with the copy ceiling of the same run), then 8B Q4_K_M and Q8_0 generated here (pagoda synth,
# deleted after): DecodeStepProfile at position 576 of 640 for Q4_K_M, and `pagoda bench -p 512 -n 128
# --backend cuda` with 16-bit (default), int8 and float32 matvec input (--activations); CudaHybridTest too. Logs go to $OUT (or /tmp/pagoda-out); a short table comes last. About 3 minutes on an H100.
# Usage: run-decode-gpu.sh        (PAGODA_SKIP_TESTS=1: the numbers only, when run-sweep-gpu.sh ran the tests;
#        PAGODA_DECODE_MODELS="llama-3.1-8b:q4_k_m llama-3.1-70b:q4_k_m": other shapes:types than the two 8B ones)
set -uo pipefail
source "$(dirname "$0")/dist-env.sh"

nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu,power.draw --format=csv \
  > "$out/nvidia-smi.txt" 2>&1

kernel_rc=skipped
backend_rc=skipped
if [ -z "${PAGODA_SKIP_TESTS:-}" ]; then
  run_kernel_tests
  kernel_rc=$?
  run_backend_tests
  backend_rc=$?
fi

timeout 120 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.KernelBandwidth matvec \
  > "$out/matvec.txt" 2>&1 || echo "KernelBandwidth failed (exit $?)" >> "$out/matvec.txt"

: > "$out/bench.txt"
for spec in ${PAGODA_DECODE_MODELS:-llama-3.1-8b:q4_k_m llama-3.1-8b:q8_0}; do
  shape="${spec%%:*}"; type="${spec##*:}"; file="$models/$shape-$type.gguf"
  echo "=== $shape $type" >> "$out/bench.txt"
  if timeout 240 "${pagoda[@]}" synth --like "$shape" --type "$type" -o "$file" >> "$out/bench.txt" 2>&1; then
    if [ "$spec" = llama-3.1-8b:q4_k_m ]; then
      timeout 120 "$java" "${flags[@]}" -cp "$cp:$lib/pagoda-core-tests.jar" dev.pagoda.core.cuda.DecodeStepProfile "$file" 576 640 \
        > "$out/profile-$type.txt" 2>&1 || echo "profile failed (exit $?)" >> "$out/profile-$type.txt"
    fi
    for act in int16 int8 f32; do
      echo "--- $act activations" >> "$out/bench.txt"
      timeout 300 "${pagoda[@]}" bench -m "$file" -p 512 -n 128 --backend cuda --activations "$act" >> "$out/bench.txt" 2>&1 \
        || echo "bench failed (exit $?)" >> "$out/bench.txt"
    done
  else
    echo "synth failed (exit $?)" >> "$out/bench.txt"
  fi
  rm -f "$file"
done

echo "=== GPU ==="
cat "$out/nvidia-smi.txt"
echo "=== cuda-ffm kernel tests (exit $kernel_rc) ==="
grep -E "✘|=> " "$out/kernel-tests.log" | head -20
grep -E "tests (successful|failed|skipped|found)" "$out/kernel-tests.log"
echo "=== backend tests (exit $backend_rc) ==="
grep -E "✘|=> |worst cosine|INT8.*cosine|INT16.*cosine" "$out/backend-tests.log" | head -30
grep -E "tests (successful|failed|skipped|found)" "$out/backend-tests.log"
echo "=== decode matvec and one-token attention, of the d2d copy bound ==="
grep -vE "^WARNING" "$out/matvec.txt"
echo "=== resident bench (memory line: decode as % of the measured copy bound; target >= 60 %) ==="
grep -E "^===|^---|^prefill|^decode|^weights|^memory|failed|Exception" "$out/bench.txt"
echo "=== 8B Q4_K_M decode step profile, position 576 of 640 (ms per token) ==="
grep -vE "^WARNING" "$out/profile-q4_k_m.txt" | tail -30
