/* Files without preopens: the fd_/path_ stubs answer EBADF, so wasi-libc
   finds no preopened directory and opening fails cleanly with errno set. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include "check.h"

int main(void) {
  errno = 0;
  CHECK(fopen("data.txt", "r") == NULL);
  CHECK(errno == ENOENT || errno == ENOTCAPABLE);
  errno = 0;
  CHECK(fopen("/tmp/out.txt", "w") == NULL);
  CHECK(errno == ENOENT || errno == ENOTCAPABLE);
  errno = 0;
  CHECK(open("x", O_RDONLY) == -1 && errno != 0);
  errno = 0;
  CHECK(opendir(".") == NULL && errno != 0);
  struct stat st;
  errno = 0;
  CHECK(stat("x", &st) == -1 && errno != 0);
  /* stdin is a stubbed fd too: reading it is EBADF. */
  char c;
  errno = 0;
  CHECK(read(STDIN_FILENO, &c, 1) == -1 && errno == EBADF);
  return 0;
}
