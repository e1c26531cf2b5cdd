/* The platform layer's Linux fast paths (platform_fast.h); the rest is
 * platform_posix.c's. Empty elsewhere and with -DTW_PORTABLE_POSIX=ON, which
 * builds what macOS and the BSDs get. */
#define _GNU_SOURCE
#include "platform_fast.h"

#if TW_PLATFORM_LINUX
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

/* On demand, a huge page would be read in whole for one byte of it; read
 * whole, huge pages take a fraction of the page faults. */
void tw_fast_huge_pages(void *base, size_t len, bool on) {
  madvise(base, len, on ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
}

/* Growing an anonymous mapping moves no byte. */
void *tw_fast_grow(void *old, size_t old_len, size_t len) {
  void *p = mremap(old, old_len, len, MREMAP_MAYMOVE);
  return p == MAP_FAILED ? NULL : p;
}

long long tw_fast_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n) {
  loff_t in = (loff_t)*off;
  const ssize_t k = copy_file_range(in_fd, &in, out_fd, NULL, n, 0);
  if (k > 0) *off = (uint64_t)in;
  return k;
}

int tw_fast_temp_anonymous(const char *dir) {
  return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
}

/* Through /proc; without it, AT_EMPTY_PATH (which needs
 * CAP_DAC_READ_SEARCH). */
int tw_fast_link_anonymous(int fd, const char *name) {
  char proc[64];
  snprintf(proc, sizeof proc, "/proc/self/fd/%d", fd);
  int rc = linkat(AT_FDCWD, proc, AT_FDCWD, name, AT_SYMLINK_FOLLOW);
  if (rc != 0 && errno == ENOENT) rc = linkat(fd, "", AT_FDCWD, name, AT_EMPTY_PATH);
  return rc;
}

/* /proc/self/fd (or thread-self's), where /dev/fd/N, /dev/stdout and
 * /dev/stderr lead. */
bool tw_fast_is_fd_dir(const char *dir) {
  return tw_same_dir(dir, "/proc/self/fd") || tw_same_dir(dir, "/proc/thread-self/fd");
}

/* /proc's magic link: stat follows it even to a replaced executable. */
bool tw_fast_self_exe(char *buf, size_t cap) {
  return snprintf(buf, cap, "/proc/self/exe") < (int)cap;
}

/* PR_SET_PDEATHSIG (prctl(2)) ends the worker when the parent dies. */
void tw_fast_die_with_parent(pid_t parent) {
  (void)parent;
  prctl(PR_SET_PDEATHSIG, SIGKILL);
}

#else
typedef int tw_platform_linux_unused; /* ISO C: no empty translation unit */
#endif /* TW_PLATFORM_LINUX */
