/**
 * One launcher per CUDA op (one {@code .cu} each in {@code src/main/cuda}, shipped as PTX): each holds
 * its op's launch constants, checks its operands in Java and queues the kernel on a stream.
 */
package dev.pagoda.cuda.kernels;
