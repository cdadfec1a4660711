// Snowball stemmers (Debian package libstemmer-dev).
#include <libstemmer.h>
