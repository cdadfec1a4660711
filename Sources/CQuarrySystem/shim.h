// glibc functions the Swift Glibc module does not export (malloc tuning).
#include <malloc.h>
