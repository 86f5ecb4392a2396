# Sourced by the run-*.sh runners in the distribution
# made by make-device-dist.sh: where the distribution, logs and generated models are, and the
# pagoda CLI command line. A caller that needs more JVM options sets java_extra=(...) first.
dist="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
out="${OUT:-/tmp/pagoda-out}"
models="${PAGODA_MODEL_DIR:-/tmp}"
mkdir -p "$out"
java="$dist/jre/bin/java"
flags=(--enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -Xss4m ${java_extra[@]+"${java_extra[@]}"})
lib="${PAGODA_LIB:-$dist/lib}"  # PAGODA_LIB: another set of jars on the same runtime
cp="$lib/pagoda-core.jar:$lib/pagoda-gguf.jar:$lib/pagoda-cuda-ffm.jar:$lib/pagoda-nvme-ffm.jar:$lib/pagoda-examples.jar"
pagoda=("$java" "${flags[@]}" -cp "$cp" dev.pagoda.cli.Main)

# The two JUnit runs the GPU runners share: every cuda-ffm kernel test into $out/kernel-tests.log, and
# the CUDA backend, hybrid, sampling and programmatic-launch whole-model tests (reference files from $dist/shared) into
# $out/backend-tests.log; each returns the console launcher's exit status.
run_kernel_tests() {
  "$java" "${flags[@]}" -jar "$lib/junit-platform-console-standalone.jar" execute \
    --class-path "$lib/pagoda-cuda-ffm.jar:$lib/pagoda-cuda-ffm-tests.jar:$lib/assertj-core.jar" \
    --select-package dev.pagoda.cuda.kernels \
    --details=tree --disable-banner --disable-ansi-colors > "$out/kernel-tests.log" 2>&1
}
run_backend_tests() {
  "$java" "${flags[@]}" -Dpagoda.shared="$dist/shared" -jar "$lib/junit-platform-console-standalone.jar" execute \
    --class-path "$cp:$lib/pagoda-core-tests.jar:$lib/assertj-core.jar" --select-class dev.pagoda.core.cuda.CudaBackendTest \
    --select-class dev.pagoda.core.cuda.CudaHybridTest --select-class dev.pagoda.core.cuda.CudaSamplingTest \
    --select-class dev.pagoda.core.cuda.CudaProgrammaticLaunchTest \
    --details=tree --disable-banner --disable-ansi-colors > "$out/backend-tests.log" 2>&1
}
