// Timestamps of one ring matvec launch in a replayed decode step (RingTrace, DecodeStepTimeline): the GPU host
// has no Nsight Systems, and Nsight Compute times kernels one at a time, without the programmatic overlap the
// step's time depends on. Eight words per launch, zeroed by the host before the replay (%globaltimer, ns):
// [0] block 0's entry, [1] block 0 past its programmatic wait, [2] the last block's end (max), [3] the first
// block's entry, stored complemented so that a max finds the min, [4] block 0 with x staged, [5] block 0's
// first chunk of weights in hand, [6] block 0's end (thread 0's): where a launch's run goes (x, the ring's
// first bytes, streaming, the other blocks' tail). [7] unused.
#pragma once

__device__ __forceinline__ unsigned long long global_nanos() {
    unsigned long long t;
    asm volatile("mov.u64 %0, %%globaltimer;\n" : "=l"(t));
    return t;
}

__device__ __forceinline__ void ring_trace_entry(unsigned long long* stamps) {
    if (stamps == nullptr || threadIdx.x != 0) return;
    const unsigned long long t = global_nanos();
    if (blockIdx.x == 0) stamps[0] = t;
    atomicMax(&stamps[3], ~t);
}

__device__ __forceinline__ void ring_trace_waited(unsigned long long* stamps) {
    if (stamps != nullptr && threadIdx.x == 0 && blockIdx.x == 0) stamps[1] = global_nanos();
}

__device__ __forceinline__ void ring_trace_staged(unsigned long long* stamps) {
    if (stamps != nullptr && threadIdx.x == 0 && blockIdx.x == 0) stamps[4] = global_nanos();
}

__device__ __forceinline__ void ring_trace_first_chunk(unsigned long long* stamps, int item) {
    if (stamps != nullptr && item == 0 && threadIdx.x == 0 && blockIdx.x == 0) stamps[5] = global_nanos();
}

__device__ __forceinline__ void ring_trace_end(unsigned long long* stamps) {
    if (stamps == nullptr || threadIdx.x != 0) return;
    const unsigned long long t = global_nanos();
    if (blockIdx.x == 0) stamps[6] = t;
    atomicMax(&stamps[2], t);
}
