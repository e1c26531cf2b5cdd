/* The platform layer: everything the operating system decides, behind one
 * small interface, one file per platform.
 *
 *   platform_posix.c  POSIX: what macOS and the BSDs get, and Linux with
 *                     -DTW_PORTABLE_POSIX=ON; also the code Linux shares.
 *   platform_linux.c  Linux's fast paths only (copy_file_range, O_TMPFILE
 *                     with linkat, /proc/self/fd, PR_SET_PDEATHSIG, mremap,
 *                     transparent huge pages), built with TW_PLATFORM_LINUX.
 *
 * Every function sets errno (or err) the way the POSIX call it stands for
 * does, so that callers word their messages the same on every platform. */
#ifndef TW_PLATFORM_H
#define TW_PLATFORM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- memory: the input's reservation, a stream's buffer ------------------- */

size_t tw_plat_page_size(void);
/* len bytes of address space, committed only as pages are touched;
 * inaccessible until tw_plat_commit when guarded. NULL on failure. */
void *tw_plat_reserve(size_t len, bool guarded);
/* Make [at, at+len) of a reservation readable and writable. */
bool tw_plat_commit(void *at, size_t len);
void tw_plat_unreserve(void *base, size_t len);
/* A buffer of len bytes (old, of old_len bytes, grown, its bytes kept); on
 * failure NULL, and old is left as it was. */
void *tw_plat_grow(void *old, size_t old_len, size_t len);

/* ---- files -------------------------------------------------------------------- */

/* What the changed-input check compares: the same file, size and times. */
typedef struct tw_file_state {
  uint64_t dev, ino, size;
  int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
  bool regular;
} tw_file_state;

bool tw_plat_fd_state(int fd, tw_file_state *st);
bool tw_plat_path_state(const char *path, tw_file_state *st); /* links followed */
bool tw_file_state_same(const tw_file_state *a, const tw_file_state *b);
/* A file opened for reading (not inherited by children); -1 and errno. */
int tw_plat_open_read(const char *path);
/* Up to n bytes at offset off; -1 and errno. */
long long tw_plat_pread(int fd, void *dst, size_t n, uint64_t off);
/* Up to n bytes from in_fd at *off to out_fd, by the kernel, *off moved on:
 * the count, 0 or -1 and errno (ENOSYS where the kernel cannot). */
long long tw_plat_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n);
/* Is dir (a path) this process's descriptor directory, whose entry N names
 * descriptor N (where /dev/fd/N and /dev/stdout lead)? */
bool tw_plat_is_fd_dir(const char *dir);
/* Bytes written to f and not yet flushed (what fclose would still write). */
size_t tw_plat_fpending(FILE *f);

/* A temporary file beside a destination: anonymous where the platform has
 * them, else named DIR/.twXXXXXX. name is NULL while it has none. */
typedef struct tw_temp {
  int fd;
  char *name;
  unsigned mode; /* the mode it gets; set-id bits only at the replace */
} tw_temp;

/* Created in dir with the given mode; err says "cannot create output". */
bool tw_plat_temp_create(tw_temp *t, const char *dir, unsigned mode, tw_err *err);
/* Named (when anonymous), closed and renamed over path: the last step. */
bool tw_plat_temp_replace(tw_temp *t, const char *dir, const char *path, tw_err *err);
/* Closed and removed (after a failure); a named one never outlives this. */
void tw_plat_temp_discard(tw_temp *t);

/* ---- termination signals ----------------------------------------------------- */

/* Hold back the signals that would end the process and come from outside
 * it (those whose action is the default and the caller did not block),
 * until tw_plat_release_signals, which lets a pending one through. */
void tw_plat_hold_signals(void);
void tw_plat_release_signals(void);
/* The first held-back signal that is pending, or 0 (always 0 when none
 * are held). */
int tw_plat_pending_signal(void);
/* Around one write of the output: a write past the file size limit fails
 * with EFBIG instead of ending the process; after EFBIG,
 * tw_plat_fsize_taken takes back the signal it raised. */
void tw_plat_fsize_begin(void);
void tw_plat_fsize_taken(void);
void tw_plat_fsize_end(void);
/* The file size limit's signal does nothing (wasm-taskwrap's own choice). */
void tw_plat_ignore_fsize(void);

/* ---- processes ------------------------------------------------------------------ */

/* An executable regular file. */
bool tw_plat_runnable(const char *path);
/* Is path this program's own executable (any name of it)? argv0 is
 * main's argv[0], for platforms that cannot ask the kernel. */
bool tw_plat_is_self(const char *path, const char *argv0);
/* Run argv (argv[0] a path) with env_name=env_value added to its
 * environment and wait: its exit status, 128 + N for a death by signal N.
 * A failure to start it is said on stderr, prefixed with who. */
int tw_plat_run(char *const argv[], const char *env_name, const char *env_value,
                const char *who);
/* First call in a worker process forked by parent: the worker ends when the
 * parent dies, and ignores the file size limit's signal. */
void tw_plat_worker_start(long parent);

#ifdef __cplusplus
}
#endif

#endif /* TW_PLATFORM_H */
