/* Files in and out (input.c, write.c). */
#ifndef TW_IO_H
#define TW_IO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "out.h"

/* An input file (input.c). A regular file is read on demand (source.h):
 * data is an address range of the file's size where only the ranges asked
 * for with tw_module_need (or tw_source_need) are read in, with pread; it stays open
 * so that the rest can be copied by the kernel. Anything else (standard
 * input, a pipe, a device) is read into memory completely: only while its
 * first bytes can still start a module, and at most TW_STREAM_MAX bytes. */
typedef struct tw_input {
  const uint8_t *data;
  size_t size;
  int fd;                 /* the open file when it is a regular file, else -1 */
  struct tw_source *src;  /* on-demand reading of that file, or NULL */
  void *buf;              /* a stream's bytes (an anonymous mapping), or NULL */
  size_t buf_cap;
  const char *what;       /* "input" or "output": for messages */
} tw_input;

/* The most a stream is read into memory: a module longer than this has to
 * be given as a file. */
#if SIZE_MAX > 0xffffffffu
#define TW_STREAM_MAX ((size_t)4 << 30)
#else
#define TW_STREAM_MAX ((size_t)1 << 30)
#endif

typedef enum tw_input_mode {
  TW_INPUT_ON_DEMAND = 0, /* a regular file is read as it is needed */
  TW_INPUT_WHOLE = 1      /* every byte is read at once (--check) */
} tw_input_mode;

/* path "-" is standard input; what ("input" or "output") names the file in
 * messages. */
bool tw_input_open(tw_input *in, const char *path, tw_input_mode mode, const char *what,
                   tw_err *err);
/* Is a file read on demand still the file it was when it was opened: the
 * same file, size, modification and change time, and no read came short?
 * Otherwise err gets "<what> changed while it was being <doing>" (or the
 * read error). Always true for what was read into memory at once. */
bool tw_input_check(const tw_input *in, const char *doing, tw_err *err);
void tw_input_close(tw_input *in);
/* Windows cannot rename a file over one that is open (wine, and Windows
 * without POSIX renames): when path names the input file, it is read in
 * whole, checked (tw_input_check) and closed, its bytes kept, so that the
 * output may replace it (wasm-taskwrap-ld rewrites in place). Elsewhere,
 * and for another path, nothing is done. False with err set on failure. */
bool tw_input_release(tw_input *in, const char *path, tw_err *err);

/* The module fields the text format may start with after its "(" (api.c
 * and the stream reader tell text input by them). */
bool tw_text_module_field(const uint8_t *w, size_t n);

/* Input ranges shorter than this are written from the input's bytes in
 * memory (the caller makes them readable); longer ones, when there is an
 * input file, are copied by the kernel or read with pread. */
enum { TW_WRITE_FROM_MEMORY_MAX = 64 << 10 };

/* The buffer that carries n bytes of a file through memory (the body-size
 * walk's window, the writer's buffer): a sixteenth of them, from 64 to
 * 256 KiB. A small module faults in fewer fresh pages; a large one makes as
 * few calls as with 256 KiB (bench/floor.md, "Flat per byte"). */
enum { TW_IO_BUFFER_MIN = 64 << 10, TW_IO_BUFFER_MAX = 256 << 10 };
static inline size_t tw_io_buffer_size(uint64_t n) {
  const uint64_t k = n / 16;
  return k < TW_IO_BUFFER_MIN ? TW_IO_BUFFER_MIN : k > TW_IO_BUFFER_MAX ? TW_IO_BUFFER_MAX : (size_t)k;
}

/* Write the segments to out_fd; input ranges from in_fd (or, when it is -1,
 * from input). A signal that tw_write_atomic holds back and that is pending
 * stops it (TW_ERR_IO); one the caller had blocked is no reason to stop. A
 * write past the file size limit is TW_ERR_IO ("File too large"): the
 * SIGXFSZ it raises is blocked and taken back. */
bool tw_write_segments(const tw_out *o, const uint8_t *input, int in_fd, int out_fd,
                       tw_err *err);
/* Non-zero when a signal that tw_write_atomic holds back is pending (always
 * 0 outside its replacing of a file). */
int tw_write_stop(void);
/* N when path names this process's descriptor N (/dev/stdout, /dev/fd/N,
 * /proc/self/fd/N, or a symbolic link that leads to one of them), open or
 * not; else -1. */
int tw_output_descriptor(const char *path);
/* Create a temporary file beside path (anonymous, or named .twXXXXXX), let
 * write_fn fill it, optionally fsync it, and rename it over path; on any
 * failure it is removed. What is not a regular file (as stat sees it:
 * /dev/stdout on a pipe included) is written into instead (write.c). */
bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx);

#endif /* TW_IO_H */
