package dev.pagoda.bench.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaGraph;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.PinnedHostBuffer;
import dev.pagoda.cuda.kernels.Attention;
import dev.pagoda.cuda.kernels.MatMul;
import dev.pagoda.cuda.kernels.MatVec;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.cuda.kernels.WeightType;

import java.lang.foreign.MemorySegment;

/**
 * Achieved bandwidth of the decode matvec kernels on Llama-3.1-8B shapes, per weight type (float32 x, and
 * int8 x as "TYPE/x8" and 16-bit x as "TYPE/x16" for the formats {@link MatVecInput#INT8} covers), as a fraction
 * of the device-to-device copy bandwidth measured in the same run; and the prefill matmul's rate.
 * Weights are rotated over enough copies (>= 256 MiB) that the 50 MB L2 cannot hold them; the launches
 * are captured in a CUDA graph so that launch gaps stay small, and the graph replays are timed with events.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -cp ... dev.pagoda.bench.cuda.KernelBandwidth [matvec]}
 * ({@code matvec}: the decode kernels only, without the prefill matmul table), or
 * {@code KernelBandwidth shapes TYPES ROWSxCOLS...} for 16-bit x matvecs of the given types (comma-separated, e.g.
 * {@code Q4_K,Q6_K}) at the given shapes only: e.g. the same bytes as rows of different lengths.
 */
public final class KernelBandwidth {
    private static final long ROTATION_BYTES = 256L << 20;

    /** Llama-3.1-8B matrix shapes (rows x cols): attn_q/attn_output, attn_k/v, ffn_gate/up, ffn_down. */
    private static final int[][] SHAPES = {{4096, 4096}, {1024, 4096}, {14336, 4096}, {4096, 14336}};
    /** The same plus the output projection (token_embd / output, 128256 x 4096) for prefill. */
    private static final int[][] PREFILL_SHAPES = {{4096, 4096}, {1024, 4096}, {14336, 4096}, {4096, 14336},
            {128256, 4096}};
    /** One token's attention (sequence length, captured context), 8B heads: 32 query, 8 kv, width 128. */
    private static final int[][] ATTENTION_SHAPES = {{576, 640}, {1000, 4096}, {4096, 4096}, {32768, 32768}};
    private static final int HEADS = 32;
    private static final int KV_HEADS = 8;
    private static final int HEAD_DIM = 128;

    /** Prefill batch: the llama.cpp comparison point (pp512). */
    private static final int PREFILL_TOKENS = 512;

    private KernelBandwidth() {
    }

    public static void main(String[] args) {
        try (Cuda cuda = Cuda.open()) {
            System.out.printf("device: %s (cc %s, %d SMs)%n", cuda.deviceName(), cuda.computeCapability(),
                    cuda.multiprocessorCount());
            double copy = CudaCeilings.measure(cuda, 1L << 30).deviceCopy();
            System.out.printf("ceiling  d2d copy (read+write)   %8.1f GB/s%n", copy);
            System.out.printf("%-9s %-12s %10s %10s %10s %8s%n", "type", "shape", "MB", "us", "GB/s", "of copy");
            if (args.length > 0 && args[0].equals("shapes")) {
                shapes(cuda, args, copy);
                return;
            }
            try (MatVec matVec = new MatVec(cuda); MatVec int8 = new MatVec(cuda, MatVecInput.INT8);
                 MatVec int16 = new MatVec(cuda, MatVecInput.INT16);
                 CudaStream stream = cuda.createStream(); EventTimer timer = new EventTimer(cuda, stream)) {
                for (WeightType type : WeightType.values()) {
                    for (int[] shape : SHAPES) {
                        matvec(cuda, matVec, stream, timer, type, shape[0], shape[1], copy);
                        if (MatVecInput.INT8.quantizes(type)) {
                            matvec(cuda, int8, stream, timer, type, shape[0], shape[1], copy);
                            matvec(cuda, int16, stream, timer, type, shape[0], shape[1], copy);
                        }
                    }
                }
            }
            try (Attention attention = new Attention(cuda); CudaStream stream = cuda.createStream();
                 EventTimer timer = new EventTimer(cuda, stream)) {
                System.out.printf("%-22s %10s %10s %10s %8s%n", "attention seq/maxEnd", "KV MB", "us", "GB/s", "of copy");
                for (int[] shape : ATTENTION_SHAPES) {
                    attention(cuda, attention, stream, timer, shape[0], shape[1], copy);
                }
            }
            if (args.length > 0 && args[0].equals("matvec")) {
                return;
            }
            try (MatMul matMul = new MatMul(cuda); CudaStream stream = cuda.createStream();
                 EventTimer timer = new EventTimer(cuda, stream)) {
                System.out.printf("%-6s %-18s %6s %10s %10s%n", "type", "matmul t x r x c", "tile", "ms", "TFLOP/s");
                for (WeightType type : new WeightType[]{WeightType.Q4_K, WeightType.Q6_K, WeightType.Q8_0, WeightType.F16}) {
                    for (int[] shape : PREFILL_SHAPES) {
                        MatMulThroughput.time(cuda, matMul, stream, timer, type, PREFILL_TOKENS, shape[0], shape[1]);
                    }
                }
            }
        }
    }

