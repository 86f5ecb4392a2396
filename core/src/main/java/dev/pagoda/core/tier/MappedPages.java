package dev.pagoda.core.tier;

import java.lang.foreign.MemorySegment;

/**
 * Gives back the pages of the model file's mapping that loading touched, once their bytes have been
 * copied into device memory or pinned host memory. Every page a copy reads out of the mapping stays
 * in the process's page tables and counts toward its resident set (RssFile): without this, a budgeted
 * run's RSS grows by every tier A and tier B byte and the page cache becomes an unbudgeted fourth
 * tier. Dropping them is {@code madvise(MADV_DONTNEED)} on the read-only shared mapping (the JDK's
 * {@link MemorySegment#unload()}): the content is the file's, so a later read of the same bytes just
 * faults them back in; nothing is lost even while a copy of them is still in flight.
 */
public final class MappedPages {
    private MappedPages() {}

    /**
     * Drops {@code data}'s pages from the process when it is (a slice of) a file mapping; memory of
     * any other kind is left alone (MADV_DONTNEED would zero anonymous memory).
     */
    public static void release(MemorySegment data) {
        if (data.isMapped() && data.byteSize() > 0) {
            data.unload();
        }
    }
}
