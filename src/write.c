/* Segments to a file, a pipe, a device or a buffer.
 *
 * Where both ends are files, input ranges are copied by the kernel
 * (tw_plat_copy_range: copy_file_range on Linux); where it refuses or
 * cannot, or for pipes, they go through a
 * bounded buffer with pread/write. New bytes are written from the pool.
 *
 * Replacing a regular file is atomic: an anonymous temporary file
 * (O_TMPFILE) in the destination's directory, linked under a short
 * temporary name (".twXXXXXX", so that a destination whose name is as long
 * as NAME_MAX allows still has one) and renamed over the destination only
 * once it is complete (a named temporary file where the file system has no
 * O_TMPFILE, and on every platform but Linux: platform.h, "tw_temp"). Anything that is not a regular file (a character or block
 * device, a FIFO, a socket) is written into, never replaced; a symbolic link
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
 * where it is ignored (wasm-taskwrap ignores it), it does nothing. */
#define _DEFAULT_SOURCE 1  /* glibc and musl: POSIX 2008 and strndup */
#define _DARWIN_C_SOURCE 1 /* macOS: the same */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "err.h"
#include "io.h"
#include "out.h"
#include "platform.h"
#include "taskwrap.h"

/* Shorter input ranges are taken from memory (io.h). */
enum { BOUNCE = 1 << 20, KERNEL_COPY_MIN = TW_WRITE_FROM_MEMORY_MAX, KERNEL_COPY_CHUNK = 8 << 20 };

/* ---- the writer --------------------------------------------------------------- */

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

/* EFBIG: past the file size limit (its SIGXFSZ is taken back). */
static bool too_large(writer *w, const char *what) {
  tw_plat_fsize_taken();
  errno = EFBIG;
  return io_fail(w, what);
}

static bool interrupted(writer *w) {
  const int sig = tw_plat_pending_signal();
  if (sig == 0) return false;
  tw_err_set(w->err, TW_ERR_IO, 0, "interrupted by signal %d (%s)", sig, strsignal(sig));
  return true;
}

static bool write_all(writer *w, const uint8_t *p, size_t n) {
  while (n > 0) {
    if (interrupted(w)) return false;
    const ssize_t k = write(w->fd, p, n < BOUNCE ? n : BOUNCE);
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
  if (w->len + n > BOUNCE && !flush(w)) return false;
  if (n >= BOUNCE) return write_all(w, p, n);
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

/* An input range: by the kernel when it can, else through the buffer: a
 * short one from memory (a range between patched indices, whose bytes the
 * rewrite has decoded anyway), a long one read with pread so that the
 * input's pages are not mapped in. */
static bool put_input(writer *w, uint64_t off, uint64_t n) {
  if (n < KERNEL_COPY_MIN) return put(w, w->input + off, (size_t)n);
  if (w->in_fd >= 0 && w->kernel_copy) {
    bool fallback = false;
    if (!flush(w)) return false;
    if (kernel_copy(w, &off, &n, &fallback)) return true;
    if (!fallback) return false;
    w->kernel_copy = false;
  }
  if (w->in_fd < 0) return put(w, w->input + off, (size_t)n);
  while (n > 0) {
    if (w->len == BOUNCE && !flush(w)) return false;
    const size_t room = BOUNCE - w->len;
    const long long k = tw_plat_pread(w->in_fd, w->buf + w->len, n < room ? (size_t)n : room, off);
    if (k < 0 && errno == EINTR) continue;
    if (k == 0) errno = EIO;
    if (k <= 0) return io_fail(w, k == 0 ? "the input shrank" : "cannot read input");
    w->len += (size_t)k, off += (uint64_t)k, n -= (uint64_t)k;
  }
  return true;
}

bool tw_write_segments(const tw_out *o, const uint8_t *input, int in_fd, int out_fd,
                       tw_err *err) {
  writer w = {out_fd, input, in_fd, in_fd >= 0, malloc(BOUNCE), 0, err};
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
  tw_err_set(err, TW_ERR_IO, 0, "%s: %s", what, strerror(errno));
  return false;
}

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

/* N when path is a name in this process's descriptor table (platform.h,
 * tw_plat_is_fd_dir: /proc/self/fd/N on Linux, where /dev/fd/N,
 * /dev/stdout and /dev/stderr lead; /dev/fd/N elsewhere); else -1. */
static int own_descriptor(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash[1] < '0' || slash[1] > '9') return -1;
  char *end;
  const long n = strtol(slash + 1, &end, 10);
  if (*end || n > INT_MAX) return -1;
  char *dir = dir_of(path);
  const bool ours = dir && tw_plat_is_fd_dir(dir);
  free(dir);
  return ours ? (int)n : -1;
}

/* The file a path names, symbolic links followed by name, so that its
 * directory is known (a dangling link names the file it would create);
 * NULL with err set on failure. *own is set to the first of this process's
 * descriptors the links pass through, or -1. */
static char *follow_links(const char *path, int *own, tw_err *err) {
  char *cur = strdup(path);
  *own = -1;
  for (int hops = 0; cur && hops < 40; hops++) {
    if (*own < 0) *own = own_descriptor(cur);
    struct stat st;
    if (lstat(cur, &st) != 0 || !S_ISLNK(st.st_mode)) return cur;
    char target[PATH_MAX];
    const ssize_t n = readlink(cur, target, sizeof target - 1);
    if (n < 0) {
      path_fail(err, "cannot read the output's symbolic link");
      free(cur);
      return NULL;
    }
    target[n] = 0;
    char *next = NULL;
    const char *slash = strrchr(cur, '/');
    if (target[0] == '/' || !slash) {
      next = strdup(target);
    } else { /* relative to the link's own directory */
      const size_t dir = (size_t)(slash - cur) + 1;
      next = malloc(dir + (size_t)n + 1);
      if (next) memcpy(next, cur, dir), memcpy(next + dir, target, (size_t)n + 1);
    }
    free(cur);
    cur = next;
  }
  if (cur) {
    errno = ELOOP;
    path_fail(err, "cannot follow the output's symbolic links");
    free(cur);
  } else {
    tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory");
  }
  return NULL;
}

int tw_output_descriptor(const char *path) {
  tw_err err = {0};
  int own = -1;
  char *file = follow_links(path, &own, &err);
  if (!file) return -1;
  free(file);
  return own;
}

/* A device, a FIFO or a socket, opened by the name given (the kernel
 * follows its links, /proc's included); one of our own descriptors is
 * duplicated instead, since a socket cannot be opened by a /proc name. */
static int open_special(const char *path, int own, const struct stat *st, tw_err *err) {
  struct stat o;
  if (own >= 0 && fstat(own, &o) == 0 && o.st_dev == st->st_dev && o.st_ino == st->st_ino) {
    const int fd = fcntl(own, F_DUPFD_CLOEXEC, 0);
    if (fd < 0) path_fail(err, "cannot open output");
    return fd;
  }
  if (S_ISSOCK(st->st_mode)) {
    struct sockaddr_un a = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof a.sun_path) {
      errno = ENAMETOOLONG;
      return path_fail(err, "cannot connect to the output socket"), -1;
    }
    strcpy(a.sun_path, path);
    const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd >= 0 && connect(fd, (struct sockaddr *)&a, sizeof a) == 0) return fd;
    path_fail(err, "cannot connect to the output socket");
    if (fd >= 0) close(fd);
    return -1;
  }
  const int fd = open(path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) path_fail(err, "cannot open output");
  return fd;
}

