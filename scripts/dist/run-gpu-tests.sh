#!/usr/bin/env bash
# Runs on the GPU host from the distribution made by make-device-dist.sh: every cuda-ffm test (JUnit
# console launcher), then the CUDA ceilings and kernel benchmarks. Logs go to $OUT (or /tmp/pagoda-out);
# a short table comes last.
set -uo pipefail
dist="$(cd "$(dirname "$0")" && pwd)"
out="${OUT:-/tmp/pagoda-out}"
mkdir -p "$out"
java="$dist/jre/bin/java"
flags=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss4m)
cp="$dist/lib/pagoda-cuda-ffm.jar:$dist/lib/pagoda-cuda-ffm-tests.jar:$dist/lib/assertj-core.jar"

nvidia-smi --query-gpu=name,driver_version,pcie.link.gen.current,pcie.link.width.current,clocks.sm,clocks.mem,temperature.gpu,power.draw \
  --format=csv > "$out/nvidia-smi.txt" 2>&1

"$java" "${flags[@]}" -jar "$dist/lib/junit-platform-console-standalone.jar" execute \
  --class-path "$cp" --scan-class-path "$dist/lib/pagoda-cuda-ffm-tests.jar" \
  --details=tree --disable-banner --disable-ansi-colors --reports-dir="$out/junit" > "$out/tests.log" 2>&1
tests_rc=$?

"$java" "${flags[@]}" -cp "$cp:$dist/lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.CudaCeilings 1024 \
  > "$out/ceilings.txt" 2>&1
"$java" "${flags[@]}" -cp "$cp:$dist/lib/pagoda-bench-cuda.jar" dev.pagoda.bench.cuda.KernelBandwidth \
  > "$out/kernels.txt" 2>&1

echo "=== failures / errors ==="
grep -E "✘|MethodSource|=> " "$out/tests.log" | head -40
echo "=== GPU ==="
cat "$out/nvidia-smi.txt"
echo "=== tests (exit $tests_rc) ==="
grep -E "tests (successful|failed|aborted|skipped|found)|containers failed" "$out/tests.log"
echo "=== ceilings ==="
cat "$out/ceilings.txt"
echo "=== kernels ==="
cat "$out/kernels.txt"
