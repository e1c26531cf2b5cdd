/* printf/fprintf/writev through the fd_write stub. Built twice: "output"
   routes fd 1/2 to host.write and checks the text exactly; "output-silent"
   has no output import, where the stub must still report every byte
   written (else stdio reports errors or retries). */
#include <errno.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>
#include "check.h"

static char small[8];

int main(void) {
  /* An 8-byte stdout buffer: stdio flushes with two iovecs (buffered
     part + new data), so a stub that counted only the first iovec would
     make printf fail or repeat text. */
  CHECK(setvbuf(stdout, small, _IOFBF, sizeof small) == 0);
  CHECK(printf("hello, %s!\n", "stub") == 13);
  CHECK(printf("%d+%d=%d, longer than the buffer\n", 20, 22, 42) == 33);
  CHECK(fprintf(stderr, "to stderr %d\n", 7) == 12);
  CHECK(fflush(stdout) == 0);
  /* Three iovecs, one of them empty, in one fd_write. */
  struct iovec iov[3] = {{"ab", 2}, {"", 0}, {"cde\n", 4}};
  CHECK(writev(STDOUT_FILENO, iov, 3) == 6);
  CHECK(write(STDERR_FILENO, "raw\n", 4) == 4);
  /* Any other fd is EBADF. */
  errno = 0;
  CHECK(write(3, "x", 1) == -1 && errno == EBADF);
  CHECK(!ferror(stdout) && !ferror(stderr));
  fputs("tail\n", stdout); /* flushed at exit by wasi-libc */
  return 0;
}
