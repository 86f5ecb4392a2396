package dev.pagoda.core.synth;

import java.nio.file.Path;
import java.util.List;

/**
 * A file {@link ModelSynthesizer} wrote.
 *
 * @param path    where
 * @param tensors its tensors, in file order
 * @param bytes   the file's size
 * @param seconds time taken to write it
 */
public record SynthResult(Path path, List<PlannedTensor> tensors, long bytes, double seconds) {

    /** Write rate in MB/s (10^6 bytes). */
    public double megabytesPerSecond() {
        return seconds > 0 ? bytes / seconds / 1e6 : Double.POSITIVE_INFINITY;
    }
}
