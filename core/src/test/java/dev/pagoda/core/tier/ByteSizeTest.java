package dev.pagoda.core.tier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ByteSizeTest {

    @Test
    void parsesUnitsAsPowersOf1024() {
        assertThat(ByteSize.parse("24g")).isEqualTo(24L << 30);
        assertThat(ByteSize.parse("512m")).isEqualTo(512L << 20);
        assertThat(ByteSize.parse("1.5t")).isEqualTo(3L << 39);
        assertThat(ByteSize.parse("64K")).isEqualTo(64L << 10);
        assertThat(ByteSize.parse("24GiB")).isEqualTo(24L << 30);
        assertThat(ByteSize.parse("24gb")).isEqualTo(24L << 30);
        assertThat(ByteSize.parse(" 4096 ")).isEqualTo(4096);
        assertThat(ByteSize.parse("100b")).isEqualTo(100);
        assertThat(ByteSize.parse("0")).isZero();
    }

    @Test
    void rejectsWhatIsNotASize() {
        assertThatThrownBy(() -> ByteSize.parse("")).hasMessageContaining("empty byte size");
        assertThatThrownBy(() -> ByteSize.parse("24x")).hasMessageContaining("unknown unit 'x'");
        assertThatThrownBy(() -> ByteSize.parse("g")).hasMessageContaining("'g' is not a number");
        assertThatThrownBy(() -> ByteSize.parse("1.2.3g")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> ByteSize.parse("-1g")).hasMessageContaining("negative");
        assertThatThrownBy(() -> ByteSize.parse("99999999t")).hasMessageContaining("too large");
    }

    @Test
    void formatsForTables() {
        assertThat(ByteSize.human(20_900_000_000L)).isEqualTo("20.9 GB");
        assertThat(ByteSize.human(512)).isEqualTo("512 B");
        assertThat(ByteSize.human(3_400_000)).isEqualTo("3.4 MB");
        assertThat(ByteSize.human(123_000_000_000L)).isEqualTo("123 GB");
    }
}
