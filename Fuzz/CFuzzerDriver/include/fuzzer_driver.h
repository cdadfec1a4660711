// libFuzzer's driver, when the binary is linked with -sanitize=fuzzer (weak otherwise, so a
// plain build links and replays inputs instead of fuzzing).
#include <stddef.h>
#include <stdint.h>

typedef int (*quarry_fuzz_callback)(const uint8_t *data, size_t size);

/// 1 when libFuzzer is linked in.
int quarry_fuzzer_linked(void);
/// Runs libFuzzer's driver with the command line (returns its exit status).
int quarry_fuzzer_run(int *argc, char ***argv, quarry_fuzz_callback callback);
