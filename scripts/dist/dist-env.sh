# Sourced by run-backend-gpu.sh, run-decode-profile.sh and run-stream-gpu.sh in the distribution
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
