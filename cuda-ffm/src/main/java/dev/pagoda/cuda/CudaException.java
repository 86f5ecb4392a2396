package dev.pagoda.cuda;

/**
 * A CUDA driver call returned something other than {@code CUDA_SUCCESS}. Carries the call that failed,
 * the numeric {@code CUresult}, its name ({@code cuGetErrorName}) and its description
 * ({@code cuGetErrorString}).
 */
public final class CudaException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String call;
    private final int result;
    private final String resultName;

    CudaException(String call, int result, String resultName, String description, String detail) {
        super(call + " failed: " + resultName + " (" + result + "): " + description
                + (detail.isEmpty() ? "" : "\n" + detail));
        this.call = call;
        this.result = result;
        this.resultName = resultName;
    }

    /** The driver call that failed, with its arguments where they help (sizes, names). */
    public String call() {
        return call;
    }

    /** The numeric {@code CUresult}. */
    public int result() {
        return result;
    }

    /** The {@code CUresult} enumerator's name, e.g. {@code CUDA_ERROR_OUT_OF_MEMORY}. */
    public String resultName() {
        return resultName;
    }
}
