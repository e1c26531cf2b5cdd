/* Segments to a file, a pipe or a buffer. Where both ends are files, input
 * ranges are copied by the kernel (copy_file_range); where it refuses, or
 * for pipes, they go through a bounded buffer with pread/write. New bytes
 * are written from the pool. Replacing a file is atomic: a temporary file
 * beside it, renamed over it. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "edit.h"
#include "io.h"

enum { BOUNCE = 1 << 20, KERNEL_COPY_MIN = 64 << 10 };

typedef struct writer {
  int fd;
  const uint8_t *input; /* the input's bytes (a mapping or a buffer) */
  int in_fd;            /* the input file, or -1 */
  bool kernel_copy;     /* copy_file_range still worth trying */
  uint8_t *buf;
  size_t len;
  tw_err *err;
} writer;

static bool io_fail(writer *w, const char *what) {
  tw_err_set(w->err, TW_ERR_IO, 0, "%s: %s", what, strerror(errno));
  return false;
}

static bool write_all(writer *w, const uint8_t *p, size_t n) {
  while (n > 0) {
    const ssize_t k = write(w->fd, p, n);
    if (k < 0) {
      if (errno == EINTR) continue;
      return io_fail(w, "cannot write output");
    }
    p += k, n -= (size_t)k;
  }
  return true;
}

static bool flush(writer *w) {
  const bool ok = write_all(w, w->buf, w->len);
  w->len = 0;
  return ok;
}

static bool put(writer *w, const uint8_t *p, size_t n) {
  if (w->len + n > BOUNCE && !flush(w)) return false;
  if (n >= BOUNCE) return write_all(w, p, n);
  memcpy(w->buf + w->len, p, n);
  w->len += n;
  return true;
}

/* An input range: by the kernel when it can, else through the buffer: a
 * short one from memory (a range between patched indices, whose bytes the
 * rewrite has decoded anyway), a long one read with pread so that the
 * input's pages are not mapped in. */
static bool put_input(writer *w, uint64_t off, uint64_t n) {
  if (n < KERNEL_COPY_MIN) return put(w, w->input + off, (size_t)n);
  if (w->in_fd >= 0 && w->kernel_copy && n >= KERNEL_COPY_MIN) {
    if (!flush(w)) return false;
    loff_t in = (loff_t)off;
    while (n > 0) {
      const ssize_t k = copy_file_range(w->in_fd, &in, w->fd, NULL, n, 0);
      if (k > 0) {
        n -= (uint64_t)k;
        continue;
      }
      if (k < 0 && errno == EINTR) continue;
      if (k == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
          errno == EBADF) {
        w->kernel_copy = false; /* not between these two: the buffer from now on */
        break;
      }
      return io_fail(w, "cannot copy the input");
    }
    off = (uint64_t)in;
    if (n == 0) return true;
  }
  if (w->in_fd < 0) return put(w, w->input + off, (size_t)n);
  while (n > 0) {
    if (w->len == BOUNCE && !flush(w)) return false;
    const size_t room = BOUNCE - w->len;
    const ssize_t k = pread(w->in_fd, w->buf + w->len, n < room ? (size_t)n : room, (off_t)off);
    if (k < 0 && errno == EINTR) continue;
    if (k <= 0) return k == 0 ? (errno = EIO, io_fail(w, "the input shrank")) : io_fail(w, "cannot read input");
    w->len += (size_t)k, off += (uint64_t)k, n -= (uint64_t)k;
  }
  return true;
}

bool tw_write_segments(const tw_out *o, const uint8_t *input, int in_fd, int out_fd,
                       tw_err *err) {
  writer w = {out_fd, input, in_fd, in_fd >= 0, malloc(BOUNCE), 0, err};
  if (!w.buf) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  bool ok = true;
  for (size_t i = 0; ok && i < o->nsegs; i++) {
    const tw_seg *s = &o->segs[i];
    ok = s->kind == TW_SEG_INPUT ? put_input(&w, s->src, s->len)
                                 : put(&w, o->pool.data + s->src, (size_t)s->len);
  }
  if (ok) ok = flush(&w);
  free(w.buf);
  return ok;
}

bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  const size_t len = strlen(path);
  char *tmp = malloc(len + 16);
  if (!tmp) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  memcpy(tmp, path, len);
  memcpy(tmp + len, ".tmp-XXXXXX", 12);
  const int fd = mkstemp(tmp);
  if (fd < 0) {
    tw_err_set(err, TW_ERR_IO, 0, "cannot create output: %s", strerror(errno));
    free(tmp);
    return false;
  }
  /* A new file gets the usual 0666 & ~umask; a file being replaced keeps its
   * permission bits (a post-link step must not turn wasm-ld's 0755 into 0644). */
  const mode_t mask = umask(0);
  umask(mask);
  struct stat old;
  const mode_t mode = stat(path, &old) == 0 ? (old.st_mode & 07777) : (0666 & ~mask);
  const char *failed = NULL;
  if (fchmod(fd, mode) != 0) failed = "cannot write output";
  if (!failed && !write_fn(fd, ctx, err)) failed = "";
  if (!failed && do_fsync && fsync(fd) != 0) failed = "cannot write output";
  if (close(fd) != 0 && !failed) failed = "cannot write output";
  if (!failed && rename(tmp, path) != 0) failed = "cannot rename output into place";
  if (failed && *failed) tw_err_set(err, TW_ERR_IO, 0, "%s: %s", failed, strerror(errno));
  const bool ok = !failed;
  if (!ok) unlink(tmp);
  free(tmp);
  return ok;
}
