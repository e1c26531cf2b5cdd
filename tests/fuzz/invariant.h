/* The fuzz targets' one assertion: a broken invariant names its place and
 * traps (SIGILL), so that libFuzzer saves the input that broke it. */
#ifndef TW_FUZZ_INVARIANT_H
#define TW_FUZZ_INVARIANT_H

#include <stdio.h>

#define CHECK(cond)                                                                  \
  do {                                                                               \
    if (!(cond)) {                                                                   \
      fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);  \
      __builtin_trap();                                                              \
    }                                                                                \
  } while (0)

#endif /* TW_FUZZ_INVARIANT_H */
