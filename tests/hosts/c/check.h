/* CHECK for the clang-built host tests: a failed check prints itself to
   stderr and exits with its line number (never 0, so the runner's
   "exit code N, expected 0" names the failing line). */
#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                              \
  do {                                                                        \
    if (!(c)) {                                                               \
      fprintf(stderr, "%s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #c);   \
      exit(__LINE__);                                                         \
    }                                                                         \
  } while (0)
