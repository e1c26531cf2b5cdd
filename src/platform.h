/* The platform layer: everything the operating system decides, behind one
 * small interface, one file per platform.
 *
 *   platform_posix.c  POSIX: what macOS and the BSDs get, and Linux with
 *                     -DTW_PORTABLE_POSIX=ON; also the code Linux shares.
 *   platform_linux.c  Linux's fast paths only (copy_file_range, O_TMPFILE
 *                     with linkat, /proc/self/fd, PR_SET_PDEATHSIG, mremap,
 *                     transparent huge pages), built with TW_PLATFORM_LINUX.
 *   platform_win32.c  Windows (built with mingw-w64): the Win32 calls, file
 *                     names as UTF-16, console control events for signals.
 *
 * Every function sets errno (or err) the way the POSIX call it stands for
 * does, so that callers word their messages the same on every platform.
 * File names and environment values are UTF-8 on every platform. */
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

/* ---- names and the process ----------------------------------------------------- */

#ifdef _WIN32
#define TW_PLAT_WINDOWS 1
#define TW_PATH_LIST_SEP ';' /* between PATH's directories */
#define TW_DIR_SEPS "\\/"   /* what ends a directory's name in a path */
#define TW_EXE_SUFFIX ".exe" /* what a program's file name ends with */
#else
#define TW_PLAT_WINDOWS 0
#define TW_PATH_LIST_SEP ':'
#define TW_DIR_SEPS "/"
#define TW_EXE_SUFFIX ""
#endif

/* The standard descriptors. */
enum { TW_STDIN = 0, TW_STDOUT = 1 };

/* main's arguments as UTF-8: as given on POSIX; on Windows made again from
 * the wide command line (GetCommandLineW), since argv is in the ANSI code
 * page there. First thing in main. */
void tw_plat_args(int *argc, char ***argv);
/* Standard input and output carry bytes as they are (Windows: binary mode,
 * no CR added or taken); before any byte is read or written. */
void tw_plat_binary_stdio(void);
/* An environment variable, UTF-8, or NULL; valid until the next call. */
const char *tw_plat_getenv(const char *name);
/* Is fd a terminal (Windows: a console, not the NUL device)? */
bool tw_plat_is_terminal(int fd);
/* Is descriptor fd open (a number the next open cannot take)? */
bool tw_plat_fd_is_open(int fd);
/* strerror's text, in glibc's words wherever the C library's differ
 * (msvcrt's ENOMEM is "Not enough space"). On Windows EBUSY stands for a
 * sharing or lock violation, and reads "File in use by another process". */
const char *tw_plat_strerror(int e);
/* Does name match the glob pattern, as fnmatch(pattern, name, 0) says
 * (POSIX's own; on Windows the same rules, byte by byte, in the C locale)? */
bool tw_plat_glob_match(const char *pattern, const char *name);
/* A signal's name as strsignal gives it ("Interrupt" for SIGINT). */
const char *tw_plat_signal_name(int sig);

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
/* A file opened for reading, in binary mode (not inherited by children);
 * -1 and errno. */
int tw_plat_open_read(const char *path);
/* A file opened as fopen opens it (an argument file). */
FILE *tw_plat_fopen(const char *path, const char *mode);
/* Up to n bytes at offset off; -1 and errno. */
long long tw_plat_pread(int fd, void *dst, size_t n, uint64_t off);
/* Up to n bytes at the descriptor's offset: read(2), write(2), close(2). */
long long tw_plat_read(int fd, void *dst, size_t n);
long long tw_plat_write(int fd, const void *src, size_t n);
int tw_plat_close(int fd);
/* fsync(2) (Windows: FlushFileBuffers). */
bool tw_plat_fsync(int fd);
/* The descriptor's offset, or -1; and a file made empty, its offset 0. */
long long tw_plat_tell(int fd);
bool tw_plat_empty(int fd);
/* Up to n bytes from in_fd at *off to out_fd, by the kernel, *off moved on:
 * the count, 0 or -1 and errno (ENOSYS where the kernel cannot). */
