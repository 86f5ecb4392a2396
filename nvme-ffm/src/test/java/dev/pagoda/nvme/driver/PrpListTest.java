package dev.pagoda.nvme.driver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.pagoda.nvme.dma.DmaRegion;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

class PrpListTest {
    private static final long PAGE = 4096;

    /** Eight pages whose bus addresses are deliberately scattered, as in noiommu mode. */
    private static DmaRegion scattered(Arena arena) {
        long[] bus = {0x10000, 0x90000, 0x30000, 0x70000, 0x50000, 0xA0000, 0x20000, 0xF0000};
        return new DmaRegion(arena.allocate(8 * PAGE, PAGE), bus, PAGE);
    }

    @Test
    void transferWithinOnePageNeedsNoPrp2() {
        try (Arena arena = Arena.ofConfined()) {
            DmaRegion data = scattered(arena);
            MemorySegment list = arena.allocate(PAGE, PAGE);
            assertThat(PrpList.prp1(data, 100)).isEqualTo(0x10000 + 100);
            assertThat(PrpList.prp2(data, 100, PAGE - 100, PAGE, list, 0xDEAD000)).isZero();
        }
    }

    @Test
    void transferTouchingTwoPagesPointsPrp2AtTheSecond() {
        try (Arena arena = Arena.ofConfined()) {
            DmaRegion data = scattered(arena);
            MemorySegment list = arena.allocate(PAGE, PAGE);
            assertThat(PrpList.prp2(data, 0, 2 * PAGE, PAGE, list, 0xDEAD000)).isEqualTo(0x90000);
            assertThat(PrpList.prp2(data, 10, PAGE, PAGE, list, 0xDEAD000)).isEqualTo(0x90000);
        }
    }

    @Test
    void longerTransferBuildsAListOfEveryFurtherPage() {
        try (Arena arena = Arena.ofConfined()) {
            DmaRegion data = scattered(arena);
            MemorySegment list = arena.allocate(PAGE, PAGE);
            long prp2 = PrpList.prp2(data, 512, 5 * PAGE, PAGE, list, 0xDEAD000);
            assertThat(prp2).isEqualTo(0xDEAD000);
            // first page holds 3584 bytes; the rest (16896 bytes) needs 5 more pages: 1..5
            long[] expected = {0x90000, 0x30000, 0x70000, 0x50000, 0xA0000};
            for (int i = 0; i < expected.length; i++) {
                assertThat(list.get(ValueLayout.JAVA_LONG, i * 8L)).as("entry %d", i).isEqualTo(expected[i]);
            }
        }
    }

    @Test
    void rejectsTransfersOutsideTheRegionOrBeyondOneList() {
        try (Arena arena = Arena.ofConfined()) {
            DmaRegion data = scattered(arena);
            assertThatThrownBy(() -> PrpList.prp2(data, PAGE, 8 * PAGE, PAGE, arena.allocate(PAGE), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not fit");
            assertThatThrownBy(() -> PrpList.prp2(data, 0, 8 * PAGE, PAGE, arena.allocate(16), 0))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PRP list entries");
        }
    }
}
