package dev.pagoda.core.cpu;

/**
 * SwiGLU's product silu(g)·u = g / (1 + e^−g) · u, the exponential in double: one definition for the
 * elementwise op and the fused decode projection, so that both give the same bits.
 */
final class Silu {
    private Silu() {}

    static float times(float g, float u) {
        return (float) (g / (1.0 + Math.exp(-g))) * u;
    }
}
