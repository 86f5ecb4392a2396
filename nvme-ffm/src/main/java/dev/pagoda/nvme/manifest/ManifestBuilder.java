package dev.pagoda.nvme.manifest;

import dev.pagoda.nvme.admin.SystemRoots;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Records a model file's manifest while its NVMe device is still on the kernel's driver: the
 * file's extents (FIEMAP), its partition's start (sysfs), the device's identity (sysfs), and a
 * checksum of the GGUF header.
 */
public final class ManifestBuilder {
    /** Bytes of the file's start that the header checksum covers. */
    public static final long HEADER_BYTES = 1L << 20;
    private static final byte[] GGUF_MAGIC = {'G', 'G', 'U', 'F'};

    private final SystemRoots roots;

    public ManifestBuilder(SystemRoots roots) {
        this.roots = roots;
    }

    public ModelManifest build(Path file) throws IOException {
        Path real = file.toRealPath();
        long size = Files.size(real);
        byte[] magic = new byte[4];
        try (InputStream in = Files.newInputStream(real)) {
            if (in.readNBytes(magic, 0, 4) != 4 || !java.util.Arrays.equals(magic, GGUF_MAGIC)) {
                throw new IOException(real + " is not a GGUF file (magic " + HexFormat.of().formatHex(magic) + ")");
            }
        }
        long dev = (Long) Files.getAttribute(real, "unix:dev");
        long major = ((dev >>> 8) & 0xFFF) | ((dev >>> 32) & ~0xFFFL);
        long minor = (dev & 0xFF) | ((dev >>> 12) & ~0xFFL);
        Path block = roots.sys().resolve("dev/block/" + major + ":" + minor).toRealPath();
        long partitionStart = 0;
        Path namespace = block;
        if (Files.exists(block.resolve("partition"))) {
            partitionStart = Long.parseLong(Files.readString(block.resolve("start")).trim()) * 512;
            namespace = block.getParent();
        }
        String nsName = namespace.getFileName().toString();
        if (!nsName.matches("nvme\\d+n\\d+")) {
            throw new IOException(real + " lives on " + block.getFileName() + ", not on an NVMe namespace");
        }
        int nsid = read(namespace.resolve("nsid")).map(Integer::parseInt)
                .orElse(Integer.parseInt(nsName.substring(nsName.lastIndexOf('n') + 1)));
        Path device = namespace.resolve("device");
        String serial = read(device.resolve("serial")).orElseThrow(() -> new IOException("no serial under " + device));
        String model = read(device.resolve("model")).orElseThrow(() -> new IOException("no model under " + device));
        String pci = pciAddress(device).orElseThrow(() -> new IOException("no PCI address for " + nsName));

        List<FileExtent> extents = new ArrayList<>();
        for (Fiemap.Extent e : Fiemap.extents(real)) {
            if ((e.flags() & Fiemap.UNREADABLE_FLAGS) != 0) {
                throw new IOException(real + ": extent at file offset " + e.logical() + " has FIEMAP flags 0x"
                        + Integer.toHexString(e.flags()) + " (unwritten, inline, encoded or not yet allocated):"
                        + " its bytes cannot be read raw; copy the file afresh and sync");
            }
            long length = Math.min(e.length(), size - e.logical());
            if (length > 0) {
                extents.add(new FileExtent(e.logical(), partitionStart + e.physical(), length));
            }
        }
        long headerLength = Math.min(HEADER_BYTES, size);
        return new ModelManifest(real.toString(), size, pci, serial, model, nsid, partitionStart, headerLength,
                sha256(real, headerLength), extents);
    }

    /** The controller's PCI address: the device's own address file, or that of a controller under a subsystem. */
    private static Optional<String> pciAddress(Path device) throws IOException {
        Optional<String> own = read(device.resolve("address"));
        if (own.isPresent()) {
            return own;
        }
        try (DirectoryStream<Path> children = Files.newDirectoryStream(device, "nvme*")) {
            for (Path c : children) {
                Optional<String> a = read(c.resolve("address"));
                if (a.isPresent()) {
                    return a;
                }
            }
        }
        return Optional.empty();
    }

    static String sha256(Path file, long length) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new IOException(file + " ended before " + length + " bytes");
            }
            return sha256(bytes);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    private static Optional<String> read(Path p) {
        try {
            return Optional.of(Files.readString(p).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
