/**
 * Raw FFM bindings of the CUDA driver API ({@code libcuda.so.1}), in the shape jextract generates from
 * {@code cuda-ffm/jextract/cuda_h.args}. No logic and no checking here: {@link dev.pagoda.cuda} wraps
 * every call, checks its {@code CUresult} and owns the native resources.
 */
package dev.pagoda.cuda.raw;
