// What a grid-wide barrier costs on this GPU, against what a kernel launch costs in a replayed graph:
// the measurement a persistent decode kernel (one launch per step, phases separated by barriers) would
// be designed on (docs/perf/NOTES.md, decode round 11). Test-only: GridBarrierProbe loads the PTX that
// src/main/cuda/build-ptx.sh writes into the test resources when given this folder (its usage line says
// how); nothing here ships in the jar.
//
// The barrier is the plain software one: each block's thread 0 reads the generation, arrives on a counter,
// and the last to arrive resets the counter and bumps the generation, which the others spin on. It needs
// every block resident at once; a grid that is not (more blocks than fit) would spin forever, so a spin
// limit sets *timedOut and every block stops, and the probe reports that instead of a time.
#include <stdint.h>

__device__ __forceinline__ bool grid_barrier(unsigned* count, volatile unsigned* generation, long long spinLimit,
                                             int* timedOut) {
    __shared__ int ok;
    __syncthreads();
    if (threadIdx.x == 0) {
        ok = 1;
        const unsigned seen = *generation;
        __threadfence();
        if (atomicAdd(count, 1u) == gridDim.x - 1) {
            atomicExch(count, 0u);
            __threadfence();
            atomicAdd(const_cast<unsigned*>(generation), 1u);
        } else {
            long long spins = 0;
            while (*generation == seen) {
                if (++spins > spinLimit || *reinterpret_cast<volatile int*>(timedOut) != 0) {
                    atomicExch(timedOut, 1);
                    ok = 0;
                    break;
                }
            }
        }
        __threadfence();
    }
    __syncthreads();
    return ok != 0;
}

// `rounds` barriers in a row, barrier(r) the r-th; stops early (uniformly per block) once any block timed out.
// With `arrivals` given (the probe's check run, not its timed runs) each block also counts itself in before
// every barrier and sets *wrong if, after it, fewer than all blocks of that round had: a barrier that let a
// block through early would show here rather than as a fast time.
template <typename Barrier>
__device__ __forceinline__ void barrier_rounds(int rounds, unsigned* arrivals, int* wrong, Barrier barrier) {
    for (int r = 0; r < rounds; r++) {
        if (arrivals != nullptr && threadIdx.x == 0) atomicAdd(arrivals, 1u);
        if (!barrier(r)) return;
        if (arrivals != nullptr && threadIdx.x == 0 && atomicAdd(arrivals, 0u) < (unsigned) (r + 1) * gridDim.x) {
            atomicExch(wrong, 1);
        }
    }
}

extern "C" __global__ void grid_barrier_rounds(unsigned* count, unsigned* generation, int rounds, long long spinLimit,
                                               int* timedOut, unsigned* arrivals, int* wrong) {
    barrier_rounds(rounds, arrivals, wrong, [&](int) { return grid_barrier(count, generation, spinLimit, timedOut); });
}

// The second barrier: one counter that only grows within a launch (zeroed by the host before it). Thread 0
// of each block adds its arrival with release semantics (its block's writes before it, no separate fence)
// and spins with acquire loads until the counter reaches this round's total: one atomic per block and no
// reset, where the generation barrier above takes an atomic, a fence and, for the last block, two more
// atomics in a row before anyone may go on.
__device__ __forceinline__ bool counter_barrier(unsigned* arrived, unsigned target, long long spinLimit, int* timedOut) {
    __shared__ int ok;
    __syncthreads();
    if (threadIdx.x == 0) {
        ok = 1;
        asm volatile("red.release.gpu.global.add.u32 [%0], 1;" ::"l"(arrived) : "memory");
        long long spins = 0;
        unsigned seen;
        for (;;) {
            asm volatile("ld.acquire.gpu.global.u32 %0, [%1];" : "=r"(seen) : "l"(arrived) : "memory");
            if (seen >= target) break;
            if (++spins > spinLimit || *reinterpret_cast<volatile int*>(timedOut) != 0) {
                atomicExch(timedOut, 1);
                ok = 0;
                break;
            }
        }
    }
    __syncthreads();
    return ok != 0;
}

// grid_barrier_rounds with the counter barrier (its second argument unused).
extern "C" __global__ void counter_barrier_rounds(unsigned* arrived, unsigned* unused, int rounds, long long spinLimit,
                                                  int* timedOut, unsigned* arrivals, int* wrong) {
    barrier_rounds(rounds, arrivals, wrong,
                   [&](int r) { return counter_barrier(arrived, (unsigned) (r + 1) * gridDim.x, spinLimit, timedOut); });
}

// Nothing but a launch: the graph replays many of these to time what one kernel boundary costs.
extern "C" __global__ void empty_kernel(int* sink, int never) {
    if (threadIdx.x == never) *sink = 0;
}
