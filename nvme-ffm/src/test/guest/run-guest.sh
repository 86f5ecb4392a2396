#!/usr/bin/env bash
# Boots the NVMe test guest under TCG with two emulated NVMe controllers on scratch disk images
# and a 9p share, bounded by a timeout; QEMU is killed when it runs over.
# usage: run-guest.sh GUEST_DIR SHARE_DIR PATTERN_IMG EXT4_IMG TIMEOUT_SECONDS
# no_timer_check: under TCG on a loaded host the kernel's early check that the timer interrupt arrives
# through the (remapped) IO-APIC can time out, and with interrupt remapping on that is a panic ("timer
# doesn't work through Interrupt-remapped IO-APIC"); seen once with a second Maven build on 2 cores.
set -euo pipefail
guest=$1 share=$2 pattern=$3 ext4=$4 limit=$5
exec timeout --kill-after=10 "$limit" qemu-system-x86_64 \
  -machine q35,accel=tcg -cpu max -smp 1 -m 2G \
  -nographic -no-reboot -monitor none -serial stdio \
  -device intel-iommu,intremap=on,caching-mode=on \
  -kernel "$guest/vmlinuz" -initrd "$guest/initramfs.cpio" \
  -append "console=ttyS0 intel_iommu=on iommu=pt panic=-1 loglevel=4 no_timer_check" \
  -drive "file=$pattern,if=none,id=pattern,format=raw" -device nvme,serial=PAGODA-PATTERN,drive=pattern \
  -drive "file=$ext4,if=none,id=ext4,format=raw" -device nvme,serial=PAGODA-EXT4,drive=ext4 \
  -virtfs "local,path=$share,mount_tag=share,security_model=none,id=share"
