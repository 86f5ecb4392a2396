package dev.pagoda.core.tier;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Byte counts as people write them: {@code "24g"}, {@code "512m"}, {@code "1.5t"}, {@code "64k"}
 * or a plain number of bytes. Suffixes are binary (k = 1024, g = 2^30), case-insensitive, with an
 * optional trailing {@code b} or {@code ib} ({@code "24GiB"}, {@code "24gb"}); budgets are sizes
 * of memory, and memory comes in powers of two.
 */
public final class ByteSize {
    private ByteSize() {}

    /**
     * The number of bytes {@code text} names.
     *
     * @throws IllegalArgumentException naming the text when it is empty, negative, has an unknown
     *     suffix, is not a number, or overflows a long
     */
    public static long parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty byte size; write e.g. 24g, 512m, 1.5t or a number of bytes");
        }
        String s = text.strip().toLowerCase(Locale.ROOT);
        if (s.endsWith("ib")) {
            s = s.substring(0, s.length() - 2);
        } else if (s.endsWith("b")) {
            s = s.substring(0, s.length() - 1);
        }
        int shift = 0;
        char last = s.isEmpty() ? ' ' : s.charAt(s.length() - 1);
        switch (last) {
            case 'k' -> shift = 10;
            case 'm' -> shift = 20;
            case 'g' -> shift = 30;
            case 't' -> shift = 40;
            default -> {
                if (!Character.isDigit(last) && last != '.') {
                    throw new IllegalArgumentException("byte size '" + text + "' has an unknown unit '" + last
                            + "'; use k, m, g or t (powers of 1024) or a plain number of bytes");
                }
            }
        }
        String number = shift == 0 ? s : s.substring(0, s.length() - 1).strip();
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("byte size '" + text + "' is not a number with an optional unit"
                    + " (e.g. 24g, 512m, 1.5t)");
        }
        if (value.signum() < 0) {
            throw new IllegalArgumentException("byte size '" + text + "' is negative");
        }
        BigDecimal bytes = value.multiply(BigDecimal.valueOf(2).pow(shift));
        if (bytes.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("byte size '" + text + "' is too large");
        }
        return bytes.setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
    }

    /** {@code bytes} with the largest decimal unit that keeps at least 1: "512 B", "3.4 MB", "20.9 GB". */
    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, v >= 100 ? "%.0f %s" : "%.1f %s", v, units[u]);
    }
}
