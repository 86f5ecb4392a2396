/** Pagoda nvme-ffm. */
package dev.pagoda.nvme;
