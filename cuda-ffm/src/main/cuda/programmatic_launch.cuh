// Programmatic dependent launch (sm_90 and newer). A kernel launched with programmatic stream
// serialization (CudaKernel.launch on a CudaStream with programmatic launches on) may start while the
// kernel before it in the stream still runs: its launch and whatever it does before pdl_wait() overlap
// the predecessor's tail. pdl_wait() returns once every kernel before it has completed and its memory
// is visible. So every kernel of a module whose .cu includes this header calls pdl_wait() before it
// reads anything an earlier kernel wrote and before it writes anything an earlier kernel may still read;
// only loads of weights (never written while a decode step runs) may come first. pdl_launch_dependents()
// lets the next kernel launch as soon as every block of this one has passed it; it is called right after
// the wait, so at most two kernels overlap, and the next one's blocks only take room this kernel's
// resident blocks leave. The exceptions: swiglu_trigger_first (swiglu.cu), which calls it first, so that
// the down projection after it can prime its weights during gate/up's tail (three kernels overlap then), and
// attention_decode_step (attention_decode.cu), which calls it after its partials, before the last blocks' merge.
//
// build-ptx.sh compiles each .cu that includes this header twice: compute_80 PTX, where both calls are
// empty (the module is launched the plain way), and compute_90 PTX (<op>.sm_90.ptx), which PtxModules
// loads on devices of compute capability 9.0 and newer.
#pragma once

__device__ __forceinline__ void pdl_wait() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.wait;\n" ::: "memory");
#endif
}

__device__ __forceinline__ void pdl_launch_dependents() {
#if defined(__CUDA_ARCH__) && __CUDA_ARCH__ >= 900
    asm volatile("griddepcontrol.launch_dependents;\n" :::);
#endif
}

// The start of a kernel that reads no weights before its inputs: wait for the predecessor, then let the
// successor launch.
__device__ __forceinline__ void pdl_begin() {
    pdl_wait();
    pdl_launch_dependents();
}
