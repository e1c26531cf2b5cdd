/* The platform layer on POSIX (platform.h): macOS, the BSDs, and Linux
 * built with TW_PORTABLE_POSIX. On Linux (TW_PLATFORM_LINUX, platform_fast.h)
 * the same code is used, and platform_linux.c supplies the fast paths
 * declared in platform_fast.h; elsewhere the generic ones at the end of
 * this file do.
 *
 * Only POSIX.1-2008 calls and the common BSD extensions (MAP_ANON, a
 * FILE's buffer fields) are used here: no _GNU_SOURCE. */
#define _DEFAULT_SOURCE 1  /* glibc and musl: POSIX 2008 and MAP_ANONYMOUS */
#define _DARWIN_C_SOURCE 1 /* macOS: the same */
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "err.h"
#include "platform.h"
#include "platform_fast.h"

#if defined(__APPLE__)
#include <mach-o/dyld.h>
#elif defined(__GLIBC__) || (defined(__linux__) && !defined(__BIONIC__))
#include <stdio_ext.h> /* __fpending (glibc, musl) */
#define TW_HAVE_FPENDING 1
#endif

#if !defined(MAP_ANONYMOUS) && defined(MAP_ANON)
#define MAP_ANONYMOUS MAP_ANON
#endif
#ifndef MAP_NORESERVE /* address space is never reserved up front there */
#define MAP_NORESERVE 0
#endif

/* ---- names and the process ---------------------------------------------------- */

void tw_plat_args(int *argc, char ***argv) { (void)argc, (void)argv; }

void tw_plat_binary_stdio(void) {}

const char *tw_plat_getenv(const char *name) { return getenv(name); }

bool tw_plat_is_terminal(int fd) { return isatty(fd) == 1; }

bool tw_plat_fd_is_open(int fd) { return fcntl(fd, F_GETFD) != -1; }

bool tw_plat_glob_match(const char *pattern, const char *name) {
  return fnmatch(pattern, name, 0) == 0;
}

const char *tw_plat_strerror(int e) { return strerror(e); }

const char *tw_plat_signal_name(int sig) { return strsignal(sig); }

/* ---- memory --------------------------------------------------------------------- */

size_t tw_plat_page_size(void) { return (size_t)sysconf(_SC_PAGESIZE); }

void *tw_plat_reserve(size_t len, bool guarded) {
  void *p = mmap(NULL, len, guarded ? PROT_NONE : PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) return NULL;
  tw_fast_huge_pages(p, len, !guarded);
  return p;
}

bool tw_plat_commit(void *at, size_t len) {
  return mprotect(at, len, PROT_READ | PROT_WRITE) == 0;
}

void tw_plat_unreserve(void *base, size_t len) { munmap(base, len); }

/* A stream's buffer: memory committed as it is written (no reservation
 * flags, no advice: it is read in whole anyway). */
static void *buffer_map(size_t len) {
  void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  return p == MAP_FAILED ? NULL : p;
}

void *tw_plat_grow(void *old, size_t old_len, size_t len) {
  return old ? tw_fast_grow(old, old_len, len) : buffer_map(len);
}

/* ---- files ---------------------------------------------------------------------- */

/* The nanoseconds of a stat's times: st_mtim in POSIX 2008, st_mtimespec
 * on macOS. */
#if defined(__APPLE__)
#define TW_MTIM st_mtimespec
#define TW_CTIM st_ctimespec
#else
#define TW_MTIM st_mtim
#define TW_CTIM st_ctim
#endif

static void state_of(const struct stat *s, tw_file_state *st) {
  st->dev = (uint64_t)s->st_dev, st->ino = (uint64_t)s->st_ino, st->size = (uint64_t)s->st_size;
  st->mtime_s = (int64_t)s->TW_MTIM.tv_sec, st->mtime_ns = (int64_t)s->TW_MTIM.tv_nsec;
  st->ctime_s = (int64_t)s->TW_CTIM.tv_sec, st->ctime_ns = (int64_t)s->TW_CTIM.tv_nsec;
  st->regular = S_ISREG(s->st_mode);
}

bool tw_plat_fd_state(int fd, tw_file_state *st) {
  struct stat s;
  if (fstat(fd, &s) != 0) return false;
  state_of(&s, st);
  return true;
}

