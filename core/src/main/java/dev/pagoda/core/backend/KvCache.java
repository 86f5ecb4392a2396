package dev.pagoda.core.backend;

import dev.pagoda.core.KvCacheType;
import java.util.Arrays;

/**
 * Keys and values of every past position, per layer, in host memory: entry {@code pos} of layer
 * {@code l} holds that position's {@code keyWidth} key values (all KV heads, head after head) and
 * {@code valueWidth} values. Storage grows as positions are written, up to the context length,
 * so a large context costs memory only when it is used. Single-threaded, like the session that
 * owns it (the attention op may read it from several threads once the writes are done).
 */
public final class KvCache {
    private final int layers;
    private final int contextLength;
    private final int keyWidth;
    private final int valueWidth;
    private final KvCacheType type;
    private final float[][] keysF32;
    private final float[][] valuesF32;
    private final short[][] keysF16;
    private final short[][] valuesF16;
    private int capacity;

    public KvCache(int layers, int contextLength, int keyWidth, int valueWidth, KvCacheType type) {
        if (contextLength < 1) {
            throw new IllegalArgumentException("context length must be at least 1, got " + contextLength);
        }
        if ((long) contextLength * Math.max(keyWidth, valueWidth) > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("context length " + contextLength + " is too large for a "
                    + Math.max(keyWidth, valueWidth) + "-wide KV cache layer");
        }
        this.layers = layers;
        this.contextLength = contextLength;
        this.keyWidth = keyWidth;
        this.valueWidth = valueWidth;
        this.type = type;
        boolean f32 = type == KvCacheType.F32;
        keysF32 = f32 ? new float[layers][0] : null;
        valuesF32 = f32 ? new float[layers][0] : null;
        keysF16 = f32 ? null : new short[layers][0];
        valuesF16 = f32 ? null : new short[layers][0];
    }

    public int contextLength() {
        return contextLength;
    }

    public KvCacheType type() {
        return type;
    }

    /** Makes room for positions [0, positions) in every layer. */
    public void reserve(int positions) {
        if (positions > contextLength) {
            throw new IllegalArgumentException("position " + positions + " is past the context length " + contextLength);
        }
        if (positions <= capacity) {
            return;
        }
        int grown = (int) Math.min(contextLength, Math.max((long) positions, Math.max(16L, 2L * capacity)));
        try {
            for (int l = 0; l < layers; l++) {
                if (keysF32 != null) {
                    keysF32[l] = Arrays.copyOf(keysF32[l], grown * keyWidth);
                    valuesF32[l] = Arrays.copyOf(valuesF32[l], grown * valueWidth);
                } else {
                    keysF16[l] = Arrays.copyOf(keysF16[l], grown * keyWidth);
                    valuesF16[l] = Arrays.copyOf(valuesF16[l], grown * valueWidth);
                }
            }
        } catch (OutOfMemoryError e) {
            // layers already grown keep their larger arrays; capacity stays what every layer holds
            throw new IllegalStateException("the KV cache cannot grow to " + grown + " positions: the Java heap (at most "
                    + mib(Runtime.getRuntime().maxMemory()) + ") is full. A " + type + " cache of " + contextLength
                    + " positions needs " + mib(bytes(contextLength)) + " in all; use a smaller context length, the F16"
                    + " KV cache, or a larger heap (-Xmx)", e);
        }
        capacity = grown;
    }

    /** Bytes of every layer's keys and values for {@code positions} positions. */
    private long bytes(int positions) {
        return (long) layers * positions * (keyWidth + valueWidth) * (type == KvCacheType.F32 ? Float.BYTES : Short.BYTES);
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }

    /** Writes position {@code pos}'s key (k[kOff..]) and value (v[vOff..]) in layer {@code layer}. */
    public void store(int layer, int pos, float[] k, int kOff, float[] v, int vOff) {
        if (keysF32 != null) {
            System.arraycopy(k, kOff, keysF32[layer], pos * keyWidth, keyWidth);
            System.arraycopy(v, vOff, valuesF32[layer], pos * valueWidth, valueWidth);
        } else {
            short[] ks = keysF16[layer];
            short[] vs = valuesF16[layer];
            for (int i = 0; i < keyWidth; i++) {
                ks[pos * keyWidth + i] = Float.floatToFloat16(k[kOff + i]);
            }
            for (int i = 0; i < valueWidth; i++) {
                vs[pos * valueWidth + i] = Float.floatToFloat16(v[vOff + i]);
            }
        }
    }

    /** Copies n key values of position {@code pos}, starting at element {@code from} of the entry, into out[outOff..]. */
    public void readKey(int layer, int pos, int from, int n, float[] out, int outOff) {
        if (keysF32 != null) {
            System.arraycopy(keysF32[layer], pos * keyWidth + from, out, outOff, n);
        } else {
            short[] ks = keysF16[layer];
            int base = pos * keyWidth + from;
            for (int i = 0; i < n; i++) {
                out[outOff + i] = Float.float16ToFloat(ks[base + i]);
            }
        }
    }

    /** Copies n values of position {@code pos}, starting at element {@code from} of the entry, into out[outOff..]. */
    public void readValue(int layer, int pos, int from, int n, float[] out, int outOff) {
        if (valuesF32 != null) {
            System.arraycopy(valuesF32[layer], pos * valueWidth + from, out, outOff, n);
        } else {
            short[] vs = valuesF16[layer];
            int base = pos * valueWidth + from;
            for (int i = 0; i < n; i++) {
                out[outOff + i] = Float.float16ToFloat(vs[base + i]);
            }
        }
    }

    /** The float32 key storage of a layer (entry pos at pos·keyWidth), or null for an F16 cache. */
    public float[] keysF32(int layer) {
        return keysF32 == null ? null : keysF32[layer];
    }

    /** The float32 value storage of a layer (entry pos at pos·valueWidth), or null for an F16 cache. */
    public float[] valuesF32(int layer) {
        return valuesF32 == null ? null : valuesF32[layer];
    }
}
