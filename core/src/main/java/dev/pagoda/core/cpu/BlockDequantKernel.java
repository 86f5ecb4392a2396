package dev.pagoda.core.cpu;

import dev.pagoda.gguf.GgmlType;
import dev.pagoda.gguf.quant.Dequantizer;
import dev.pagoda.gguf.quant.Dequantizers;
import java.lang.foreign.MemorySegment;

/**
 * The row kernel of the formats that appear in llama.cpp's mixed files only as fallbacks or in
 * the smallest mixes (Q4_1, Q5_0, Q5_1, Q2_K, Q3_K): rather than a fused per-format dot, it
 * unpacks {@link #CHUNK} values at a time with the gguf module's vectorised dequantizer into a
 * per-thread scratch (in L1) and dots the chunk with {@link FloatDot#dot}. That costs a store and
 * a load per weight more than a fused kernel, so these formats decode slower than Q4_K or Q8_0,
 * but every tensor type a llama.cpp Q*_K_M / Q*_K_S file can contain runs.
 *
 * <p>The products are the exactly dequantized weights (bit for bit ggml's {@code to_float})
 * times x, so {@link #dot} differs from {@link #dotScalar} only in the order of the float sums.
 */
public final class BlockDequantKernel implements RowKernel {
    static final BlockDequantKernel Q4_1 = new BlockDequantKernel(GgmlType.Q4_1);
    static final BlockDequantKernel Q5_0 = new BlockDequantKernel(GgmlType.Q5_0);
    static final BlockDequantKernel Q5_1 = new BlockDequantKernel(GgmlType.Q5_1);
    static final BlockDequantKernel Q2_K = new BlockDequantKernel(GgmlType.Q2_K);
    static final BlockDequantKernel Q3_K = new BlockDequantKernel(GgmlType.Q3_K);

    /** Values unpacked per step: 4 KB of floats, a multiple of every block size (32, 256). */
    private static final int CHUNK = 1024;
    private static final ThreadLocal<float[]> SCRATCH = ThreadLocal.withInitial(() -> new float[CHUNK]);

    private final GgmlType type;
    private final Dequantizer fast;
    private final Dequantizer scalar;

    private BlockDequantKernel(GgmlType type) {
        this.type = type;
        this.fast = Dequantizers.fast(type);
        this.scalar = Dequantizers.scalar(type);
    }

    @Override
    public GgmlType type() {
        return type;
    }

    @Override
    public float dot(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float[] chunk = SCRATCH.get();
        int blockSize = type.blockSize();
        float sum = 0;
        for (int c = 0; c < n; c += CHUNK) {
            int len = Math.min(CHUNK, n - c);
            fast.dequantize(w, offset + type.byteSize(c), chunk, 0, len / blockSize);
            sum += FloatDot.dot(chunk, 0, x, xOff + c, len);
        }
        return sum;
    }

    @Override
    public float dotScalar(MemorySegment w, long offset, float[] x, int xOff, int n) {
        float[] row = new float[n];
        scalar.dequantize(w, offset, row, 0, n / type.blockSize());
        return FloatDot.dotScalar(row, 0, x, xOff, n);
    }

    @Override
    public void dequantizeRow(MemorySegment w, long offset, float[] out, int outOff, int n) {
        fast.dequantize(w, offset, out, outOff, n / type.blockSize());
    }
}
