package dev.pagoda.core.synth;

import dev.pagoda.gguf.GgmlType;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The llama.cpp file types {@code pagoda synth} can produce ({@code llama_ftype}, written as
 * {@code general.file_type}), each with the ggml type llama-quantize starts every matrix from.
 */
public enum FileType {
    /** {@code LLAMA_FTYPE_ALL_F32}: every matrix F32. */
    F32(0, GgmlType.F32),
    /** {@code LLAMA_FTYPE_MOSTLY_F16}: every matrix F16. */
    F16(1, GgmlType.F16),
    /** {@code LLAMA_FTYPE_MOSTLY_Q8_0}: every matrix Q8_0. */
    Q8_0(7, GgmlType.Q8_0),
    /** {@code LLAMA_FTYPE_MOSTLY_Q4_K_M}: Q4_K with Q6_K for sensitive tensors (see {@link QuantMix}). */
    Q4_K_M(15, GgmlType.Q4_K),
    /** {@code LLAMA_FTYPE_MOSTLY_Q6_K}: every matrix Q6_K. */
    Q6_K(18, GgmlType.Q6_K);

    private final int id;
    private final GgmlType baseType;

    FileType(int id, GgmlType baseType) {
        this.id = id;
        this.baseType = baseType;
    }

    /** The {@code llama_ftype} number stored as {@code general.file_type}. */
    public int id() {
        return id;
    }

    /** The type llama-quantize gives a matrix before its per-tensor rules. */
    public GgmlType baseType() {
        return baseType;
    }

    /** The name on the command line: {@code q4_k_m}, {@code q8_0}, {@code q6_k}, {@code f16}, {@code f32}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The file type called {@code name} on the command line (case-insensitive), if any. */
    public static Optional<FileType> of(String name) {
        return Arrays.stream(values()).filter(t -> t.cliName().equalsIgnoreCase(name)).findFirst();
    }
}