/* The mode a replaced file keeps, or a new file's 0666 & ~umask. */
static mode_t output_mode(const struct stat *st, bool exists) {
  if (exists) return st->st_mode & 07777;
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

/* Written into as it is: nothing is held back (an open that waits for a
 * FIFO's reader, a write to a stalled one, end as signals end them). */
static bool write_into(const char *path, int own, const struct stat *st, tw_err *err,
                       bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  const int fd = open_special(path, own, st, err);
  bool ok = fd >= 0 && write_fn(fd, ctx, err);
  if (fd >= 0 && close(fd) != 0 && ok) ok = path_fail(err, "cannot write output");
  return ok;
}

/* A regular file (st, or NULL for a new one) replaced through a temporary
 * file, with the signals held back. */
static bool replace(char *file, const struct stat *st, bool do_fsync, tw_err *err,
                    bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  struct stat named;
  if (st && (stat(file, &named) != 0 || named.st_dev != st->st_dev || named.st_ino != st->st_ino))
    return tw_err_set(err, TW_ERR_IO, 0,
                      "cannot replace output: its links lead to a file that has no name "
                      "(deleted, or another process's descriptor)"),
           false;
  char *dir = dir_of(file);
  if (!dir) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  tw_temp t = {-1, NULL, 0};
  tw_plat_hold_signals();
  bool ok = tw_plat_temp_create(&t, dir, output_mode(st, st != NULL), err) &&
            write_fn(t.fd, ctx, err);
  if (ok && do_fsync && fsync(t.fd) != 0) ok = path_fail(err, "cannot write output");
  if (ok && tw_plat_pending_signal()) {
    tw_err_set(err, TW_ERR_IO, 0, "interrupted by signal %d", tw_plat_pending_signal());
    ok = false;
  }
  /* The rename is the last step: nothing can fail after the destination
   * is replaced. */
  if (ok) ok = tw_plat_temp_replace(&t, dir, file, err);
  tw_plat_temp_discard(&t); /* a named temporary file never outlives a failure */
  tw_plat_release_signals();
  free(dir);
  return ok;
}

bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  if (!*path) {
    errno = ENOENT;
    return path_fail(err, "cannot write output");
  }
  /* What the name leads to, as the kernel follows it. */
  struct stat st;
  const bool exists = stat(path, &st) == 0;
  if (!exists && errno != ENOENT) return path_fail(err, "cannot write output");
  if (exists && S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    return path_fail(err, "cannot write output");
  }
  int own;
  char *file = follow_links(path, &own, err);
  if (!file) return false;
  /* Nothing that is not a regular file is ever replaced. */
  const bool ok = exists && !S_ISREG(st.st_mode)
                      ? write_into(path, own, &st, err, write_fn, ctx)
                      : replace(file, exists ? &st : NULL, do_fsync, err, write_fn, ctx);
  free(file);
  return ok;
}
