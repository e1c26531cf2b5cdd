/* An LD_PRELOAD shim for stub-wasi-data.sh: the tree --stub-wasi-dir reads
 * changes at one exact call of the reading, never after a delay.
 *   SHIM_NAME  an entry's name, as openat is given it
 *   SHIM_PATH  its host path, which the shim changes
 *   SHIM_DO    at the first openat of SHIM_NAME, before it:
 *                symlink  the entry moved to PATH.moved, PATH a symbolic
 *                         link to it
 *                fifo     the entry (a file) replaced by a FIFO
 *                newdir   the entry (a directory) moved to PATH.moved, an
 *                         empty directory made in its place
 *              at the first read of the file that openat opened, before it:
 *                grow     one byte appended
 *                truncate the file made empty
 *   SHIM_LOG   a line is appended when the shim acted. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int acted, watched = -1;

static void logged(const char *what) {
  const char *log = getenv("SHIM_LOG");
  FILE *f = log ? fopen(log, "a") : NULL;
  if (f) fprintf(f, "%s\n", what), fclose(f);
}

static int is(const char *what) {
  const char *d = getenv("SHIM_DO");
  return d && strcmp(d, what) == 0;
}

static void before_open(const char *name) {
  const char *want = getenv("SHIM_NAME"), *path = getenv("SHIM_PATH");
  if (acted || !want || !path || strcmp(name, want) != 0) return;
  char moved[4096], rel[4096];
  snprintf(moved, sizeof moved, "%s.moved", path);
  const char *base = strrchr(moved, '/');
  snprintf(rel, sizeof rel, "%s", base ? base + 1 : moved);
  if (is("symlink")) {
    acted = rename(path, moved) == 0 && symlink(rel, path) == 0;
  } else if (is("fifo")) {
    acted = unlink(path) == 0 && mkfifo(path, 0644) == 0;
  } else if (is("newdir")) {
    acted = rename(path, moved) == 0 && mkdir(path, 0755) == 0;
  } else {
    return;
  }
  if (acted) logged(getenv("SHIM_DO"));
}

static void after_open(const char *name, int fd) {
  const char *want = getenv("SHIM_NAME");
  if (fd >= 0 && want && strcmp(name, want) == 0 && (is("grow") || is("truncate"))) watched = fd;
}

static int open_real(const char *sym, int dfd, const char *name, int flags, mode_t mode) {
  int (*real)(int, const char *, int, ...) = (int (*)(int, const char *, int, ...))dlsym(RTLD_NEXT, sym);
  before_open(name);
  const int fd = real(dfd, name, flags, mode);
  after_open(name, fd);
  return fd;
}

#define MODE_ARG(flags, mode)                                  \
  mode_t mode = 0;                                             \
  if ((flags) & (O_CREAT | O_TMPFILE)) {                       \
    va_list ap;                                                \
    va_start(ap, flags);                                       \
    mode = (mode_t)va_arg(ap, int);                            \
    va_end(ap);                                                \
  }

int openat(int dfd, const char *name, int flags, ...) {
  MODE_ARG(flags, mode)
  return open_real("openat", dfd, name, flags, mode);
}
int openat64(int dfd, const char *name, int flags, ...) {
  MODE_ARG(flags, mode)
  return open_real("openat64", dfd, name, flags, mode);
}

ssize_t read(int fd, void *p, size_t n) {
  static ssize_t (*real)(int, void *, size_t);
  if (!real) real = (ssize_t (*)(int, void *, size_t))dlsym(RTLD_NEXT, "read");
  if (fd == watched && !acted) {
    const char *path = getenv("SHIM_PATH");
    const int w = path ? open(path, O_WRONLY | O_APPEND | O_CLOEXEC) : -1;
    if (w >= 0) {
      acted = is("grow") ? write(w, "+", 1) == 1 : ftruncate(w, 0) == 0;
      close(w);
      if (acted) logged(getenv("SHIM_DO"));
    }
  }
  return real(fd, p, n);
}
