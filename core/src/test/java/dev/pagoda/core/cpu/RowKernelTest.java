package dev.pagoda.core.cpu;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.pagoda.core.testing.Json;
import dev.pagoda.core.testing.ReferenceData;
import dev.pagoda.gguf.GgmlType;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each Vector API kernel against its scalar reference, and both against ggml's own values. */
class RowKernelTest {

    /** Absolute tolerance for two float32 sums of n terms of size ~|w|·|x|, scaled by the sum of magnitudes. */
    private static double tolerance(float[] row, float[] x, int xOff) {
        double mag = 0;
        for (int i = 0; i < row.length; i++) {
            mag += Math.abs((double) row[i] * x[xOff + i]);
        }
        return 1e-5 * mag + 1e-6;
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void vectorDotMatchesScalarDotOnRandomRows(GgmlType type) {
        RowKernel k = RowKernel.of(type);
        assertThat(k.type()).isEqualTo(type);
        Random rnd = new Random(7 + type.id());
        for (int n : new int[] {256, 512, 2816}) {
            if (type.blockSize() == 1) {
                n += 5; // plain float rows need not be a multiple of the vector length
            }
            int rows = 3;
            MemorySegment w = RandomWeights.rows(type, rows, n, rnd);
            float[] x = RandomWeights.gaussian(n + 3, rnd);
            for (int r = 0; r < rows; r++) {
                long off = r * type.byteSize(n);
                float[] row = new float[n];
                k.dequantizeRow(w, off, row, 0, n);
                double exact = 0;
                for (int i = 0; i < n; i++) {
                    exact += (double) row[i] * x[3 + i];
                }
                double tol = tolerance(row, x, 3);
                assertThat((double) k.dotScalar(w, off, x, 3, n)).as("%s scalar n=%d row %d", type, n, r)
                        .isCloseTo(exact, within(tol));
                assertThat((double) k.dot(w, off, x, 3, n)).as("%s vector n=%d row %d", type, n, r)
                        .isCloseTo(exact, within(tol));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void dequantizeAndDotMatchGgmlReferenceVectors(GgmlType type) throws IOException {
        String dir = switch (type) {
            case F16 -> "f16";
            case BF16 -> "bf16";
            default -> type.name().replace("_K", "_k").toLowerCase().replace("_k", "_K");
        };
        Path base = ReferenceData.dir().resolve("dequant/seedA");
        Path quantized = ReferenceData.file("dequant/seedA/" + dir + "/quantized.bin");
        float[] expected = ReferenceData.floats(base.resolve(dir).resolve("dequantized.f32.bin"));
        float[] y = ReferenceData.floats(base.resolve("dot_vector_y.f32.bin"));
        Map<String, Object> manifest = Json.object(base.resolve("manifest.json"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> refRows =
                (List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) manifest.get("types")).get(dir))
                        .get("rows");

        byte[] bytes = Files.readAllBytes(quantized);
        MemorySegment w = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, w, 0, bytes.length);
        RowKernel k = RowKernel.of(type);
        int n = 1024;
        long rowBytes = type.byteSize(n);
        for (int r = 0; r < 4; r++) {
            float[] row = new float[n];
            k.dequantizeRow(w, r * rowBytes, row, 0, n);
            for (int i = 0; i < n; i++) {
                float e = expected[r * n + i];
                assertThat(row[i]).as("%s row %d element %d", type, r, i)
                        .isCloseTo(e, within(1e-6f * Math.max(1f, Math.abs(e))));
            }
            double ref = (Double) refRows.get(r).get("dot_f64_dequant_x_y_f32");
            double tol = tolerance(row, y, 0);
            assertThat((double) k.dot(w, r * rowBytes, y, 0, n)).as("%s vector dot row %d", type, r)
                    .isCloseTo(ref, within(tol));
            assertThat((double) k.dotScalar(w, r * rowBytes, y, 0, n)).as("%s scalar dot row %d", type, r)
                    .isCloseTo(ref, within(tol));
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"F32", "F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K"})
    void kernelsMatchGgufDequantizeThenFloatDot(GgmlType type) {
        RowKernel k = RowKernel.of(type);
        Random rnd = new Random(101 + type.id());
        int n = 1024;
        MemorySegment w = RandomWeights.rows(type, 2, n, rnd);
        float[] x = RandomWeights.gaussian(n, rnd);
        for (int r = 0; r < 2; r++) {
            long off = r * type.byteSize(n);
            float[] row = type.dequantize(w.asSlice(off, type.byteSize(n)), n);
            float[] mine = new float[n];
            k.dequantizeRow(w, off, mine, 0, n);
            assertThat(mine).as("%s dequantizeRow vs GgmlType.dequantize", type).containsExactly(row);
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) row[i] * x[i];
            }
            double tol = tolerance(row, x, 0);
            assertThat((double) k.dot(w, off, x, 0, n)).as("%s vector dot", type).isCloseTo(exact, within(tol));
            assertThat((double) k.dotScalar(w, off, x, 0, n)).as("%s scalar dot", type).isCloseTo(exact, within(tol));
        }
    }

    /**
     * Q4_K has a 16-lane form (weight table, one permutation per nibble) and an 8-lane form
     * (convert, scale per sub-block); {@code dot} runs the one for this machine's width, so both
     * are checked here directly on any machine.
     */
    @org.junit.jupiter.api.Test
    void bothQ4_KFormsMatchDequantizeThenDot() {
        Random rnd = new Random(44);
        int n = 2816;
        MemorySegment w = RandomWeights.rows(GgmlType.Q4_K, 3, n, rnd);
        float[] x = RandomWeights.gaussian(n + 5, rnd);
        for (int r = 0; r < 3; r++) {
            long off = r * GgmlType.Q4_K.byteSize(n);
            float[] row = new float[n];
            Q4_KKernel.INSTANCE.dequantizeRow(w, off, row, 0, n);
            double exact = 0;
            for (int i = 0; i < n; i++) {
                exact += (double) row[i] * x[5 + i];
            }
            double tol = tolerance(row, x, 5);
            assertThat((double) Q4_KKernel.dotTable(w, off, x, 5, n)).as("table form row %d", r)
                    .isCloseTo(exact, within(tol));
            assertThat((double) Q4_KKernel.dotConvert(w, off, x, 5, n)).as("convert form row %d", r)
                    .isCloseTo(exact, within(tol));
        }
    }
}