    private static void shapes(Cuda cuda, String[] args, double copy) {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: KernelBandwidth shapes TYPES ROWSxCOLS... (e.g. shapes Q4_K 4096x14336)");
        }
        try (MatVec int16 = new MatVec(cuda, MatVecInput.INT16); CudaStream stream = cuda.createStream();
             EventTimer timer = new EventTimer(cuda, stream)) {
            for (String name : args[1].split(",")) {
                WeightType type = WeightType.valueOf(name);
                for (int a = 2; a < args.length; a++) {
                    String[] rc = args[a].split("x");
                    if (rc.length != 2) {
                        throw new IllegalArgumentException("shape '" + args[a] + "': expected ROWSxCOLS");
                    }
                    matvec(cuda, int16, stream, timer, type, Integer.parseInt(rc[0]), Integer.parseInt(rc[1]), copy);
                }
            }
        }
    }

    private static void matvec(Cuda cuda, MatVec matVec, CudaStream stream, EventTimer timer, WeightType type, int rows,
                               int cols, double copyGbps) {
        long matrixBytes = type.rowBytes(cols) * rows;
        int copies = (int) Math.max(2, (ROTATION_BYTES + matrixBytes - 1) / matrixBytes);
        long total = matrixBytes * copies;
        try (DeviceBuffer w = cuda.allocate(total); DeviceBuffer x = cuda.allocate((long) cols * 4);
             DeviceBuffer y = cuda.allocate((long) rows * 4); PinnedHostBuffer host = cuda.allocatePinned(matrixBytes)) {
            BenchWeights.fill(type, host.segment(), rows, cols, rows * 31L + cols);
            for (int c = 0; c < copies; c++) {
                w.copyFromHost(host.segment(), c * matrixBytes);
            }
            float[] xs = new float[cols];
            for (int i = 0; i < cols; i++) {
                xs[i] = (float) Math.sin(i * 0.37) + 0.1f;
            }
            host.segment().asSlice(0, (long) cols * 4).copyFrom(MemorySegment.ofArray(xs));
            x.copyFromHost(host.segment().asSlice(0, (long) cols * 4));
            stream.beginCapture();
            for (int c = 0; c < copies; c++) {
                matVec.launch(type, w, c * matrixBytes, rows, cols, x, y, stream);
            }
            try (CudaGraph graph = stream.endCapture()) {
                double ms = timer.medianMillis(3, 15, () -> graph.launch(stream)) / copies;
                long bytes = matrixBytes + (long) cols * 4 + (long) rows * 4;
                double gbps = bytes / (ms * 1e-3) / 1e9;
                String label = switch (matVec.input()) {
                    case INT8 -> matVec.input().quantizes(type) ? type + "/x8" : type.toString();
                    case INT16 -> matVec.input().quantizes(type) ? type + "/x16" : type.toString();
                    case FLOAT32 -> type.toString();
                };
                System.out.printf("%-9s %-12s %10.1f %10.2f %10.1f %7.0f%%%n", label, rows + "x" + cols, matrixBytes / 1e6,
                        ms * 1e3, gbps, 100 * gbps / copyGbps);
            }
        }
    }

    /**
     * One token's attention (partial + combine) over `layers` different caches so that L2 holds none of
     * them; bytes counted are the K and V rows the sequence reads.
     */
    private static void attention(Cuda cuda, Attention attention, CudaStream stream, EventTimer timer, int sequence,
                                  int maxEnd, double copyGbps) {
        long cacheBytes = (long) maxEnd * KV_HEADS * HEAD_DIM * 2;
        int layers = (int) Math.max(2, Math.min(32, ROTATION_BYTES / (2 * cacheBytes)));
        try (DeviceBuffer q = cuda.allocate((long) HEADS * HEAD_DIM * 4);
             DeviceBuffer out = cuda.allocate((long) HEADS * HEAD_DIM * 4);
             DeviceBuffer work = cuda.allocate(Attention.workspaceBytes(1, HEADS, HEAD_DIM));
             DeviceBuffer position = cuda.allocate(4)) {
            q.fill32(Float.floatToIntBits(0.01f));
            position.fill32(sequence - 1);
            DeviceBuffer[] caches = new DeviceBuffer[2 * layers];
            try {
                for (int i = 0; i < caches.length; i++) {
                    caches[i] = cuda.allocate(cacheBytes);
                    caches[i].fill32(0x3c003c00);  // f16 1.0 pairs
                }
                stream.beginCapture();
                for (int l = 0; l < layers; l++) {
                    attention.launch(q, caches[2 * l], caches[2 * l + 1], work, out, 1, HEADS, KV_HEADS, HEAD_DIM,
                            position, maxEnd, (float) (1 / Math.sqrt(HEAD_DIM)), stream);
                }
                try (CudaGraph graph = stream.endCapture()) {
                    double ms = timer.medianMillis(3, 15, () -> graph.launch(stream)) / layers;
                    long bytes = 2L * sequence * KV_HEADS * HEAD_DIM * 2;
                    double gbps = bytes / (ms * 1e-3) / 1e9;
                    System.out.printf("%-22s %10.2f %10.2f %10.1f %7.0f%%%n", "attention " + sequence + "/" + maxEnd,
                            bytes / 1e6, ms * 1e3, gbps, 100 * gbps / copyGbps);
                }
            } finally {
                for (DeviceBuffer c : caches) {
                    if (c != null) {
                        c.close();
                    }
                }
            }
        }
    }
}
