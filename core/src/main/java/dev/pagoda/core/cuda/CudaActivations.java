package dev.pagoda.core.cuda;

import dev.pagoda.core.llama.LlamaConfig;
import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.kernels.Attention;
import dev.pagoda.cuda.kernels.AttentionDecodeStep;
import dev.pagoda.cuda.kernels.MatMul;
import dev.pagoda.cuda.kernels.MatVecInput;
import java.util.ArrayList;
import java.util.List;

/**
 * Device scratch of one session's forward pass, each sized for {@code maxBatch} tokens and named as
 * in {@code LlamaActivations}: x is the residual stream, xb a normed or projected copy of it, q/k/v
 * the projections, attn the attention result, hb/hb2 the FFN gate and up activations. Float32
 * unless noted.
 */
final class CudaActivations implements AutoCloseable {
    final int maxBatch;
    final DeviceBuffer x;         // (batch, n_embd)
    final DeviceBuffer xb;        // (batch, n_embd)
    final DeviceBuffer q;         // (batch, n_head · head_k)
    final DeviceBuffer k;         // (batch, n_head_kv · head_k)
    final DeviceBuffer v;         // (batch, n_head_kv · head_v)
    final DeviceBuffer attn;      // (batch, n_head · head_v)
    final DeviceBuffer hb;        // (batch, n_ff)
    final DeviceBuffer hb2;       // (batch, n_ff)
    final DeviceBuffer hbRecords; // (n_ff / 32 records of up to 80 bytes): one token's SwiGLU as the down projection's
                                  // integer x (SwiGlu.launchRecords, -Dpagoda.cuda.swiGluRecords)
    final DeviceBuffer xRecords;  // (n_embd / 32 records of up to 80 bytes): one token's normed x as the q/k/v or
                                  // gate/up launch's integer x (NormedX.records, -Dpagoda.cuda.normRecords)
    final DeviceBuffer last;      // (n_embd): the last row, for last-position logits
    final DeviceBuffer xMid;      // (n_embd): one token's residual between attention and FFN when the ring launches
                                  // norm their x (x and xMid alternate: no launch writes the residual it reads)
    final DeviceBuffer logits;    // (vocab)
    final DeviceBuffer tokens;    // (batch) int32 token ids
    final DeviceBuffer positions; // (batch) int32 positions
    final DeviceBuffer argmax;    // (1) int32: the greedy pick
    final DeviceBuffer workspace; // attention's split-K partial results, and a batch product's (MatMul k splits)
    final DeviceBuffer xHalf;     // (batch, widest input rounded up to 32) f16: a prefill product's X, rounded once
    final DeviceBuffer arrivals;  // (n_head_kv) uint32, zero between launches: AttentionDecodeStep's counters
    private final List<DeviceBuffer> owned = new ArrayList<>();

    CudaActivations(Cuda cuda, LlamaConfig c, int maxBatch) {
        this.maxBatch = maxBatch;
        try {
            x = floats(cuda, (long) maxBatch * c.embeddingLength());
            xb = floats(cuda, (long) maxBatch * c.embeddingLength());
            q = floats(cuda, (long) maxBatch * c.queryWidth());
            k = floats(cuda, (long) maxBatch * c.keyWidth());
            v = floats(cuda, (long) maxBatch * c.valueWidth());
            attn = floats(cuda, (long) maxBatch * c.headCount() * c.valueLength());
            hb = floats(cuda, (long) maxBatch * c.feedForwardLength());
            hb2 = floats(cuda, (long) maxBatch * c.feedForwardLength());
            hbRecords = own(cuda.allocate(MatVecInput.INT16.recordsBytes(Math.max(32, c.feedForwardLength()))));
            xRecords = own(cuda.allocate(MatVecInput.INT16.recordsBytes(Math.max(32, c.embeddingLength()))));
            last = floats(cuda, c.embeddingLength());
            xMid = floats(cuda, c.embeddingLength());
            logits = floats(cuda, c.vocabSize());
            tokens = floats(cuda, maxBatch);
            positions = floats(cuda, maxBatch);
            argmax = floats(cuda, 1);
            workspace = own(cuda.allocate(workspaceBytes(c, maxBatch)));
            xHalf = own(cuda.allocate(MatMul.halfBytes(maxBatch, Math.toIntExact(widestInput(c)))));
            arrivals = own(cuda.allocate(AttentionDecodeStep.arrivalsBytes(c.headCountKv())));
            arrivals.fill32(0);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /**
     * Attention's partial results for any batch of up to maxBatch tokens at any position, and, for
     * batches, the partial sums of a product split over k (never in use at the same time).
     */
    static long workspaceBytes(LlamaConfig c, int maxBatch) {
        long attention = Attention.workspaceBytes(maxBatch, c.headCount(), c.keyLength());
        return maxBatch > 1 ? Math.max(attention, MatMul.SPLIT_WORKSPACE_BYTES) : attention;
    }

    /** Columns of the widest product input: the residual width, the attention output or the FFN's. */
    static long widestInput(LlamaConfig c) {
        return Math.max(Math.max(c.embeddingLength(), (long) c.headCount() * c.valueLength()), c.feedForwardLength());
    }

    /** Device bytes of the scratch for a batch of {@code maxBatch} (without the all-rows logits). */
    static long bytes(LlamaConfig c, int maxBatch) {
        long perToken = 2L * c.embeddingLength() + c.queryWidth() + c.keyWidth() + c.valueWidth()
                + (long) c.headCount() * c.valueLength() + 2L * c.feedForwardLength() + 2;
        return 4L * (perToken * maxBatch + 2L * c.embeddingLength() + c.vocabSize() + 1)
                + workspaceBytes(c, maxBatch) + MatMul.halfBytes(maxBatch, Math.toIntExact(widestInput(c)))
                + AttentionDecodeStep.arrivalsBytes(c.headCountKv());
    }

    private DeviceBuffer floats(Cuda cuda, long n) {
        return own(cuda.allocate(4L * n));
    }

    private DeviceBuffer own(DeviceBuffer b) {
        owned.add(b);
        return b;
    }

    @Override
    public void close() {
        owned.forEach(DeviceBuffer::close);
        owned.clear();
    }
}
