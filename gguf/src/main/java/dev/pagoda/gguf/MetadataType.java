package dev.pagoda.gguf;

/** The value types of GGUF metadata, numbered as the GGUF specification numbers them. */
public enum MetadataType {
    UINT8(0, 1),
    INT8(1, 1),
    UINT16(2, 2),
    INT16(3, 2),
    UINT32(4, 4),
    INT32(5, 4),
    FLOAT32(6, 4),
    BOOL(7, 1),
    STRING(8, 0),
    ARRAY(9, 0),
    UINT64(10, 8),
    INT64(11, 8),
    FLOAT64(12, 8);

    private static final MetadataType[] BY_ID = values();

    private final int id;
    private final int size;

    MetadataType(int id, int size) {
        this.id = id;
        this.size = size;
    }

    /** The id stored in the file. */
    public int id() {
        return id;
    }

    /** Bytes one value occupies, or 0 for STRING and ARRAY, whose size varies. */
    public int fixedSize() {
        return size;
    }

    /** Whether values of this type are integers (UINT8..INT64). */
    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, UINT32, INT32, UINT64, INT64 -> true;
            default -> false;
        };
    }

    /** Whether values of this type are floating point (FLOAT32, FLOAT64). */
    public boolean isFloat() {
        return this == FLOAT32 || this == FLOAT64;
    }

    /** The type with this id, or null when the id is unknown. */
    public static MetadataType fromId(int id) {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
