#!/usr/bin/env bash
# Builds a self-contained GPU test distribution that needs no Maven or JDK on the GPU host:
#   a jlink runtime + the cuda-ffm jar and test jar + AssertJ + the JUnit console launcher + the CUDA
#   benchmark classes + run-gpu-tests.sh; and the whole library for users: gguf, nvme-ffm, core and the
#   examples (CLI) jars, core's test classes, bin/pagoda (the CLI on the bundled runtime) and
#   run-backend-gpu.sh (the CUDA backend's tests and resident-model benchmarks).
# Usage: scripts/dist/make-device-dist.sh [target-dir]   (default /work/main/.device-carry)
#   PAGODA_BASE_REV=REV: also build revision REV (in a temporary git worktree) into lib-base/, the same
#   jar names, for A/B runs on the host (PAGODA_LIB=lib-base, e.g. run-cpu-ab.sh).
#   PAGODA_DIST_MODELS="NAME ...": the reference models (../shared/reference/models/NAME.gguf) copied for the
#   whole-model tests, default stories260K and synth-A-Q4_K_M.
# Then, with the device tool: run(command=".device-carry/run-gpu-tests.sh", carry=[".device-carry"]).
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
dist="${1:-/work/main/.device-carry}"
export JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
junit_platform=1.14.1
assertj=3.27.7

cd "$repo"
./mvnw -B -q -pl cuda-ffm,benchmarks,examples -am package -DskipTests

mkdir -p "$dist/lib"
# jdk.zipfs: JUnit scans the test jar as a file system; jdk.jfr: Flight Recorder, the only profiler for the
# Java side on the GPU host (no perf there). No java.xml: the console launcher needs it only for XML reports
# (--reports-dir), which these runs do not write, and it is 4 MB of the 64 MiB the device tool carries.
if [ ! -x "$dist/jre/bin/java" ] || ! "$dist/jre/bin/java" --list-modules | grep -q jdk.jfr \
    || "$dist/jre/bin/java" --list-modules | grep -q java.xml; then
  rm -rf "$dist/jre"
  "$JAVA_HOME/bin/jlink" --add-modules java.base,jdk.incubator.vector,java.logging,jdk.unsupported,jdk.zipfs,jdk.jfr \
    --compress=zip-9 --strip-debug --no-man-pages --no-header-files --output "$dist/jre"
  # the device tool carries at most 64 MiB: the JVM's symbol table is a few MB of it
  if command -v strip > /dev/null; then
    strip --strip-unneeded "$dist/jre/lib/server/libjvm.so"
  fi
fi
cp cuda-ffm/target/pagoda-cuda-ffm-*-SNAPSHOT.jar "$dist/lib/pagoda-cuda-ffm.jar"
cp cuda-ffm/target/pagoda-cuda-ffm-*-tests.jar "$dist/lib/pagoda-cuda-ffm-tests.jar"
"$JAVA_HOME/bin/jar" --create --file "$dist/lib/pagoda-bench-cuda.jar" -C benchmarks/target/classes dev/pagoda/bench/cuda
for m in gguf nvme-ffm core examples; do
  cp "$m"/target/pagoda-"$m"-*-SNAPSHOT.jar "$dist/lib/pagoda-$m.jar"
done
"$JAVA_HOME/bin/jar" --create --file "$dist/lib/pagoda-core-tests.jar" -C core/target/test-classes .
./mvnw -B -q dependency:copy -Dartifact="org.junit.platform:junit-platform-console-standalone:$junit_platform" \
  -DoutputDirectory="$dist/lib" -Dmdep.stripVersion=true
./mvnw -B -q dependency:copy -Dartifact="org.assertj:assertj-core:$assertj" -DoutputDirectory="$dist/lib" -Dmdep.stripVersion=true
# every run-*.sh script and the environment they share (one list, so new scripts need no edit here)
for f in scripts/dist/run-*.sh scripts/dist/dist-env.sh; do cp "$f" "$dist/"; chmod +x "$dist/$(basename "$f")"; done
if [ -n "${PAGODA_BASE_REV:-}" ]; then
  base_tree="$(mktemp -d)/pagoda-base"
  git worktree add --detach "$base_tree" "$PAGODA_BASE_REV" > /dev/null
  (cd "$base_tree" && ./mvnw -B -q -pl core,examples -am package -DskipTests -Dpagoda.skipGuest=true)
  rm -rf "$dist/lib-base"
  mkdir -p "$dist/lib-base"
  for m in gguf nvme-ffm cuda-ffm core examples; do
    cp "$base_tree/$m"/target/pagoda-"$m"-*-SNAPSHOT.jar "$dist/lib-base/pagoda-$m.jar"
  done
  "$JAVA_HOME/bin/jar" --create --file "$dist/lib-base/pagoda-core-tests.jar" -C "$base_tree/core/target/test-classes" .
  git worktree remove --force "$base_tree"
  echo "lib-base: $(git rev-parse --short "$PAGODA_BASE_REV")" > "$dist/lib-base/REVISION"
fi
# the whole-model tests read llama.cpp's reference models from $dist/shared (-Dpagoda.shared): the ../shared beside
# the checkout does not travel, and of its models only the small ones fit beside the runtime in the 64 MiB carried
models_from="$repo/../shared/reference/models"
if [ -d "$models_from" ]; then
  mkdir -p "$dist/shared/reference/models"
  for m in ${PAGODA_DIST_MODELS:-stories260K synth-A-Q4_K_M}; do
    cp "$models_from/$m.gguf" "$dist/shared/reference/models/"
  done
fi
mkdir -p "$dist/bin"
cp scripts/dist/pagoda "$dist/bin/pagoda"
chmod +x "$dist/bin/pagoda"
du -sh "$dist"
