package dev.pagoda.cuda;

import dev.pagoda.cuda.raw.cuda_h;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Turns a {@code CUresult} into a {@link CudaException} naming the call, the result and its meaning. */
final class Check {
    private Check() {
    }

    static void check(int result, String call) {
        if (result != cuda_h.CUDA_SUCCESS()) {
            throw failure(result, call, "");
        }
    }

    static CudaException failure(int result, String call, String detail) {
        return new CudaException(call, result, resultName(result), resultDescription(result), detail);
    }

    static String resultName(int result) {
        return driverString(result, true);
    }

    static String resultDescription(int result) {
        return driverString(result, false);
    }

    private static String driverString(int result, boolean name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            int rc = name ? cuda_h.cuGetErrorName(result, out) : cuda_h.cuGetErrorString(result, out);
            MemorySegment str = out.get(ValueLayout.ADDRESS, 0);
            if (rc != cuda_h.CUDA_SUCCESS() || str.equals(MemorySegment.NULL)) {
                return name ? "CUresult " + result : "unknown CUresult";
            }
            return str.reinterpret(4096).getString(0);
        } catch (UnsatisfiedLinkError e) {
            return name ? "CUresult " + result : "(driver not loaded)";
        }
    }
}
