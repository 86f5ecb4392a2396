package dev.pagoda.nvme.driver;

import static dev.pagoda.nvme.spec.CompletionQueueEntry.*;

import dev.pagoda.nvme.spec.StatusCode;
import java.util.Optional;

/**
 * The status field of a completion entry, decoded.
 *
 * @param type       Status Code Type (SCT)
 * @param code       Status Code (SC)
 * @param doNotRetry DNR
 * @param more       M
 */
public record CompletionStatus(int type, int code, boolean doNotRetry, boolean more) {

    /** Decodes the 16-bit status word (phase tag included, ignored). */
    public static CompletionStatus decode(int statusWord) {
        return new CompletionStatus(
                (statusWord >>> STATUS_SCT_SHIFT) & STATUS_SCT_MASK,
                (statusWord >>> STATUS_SC_SHIFT) & STATUS_SC_MASK,
                ((statusWord >>> STATUS_DNR_SHIFT) & STATUS_DNR_MASK) != 0,
                ((statusWord >>> STATUS_M_SHIFT) & STATUS_M_MASK) != 0);
    }

    /** Whether the status word says success (SCT 0, SC 0). */
    public static boolean isSuccess(int statusWord) {
        return ((statusWord >>> STATUS_SC_SHIFT) & ((STATUS_SCT_MASK << 8) | STATUS_SC_MASK)) == 0;
    }

    /** The named status code, if the spec package lists it. */
    public Optional<StatusCode> named() {
        for (StatusCode s : StatusCode.values()) {
            if (s.type.value == type && s.code == code) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The exception this status means for {@code command}. */
    public NvmeCommandException toException(String command) {
        if (named().orElse(null) == StatusCode.LBA_OUT_OF_RANGE) {
            return new LbaOutOfRangeException(this, command);
        }
        return new NvmeCommandException(this, command);
    }

    @Override
    public String toString() {
        String name = named().map(s -> s.name() + " (" + s.meaning + ")").orElse("unnamed status");
        return name + ", SCT 0x" + Integer.toHexString(type) + " SC 0x" + Integer.toHexString(code)
                + (doNotRetry ? ", do not retry" : "");
    }
}
