/**
 * Safety around the driver: which NVMe controllers exist, what they hold (mounts, the root
 * filesystem, swap), and binding one to vfio-pci and back only when it holds nothing.
 */
package dev.pagoda.nvme.admin;
