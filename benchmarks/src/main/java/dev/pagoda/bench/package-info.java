/** Pagoda benchmarks. */
package dev.pagoda.bench;
