package dev.pagoda.nvme.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a model file's bytes lie on an NVMe namespace, and which device that is, recorded while
 * the kernel still owns the device. A plain text file, one "key value" per line, extents last.
 *
 * @param file            the file's path when recorded
 * @param fileSize        its size in bytes
 * @param pciAddress      PCI address of the controller
 * @param serial          controller serial number (checked against Identify Controller)
 * @param model           controller model number (checked against Identify Controller)
 * @param nsid            namespace identifier
 * @param partitionStart  byte offset of the filesystem's partition on the namespace
 * @param headerLength    bytes at the file's start covered by {@code headerSha256}
 * @param headerSha256    SHA-256 of those bytes, lower-case hex
 * @param extents         file byte ranges to namespace byte ranges, in file order, covering the file
 */
public record ModelManifest(String file, long fileSize, String pciAddress, String serial, String model, int nsid,
                            long partitionStart, long headerLength, String headerSha256, List<FileExtent> extents) {
    public static final String FORMAT = "pagoda-nvme-extents/1";

    public ModelManifest {
        extents = List.copyOf(extents);
        long covered = 0;
        for (FileExtent e : extents) {
            if (e.fileOffset() != covered) {
                throw new IllegalArgumentException("extents leave a gap at file offset " + covered
                        + " (next extent starts at " + e.fileOffset() + "): sparse files cannot be read raw");
            }
            covered += e.length();
        }
        if (covered < fileSize) {
            throw new IllegalArgumentException("extents cover " + covered + " of " + fileSize + " bytes");
        }
        if (headerLength > fileSize || headerLength <= 0) {
            throw new IllegalArgumentException("header length " + headerLength + " outside the file's " + fileSize + " bytes");
        }
    }

    public void write(Path target) throws IOException {
        StringBuilder b = new StringBuilder("# Pagoda NVMe extent manifest: the model file's bytes on the raw namespace\n");
        b.append("format ").append(FORMAT).append('\n');
        b.append("file ").append(file).append('\n');
        b.append("file-size ").append(fileSize).append('\n');
        b.append("pci-address ").append(pciAddress).append('\n');
        b.append("serial ").append(serial).append('\n');
        b.append("model ").append(model).append('\n');
        b.append("nsid ").append(nsid).append('\n');
        b.append("partition-start ").append(partitionStart).append('\n');
        b.append("header-length ").append(headerLength).append('\n');
        b.append("header-sha256 ").append(headerSha256).append('\n');
        for (FileExtent e : extents) {
            b.append("extent ").append(e.fileOffset()).append(' ').append(e.namespaceOffset()).append(' ')
                    .append(e.length()).append('\n');
        }
        Files.writeString(target, b);
    }

    public static ModelManifest read(Path source) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        List<FileExtent> extents = new ArrayList<>();
        int lineNumber = 0;
        for (String line : Files.readAllLines(source)) {
            lineNumber++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.indexOf(' ');
            if (space < 0) {
                throw new IOException(source + ":" + lineNumber + ": expected 'key value', got '" + line + "'");
            }
            String key = line.substring(0, space);
            String value = line.substring(space + 1);
            if (key.equals("extent")) {
                String[] p = value.trim().split(" ");
                try {
                    extents.add(new FileExtent(Long.parseLong(p[0]), Long.parseLong(p[1]), Long.parseLong(p[2])));
                } catch (RuntimeException e) {
                    throw new IOException(source + ":" + lineNumber + ": bad extent '" + value + "'", e);
                }
            } else {
                fields.put(key, value);
            }
        }
        if (!FORMAT.equals(fields.get("format"))) {
            throw new IOException(source + " is not a " + FORMAT + " manifest (format: " + fields.get("format") + ")");
        }
        try {
            return new ModelManifest(require(fields, "file", source), Long.parseLong(require(fields, "file-size", source)),
                    require(fields, "pci-address", source), require(fields, "serial", source),
                    require(fields, "model", source), Integer.parseInt(require(fields, "nsid", source)),
                    Long.parseLong(require(fields, "partition-start", source)),
                    Long.parseLong(require(fields, "header-length", source)), require(fields, "header-sha256", source),
                    extents);
        } catch (NumberFormatException e) {
            throw new IOException(source + ": a numeric field is malformed: " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(source + ": " + e.getMessage(), e);
        }
    }

    private static String require(Map<String, String> fields, String key, Path source) throws IOException {
        String v = fields.get(key);
        if (v == null) {
            throw new IOException(source + " lacks the '" + key + "' line");
        }
        return v;
    }
}
