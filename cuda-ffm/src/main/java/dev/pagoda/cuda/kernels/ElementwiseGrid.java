package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Dim3;

/** Grid for the grid-stride element-wise kernels: enough blocks to fill the device, no more. */
record ElementwiseGrid(int multiprocessors) {
    static final int THREADS = 256;
    private static final int BLOCKS_PER_SM = 8;

    Dim3 grid(long n) {
        return Dim3.of((int) Math.max(1, Math.min((n + THREADS - 1) / THREADS, (long) multiprocessors * BLOCKS_PER_SM)));
    }
}
