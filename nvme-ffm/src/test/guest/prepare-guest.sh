#!/usr/bin/env bash
# Prepares the NVMe test guest: Debian's generic kernel (downloaded, unpacked, never installed on
# the host), an initramfs with busybox, the kernel modules the test needs, glibc and a jlink'd
# Java runtime with a CDS archive. Everything lands under a cache directory keyed by the kernel
# version and the JDK, so a second build reuses it.
#
# usage: prepare-guest.sh CACHE_DIR JAVA_HOME
# prints: the directory holding vmlinuz and initramfs.cpio (last line of stdout)
# exit 3: a prerequisite is missing and cannot be installed (message on stderr) -> the test skips
set -euo pipefail

cache=$1
java_home=$2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$cache"

need_tools() {
  for t in qemu-system-x86_64 busybox cpio depmod modprobe dpkg apt-get; do
    command -v "$t" >/dev/null 2>&1 || { [ -x "/usr/sbin/$t" ] || [ -x "/sbin/$t" ]; } || return 1
  done
  [ -x /bin/busybox ] || [ -x /usr/bin/busybox ] || return 1
  file -L "$(command -v busybox)" 2>/dev/null | grep -q "statically linked" || [ -e /usr/share/doc/busybox-static ] || return 1
}

if ! need_tools; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "prepare-guest: installing qemu-system-x86 busybox-static cpio kmod e2fsprogs with apt-get" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >&2 || { echo "prepare-guest: apt-get update failed" >&2; exit 3; }
    apt-get install -y -q qemu-system-x86 busybox-static cpio kmod e2fsprogs >&2 \
      || { echo "prepare-guest: apt-get install failed" >&2; exit 3; }
  else
    echo "prepare-guest: qemu-system-x86_64, static busybox, cpio or kmod missing, and not root with apt-get to install them" >&2
    exit 3
  fi
fi
export PATH=$PATH:/usr/sbin:/sbin

# Resolve the current generic kernel from the metapackage.
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
if [ -z "$kpkg" ]; then
  # Try a cached kernel before giving up (offline rebuilds).
  kpkg=$(ls "$cache"/debs/linux-image-*-amd64_*.deb 2>/dev/null | head -1 | xargs -r basename | cut -d_ -f1)
fi
[ -n "$kpkg" ] || { echo "prepare-guest: cannot resolve linux-image-amd64 (no apt metadata and no cached kernel)" >&2; exit 3; }
kver=${kpkg#linux-image-}

jdk_id=$("$java_home/bin/java" -version 2>&1 | head -2 | tr -dc 'a-zA-Z0-9.+-' | cut -c1-80)
key=$(printf '%s|%s|%s' "$kver" "$jdk_id" "$(cat "$here/init.sh" "$0" | sha256sum)" | sha256sum | cut -c1-16)
out=$cache/guest-$key
if [ -f "$out/initramfs.cpio" ] && [ -f "$out/vmlinuz" ]; then
  echo "$out"
  exit 0
fi

mkdir -p "$cache/debs"
deb=$(ls "$cache"/debs/"${kpkg}"_*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
  (cd "$cache/debs" && apt-get download "$kpkg" >&2) || { echo "prepare-guest: apt-get download $kpkg failed" >&2; exit 3; }
  deb=$(ls "$cache"/debs/"${kpkg}"_*.deb | head -1)
fi
kroot=$cache/kernel-$kver
if [ ! -f "$kroot/boot/vmlinuz-$kver" ]; then
  rm -rf "$kroot"
  dpkg -x "$deb" "$kroot"
  depmod -b "$kroot" "$kver"
fi

work=$(mktemp -d "$cache/build.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/root
mkdir -p "$root"/{bin,sbin,dev,proc,sys,share,mnt,tmp,lib/modules,lib64,lib/x86_64-linux-gnu,etc}
cp "$(command -v busybox)" "$root/bin/busybox"
cp "$here/init.sh" "$root/init"
chmod +x "$root/init"

# Modules in dependency order, deduplicated.
: > "$root/modules.order"
for m in nvme vfio_pci vfio_iommu_type1 9pnet_virtio 9p virtio_pci ext4; do
  modprobe -S "$kver" -d "$kroot" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
done | awk '!seen[$0]++' | while read -r ko; do
  cp "$ko" "$root/lib/modules/"
  basename "$ko" >> "$root/modules.order"
done

# The Java runtime: java.base, java.logging and the Vector API for core's CPU backend (the tier-C guest test
# runs a model), with a CDS archive so the JVM starts fast under TCG.
"$java_home/bin/jlink" --add-modules java.base,java.logging,jdk.incubator.vector --strip-debug --no-man-pages --no-header-files \
  --generate-cds-archive --output "$root/jdk" >&2

# glibc and the loader, as the runtime's binaries need them.
for f in "$root"/jdk/bin/java $(find "$root/jdk/lib" -name '*.so'); do
  ldd "$f" 2>/dev/null | awk '/=> \// {print $3} /^\s*\/lib/ {print $1}'
done | sort -u | while read -r lib; do
  cp -L "$lib" "$root/lib/x86_64-linux-gnu/"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$root/lib64/"

mkdir -p "$out.tmp"
cp "$kroot/boot/vmlinuz-$kver" "$out.tmp/vmlinuz"
(cd "$root" && find . | cpio -o -H newc --quiet > "$out.tmp/initramfs.cpio")
rm -rf "$out"
mv "$out.tmp" "$out"
echo "$out"
