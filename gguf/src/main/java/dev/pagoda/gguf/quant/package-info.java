/**
 * ggml's block formats: one final class per format ({@code Q4_KFormat} …) holding the scalar
 * reference dequantizer and, where Pagoda writes that type, ggml's reference quantizer; a companion
 * {@code …Vector} class holds the Vector API fast path, chosen once by {@link Dequantizers}. The
 * small shared pieces an engine needs for fused kernels are public: {@link Fp16}, {@link Bf16},
 * {@link KQuantScales}.
 */
package dev.pagoda.gguf.quant;
