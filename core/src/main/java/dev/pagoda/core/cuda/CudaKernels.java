package dev.pagoda.core.cuda;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.kernels.Add;
import dev.pagoda.cuda.kernels.AddRmsNorm;
import dev.pagoda.cuda.kernels.ArgMax;
import dev.pagoda.cuda.kernels.Attention;
import dev.pagoda.cuda.kernels.AttentionDecodeStep;
import dev.pagoda.cuda.kernels.Embedding;
import dev.pagoda.cuda.kernels.FusedMatVec;
import dev.pagoda.cuda.kernels.KvStore;
import dev.pagoda.cuda.kernels.MatMul;
import dev.pagoda.cuda.kernels.MatVec;
import dev.pagoda.cuda.kernels.MatVecInput;
import dev.pagoda.cuda.kernels.RmsNorm;
import dev.pagoda.cuda.kernels.Rope;
import dev.pagoda.cuda.kernels.RopeKvStore;
import dev.pagoda.cuda.kernels.SwiGlu;
import dev.pagoda.cuda.kernels.TopCandidates;
import java.util.ArrayList;
import java.util.List;

/** The cuda-ffm launchers the Llama graph uses, loaded once per engine (each loads its PTX module). */
final class CudaKernels implements AutoCloseable {
    final MatVec matVec;
    final MatMul matMul;
    final RmsNorm rmsNorm;
    final Rope rope;
    final KvStore kvStore;
    final Attention attention;
    final SwiGlu swiGlu;
    final Add add;
    final Embedding embedding;
    final ArgMax argMax;
    final TopCandidates topCandidates;
    // the one-token step's fused launches (CudaLlamaGraph.fusable)
    final FusedMatVec fusedMatVec;
    final AddRmsNorm addRmsNorm;
    final RopeKvStore ropeKvStore;
    final AttentionDecodeStep attentionStep;
    private final List<AutoCloseable> loaded = new ArrayList<>();

    /** The decode matvec launches take x as {@code input} says (MatVecInput.INT8 for the quantized formats it covers). */
    CudaKernels(Cuda cuda, MatVecInput input) {
        try {
            matVec = keep(new MatVec(cuda, input));
            matMul = keep(new MatMul(cuda));
            rmsNorm = keep(new RmsNorm(cuda));
            rope = keep(new Rope(cuda));
            kvStore = keep(new KvStore(cuda));
            attention = keep(new Attention(cuda));
            swiGlu = keep(new SwiGlu(cuda));
            add = keep(new Add(cuda));
            embedding = keep(new Embedding(cuda));
            argMax = keep(new ArgMax(cuda));
            topCandidates = keep(new TopCandidates(cuda));
            fusedMatVec = keep(new FusedMatVec(cuda, input));
            addRmsNorm = keep(new AddRmsNorm(cuda));
            ropeKvStore = keep(new RopeKvStore(cuda));
            attentionStep = keep(new AttentionDecodeStep(cuda));
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private <T extends AutoCloseable> T keep(T kernel) {
        loaded.add(kernel);
        return kernel;
    }

    @Override
    public void close() {
        for (AutoCloseable k : loaded.reversed()) {
            try {
                k.close();
            } catch (Exception e) {
                throw new IllegalStateException("unloading a CUDA module failed", e);
            }
        }
        loaded.clear();
    }
}
