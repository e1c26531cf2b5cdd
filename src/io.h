/* Files in and out (input.c, write.c). */
#ifndef TW_IO_H
#define TW_IO_H

#include "edit.h"

/* An input file: mapped when it is a regular file (so that untouched bytes
 * are never read), read into memory otherwise (pipes, standard input). */
typedef struct tw_input {
  const uint8_t *data;
  size_t size;
  int fd;          /* the open file when it is a regular file, else -1 */
  void *map;       /* the mapping, or NULL */
  uint8_t *owned;  /* the bytes read, or NULL */
} tw_input;

/* path "-" is standard input. */
bool tw_input_open(tw_input *in, const char *path, tw_err *err);
void tw_input_close(tw_input *in);

/* Write the segments to out_fd; input ranges from in_fd (or, when it is -1,
 * from input). A signal that tw_write_atomic holds back and that is pending
 * stops it (TW_ERR_IO). */
bool tw_write_segments(const tw_out *o, const uint8_t *input, int in_fd, int out_fd,
                       tw_err *err);
/* Non-zero when a signal that stops a write is pending (see below). */
int tw_write_stop(void);
/* Create a temporary file beside path, let write_fn fill it, optionally
 * fsync it, and rename it over path; on any failure it is removed. */
bool tw_write_atomic(const char *path, bool do_fsync, tw_err *err,
                     bool (*write_fn)(int fd, void *ctx, tw_err *err), void *ctx);

#endif /* TW_IO_H */
