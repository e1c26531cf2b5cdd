/* floor: what a safe rewriter minimally costs. Copy IN to a new temporary
 * file beside OUT (OUT.tmp-XXXXXX, mkstemp) inside the kernel with
 * copy_file_range, close it and rename() it over OUT, so OUT is always
 * either the old file or the complete new one. No fsync (cp does not sync
 * either), no parsing, the bytes never enter user space unless the kernel
 * refuses copy_file_range (EXDEV, EINVAL, ENOSYS, EOPNOTSUPP: then it falls
 * back to read/write with a 1 MiB buffer).
 * usage: floor IN OUT   (exit 0 on success, 1 with a message otherwise) */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *tmp_path;

static int fail(const char *what, const char *file) {
  fprintf(stderr, "floor: %s %s: %s\n", what, file, strerror(errno));
  if (tmp_path) unlink(tmp_path);
  return 1;
}

/* read/write fallback for the rest of the file */
static int copy_rw(int in, int out) {
  static char buf[1 << 20];
  for (;;) {
    ssize_t n = read(in, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return -1;
    if (n == 0) return 0;
    for (ssize_t off = 0; off < n;) {
      ssize_t w = write(out, buf + off, (size_t)(n - off));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) return -1;
      off += w;
    }
  }
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: floor IN OUT\n");
    return 2;
  }
  const char *in_path = argv[1], *out_path = argv[2];
  int in = open(in_path, O_RDONLY | O_CLOEXEC);
  if (in < 0) return fail("cannot open", in_path);

  size_t len = strlen(out_path);
  char *tmp = malloc(len + sizeof ".tmp-XXXXXX");
  if (!tmp) return fail("out of memory for", out_path);
  memcpy(tmp, out_path, len);
  memcpy(tmp + len, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
  int out = mkstemp(tmp);
  if (out < 0) return fail("cannot create a temporary file for", out_path);
  tmp_path = tmp;

  /* copy_file_range may copy less than asked: loop until EOF (0) */
  int fallback = 0;
  for (;;) {
    ssize_t n = copy_file_range(in, NULL, out, NULL, (size_t)1 << 30, 0);
    if (n > 0) continue;
    if (n == 0) break;
    if (errno == EINTR) continue;
    if (errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP) {
      fallback = 1; /* the file offsets are where copy_file_range stopped */
      break;
    }
    return fail("cannot copy into", tmp);
  }
  if (fallback && copy_rw(in, out) < 0) return fail("cannot copy into", tmp);
  if (close(out) < 0) return fail("cannot write", tmp);
  close(in);
  if (rename(tmp, out_path) < 0) return fail("cannot rename over", out_path);
  free(tmp);
  return 0;
}
