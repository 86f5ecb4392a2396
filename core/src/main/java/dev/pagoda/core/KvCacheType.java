package dev.pagoda.core;

/** Element type of the key/value cache. */
public enum KvCacheType {
    /** float32: exact, 4 bytes per element (the default). */
    F32,
    /** IEEE half: half the memory, keys and values rounded to 11 significant bits (llama.cpp's default). */
    F16
}
