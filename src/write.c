/* Segments to a file, a pipe, a device or a buffer.
 *
 * Where both ends are files, input ranges that keep their place within a
 * page (output offset minus input offset a multiple of KERNEL_COPY_ALIGN) are
 * copied by the kernel (tw_plat_copy_range: copy_file_range on Linux); the
 * others, and all of them where the kernel refuses or cannot, or for pipes,
 * go through a bounded buffer with pread/write. New bytes are written from
 * the pool.
 *
 * Replacing a regular file is atomic: an anonymous temporary file
 * (O_TMPFILE) in the destination's directory, linked under a short
 * temporary name (".twXXXXXX", so that a destination whose name is as long
 * as NAME_MAX allows still has one) and renamed over the destination only
 * once it is complete (a named temporary file where the file system has no
 * O_TMPFILE, and on every platform but Linux: platform.h, "tw_temp").
 * Anything that is not a regular file (a character or block device, a
 * FIFO, a socket) is written into, never replaced; a symbolic link
 * is followed, and its target replaced. The kernel decides what a name
 * leads to (stat), so /dev/stdout, /dev/fd/N and /proc/self/fd/N on a pipe
 * are written into as the pipe they are; one of this process's own
 * descriptors is written through a duplicate of it (a socket cannot be
 * opened by such a name).
 *
 * While it replaces a file, the signals that end a process by default and
 * that come from outside it (signal(7): SIGHUP, SIGINT, SIGQUIT, SIGTERM,
 * SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2, SIGVTALRM, SIGPROF, SIGXCPU,
 * SIGXFSZ, SIGIO, SIGPWR, SIGSTKFLT, SIGABRT and the real-time signals) are
 * held back, when their action is still the default and the caller has not
 * blocked them, and polled between chunks: one that arrives stops the
 * write, what was written is removed, and the signal is delivered only
 * then, so no death leaves a partial or stray file. (Faults the process
 * raises itself, SIGSEGV and the like, are delivered whatever the mask.) A
 * signal with a handler is not held: it is the program's to handle. A
 * signal the caller blocked stays as it was, blocked and, if it is
 * pending, pending: it is the caller's, and stops nothing. A stream
 * (standard output, a FIFO, a device, a socket) holds nothing back: what it
 * received is its reader's.
 *
 * SIGXFSZ is also how the kernel reports a write past the file size limit
 * (RLIMIT_FSIZE). Raised by one of these writes, into a file or a stream,
 * it is that write's error, "File too large", like a full file system: it
 * is blocked around each write and taken back. Only a SIGXFSZ sent from
 * outside, while its action is the default, is held back like the others;
 * where it is ignored (wasm-taskwrap ignores it), it does nothing.
 *
 * What a name leads to and the temporary file are the platform layer's
 * (platform.h, "the output" and "tw_temp"): the above is its POSIX code.
 * On Windows there are no links to follow by hand and no descriptor
 * names; NUL, CON and pipes are written into, and the console's control
 * events stand for the signals (platform_win32.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "io.h"
#include "out.h"
#include "platform.h"
#include "taskwrap.h"

/* Shorter input ranges are taken from memory (io.h). The buffer's size is
 * tw_io_buffer_size of the output's: at most 256 KiB, fewer pages to fault
 * in than 1 MiB, and as fast on a large module (bench/floor.md). */
enum { KERNEL_COPY_MIN = TW_WRITE_FROM_MEMORY_MAX, KERNEL_COPY_CHUNK = 8 << 20 };
/* The kernel copies a range whose output offset differs from its input
 * offset by a multiple of this (4 KiB: the page and block size of the
 * common systems). At any other shift each source page lands across two
 * output pages: on Linux 6.18's ext4, copy_file_range then took half as
 * much CPU time again as the aligned copy of the same bytes, more than
 * pread and write through the buffer (bench/floor.md, "The kernel copy");
 * nor can a file system that shares blocks (reflink) share them there. */
enum { KERNEL_COPY_ALIGN = 4096 };

/* ---- the writer --------------------------------------------------------------- */

typedef struct writer {
  int fd;
  uint64_t at;          /* output bytes so far, buffered ones included */
  const uint8_t *input; /* the input's bytes (a mapping or a buffer) */
  int in_fd;            /* the input file, or -1 */
  bool kernel_copy;     /* copy_file_range still worth trying */
  uint8_t *buf;
  size_t len, cap;      /* cap: the buffer's size */
  tw_err *err;
} writer;

static bool io_fail(writer *w, const char *what) {
  tw_err_set(w->err, TW_ERR_IO, 0, "%s: %s", what, tw_plat_strerror(errno));
  return false;
}

/* EFBIG: past the file size limit (its SIGXFSZ is taken back). */
static bool too_large(writer *w, const char *what) {
  tw_plat_fsize_taken();
  errno = EFBIG;
  return io_fail(w, what);
}

static bool interrupted(writer *w) {
  const int sig = tw_plat_pending_signal();
  if (sig == 0) return false;
  tw_err_set(w->err, TW_ERR_IO, 0, "interrupted by signal %d (%s)", sig, tw_plat_signal_name(sig));
  return true;
}

