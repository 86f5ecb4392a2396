/** CUDA ceilings (copy and transfer bandwidth) and kernel benchmarks: plain mains, run from the GPU distribution. */
package dev.pagoda.bench.cuda;
