/**
 * The checked layer over the raw bindings: every libc call returns a value or throws a
 * {@link dev.pagoda.nvme.ffm.NativeCallException} naming the call, its argument and the errno.
 */
package dev.pagoda.nvme.ffm;
