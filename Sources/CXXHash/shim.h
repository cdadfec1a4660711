// xxHash from Debian's libxxhash-dev: XXH64 for file checksums and content fingerprints.
// XXH_STATIC_LINKING_ONLY exposes the state struct, so that it can live on the stack.
#define XXH_STATIC_LINKING_ONLY
#include <xxhash.h>
