/* Segments to a file, a pipe, a device or a buffer.
 *
 * Where both ends are files, input ranges are copied by the kernel
 * (copy_file_range); where it refuses, or for pipes, they go through a
 * bounded buffer with pread/write. New bytes are written from the pool.
 *
 * Replacing a regular file is atomic: an anonymous temporary file
 * (O_TMPFILE) in the destination's directory, linked under a temporary name
 * and renamed over the destination only once it is complete (a named
 * temporary file where the file system has no O_TMPFILE). Anything that is
 * not a regular file (a character or block device, a FIFO, a socket) is
 * written into, never replaced; a symbolic link is followed, and its target
 * replaced.
 *
 * While it replaces a file, the signals that end a tool (SIGINT, SIGTERM,
 * SIGHUP, SIGPIPE, SIGXFSZ) are held back and polled between chunks: one
 * that arrives stops the write, what was written is removed, and the signal
 * is delivered only then, so no death leaves a partial or stray file. A
 * stream (standard output, a FIFO, a device, a socket) holds nothing back:
 * what it received is its reader's. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "edit.h"
#include "io.h"

enum { BOUNCE = 1 << 20, KERNEL_COPY_MIN = 64 << 10, KERNEL_COPY_CHUNK = 8 << 20 };

/* ---- signals ---------------------------------------------------------------- */

static void fatal_signals(sigset_t *s) {
  sigemptyset(s);
  sigaddset(s, SIGINT);
  sigaddset(s, SIGTERM);
  sigaddset(s, SIGHUP);
  sigaddset(s, SIGPIPE);
  sigaddset(s, SIGXFSZ);
}

/* The first of the held-back signals that is pending and not ignored, or
 * 0. (A blocked signal stays pending even when it is ignored: a program
 * that ignores SIGXFSZ gets EFBIG from write, an error like any other.) */
static int pending_signal(void) {
  sigset_t p;
  if (sigpending(&p) != 0) return 0;
  static const int order[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGXFSZ};
  for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
    struct sigaction sa;
    if (sigismember(&p, order[i]) && sigaction(order[i], NULL, &sa) == 0 &&
        sa.sa_handler != SIG_IGN)
      return order[i];
  }
  return 0;
}

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

