package dev.pagoda.nvme.vfio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class IovaSpaceTest {

    @Test
    void allocatesAlignedAddressesAboveTheFloorAndSkipsTheMsiWindow() {
        // The 39-bit guest IOMMU as VFIO reports it: the MSI window already cut out.
        IovaSpace space = new IovaSpace(List.of(new IovaRange(0, 0xFEDF_FFFFL), new IovaRange(0xFEF0_0000L, (1L << 39) - 1)));
        long a = space.allocate(4096, 4096);
        assertThat(a).isEqualTo(IovaSpace.FLOOR);
        long b = space.allocate(2 << 20, 2 << 20);
        assertThat(b % (2 << 20)).isZero();
        assertThat(b).isGreaterThan(a);
        long big = space.allocate(0xF000_0000L, 4096);
        assertThat(big + 0xF000_0000L - 1 < IovaSpace.MSI_WINDOW.start() || big > IovaSpace.MSI_WINDOW.end()).isTrue();
        assertThat(big + 0xF000_0000L).isLessThanOrEqualTo(1L << 39);
    }

    @Test
    void cutsTheMsiWindowOutOfARangeThatContainsIt() {
        IovaSpace space = new IovaSpace(List.of(new IovaRange(0xFED0_0000L, 0xFF00_0000L)));
        long first = space.allocate(0x10_0000, 4096);
        assertThat(first).isEqualTo(0xFED0_0000L);
        long second = space.allocate(0x10_0000, 4096);
        assertThat(second).isEqualTo(0xFEF0_0000L);
    }

    @Test
    void saysWhenTheSpaceIsExhausted() {
        IovaSpace space = new IovaSpace(List.of(new IovaRange(0x10_0000, 0x10_FFFF)));
        space.allocate(0x1_0000, 4096);
        assertThatThrownBy(() -> space.allocate(4096, 4096)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no IOVA space left");
        assertThatThrownBy(() -> new IovaSpace(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}
