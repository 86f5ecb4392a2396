/** Pagoda cuda-ffm. */
package dev.pagoda.cuda;
