package dev.pagoda.gguf;

import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The file name of one shard of a split model, as llama.cpp's {@code llama_split_path} writes it:
 * {@code <prefix>-00001-of-00003.gguf}, shards numbered from 1.
 *
 * @param prefix everything before {@code -NNNNN-of-MMMMM.gguf}, directory included
 * @param number this shard's number, 1-based
 * @param count  how many shards the model has
 */
public record SplitFileName(String prefix, int number, int count) {
    private static final Pattern NAME = Pattern.compile("(.+)-(\\d{5,})-of-(\\d{5,})\\.gguf");

    /** The split name of {@code path}, or empty when its name does not follow the pattern. */
    public static Optional<SplitFileName> parse(Path path) {
        Matcher m = NAME.matcher(path.toString());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new SplitFileName(m.group(1), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3))));
        } catch (NumberFormatException tooLong) {
            return Optional.empty();
        }
    }

    /** The path of shard {@code number} (1-based) of {@code count}. */
    public static Path path(String prefix, int number, int count) {
        return Path.of(String.format("%s-%05d-of-%05d.gguf", prefix, number, count));
    }

    /** The path of shard {@code number} (1-based) of this model. */
    public Path sibling(int number) {
        return path(prefix, number, count);
    }
}
