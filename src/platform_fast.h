/* The fast paths of the platform layer: what Linux does with calls of its
 * own (platform_linux.c) and other POSIX systems do the generic way (the
 * end of platform_posix.c). Only the two platform files include this. */
#ifndef TW_PLATFORM_FAST_H
#define TW_PLATFORM_FAST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Linux's fast paths unless TW_PORTABLE_POSIX asks for the generic ones:
 * decided here, not by the build, so that a build that compiles every
 * .c file of src gets one definition of each. */
#if defined(__linux__) && !defined(TW_PORTABLE_POSIX)
#define TW_PLATFORM_LINUX 1
#else
#define TW_PLATFORM_LINUX 0
#endif

/* Advice for a fresh mapping: whole (on) or on demand. */
void tw_fast_huge_pages(void *base, size_t len, bool on);
/* tw_plat_grow of an existing buffer. */
void *tw_fast_grow(void *old, size_t old_len, size_t len);
/* tw_plat_copy_range: -1 and ENOSYS where the kernel cannot copy. */
long long tw_fast_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n);
/* An anonymous file in dir, or -1 and errno: EOPNOTSUPP, EISDIR or EINVAL
 * when the file system (or the platform) has none. */
int tw_fast_temp_anonymous(const char *dir);
/* Give the anonymous file fd the name name: 0, or -1 and errno. */
int tw_fast_link_anonymous(int fd, const char *name);
bool tw_fast_is_fd_dir(const char *dir);
/* This program's executable into buf; false when the kernel cannot say. */
bool tw_fast_self_exe(char *buf, size_t cap);
/* Make the calling worker end when parent dies. */
void tw_fast_die_with_parent(pid_t parent);

/* Shared by both files (platform_posix.c). */
bool tw_same_dir(const char *a, const char *b);

#endif /* TW_PLATFORM_FAST_H */
