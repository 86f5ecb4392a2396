/**
 * Raw bindings in jextract's shape: static method handles, struct layouts and constants for the
 * libc calls and Linux uapi structures the driver needs, one class per header group. The symbol
 * list is pinned in {@code src/main/jextract/linux-uapi.args}; a C-compiler conformance test
 * ({@code UapiConformanceTest}) checks every ioctl number, constant, offset and size against the
 * system headers. Callers use the checked layer in {@code dev.pagoda.nvme.ffm}, never these.
 */
package dev.pagoda.nvme.ffm.raw;
