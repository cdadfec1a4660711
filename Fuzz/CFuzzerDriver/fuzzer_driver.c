#include "fuzzer_driver.h"

extern int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *, size_t)) __attribute__((weak));

int quarry_fuzzer_linked(void) { return LLVMFuzzerRunDriver != 0; }

int quarry_fuzzer_run(int *argc, char ***argv, quarry_fuzz_callback callback) {
    if (!LLVMFuzzerRunDriver) return 2;
    return LLVMFuzzerRunDriver(argc, argv, callback);
}
