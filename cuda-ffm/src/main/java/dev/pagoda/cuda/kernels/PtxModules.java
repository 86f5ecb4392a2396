package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Loads the PTX that the build ships as resources ({@code /dev/pagoda/cuda/ptx/<op>.ptx}, one per .cu). */
public final class PtxModules {
    /** Where the PTX resources live on the class path. */
    public static final String RESOURCE_FOLDER = "/dev/pagoda/cuda/ptx/";

    private PtxModules() {
    }

    /** The PTX text of one op, e.g. {@code matvec}. */
    public static String ptx(String op) {
        String path = RESOURCE_FOLDER + op + ".ptx";
        try (InputStream in = PtxModules.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PTX resource " + path, e);
        }
    }

    static CudaModule load(Cuda cuda, String op) {
        return cuda.loadPtx(op + ".ptx", ptx(op));
    }
}
