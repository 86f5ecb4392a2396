package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaStream;
import dev.pagoda.cuda.DeviceBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A tuning experiment, not a test: times the decode matvec kernels of the 8B shapes at every k-split
 * and several grid sizes, beside the shape {@link MatVec#launch} picks (marked {@code *}), so that the
 * choice in {@link MatVecShape} can be checked against measurement. Weights rotate through more bytes
 * than L2 holds; values are a fixed pattern (timing does not depend on them). Prints GB/s of weight
 * bytes; KernelBandwidth in the same run gives the copy ceiling.
 * Run on the GPU host: {@code java -cp pagoda-cuda-ffm.jar:pagoda-cuda-ffm-tests.jar dev.pagoda.cuda.kernels.MatVecShapeSweep
 * [chosen] [70b]}; {@code chosen} times only the launcher's choice of each case (one launch per case to
 * profile, e.g. under Nsight Compute); {@code 70b} takes the Llama-3.1-70B shapes instead of the 8B ones.
 */
public final class MatVecShapeSweep {
    private static final long ROTATION_BYTES = 384L << 20;

    private record Case(WeightType type, MatVecInput input, int rows, int cols, boolean swiGlu) {
    }

    private MatVecShapeSweep() {
    }

    public static void main(String[] args) {
        List<String> options = List.of(args);
        boolean chosenOnly = options.contains("chosen");
        boolean seventy = options.contains("70b");
        List<Case> cases = new ArrayList<>();
        for (MatVecInput input : MatVecInput.values()) {
            for (WeightType type : new WeightType[] {WeightType.Q4_K, WeightType.Q6_K, WeightType.Q8_0}) {
                if (type == WeightType.Q8_0 && (input == MatVecInput.FLOAT32 || seventy)) {
                    continue;
                }
                if (seventy) {
                    // Llama-3.1-70B: gate/up, down, q/o, k/v (the decode step no longer stages SwiGLU)
                    cases.add(new Case(type, input, 28672, 8192, false));
                    cases.add(new Case(type, input, 8192, 28672, false));
                    cases.add(new Case(type, input, 8192, 8192, false));
                    cases.add(new Case(type, input, 1024, 8192, false));
                    continue;
                }
                cases.add(new Case(type, input, 14336, 4096, false));
                cases.add(new Case(type, input, 4096, 14336, false));
                cases.add(new Case(type, input, 4096, 14336, true));
                cases.add(new Case(type, input, 4096, 4096, false));
                cases.add(new Case(type, input, 1024, 4096, false));
            }
        }
        try (Cuda cuda = Cuda.open(); CudaStream stream = cuda.createStream();
                MatVec plainF = new MatVec(cuda, MatVecInput.FLOAT32); MatVec plain8 = new MatVec(cuda, MatVecInput.INT8);
                MatVec plain16 = new MatVec(cuda, MatVecInput.INT16);
                FusedMatVec fusedF = new FusedMatVec(cuda, MatVecInput.FLOAT32);
                FusedMatVec fused8 = new FusedMatVec(cuda, MatVecInput.INT8);
                FusedMatVec fused16 = new FusedMatVec(cuda, MatVecInput.INT16)) {
            int sms = cuda.multiprocessorCount();
            System.out.printf("device: %s, %d SMs%n", cuda.deviceName(), sms);
            System.out.printf("%-5s %-7s %-14s %5s %5s %9s %9s%n", "type", "x", "shape", "split", "grid", "us", "GB/s");
            for (Case c : cases) {
                // each input its own launchers (the INT16 cases once ran the float ones)
                MatVec plain = switch (c.input()) {
                    case FLOAT32 -> plainF;
                    case INT8 -> plain8;
                    case INT16 -> plain16;
                };
                FusedMatVec fused = switch (c.input()) {
                    case FLOAT32 -> fusedF;
                    case INT8 -> fused8;
                    case INT16 -> fused16;
                };
                MatVecShape chosen = c.swiGlu() ? fused.shape(c.type(), c.rows(), c.cols()) : plain.shape(c.type(), c.rows(), c.cols());
                sweep(cuda, stream, plain, fused, c, chosen, sms, chosenOnly);
            }
        }
    }

    private static void sweep(Cuda cuda, CudaStream stream, MatVec plain, FusedMatVec fused, Case c, MatVecShape chosen,
            int sms, boolean chosenOnly) {
        WeightType type = c.type();
        long matrixBytes = type.rowBytes(c.cols()) * c.rows();
        int copies = (int) Math.max(2, (ROTATION_BYTES + matrixBytes - 1) / matrixBytes);
        boolean superBlock = type == WeightType.Q4_K;
        boolean splits = superBlock || type == WeightType.Q6_K || c.input().quantizes(type);
        try (DeviceBuffer w = cuda.allocate(matrixBytes * copies); DeviceBuffer x = cuda.allocate(4L * c.cols());
                DeviceBuffer x2 = cuda.allocate(4L * c.cols()); DeviceBuffer y = cuda.allocate(4L * c.rows())) {
            w.fill32(0x11213141);
            x.fill32(Float.floatToIntBits(0.25f));
            x2.fill32(Float.floatToIntBits(-0.5f));
            String name = c.rows() + "x" + c.cols() + (c.swiGlu() ? " sg" : "");
            double best = Double.MAX_VALUE;
            String bestAt = "";
            for (int split = 1; split <= (splits ? MatVec.WARPS : 1); split *= 2) {
                int rowsPerBlock = MatVec.WARPS / split * (superBlock ? 2 : 1);
                int work = (c.rows() + rowsPerBlock - 1) / rowsPerBlock;
                for (int grid : grids(work, sms, split == chosen.kSplit() ? chosen.grid() : 0)) {
                    if (chosenOnly && (split != chosen.kSplit() || grid != chosen.grid())) {
                        continue;
                    }
                    MatVecShape shape = new MatVecShape(grid, chosen.sharedBytes(), split);
                    double us = GraphReplayTiming.microsPerLaunch(cuda, stream, copies, at -> {
                        if (c.swiGlu()) {
                            fused.launchSwiGlu(type, w, at * matrixBytes, c.rows(), c.cols(), x, x2, y, stream, shape);
                        } else {
                            plain.launch(type, w, at * matrixBytes, c.rows(), c.cols(), x, y, stream, shape);
                        }
                    });
                    boolean isChosen = split == chosen.kSplit() && grid == chosen.grid();
                    System.out.printf("%-5s %-7s %-14s %5d %5d %9.2f %9.1f%s%n", type, c.input(), name, split, grid, us,
                            matrixBytes / (us * 1e3), isChosen ? " *" : "");
                    if (us < best) {
                        best = us;
                        bestAt = "split " + split + " grid " + grid;
                    }
                }
            }
            System.out.printf("best  %-5s %-7s %-14s %s: %.2f us, %.1f GB/s%n", type, c.input(), name, bestAt, best,
                    matrixBytes / (best * 1e3));
        }
    }

    /** Grids worth trying: 1..4 blocks per SM, every block's share of the work equal at each, and {@code chosen} if positive. */
    private static int[] grids(int work, int sms, int chosen) {
        Set<Integer> out = new LinkedHashSet<>();
        if (chosen > 0) {
            out.add(chosen);
        }
        for (int perSm = 1; perSm <= 4; perSm++) {
            out.add(Math.min(work, perSm * sms));
            int passes = (work + perSm * sms - 1) / (perSm * sms);
            out.add((work + passes - 1) / passes);
        }
        return out.stream().mapToInt(Integer::intValue).sorted().toArray();
    }
}
