/**
 * The CUDA backend: a Llama model resident in device memory, run by the cuda-ffm kernels.
 * {@link dev.pagoda.core.cuda.CudaEngine} uploads the weights; {@link dev.pagoda.core.cuda.CudaLlamaGraph}
 * is the device sibling of {@code LlamaGraph}; {@link dev.pagoda.core.cuda.CudaForwardPass} holds a
 * session's KV cache and replays its captured decode step.
 */
package dev.pagoda.core.cuda;