static bool interrupted(writer *w) {
  const int sig = pending_signal();
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
      if (interrupted(w)) return false; /* EPIPE, EFBIG: their signal is pending */
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

/* copy_file_range in chunks, polling for signals; false with *fallback set
 * when the kernel cannot copy between these two files. */
static bool kernel_copy(writer *w, uint64_t *off, uint64_t *n, bool *fallback) {
  loff_t in = (loff_t)*off;
  while (*n > 0) {
    if (interrupted(w)) return false;
    const size_t chunk = *n < KERNEL_COPY_CHUNK ? (size_t)*n : KERNEL_COPY_CHUNK;
    const ssize_t k = copy_file_range(w->in_fd, &in, w->fd, NULL, chunk, 0);
    if (k > 0) {
      *n -= (uint64_t)k;
      *off = (uint64_t)in;
      continue;
    }
    if (k < 0 && errno == EINTR) continue;
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
    const ssize_t k = pread(w->in_fd, w->buf + w->len, n < room ? (size_t)n : room, (off_t)off);
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

/* Signals are held back around every write of the library's. */
typedef struct held {
  sigset_t old;
} held;

static void hold(held *h) {
  sigset_t s;
  fatal_signals(&s);
  pthread_sigmask(SIG_BLOCK, &s, &h->old);
}

/* Lets a pending signal through: a fatal one ends the process here, after
 * the caller has removed what it wrote. */
static void release(held *h) { pthread_sigmask(SIG_SETMASK, &h->old, NULL); }

int tw_write_stop(void) { return pending_signal() != 0; }

/* ---- into a file ----------------------------------------------------------------- */

static bool path_fail(tw_err *err, const char *what) {
  tw_err_set(err, TW_ERR_IO, 0, "%s: %s", what, strerror(errno));
  return false;
}

/* The file a path names, symbolic links followed (a dangling link names the
 * file it would create); NULL with err set on failure. */
static char *follow_links(const char *path, tw_err *err) {
  char *cur = strdup(path);
  for (int hops = 0; cur && hops < 40; hops++) {
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

static char *dir_of(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash) return strdup(".");
  if (slash == path) return strdup("/");
  return strndup(path, (size_t)(slash - path));
}

/* A device, a FIFO or a socket: written into as it is. */
static int open_special(const char *path, const struct stat *st, tw_err *err) {
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

/* "PATH.tmp-XXXXXX" with a fresh suffix each call. */
static void temp_name(char *out, size_t cap, const char *path) {
  static unsigned counter;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^ ++counter;
  snprintf(out, cap, "%s.tmp-%06lx", path, x & 0xffffff);
}

/* The mode a replaced file keeps, or a new file's 0666 & ~umask. */
static mode_t output_mode(const struct stat *st, bool exists) {
  if (exists) return st->st_mode & 07777;
  const mode_t mask = umask(0);
  umask(mask);
  return 0666 & ~mask;
}

typedef struct target {
  char *path;   /* the file to replace (links followed) */
  char *tmp;    /* its temporary name, while one exists */
  int fd;
} target;

/* An anonymous file in the destination's directory, or a named one where
 * the file system has no O_TMPFILE. */
static bool create_temp(target *t, mode_t mode, tw_err *err) {
  char *dir = dir_of(t->path);
  if (!dir) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  t->fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
  free(dir);
  const size_t cap = strlen(t->path) + 16;
  if (t->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    return path_fail(err, "cannot create output");
  if (t->fd < 0) {
    t->tmp = malloc(cap);
    if (!t->tmp) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
    for (int tries = 0; t->fd < 0 && tries < 100; tries++) {
      temp_name(t->tmp, cap, t->path);
      t->fd = open(t->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      if (t->fd < 0 && errno != EEXIST) break;
    }
    if (t->fd < 0) {
      free(t->tmp);
      t->tmp = NULL;
      return path_fail(err, "cannot create output");
    }
  }
  if (fchmod(t->fd, mode) != 0) return path_fail(err, "cannot write output");
  return true;
}

/* Give the anonymous file a name beside the destination, close it, then
 * rename it over the destination (the last step: nothing can fail after
 * the destination is replaced). */
static bool put_in_place(target *t, tw_err *err) {
  if (!t->tmp) {
    const size_t cap = strlen(t->path) + 16;
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", t->fd);
    if (!(t->tmp = malloc(cap))) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
    int rc = -1;
    for (int tries = 0; rc != 0 && tries < 100; tries++) {
      temp_name(t->tmp, cap, t->path);
      /* Through /proc; without it, AT_EMPTY_PATH (which needs
       * CAP_DAC_READ_SEARCH). */
      rc = linkat(AT_FDCWD, proc, AT_FDCWD, t->tmp, AT_SYMLINK_FOLLOW);
      if (rc != 0 && errno == ENOENT) rc = linkat(t->fd, "", AT_FDCWD, t->tmp, AT_EMPTY_PATH);
      if (rc != 0 && errno != EEXIST) break;
    }
    if (rc != 0) {
      free(t->tmp);
      t->tmp = NULL;
      return path_fail(err, "cannot link output into place");
    }
  }
  const int fd = t->fd;
  t->fd = -1;
  if (close(fd) != 0) return path_fail(err, "cannot write output");
  if (rename(t->tmp, t->path) != 0) return path_fail(err, "cannot rename output into place");
  free(t->tmp);
  t->tmp = NULL;
  return true;
}

bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx) {
  held h;
  target t = {follow_links(path, err), NULL, -1};
  struct stat st;
  bool ok = t.path != NULL;
  const bool exists = ok && stat(t.path, &st) == 0;
  if (ok && !exists && errno != ENOENT) ok = path_fail(err, "cannot write output");
  if (!ok) {
  } else if (exists && S_ISDIR(st.st_mode)) {
    errno = EISDIR;
    ok = path_fail(err, "cannot write output");
  } else if (exists && !S_ISREG(st.st_mode)) {
    /* Nothing that is not a regular file is ever replaced. A stream is
     * written as streams are: nothing is held back (an open that waits for
     * a FIFO's reader, a write to a stalled one, end as signals end them). */
    t.fd = open_special(t.path, &st, err);
    ok = t.fd >= 0 && write_fn(t.fd, ctx, err);
    if (t.fd >= 0 && close(t.fd) != 0 && ok) ok = path_fail(err, "cannot write output");
  } else {
    hold(&h);
    ok = create_temp(&t, output_mode(&st, exists), err) && write_fn(t.fd, ctx, err);
    if (ok && do_fsync && fsync(t.fd) != 0) ok = path_fail(err, "cannot write output");
    if (ok && pending_signal()) {
      tw_err_set(err, TW_ERR_IO, 0, "interrupted by signal %d", pending_signal());
      ok = false;
    }
    if (ok) ok = put_in_place(&t, err);
    if (t.fd >= 0 && close(t.fd) != 0 && ok) ok = path_fail(err, "cannot write output");
    if (t.tmp) unlink(t.tmp); /* a named temporary file never outlives a failure */
    release(&h);
  }
  free(t.tmp);
  free(t.path);
  return ok;
}
