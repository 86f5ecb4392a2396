// The host's rows of a hybrid product, read by the GPU straight from pinned host memory (unified
// addressing makes the host pointer valid in kernels) and written into the device's output vector.
// A kernel, not cuMemcpyHtoDAsync: host-to-device copies from every stream share one copy engine
// that serves them in order, so a few KB queued on the compute stream would wait behind the copy
// stream's weight copies (milliseconds); loads issued by the SMs cross PCIe beside them.
// No __restrict__: the loads stay plain ld.global (not the read-only path) on memory the host rewrites between launches.
extern "C" __global__ void host_rows_upload(const float* src, float* dst, long long n) {
    long long stride = (long long) gridDim.x * blockDim.x;
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < n; i += stride) {
        dst[i] = src[i];
    }
}
