#!/bin/busybox sh
# PID 1 of the NVMe test guest: load modules, mount the 9p share, run the guest suite, power off.
/bin/busybox --install -s /bin
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r ko; do insmod "/lib/modules/$ko" 2>/dev/null; done < /modules.order
mount -t 9p -o trans=virtio,version=9p2000.L,msize=524288 share /share || echo "guest: 9p mount failed"
cd /share
# A test may name another suite (/share/main-class) and add JVM options (/share/java-options).
main=dev.pagoda.nvme.guest.GuestSuite
[ -f /share/main-class ] && main=$(cat /share/main-class)
options=$(cat /share/java-options 2>/dev/null)
/jdk/bin/java -Xshare:auto -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m --enable-native-access=ALL-UNNAMED \
  $options -cp "$(cat /share/classpath)" "$main" /share > /share/guest-java.log 2>&1
echo "guest-suite-exit $?" >> /share/guest-java.log
sync
poweroff -f
