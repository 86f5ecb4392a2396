// Hopper's bulk copy engine (TMA, compute capability 9.0) and the shared-memory barriers that count its
// bytes, as the few PTX instructions a streaming kernel needs: one thread asks for a whole contiguous span
// (global -> own shared memory) and the span's barrier phase completes when its bytes have landed, so a
// block can have tens of kilobytes in flight without holding them in registers or issuing one load per
// 16 bytes. Only for code compiled for __CUDA_ARCH__ >= 900 (callers guard it).
#pragma once
#include <stdint.h>

__device__ __forceinline__ uint32_t shared_address(const void* p) {
    return (uint32_t) __cvta_generic_to_shared(p);
}

// A barrier whose phase completes after `count` arrivals (and, with expect_tx, the bytes expected).
__device__ __forceinline__ void barrier_init(uint64_t* bar, uint32_t count) {
    asm volatile("mbarrier.init.shared::cta.b64 [%0], %1;\n" ::"r"(shared_address(bar)), "r"(count) : "memory");
}

// Makes barrier_init visible to the bulk copy engine (the async proxy) before any copy signals it.
__device__ __forceinline__ void barrier_init_fence() {
    asm volatile("fence.mbarrier_init.release.cluster;\n" ::: "memory");
}

// One arrival that also tells the barrier `bytes` more are to land in this phase.
__device__ __forceinline__ void barrier_arrive_expect(uint64_t* bar, uint32_t bytes) {
    asm volatile("mbarrier.arrive.expect_tx.shared::cta.b64 _, [%0], %1;\n" ::"r"(shared_address(bar)), "r"(bytes)
                 : "memory");
}

// One plain arrival (release: this thread's earlier shared-memory reads are done before the phase completes).
__device__ __forceinline__ void barrier_arrive(uint64_t* bar) {
    asm volatile("mbarrier.arrive.shared::cta.b64 _, [%0];\n" ::"r"(shared_address(bar)) : "memory");
}

// Waits until the phase of parity `parity` has completed (acquire: the bytes it counted are visible).
__device__ __forceinline__ void barrier_wait(uint64_t* bar, uint32_t parity) {
    const uint32_t addr = shared_address(bar);
    uint32_t done;
    do {
        asm volatile(
            "{\n .reg .pred p;\n mbarrier.try_wait.parity.shared::cta.b64 p, [%1], %2;\n selp.u32 %0, 1, 0, p;\n}\n"
            : "=r"(done)
            : "r"(addr), "r"(parity)
            : "memory");
    } while (!done);
}

// Copies `bytes` (a multiple of 16; both addresses 16-byte aligned) from global memory into this block's
// shared memory; their arrival completes on `bar` (whose expected bytes must include them).
__device__ __forceinline__ void bulk_copy_to_shared(void* dst, const void* src, uint32_t bytes, uint64_t* bar) {
    asm volatile("cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes [%0], [%1], %2, [%3];\n" ::"r"(
                     shared_address(dst)),
                 "l"(src), "r"(bytes), "r"(shared_address(bar))
                 : "memory");
}

// An L2 policy that marks the lines a hinted copy brings in as the first to go when the L2 needs room: for bytes
// read once per token (a ring's weights), so that what the step reads again soon (the norms' weights, the residual,
// x's records) is not pushed out by them.
__device__ __forceinline__ uint64_t l2_evict_first_policy() {
    uint64_t policy;
    asm volatile("createpolicy.fractional.L2::evict_first.b64 %0, 1.0;\n" : "=l"(policy));
    return policy;
}

// bulk_copy_to_shared with an L2 policy (l2_evict_first_policy) for the lines it brings in.
__device__ __forceinline__ void bulk_copy_to_shared_hinted(void* dst, const void* src, uint32_t bytes, uint64_t* bar,
                                                           uint64_t policy) {
    asm volatile(
        "cp.async.bulk.shared::cluster.global.mbarrier::complete_tx::bytes.L2::cache_hint [%0], [%1], %2, [%3], %4;\n" ::"r"(
            shared_address(dst)),
        "l"(src), "r"(bytes), "r"(shared_address(bar)), "l"(policy)
        : "memory");
}

// Asks the L2 for `bytes` (a multiple of 16; 16-byte aligned) of global memory, with nothing to wait on.
__device__ __forceinline__ void bulk_prefetch_l2(const void* src, uint32_t bytes) {
    asm volatile("cp.async.bulk.prefetch.L2.global [%0], %1;\n" ::"l"(src), "r"(bytes) : "memory");
}