bool tw_plat_path_state(const char *path, tw_file_state *st) {
  struct stat s;
  if (stat(path, &s) != 0) return false;
  state_of(&s, st);
  return true;
}

bool tw_file_state_same(const tw_file_state *a, const tw_file_state *b) {
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime_s == b->mtime_s && a->mtime_ns == b->mtime_ns && a->ctime_s == b->ctime_s &&
         a->ctime_ns == b->ctime_ns;
}

int tw_plat_open_read(const char *path) { return open(path, O_RDONLY | O_CLOEXEC); }

long long tw_plat_pread(int fd, void *dst, size_t n, uint64_t off) {
  return (long long)pread(fd, dst, n, (off_t)off);
}

FILE *tw_plat_fopen(const char *path, const char *mode) { return fopen(path, mode); }

long long tw_plat_read(int fd, void *dst, size_t n) { return (long long)read(fd, dst, n); }

long long tw_plat_write(int fd, const void *src, size_t n) {
  return (long long)write(fd, src, n);
}

int tw_plat_close(int fd) { return close(fd); }

bool tw_plat_fsync(int fd) { return fsync(fd) == 0; }

long long tw_plat_tell(int fd) { return (long long)lseek(fd, 0, SEEK_CUR); }

bool tw_plat_empty(int fd) { return ftruncate(fd, 0) == 0 && lseek(fd, 0, SEEK_SET) == 0; }

long long tw_plat_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n) {
  return tw_fast_copy_range(in_fd, off, out_fd, n);
}

bool tw_plat_remove_ordinary(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0 || !(S_ISREG(st.st_mode) || S_ISLNK(st.st_mode))) return true;
  return unlink(path) == 0 || errno == ENOENT;
}

/* Do two directory names lead to the same directory? */
bool tw_same_dir(const char *a, const char *b) {
  char ra[PATH_MAX], rb[PATH_MAX];
  return realpath(a, ra) && realpath(b, rb) && strcmp(ra, rb) == 0;
}

size_t tw_plat_fpending(FILE *f) {
#if defined(TW_HAVE_FPENDING)
  return __fpending(f);
#elif defined(__APPLE__) || defined(__FreeBSD__) || defined(__NetBSD__) || defined(__OpenBSD__) || \
    defined(__DragonFly__)
  return f->_p && f->_bf._base ? (size_t)(f->_p - f->_bf._base) : 0; /* BSD stdio's buffer */
#else
  return fflush(f) == 0 ? 0 : 1; /* unknown: an error on flushing counts as pending */
#endif
}

/* ---- the output ------------------------------------------------------------------ */

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

/* N when path is a name in this process's descriptor table
 * (tw_fast_is_fd_dir: /proc/self/fd/N on Linux, where /dev/fd/N,
 * /dev/stdout and /dev/stderr lead; /dev/fd/N elsewhere); else -1. */
