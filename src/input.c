/* Opening the input: a regular file is mapped, so the parser touches only
 * the pages it decodes; anything else is read into memory. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "io.h"

static bool read_fd(tw_input *in, int fd, tw_err *err) {
  size_t cap = 1 << 16, len = 0;
  uint8_t *buf = malloc(cap);
  for (;;) {
    if (!buf) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory for the input"), false;
    const ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      tw_err_set(err, TW_ERR_IO, 0, "cannot read input: %s", strerror(errno));
      free(buf);
      return false;
    }
    if (n == 0) break;
    len += (size_t)n;
    if (len == cap) {
      uint8_t *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
      if (!nb) free(buf);
      buf = nb;
      cap *= 2;
    }
  }
  in->owned = buf;
  in->data = buf;
  in->size = len;
  return true;
}

bool tw_input_open(tw_input *in, const char *path, tw_err *err) {
  memset(in, 0, sizeof *in);
  in->fd = -1;
  if (strcmp(path, "-") == 0) return read_fd(in, STDIN_FILENO, err);
  const int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    tw_err_set(err, TW_ERR_IO, 0, "cannot open input: %s", strerror(errno));
    return false;
  }
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
      (uintmax_t)st.st_size < SIZE_MAX) {
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      in->map = p;
      in->data = p;
      in->size = (size_t)st.st_size;
      in->fd = fd;
      return true;
    }
  }
  const bool ok = read_fd(in, fd, err);
  if (ok && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
    in->fd = fd; /* an empty regular file */
    return true;
  }
  close(fd);
  return ok;
}

void tw_input_close(tw_input *in) {
  if (!in) return;
  if (in->map) munmap(in->map, in->size);
  free(in->owned);
  if (in->fd >= 0) close(in->fd);
  memset(in, 0, sizeof *in);
  in->fd = -1;
}
