/**
 * The checked CUDA driver layer: {@link dev.pagoda.cuda.Cuda} (device and primary context), device and
 * pinned memory, streams, events, graphs, PTX modules and kernel launches. Every {@code CUresult} is
 * checked and turned into a {@link dev.pagoda.cuda.CudaException}; every native resource is released by
 * {@code close()}; raw pointers come out only through methods named {@code unsafe…}. Open with
 * {@link dev.pagoda.cuda.Cuda#tryOpen()} where CUDA is optional.
 */
package dev.pagoda.cuda;
