/* An LD_PRELOAD shim for cli-files: a file system without O_TMPFILE, and a
 * signal at a known point of a write, so that deaths part-way are tested
 * without timing.
 *   TW_SHIM_NO_TMPFILE=1   open(..., O_TMPFILE) fails with EOPNOTSUPP, as
 *                          on a file system that has none
 *   TW_SHIM_RAISE=N        the process sends itself signal N once:
 *   TW_SHIM_AT=write       at its first write into a regular file that is
 *                          not standard input, output or error (the output
 *                          being made), before the write;
 *   TW_SHIM_AT=poll        at its first poll (the wait for libwabt's worker
 *                          while -t writes text), before the poll.
 *   TW_SHIM_WORKER=N       a child forked by the started process (libwabt's
 *                          worker) sends itself signal N as it starts: a
 *                          kill from outside, or an abort, at a known point.
 * Only the process that was started acts (not libwabt's worker, a fork),
 * but for TW_SHIM_WORKER. */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pid_t started;
static int raised;

__attribute__((constructor)) static void init(void) { started = getpid(); }

static void raise_at(const char *point) {
  const char *sig = getenv("TW_SHIM_RAISE"), *at = getenv("TW_SHIM_AT");
  if (raised || !sig || !at || strcmp(at, point) != 0 || getpid() != started) return;
  raised = 1;
  kill(getpid(), atoi(sig));
}

static int no_tmpfile(int flags) {
  const char *v = getenv("TW_SHIM_NO_TMPFILE");
  if (!v || strcmp(v, "1") != 0 || (flags & O_TMPFILE) != O_TMPFILE) return 0;
  errno = EOPNOTSUPP;
  return 1;
}

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

#define OPEN_SHIM(name)                                                  \
  int name(const char *path, int flags, ...) {                           \
    va_list ap;                                                          \
    va_start(ap, flags);                                                 \
    const mode_t mode = mode_arg(flags, ap);                             \
    va_end(ap);                                                          \
    if (no_tmpfile(flags)) return -1;                                    \
    int (*real)(const char *, int, ...) = dlsym(RTLD_NEXT, #name);       \
    return real(path, flags, mode);                                      \
  }
OPEN_SHIM(open)
OPEN_SHIM(open64)

#define OPENAT_SHIM(name)                                                \
  int name(int dir, const char *path, int flags, ...) {                  \
    va_list ap;                                                          \
    va_start(ap, flags);                                                 \
    const mode_t mode = mode_arg(flags, ap);                             \
    va_end(ap);                                                          \
    if (no_tmpfile(flags)) return -1;                                    \
    int (*real)(int, const char *, int, ...) = dlsym(RTLD_NEXT, #name);  \
    return real(dir, path, flags, mode);                                 \
  }
OPENAT_SHIM(openat)
OPENAT_SHIM(openat64)

static void before_write(int fd) {
  struct stat st;
  if (fd > 2 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) raise_at("write");
}

ssize_t write(int fd, const void *p, size_t n) {
  before_write(fd);
  ssize_t (*real)(int, const void *, size_t) = dlsym(RTLD_NEXT, "write");
  return real(fd, p, n);
}

ssize_t copy_file_range(int in, off_t *in_off, int out, off_t *out_off, size_t n,
                        unsigned flags) {
  before_write(out);
  ssize_t (*real)(int, off_t *, int, off_t *, size_t, unsigned) =
      dlsym(RTLD_NEXT, "copy_file_range");
  return real(in, in_off, out, out_off, n, flags);
}

int poll(struct pollfd *fds, nfds_t n, int timeout) {
  raise_at("poll");
  int (*real)(struct pollfd *, nfds_t, int) = dlsym(RTLD_NEXT, "poll");
  return real(fds, n, timeout);
}

pid_t fork(void) {
  pid_t (*real)(void) = dlsym(RTLD_NEXT, "fork");
  const pid_t pid = real();
  const char *sig = getenv("TW_SHIM_WORKER");
  if (pid == 0 && sig && getppid() == started) kill(getpid(), atoi(sig));
  return pid;
}
