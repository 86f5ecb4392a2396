package dev.pagoda.core.cuda;

import dev.pagoda.cuda.DeviceBuffer;
import dev.pagoda.cuda.kernels.WeightType;

/**
 * A weight matrix in device memory with the bytes of its GGUF tensor unchanged: {@code rows} rows of
 * {@code cols} values of {@code type}; the fused kernels dequantize the blocks as they read them.
 */
public record DeviceTensor(String name, WeightType type, int rows, int cols, DeviceBuffer data) {
}
