/* Exit with CODE through exit() or, with VIA_RETURN, by returning it from
   main (wasi-libc's _start calls exit() only for a non-zero result). */
#include <stdio.h>
#include <stdlib.h>

int main(void) {
  printf("unflushed text before exit\n");
#ifdef VIA_RETURN
  return CODE;
#else
  exit(CODE);
#endif
}
