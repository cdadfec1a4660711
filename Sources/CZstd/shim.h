// Zstandard, used for blocks of stored text (Debian package libzstd-dev).
#include <zstd.h>