static bool write_all(writer *w, const uint8_t *p, size_t n) {
  while (n > 0) {
    if (interrupted(w)) return false;
    const long long k = tw_plat_write(w->fd, p, n < w->cap ? n : w->cap);
    if (k < 0) {
      if (errno == EINTR) continue;
      if (errno == EFBIG) return too_large(w, "cannot write output");
      if (interrupted(w)) return false; /* EPIPE: its signal is pending */
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
  w->at += n;
  if (w->len + n > w->cap && !flush(w)) return false;
  if (n >= w->cap) return write_all(w, p, n);
  memcpy(w->buf + w->len, p, n);
  w->len += n;
  return true;
}

/* The kernel's copy in chunks, polling for signals; false with *fallback
 * set when the kernel cannot copy between these two files (or cannot copy
 * at all: ENOSYS). */
static bool kernel_copy(writer *w, uint64_t *off, uint64_t *n, bool *fallback) {
  while (*n > 0) {
    if (interrupted(w)) return false;
    const size_t chunk = *n < KERNEL_COPY_CHUNK ? (size_t)*n : KERNEL_COPY_CHUNK;
    const long long k = tw_plat_copy_range(w->in_fd, off, w->fd, chunk);
    if (k > 0) {
      *n -= (uint64_t)k;
      w->at += (uint64_t)k;
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
    if (k < 0 && errno == EFBIG) return too_large(w, "cannot write output");
    if (k == 0 || errno == EXDEV || errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP ||
        errno == EBADF) {
      *fallback = true; /* not between these two: the buffer from now on */
      return false;
    }
    if (interrupted(w)) return false;
    return io_fail(w, "cannot copy the input");
  }
  return true;
}

/* An input range: by the kernel when it can and the range keeps its place
 * within a page, else through the buffer: a short one from memory (a range
 * between patched indices, whose bytes the rewrite has decoded anyway), a
 * long one read with pread so that the input's pages are not mapped in. */
static bool put_input(writer *w, uint64_t off, uint64_t n) {
  if (n < KERNEL_COPY_MIN) return put(w, w->input + off, (size_t)n);
  if (w->in_fd >= 0 && w->kernel_copy && (w->at - off) % KERNEL_COPY_ALIGN == 0) {
    bool fallback = false;
    if (!flush(w)) return false;
    if (kernel_copy(w, &off, &n, &fallback)) return true;
    if (!fallback) return false;
    w->kernel_copy = false;
  }
  if (w->in_fd < 0) return put(w, w->input + off, (size_t)n);
  while (n > 0) {
    if (w->len == w->cap && !flush(w)) return false;
    const size_t room = w->cap - w->len;
    const long long k = tw_plat_pread(w->in_fd, w->buf + w->len, n < room ? (size_t)n : room, off);
    if (k < 0 && errno == EINTR) continue;
    if (k == 0) errno = EIO;
    if (k <= 0) return io_fail(w, k == 0 ? "the input shrank" : "cannot read input");
    w->len += (size_t)k, w->at += (uint64_t)k, off += (uint64_t)k, n -= (uint64_t)k;
  }
  return true;
}

bool tw_write_segments(const tw_out *o, const uint8_t *input, int in_fd, int out_fd,
                       tw_err *err) {
  const size_t cap = tw_io_buffer_size(o->size);
  writer w = {out_fd, 0, input, in_fd, in_fd >= 0, malloc(cap), 0, cap, err};
  if (!w.buf) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  tw_plat_fsize_begin();
  bool ok = true;
  for (size_t i = 0; ok && i < o->nsegs; i++) {
    const tw_seg *s = &o->segs[i];
    ok = s->kind == TW_SEG_INPUT ? put_input(&w, s->src, s->len)
                                 : put(&w, o->pool.data + s->src, (size_t)s->len);
  }
  if (ok) ok = flush(&w);
  tw_plat_fsize_end();
  free(w.buf);
  return ok;
}

int tw_write_stop(void) { return tw_plat_pending_signal() != 0; }

/* ---- into a file ----------------------------------------------------------------- */

static bool path_fail(tw_err *err, const char *what) {
  tw_err_set(err, TW_ERR_IO, 0, "%s: %s", what, tw_plat_strerror(errno));
  return false;
}

int tw_output_descriptor(const char *path) { return tw_plat_output_descriptor(path); }

/* A regular file (o->file, or a free name) replaced through a temporary
 * file in its directory, with the signals held back. */
static bool replace(const tw_output *o, bool do_fsync, tw_err *err,
                    bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  tw_temp t = {-1, NULL, 0, do_fsync};
  tw_plat_hold_signals();
  bool ok = tw_plat_temp_create(&t, o->dir, o->mode, err) && write_fn(t.fd, ctx, err);
  if (ok && do_fsync && !tw_plat_fsync(t.fd)) ok = path_fail(err, "cannot write output");
  if (ok && tw_plat_pending_signal()) {
    tw_err_set(err, TW_ERR_IO, 0, "interrupted by signal %d", tw_plat_pending_signal());
    ok = false;
  }
  /* The rename is the last step: nothing can fail after the destination
   * is replaced. */
  if (ok) ok = tw_plat_temp_replace(&t, o->dir, o->file, err);
  tw_plat_temp_discard(&t); /* a named temporary file never outlives a failure */
  tw_plat_release_signals();
  return ok;
}

/* What is not a regular file is written into as it is: nothing is held
 * back (an open that waits for a FIFO's reader, a write to a stalled one,
 * end as signals end them). */
bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  tw_output o;
  if (!tw_plat_output_open(&o, path, err)) return false;
  bool ok;
  if (o.fd >= 0) {
    ok = write_fn(o.fd, ctx, err);
    if (tw_plat_close(o.fd) != 0 && ok) ok = path_fail(err, "cannot write output");
  } else {
    ok = replace(&o, do_fsync, err, write_fn, ctx);
  }
  tw_plat_output_free(&o);
  return ok;
}
