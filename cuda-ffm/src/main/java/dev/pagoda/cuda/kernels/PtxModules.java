package dev.pagoda.cuda.kernels;

import dev.pagoda.cuda.Cuda;
import dev.pagoda.cuda.CudaModule;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * Loads the PTX that the build ships as resources ({@code /dev/pagoda/cuda/ptx/<op>.ptx}, one per .cu, for
 * compute capability 8.0). The decode-step modules also ship {@code <op>.sm_90.ptx}, built for 9.0 with
 * every kernel waiting for its predecessor ({@code programmatic_launch.cuh}); on devices of 9.0 and newer
 * that variant is loaded, so that those kernels may be launched early ({@code CudaStream.allowProgrammaticLaunches}).
 */
public final class PtxModules {
    /** Where the PTX resources live on the class path. */
    public static final String RESOURCE_FOLDER = "/dev/pagoda/cuda/ptx/";

    private PtxModules() {
    }

    /** The PTX text of one op, e.g. {@code matvec}. */
    public static String ptx(String op) {
        return text(RESOURCE_FOLDER + op + ".ptx");
    }

    /** A PTX resource by its class-path path (the test jar's probe kernels live outside {@link #RESOURCE_FOLDER}). */
    static String text(String path) {
        try (InputStream in = PtxModules.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("PTX resource " + path + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read PTX resource " + path, e);
        }
    }

    /** The resource name of the compute capability 9.0 variant of an op ({@code <op>.sm_90}), whether or not it exists. */
    public static String programmaticVariant(String op) {
        return op + ".sm_90";
    }

    /** Whether the op ships a compute capability 9.0 variant whose kernels wait for their predecessor. */
    public static boolean hasProgrammaticVariant(String op) {
        return PtxModules.class.getResource(RESOURCE_FOLDER + programmaticVariant(op) + ".ptx") != null;
    }

    static CudaModule load(Cuda cuda, String op) {
        if (cuda.computeCapability().atLeast(9, 0) && hasProgrammaticVariant(op)) {
            String variant = programmaticVariant(op);
            return cuda.loadPtx(variant + ".ptx", ptx(variant), true);
        }
        return cuda.loadPtx(op + ".ptx", ptx(op));
    }
}