static int own_descriptor(const char *path) {
  const char *slash = strrchr(path, '/');
  if (!slash || slash[1] < '0' || slash[1] > '9') return -1;
  char *end;
  const long n = strtol(slash + 1, &end, 10);
  if (*end || n > INT_MAX) return -1;
  char *dir = dir_of(path);
  const bool ours = dir && tw_fast_is_fd_dir(dir);
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

int tw_plat_output_descriptor(const char *path) {
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

/* A regular file to replace (st, or NULL for a new one): file must still
 * be the file the name led to. */
static bool replaced(tw_output *o, char *file, const struct stat *st, tw_err *err) {
  struct stat named;
  if (st && (stat(file, &named) != 0 || named.st_dev != st->st_dev || named.st_ino != st->st_ino))
    return tw_err_set(err, TW_ERR_IO, 0,
                      "cannot replace output: its links lead to a file that has no name "
                      "(deleted, or another process's descriptor)"),
           false;
  if (!(o->dir = dir_of(file))) return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  o->file = file;
  o->mode = (unsigned)output_mode(st, st != NULL);
  return true;
}

bool tw_plat_output_open(tw_output *o, const char *path, tw_err *err) {
  o->fd = -1, o->file = NULL, o->dir = NULL, o->mode = 0;
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
  if (exists && !S_ISREG(st.st_mode)) {
    free(file);
    return (o->fd = open_special(path, own, &st, err)) >= 0;
  }
  if (replaced(o, file, exists ? &st : NULL, err)) return true;
  free(file);
  return false;
}

void tw_plat_output_free(tw_output *o) {
  free(o->file);
  free(o->dir);
  o->file = o->dir = NULL;
}

/* ---- temporary files ------------------------------------------------------------ */

/* "DIR/.twXXXXXX" with a fresh suffix each call: short, so that it fits
 * wherever the destination's own name does (NAME_MAX), and hidden. */
static void temp_name(char *out, size_t cap, const char *dir) {
  static unsigned counter;
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  const unsigned long x = (unsigned long)ts.tv_nsec ^ ((unsigned long)getpid() << 16) ^ ++counter;
  snprintf(out, cap, "%s/.tw%06lx", dir, x & 0xffffff);
}

static bool temp_alloc(tw_temp *t, const char *dir, tw_err *err) {
  if (!(t->name = malloc(strlen(dir) + 16)))
    return tw_err_set(err, TW_ERR_NOMEM, 0, "out of memory"), false;
  return true;
}

/* Fresh names are tried until one is free (or make fails otherwise):
 * make(name) is 0 when it made the file, else -1 and errno. */
static bool try_names(tw_temp *t, const char *dir, int (*make)(tw_temp *t), const char *what,
                      tw_err *err) {
  if (!temp_alloc(t, dir, err)) return false;
  int rc = -1;
  for (int tries = 0; rc != 0 && tries < 100; tries++) {
    temp_name(t->name, strlen(dir) + 16, dir);
    rc = make(t);
    if (rc != 0 && errno != EEXIST) break;
  }
  if (rc == 0) return true;
  free(t->name);
  t->name = NULL;
  return path_fail(err, what);
}

static int make_named(tw_temp *t) {
  t->fd = open(t->name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  return t->fd < 0 ? -1 : 0;
}

static int link_anonymous(tw_temp *t) { return tw_fast_link_anonymous(t->fd, t->name); }

bool tw_plat_temp_create(tw_temp *t, const char *dir, unsigned mode, tw_err *err) {
  t->fd = -1, t->name = NULL, t->mode = mode;
  t->fd = tw_fast_temp_anonymous(dir);
  if (t->fd < 0 && errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL)
    return path_fail(err, "cannot create output");
  if (t->fd < 0 && !try_names(t, dir, make_named, "cannot create output", err)) return false;
  /* The set-user-ID and set-group-ID bits wait for tw_plat_temp_replace:
   * without CAP_FSETID, the kernel clears them at the first write. */
  if (fchmod(t->fd, (mode_t)mode & ~(mode_t)(S_ISUID | S_ISGID)) != 0)
    return path_fail(err, "cannot write output");
  return true;
}

bool tw_plat_temp_replace(tw_temp *t, const char *dir, const char *path, tw_err *err) {
  if (!t->name && !try_names(t, dir, link_anonymous, "cannot link output into place", err))
    return false;
  if ((t->mode & (S_ISUID | S_ISGID)) && fchmod(t->fd, (mode_t)t->mode) != 0)
    return path_fail(err, "cannot write output");
  const int fd = t->fd;
  t->fd = -1;
  if (close(fd) != 0) return path_fail(err, "cannot write output");
  if (rename(t->name, path) != 0) return path_fail(err, "cannot rename output into place");
  free(t->name);
  t->name = NULL;
  return true;
}

void tw_plat_temp_discard(tw_temp *t) {
  if (t->fd >= 0) close(t->fd);
  if (t->name) unlink(t->name);
  free(t->name);
  t->fd = -1, t->name = NULL;
}

/* ---- termination signals -------------------------------------------------------- */

/* signal(7)'s "Term" and "Core" signals that others send. In the order a
 * pending one is reported. */
static const int stopping[] = {
    SIGINT,  SIGTERM, SIGHUP,    SIGQUIT, SIGPIPE, SIGALRM, SIGUSR1, SIGUSR2,
    SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
#ifdef SIGIO
    SIGIO,
#endif
    SIGABRT,
#ifdef SIGPWR
    SIGPWR,
#endif
#ifdef SIGSTKFLT
    SIGSTKFLT,
#endif
};

static bool default_action(int sig) {
  struct sigaction sa;
  return sigaction(sig, NULL, &sa) == 0 && !(sa.sa_flags & SA_SIGINFO) &&
         sa.sa_handler == SIG_DFL;
}

/* Each signal of the list, then the real-time ones where there are any
 * (SIGRTMIN is only known at run time; macOS has none). */
static int stopping_signal(size_t i) {
  const size_t fixed = sizeof stopping / sizeof stopping[0];
  if (i < fixed) return stopping[i];
#ifdef SIGRTMIN
  const int rt = SIGRTMIN + (int)(i - fixed);
  return rt <= SIGRTMAX ? rt : 0;
#else
  return 0;
#endif
}

/* The signals this thread holds back now (those it blocked itself, not
 * those the caller had blocked), while on, and the mask to restore. */
static _Thread_local struct {
  bool on;
  sigset_t set, old;
} holding;

int tw_plat_pending_signal(void) {
  sigset_t p;
  if (!holding.on || sigpending(&p) != 0) return 0;
  for (size_t i = 0; stopping_signal(i) != 0; i++) {
    const int sig = stopping_signal(i);
    /* A blocked signal stays pending even when it is ignored, and an
     * ignored one ends nothing. */
    if (sigismember(&holding.set, sig) == 1 && sigismember(&p, sig) == 1 && default_action(sig))
      return sig;
  }
  return 0;
}

/* Only the signals that were not blocked already are held (and counted by
 * tw_plat_pending_signal): one the caller blocked, even pending, is left to
 * it. */
void tw_plat_hold_signals(void) {
  sigset_t s;
  sigemptyset(&s);
  for (size_t i = 0; stopping_signal(i) != 0; i++)
    if (default_action(stopping_signal(i))) sigaddset(&s, stopping_signal(i));
  pthread_sigmask(SIG_BLOCK, &s, &holding.old);
  for (size_t i = 0; stopping_signal(i) != 0; i++)
    if (sigismember(&holding.old, stopping_signal(i)) == 1) sigdelset(&s, stopping_signal(i));
  holding.set = s;
  holding.on = true;
}

/* A pending fatal signal ends the process here, after the caller has
 * removed what it wrote. */
void tw_plat_release_signals(void) {
  holding.on = false;
  pthread_sigmask(SIG_SETMASK, &holding.old, NULL);
}

static _Thread_local struct {
  bool held, was_pending; /* a SIGXFSZ pending before the write: the caller's */
  sigset_t old;
} fsize;

static bool xfsz_pending(void) {
  sigset_t p;
  return sigpending(&p) == 0 && sigismember(&p, SIGXFSZ) == 1;
}

void tw_plat_fsize_begin(void) {
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGXFSZ);
  fsize.was_pending = xfsz_pending();
  fsize.held = default_action(SIGXFSZ) && pthread_sigmask(SIG_BLOCK, &s, &fsize.old) == 0;
}

void tw_plat_fsize_end(void) {
  if (fsize.held) pthread_sigmask(SIG_SETMASK, &fsize.old, NULL);
  fsize.held = false;
}

/* The SIGXFSZ that the write raised is its error, not a signal to deliver,
 * so it is taken off the pending set (unless one was pending before the
 * write: that one is the caller's, and the write's merged into it). It is
 * blocked here, so sigwait returns at once; it is only called when one is
 * pending. */
void tw_plat_fsize_taken(void) {
  if (fsize.was_pending || !xfsz_pending()) return;
  sigset_t s;
  sigemptyset(&s);
  sigaddset(&s, SIGXFSZ);
  int sig;
  while (sigwait(&s, &sig) == EINTR) {
  }
}

void tw_plat_ignore_fsize(void) { signal(SIGXFSZ, SIG_IGN); }

/* ---- processes -------------------------------------------------------------------- */

bool tw_plat_runnable(const char *path) {
  struct stat st;
  return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

static bool same_file(const char *a, const char *b) {
  struct stat x, y;
  return stat(a, &x) == 0 && stat(b, &y) == 0 && x.st_dev == y.st_dev && x.st_ino == y.st_ino;
}

/* argv0 as a shell found it: a path when it has a slash, else the first
 * runnable file of that name on PATH. */
static bool is_argv0(const char *path, const char *argv0) {
  if (!argv0 || !*argv0) return false;
  if (strchr(argv0, '/')) return same_file(path, argv0);
  for (const char *dir = getenv("PATH"); dir;) {
    const char *colon = strchr(dir, ':');
    const size_t len = colon ? (size_t)(colon - dir) : strlen(dir);
    char cand[PATH_MAX];
    snprintf(cand, sizeof cand, "%.*s/%s", (int)(len ? len : 1), len ? dir : ".", argv0);
    if (tw_plat_runnable(cand)) return same_file(path, cand);
    dir = colon ? colon + 1 : NULL;
  }
  return false;
}

bool tw_plat_is_self(const char *path, const char *argv0) {
  char exe[PATH_MAX];
  if (tw_fast_self_exe(exe, sizeof exe)) return same_file(path, exe);
  return is_argv0(path, argv0);
}

int tw_plat_run(char *const argv[], const char *env_name, const char *env_value,
                const char *who) {
  fflush(NULL);
  const pid_t pid = fork();
  if (pid < 0) {
    perror(who);
    return 1;
  }
  if (pid == 0) {
    setenv(env_name, env_value, 1);
    execv(argv[0], argv);
    fprintf(stderr, "%s: error: cannot run %s: %s\n", who, argv[0], strerror(errno));
    _exit(127);
  }
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
  return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

void tw_plat_worker_start(long parent) {
  tw_fast_die_with_parent((pid_t)parent);
  if (getppid() != (pid_t)parent) _exit(1); /* the parent died before that */
  signal(SIGXFSZ, SIG_IGN);
}

/* ---- the generic fast paths (platform_fast.h) -------------------------------------- */

#if !TW_PLATFORM_LINUX

void tw_fast_huge_pages(void *base, size_t len, bool on) { (void)base, (void)len, (void)on; }

/* No mremap: a new mapping, the bytes copied a step at a time and each
 * step of the old one unmapped as soon as it is copied, so that the two
 * are never both in memory (a 4 GiB stream would otherwise take 6). */
void *tw_fast_grow(void *old, size_t old_len, size_t len) {
  enum { STEP = 64 << 20 }; /* a multiple of every page size */
  uint8_t *p = buffer_map(len), *from = old;
  if (!p) return NULL;
  const size_t n = old_len < len ? old_len : len;
  for (size_t at = 0; at < old_len; at += STEP) {
    const size_t step = old_len - at < STEP ? old_len - at : STEP;
    if (at < n) memcpy(p + at, from + at, n - at < step ? n - at : step);
    munmap(from + at, step);
  }
  return p;
}

long long tw_fast_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n) {
  (void)in_fd, (void)off, (void)out_fd, (void)n;
  errno = ENOSYS;
  return -1;
}

int tw_fast_temp_anonymous(const char *dir) {
  (void)dir;
  errno = EOPNOTSUPP; /* a named temporary file instead */
  return -1;
}

int tw_fast_link_anonymous(int fd, const char *name) {
  (void)fd, (void)name;
  errno = ENOSYS; /* never anonymous here */
  return -1;
}

/* /dev/fd: fdescfs on macOS and the BSDs (where /dev/stdout leads). */
bool tw_fast_is_fd_dir(const char *dir) { return tw_same_dir(dir, "/dev/fd"); }

bool tw_fast_self_exe(char *buf, size_t cap) {
#if defined(__APPLE__)
  uint32_t n = (uint32_t)cap;
  return _NSGetExecutablePath(buf, &n) == 0;
#else
  (void)buf, (void)cap;
  return false; /* argv[0] then */
#endif
}

/* No parent-death signal: the worker asks every 100 ms whether its parent
 * is still there (getppid, getpid and kill are async-signal-safe). */
static pid_t watched_parent;

/* Ends as PR_SET_PDEATHSIG would end it: by SIGKILL. */
static void check_parent(int sig) {
  (void)sig;
  if (getppid() != watched_parent) kill(getpid(), SIGKILL);
}

void tw_fast_die_with_parent(pid_t parent) {
  watched_parent = parent;
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = check_parent;
  sa.sa_flags = SA_RESTART;
  sigemptyset(&sa.sa_mask);
  const struct itimerval every = {{0, 100000}, {0, 100000}};
  sigset_t alrm; /* forked while the parent held it back */
  sigemptyset(&alrm);
  sigaddset(&alrm, SIGALRM);
  if (sigaction(SIGALRM, &sa, NULL) == 0 && setitimer(ITIMER_REAL, &every, NULL) == 0)
    pthread_sigmask(SIG_UNBLOCK, &alrm, NULL);
}

#endif /* !TW_PLATFORM_LINUX */
