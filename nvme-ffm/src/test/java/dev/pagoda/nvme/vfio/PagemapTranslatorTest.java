package dev.pagoda.nvme.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.pagoda.nvme.dma.HostMemory;
import dev.pagoda.nvme.ffm.Libc;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** noiommu mode's address translation (the mode itself is untested against a controller). */
class PagemapTranslatorTest {
    private static final long PAGE = 4096;

    @Test
    void decodesPresentEntries() {
        long entry = PagemapTranslator.PRESENT | 0x12345L;
        assertThat(PagemapTranslator.physicalAddress(entry, 0x7f00_0000_1abcL, PAGE)).isEqualTo(0x12345L * PAGE + 0xabc);
        assertThatThrownBy(() -> PagemapTranslator.physicalAddress(0x12345L, 0x1000, PAGE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("not present");
        assertThatThrownBy(() -> PagemapTranslator.physicalAddress(PagemapTranslator.PRESENT, 0x1000, PAGE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("CAP_SYS_ADMIN");
    }

    @Test
    void readsEntriesAtTheVirtualPageIndex(@TempDir Path dir) throws Exception {
        Path fake = dir.resolve("pagemap");
        ByteBuffer b = ByteBuffer.allocate(8 * 16).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 16; i++) {
            b.putLong(PagemapTranslator.PRESENT | (1000 + 7L * i));
        }
        Files.write(fake, b.array());
        long[] phys = new PagemapTranslator(fake, PAGE).translate(10 * PAGE, 3);
        assertThat(phys).containsExactly(1070 * PAGE, 1077 * PAGE, 1084 * PAGE);
    }

    @Test
    void translatesLockedMemoryOfThisProcess() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")),
                "PagemapTranslatorTest live part skipped: /proc/self/pagemap shows frame numbers only to root");
        MemorySegment m = HostMemory.map(4 * PAGE);
        try {
            Libc.mlock(m);
            long[] phys = new PagemapTranslator(PagemapTranslator.SELF, Libc.pageSize()).translate(m.address(), 4);
            for (long p : phys) {
                assertThat(p).isPositive();
                assertThat(p % PAGE).isZero();
            }
        } finally {
            Libc.munmap(m);
        }
    }
}
