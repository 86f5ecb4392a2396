/* The headers jextract reads for dev.pagoda.nvme.ffm.raw (see linux-uapi.args). */
#include <fcntl.h>
#include <unistd.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <linux/vfio.h>
#include <linux/fs.h>
#include <linux/fiemap.h>
