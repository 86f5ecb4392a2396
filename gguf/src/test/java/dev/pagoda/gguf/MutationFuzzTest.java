package dev.pagoda.gguf;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bounded fuzz run that needs no fuzzing engine: valid files, mutated at random (bit flips,
 * extreme integers in length and count fields, cuts, inserted and deleted runs), must open or fail
 * with an IOException; nothing else (no OutOfMemoryError, IndexOutOfBounds, hang) may escape.
 * Runs for about five seconds (at most 50 000 mutants) with a fixed seed; a failure keeps the input
 * and names the iteration.
 */
class MutationFuzzTest {
    private static final long SEED = 0x5eed_6675_6666L;
    private static final int MAX_ITERATIONS = 50_000;
    private static final long TIME_BUDGET_NANOS = 5_000_000_000L;
    private static final long[] EXTREME_LONGS = {0, 1, 2, 5, 64, 255, 0x7fff_ffffL, 0xffff_ffffL, 1L << 32, 1L << 40,
        1L << 60, 1L << 62, Long.MAX_VALUE, Long.MIN_VALUE, -1, -32};
    private static final int[] EXTREME_INTS = {0, 1, 4, 5, 7, 8, 9, 10, 12, 13, 31, 39, 40, 99, 0x7fff_ffff, -1};

    @TempDir
    Path dir;

    @Test
    void mutatedFilesOpenOrFailWithAnIOException() throws IOException {
        List<byte[]> seeds = SeedFiles.all(dir);
        Path file = dir.resolve("mutant.gguf");
        Random random = new Random(SEED);
        long deadline = System.nanoTime() + TIME_BUDGET_NANOS;
        int iterations = 0;
        int opened = 0;
        while (iterations < MAX_ITERATIONS && System.nanoTime() < deadline) {
            byte[] seed = seeds.get(random.nextInt(seeds.size()));
            byte[] mutant = mutate(seed, random);
            try {
                // Most mutants are parsed from the heap (fast); every 8th goes through a mapped file.
                boolean ok;
                if (iterations % 8 == 0) {
                    Files.write(file, mutant);
                    ok = ReaderExercise.openAndReadEverything(file);
                } else {
                    ok = ReaderExercise.parseInMemory(mutant);
                }
                if (ok) {
                    opened++;
                }
            } catch (RuntimeException | Error e) {
                Path kept = Files.write(dir.resolve("failing-" + iterations + ".gguf"), mutant);
                throw new AssertionError("iteration " + iterations + " (seed " + SEED + "): " + e + "; input kept in "
                        + kept, e);
            }
            iterations++;
        }
        System.out.printf("MutationFuzzTest: %d mutants, %d opened, %d rejected with an IOException%n", iterations,
                opened, iterations - opened);
        assertThat(iterations).as("iterations run").isGreaterThan(100);
        // Some mutants must still be valid, or the mutations only ever test the magic check.
        assertThat(opened).as("mutants that opened, of " + iterations).isPositive();
    }

    static byte[] mutate(byte[] seed, Random random) {
        byte[] b = seed.clone();
        int count = 1 + random.nextInt(4);
        for (int m = 0; m < count && b.length > 0; m++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(7)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff}[random.nextInt(5)];
                case 2 -> {
                    if (at + 8 <= b.length) {
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, EXTREME_LONGS[random.nextInt(EXTREME_LONGS.length)]);
                    }
                }
                case 3 -> {
                    if (at + 4 <= b.length) {
                        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, EXTREME_INTS[random.nextInt(EXTREME_INTS.length)]);
                    }
                }
                case 4 -> b = Arrays.copyOf(b, at);
                case 5 -> {
                    int len = 1 + random.nextInt(Math.min(64, b.length - at));
                    byte[] out = new byte[b.length + len];
                    System.arraycopy(b, 0, out, 0, at + len);
                    System.arraycopy(b, at, out, at + len, b.length - at);
                    b = out;
                }
                default -> {
                    int len = 1 + random.nextInt(Math.min(64, b.length - at));
                    byte[] out = new byte[b.length - len];
                    System.arraycopy(b, 0, out, 0, at);
                    System.arraycopy(b, at + len, out, at, b.length - at - len);
                    b = out;
                }
            }
        }
        return b;
    }
}