long long tw_plat_copy_range(int in_fd, uint64_t *off, int out_fd, size_t n);
/* Bytes written to f and not yet flushed (what fclose would still write). */
size_t tw_plat_fpending(FILE *f);
/* Remove path if it is a regular file or a symbolic link (GNU ld's
 * unlink_if_ordinary), never anything else. False and errno when such a
 * file is there and cannot be removed; true otherwise (removed, or nothing
 * of the kind was there). */
bool tw_plat_remove_ordinary(const char *path);

/* ---- the output: written into, or replaced --------------------------------- */

/* What an output's name leads to (tw_plat_output_open). Anything that is
 * not a regular file (a device, a FIFO, a socket, a pipe, a console, one of
 * this process's descriptors by name) is written into through fd; a regular
 * file, or a name that is free, is replaced through a temporary file in
 * dir: file is the name replaced (POSIX: symbolic links followed by name,
 * so that its directory is known; Windows: the final path of an existing
 * file, links followed), mode the mode it keeps (POSIX's bits; Windows:
 * 0444 for a read-only file), or a new file's. */
typedef struct tw_output {
  int fd;        /* written into, or -1: replaced */
  char *file;
  char *dir;
  unsigned mode;
} tw_output;

/* Classify path, open what is written into; err says "cannot write output"
 * (a directory: "Is a directory"), "cannot open output", ... */
bool tw_plat_output_open(tw_output *o, const char *path, tw_err *err);
/* file and dir freed (fd is the caller's to close). */
void tw_plat_output_free(tw_output *o);
/* N when path names this process's descriptor N (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N, or a symbolic link to one), open or not; else -1
 * (always on Windows, which has no such names). */
int tw_plat_output_descriptor(const char *path);

/* A temporary file beside a destination: anonymous where the platform has
 * them, else named DIR/.twXXXXXX. name is NULL while it has none. */
typedef struct tw_temp {
  int fd;
  char *name;
  unsigned mode;      /* the mode it gets; set-id bits only at the replace */
  bool write_through; /* --fsync: the rename too is durable when it returns
                       * (Windows: MOVEFILE_WRITE_THROUGH) */
} tw_temp;

/* Created in dir with the given mode; err says "cannot create output". */
bool tw_plat_temp_create(tw_temp *t, const char *dir, unsigned mode, tw_err *err);
/* Named (when anonymous), closed and renamed over path: the last step.
 * Windows: a read-only destination is replaced too, and the new file is
 * read-only when mode has no write bit, as a replaced file keeps its mode
 * on POSIX. */
bool tw_plat_temp_replace(tw_temp *t, const char *dir, const char *path, tw_err *err);
/* Closed and removed (after a failure); a named one never outlives this. */
void tw_plat_temp_discard(tw_temp *t);

/* ---- termination signals ----------------------------------------------------- */

/* Hold back the signals that would end the process and come from outside
 * it (those whose action is the default and the caller did not block),
 * until tw_plat_release_signals, which lets a pending one through.
 * Windows has no such signals: the console's control events (Ctrl-C,
 * Ctrl-Break, its window closed, logoff, shutdown) are held by a handler
 * (SetConsoleCtrlHandler) instead, pending as SIGINT, and one that came
 * ends the process at the release with STATUS_CONTROL_C_EXIT, as the
 * default handler does; the file size functions do nothing there (no
 * SIGXFSZ: a write past a limit is its error). */
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
 * A failure to start it is said on stderr, prefixed with who. (Windows:
 * one command line, quoted as CommandLineToArgvW and the C runtime read
 * it back; the exit code as it is.) */
int tw_plat_run(char *const argv[], const char *env_name, const char *env_value,
                const char *who);
/* First call in a worker process forked by parent: the worker ends when the
 * parent dies, and ignores the file size limit's signal. */
void tw_plat_worker_start(long parent);

#ifdef __cplusplus
}
#endif

#endif /* TW_PLATFORM_H */
