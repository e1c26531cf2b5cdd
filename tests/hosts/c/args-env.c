/* No arguments and no environment: args_sizes_get and environ_sizes_get
   report 0, so wasi-libc calls main with argc 0 and argv = {NULL} (not 1:
   there is no program name either), and getenv finds nothing. */
#include <string.h>
#include <wasi/api.h>
#include "check.h"

extern char **environ;

int main(int argc, char **argv) {
  CHECK(argc == 0);
  CHECK(argv != NULL && argv[0] == NULL);
  CHECK(getenv("PATH") == NULL);
  CHECK(getenv("HOME") == NULL);
  CHECK(getenv("") == NULL);
  CHECK(environ != NULL && environ[0] == NULL);
  __wasi_size_t count = 99, size = 99;
  CHECK(__wasi_args_sizes_get(&count, &size) == 0 && count == 0 && size == 0);
  count = size = 99;
  CHECK(__wasi_environ_sizes_get(&count, &size) == 0 && count == 0 && size == 0);
  return 0;
}
