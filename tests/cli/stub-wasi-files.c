/* The program of stub-wasi-files.sh: every WASI function a reading program
 * uses, on the embedded tree preopened as /ro (fd 3) and /two (fd 4), with
 * its errno and what it wrote (docs/usage.md, "What the stubs do"). */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>
#define P(name, expr) do { int e_ = (expr); printf("%-32s %d\n", name, e_); } while (0)
static __wasi_rights_t R = __WASI_RIGHTS_FD_READ | __WASI_RIGHTS_FD_SEEK | __WASI_RIGHTS_FD_TELL | __WASI_RIGHTS_FD_READDIR | __WASI_RIGHTS_PATH_OPEN | __WASI_RIGHTS_FD_FILESTAT_GET | __WASI_RIGHTS_PATH_FILESTAT_GET | __WASI_RIGHTS_FD_ADVISE;
static int op(int dir, const char *p, int oflags, __wasi_rights_t rb, int fdflags, __wasi_fd_t *fd) {
  return __wasi_path_open(dir, 0, p, oflags, rb, rb, fdflags, fd);
}
int main(void) {
  __wasi_prestat_t ps; char buf[256]; __wasi_fd_t fd = 0, d = 0; __wasi_size_t n = 0;
  P("prestat_get 3", __wasi_fd_prestat_get(3, &ps)); printf("  tag %d len %d\n", ps.tag, (int)ps.u.dir.pr_name_len);
  P("prestat_get 4", __wasi_fd_prestat_get(4, &ps)); printf("  tag %d len %d\n", ps.tag, (int)ps.u.dir.pr_name_len);
  P("prestat_get 5", __wasi_fd_prestat_get(5, &ps));
  P("prestat_get 0", __wasi_fd_prestat_get(0, &ps));
  P("prestat_dir_name 3 len 1", __wasi_fd_prestat_dir_name(3, (uint8_t*)buf, 1));
  P("prestat_dir_name 3 len 255", __wasi_fd_prestat_dir_name(3, (uint8_t*)buf, 255));
  P("open a.txt", op(3, "a.txt", 0, R, 0, &fd)); printf("  fd %d\n", fd);
  P("prestat_get opened fd", __wasi_fd_prestat_get(fd, &ps));
  P("open missing", op(3, "missing", 0, R, 0, &d));
  P("open a.txt/x", op(3, "a.txt/x", 0, R, 0, &d));
  P("open a.txt/", op(3, "a.txt/", 0, R, 0, &d));
  P("open ../x", op(3, "../x", 0, R, 0, &d));
  P("open sub/../../x", op(3, "sub/../../x", 0, R, 0, &d));
  P("open /a.txt", op(3, "/a.txt", 0, R, 0, &d));
  P("open empty", op(3, "", 0, R, 0, &d));
  P("open .", op(3, ".", 0, R, 0, &d)); if (!0) __wasi_fd_close(d);
  P("open sub/../a.txt", op(3, "sub/../a.txt", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open sub//deeper/", op(3, "sub//deeper/", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open sub/deeper/../z.txt", op(3, "sub/deeper/../z.txt", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open ./a.txt", op(3, "./a.txt", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open a.txt O_DIRECTORY", op(3, "a.txt", __WASI_OFLAGS_DIRECTORY, R, 0, &d));
  P("open sub O_DIRECTORY", op(3, "sub", __WASI_OFLAGS_DIRECTORY, R, 0, &d)); printf("  fd %d\n", d);
  __wasi_fd_t sub = d;
  P("open sub (no O_DIRECTORY)", op(3, "sub", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open new O_CREAT", op(3, "new", __WASI_OFLAGS_CREAT, R, 0, &d));
  P("open a.txt O_CREAT", op(3, "a.txt", __WASI_OFLAGS_CREAT, R, 0, &d)); __wasi_fd_close(d);
  P("open a.txt O_CREAT|O_EXCL", op(3, "a.txt", __WASI_OFLAGS_CREAT|__WASI_OFLAGS_EXCL, R, 0, &d));
  P("open a.txt O_TRUNC", op(3, "a.txt", __WASI_OFLAGS_TRUNC, R | __WASI_RIGHTS_FD_WRITE, 0, &d));
  P("open a.txt write right", op(3, "a.txt", 0, R | __WASI_RIGHTS_FD_WRITE, 0, &d)); __wasi_fd_close(d);
  P("open a.txt fdflags append", op(3, "a.txt", 0, R, __WASI_FDFLAGS_APPEND, &d)); __wasi_fd_close(d);
  P("prestat_dir_name 4", __wasi_fd_prestat_dir_name(4, (uint8_t*)buf, 255)); printf("  %.4s\n", buf);
  P("open via fd 4 z.txt", op(4, "z.txt", 0, R, 0, &d)); __wasi_fd_close(d);
  P("open via fd 4 ../a.txt", op(4, "../a.txt", 0, R, 0, &d));
  P("open sub write right", op(3, "sub", __WASI_OFLAGS_DIRECTORY, R | __WASI_RIGHTS_FD_WRITE, 0, &d)); __wasi_fd_close(d);
  P("open via file fd", op(fd, "x", 0, R, 0, &d));
  P("open bad fd", op(99, "x", 0, R, 0, &d));
  __wasi_iovec_t iov = {(uint8_t*)buf, 4};
  P("read a.txt 4", __wasi_fd_read(fd, &iov, 1, &n)); printf("  n %d\n", (int)n);
  __wasi_filesize_t pos = 0;
  P("tell", __wasi_fd_tell(fd, &pos)); printf("  pos %d\n", (int)pos);
  P("seek cur -10", __wasi_fd_seek(fd, -10, __WASI_WHENCE_CUR, &pos)); printf("  pos %lld\n", (long long)pos);
  P("seek end +5", __wasi_fd_seek(fd, 5, __WASI_WHENCE_END, &pos)); printf("  pos %lld\n", (long long)pos);
  P("read past end", __wasi_fd_read(fd, &iov, 1, &n)); printf("  n %d\n", (int)n);
  P("seek set 1", __wasi_fd_seek(fd, 1, __WASI_WHENCE_SET, &pos));
  P("pread 2 at 0", (iov.buf_len = 2, __wasi_fd_pread(fd, &iov, 1, 0, &n))); printf("  n %d %.2s\n", (int)n, buf);
  P("pread at 1000", __wasi_fd_pread(fd, &iov, 1, 1000, &n)); printf("  n %d\n", (int)n);
  P("tell after pread", __wasi_fd_tell(fd, &pos)); printf("  pos %d\n", (int)pos);
  P("read dir fd", __wasi_fd_read(3, &iov, 1, &n));
  P("pread dir fd", __wasi_fd_pread(3, &iov, 1, 0, &n));
  P("seek dir fd", __wasi_fd_seek(3, 0, 0, &pos));
  P("tell dir fd", __wasi_fd_tell(3, &pos));
  __wasi_ciovec_t ci = {(const uint8_t*)"x", 1};
  P("write file fd", __wasi_fd_write(fd, &ci, 1, &n));
  P("pwrite file fd", __wasi_fd_pwrite(fd, &ci, 1, 0, &n));
  P("write dir fd", __wasi_fd_write(3, &ci, 1, &n));
  __wasi_filestat_t st;
  P("filestat a.txt", __wasi_fd_filestat_get(fd, &st)); printf("  dev %llu ino %llu type %d nlink %llu size %llu a %llu m %llu c %llu\n", st.dev, st.ino, st.filetype, st.nlink, st.size, st.atim, st.mtim, st.ctim);
  P("filestat dir 3", __wasi_fd_filestat_get(3, &st)); printf("  type %d nlink %llu size %llu\n", st.filetype, st.nlink, st.size);
  P("filestat 0", __wasi_fd_filestat_get(0, &st)); printf("  type %d\n", st.filetype);
  P("path_filestat a.txt", __wasi_path_filestat_get(3, 0, "a.txt", &st)); printf("  type %d size %llu\n", st.filetype, st.size);
  P("path_filestat sub", __wasi_path_filestat_get(3, 1, "sub", &st)); printf("  type %d\n", st.filetype);
  P("path_filestat missing", __wasi_path_filestat_get(3, 0, "missing", &st));
  P("path_filestat a.txt/", __wasi_path_filestat_get(3, 0, "a.txt/", &st));
  P("path_filestat ..", __wasi_path_filestat_get(3, 0, "..", &st));
  P("path_filestat .", __wasi_path_filestat_get(3, 0, ".", &st)); printf("  type %d\n", st.filetype);
  P("path_filestat via file", __wasi_path_filestat_get(fd, 0, "x", &st));
  __wasi_fdstat_t fs;
  P("fdstat file", __wasi_fd_fdstat_get(fd, &fs)); printf("  type %d flags %d base %llx inh %llx\n", fs.fs_filetype, fs.fs_flags, fs.fs_rights_base, fs.fs_rights_inheriting);
  P("fdstat dir 3", __wasi_fd_fdstat_get(3, &fs)); printf("  type %d flags %d base %llx inh %llx\n", fs.fs_filetype, fs.fs_flags, fs.fs_rights_base, fs.fs_rights_inheriting);
  P("fdstat sub", __wasi_fd_fdstat_get(sub, &fs)); printf("  type %d flags %d base %llx inh %llx\n", fs.fs_filetype, fs.fs_flags, fs.fs_rights_base, fs.fs_rights_inheriting);
  P("fdstat 1", __wasi_fd_fdstat_get(1, &fs)); printf("  type %d flags %d base %llx inh %llx\n", fs.fs_filetype, fs.fs_flags, fs.fs_rights_base, fs.fs_rights_inheriting);
  P("fdstat 99", __wasi_fd_fdstat_get(99, &fs));
  P("advise file", __wasi_fd_advise(fd, 0, 10, 0));
  P("advise dir", __wasi_fd_advise(3, 0, 10, 0));
  P("advise 99", __wasi_fd_advise(99, 0, 10, 0));
  static uint8_t rd[4096];
  P("readdir 3", __wasi_fd_readdir(3, rd, sizeof rd, 0, &n)); printf("  used %d\n", (int)n);
  for (size_t o = 0; o + 24 <= n;) {
    __wasi_dirent_t de; memcpy(&de, rd + o, 24);
    printf("  next %llu ino %llu namlen %u type %d name %.*s\n", de.d_next, de.d_ino, de.d_namlen, de.d_type, (int)de.d_namlen, rd + o + 24);
    o += 24 + de.d_namlen;
  }
  P("readdir 3 cookie 2", __wasi_fd_readdir(3, rd, sizeof rd, 2, &n)); printf("  used %d\n", (int)n);
  P("readdir 3 cookie 100", __wasi_fd_readdir(3, rd, sizeof rd, 100, &n)); printf("  used %d\n", (int)n);
  memset(rd, 0xee, 64);
  P("readdir 3 buf 10", __wasi_fd_readdir(3, rd, 10, 0, &n)); printf("  used %d:", (int)n);
  for (int i = 0; i < 12; i++) printf(" %02x", rd[i]);
  printf("\n");
  memset(rd, 0xee, 64);
  P("readdir 3 buf 26", __wasi_fd_readdir(3, rd, 26, 0, &n)); printf("  used %d:", (int)n);
  for (int i = 0; i < 28; i++) printf(" %02x", rd[i]);
  printf("\n");
  P("readdir file", __wasi_fd_readdir(fd, rd, sizeof rd, 0, &n));
  P("readdir sub", __wasi_fd_readdir(sub, rd, sizeof rd, 0, &n)); printf("  used %d\n", (int)n);
  for (size_t o = 0; o + 24 <= n;) {
    __wasi_dirent_t de; memcpy(&de, rd + o, 24);
    printf("  next %llu ino %llu namlen %u type %d name %.*s\n", de.d_next, de.d_ino, de.d_namlen, de.d_type, (int)de.d_namlen, rd + o + 24);
    o += 24 + de.d_namlen;
  }
  P("mkdir", __wasi_path_create_directory(3, "nd"));
  P("mkdir existing", __wasi_path_create_directory(3, "sub"));
  P("unlink a.txt", __wasi_path_unlink_file(3, "b.txt"));
  P("unlink missing", __wasi_path_unlink_file(3, "missing"));
  P("rmdir sub", __wasi_path_remove_directory(3, "sub/deeper"));
  P("rename", __wasi_path_rename(3, "b.txt", 3, "c.txt"));
  P("symlink", __wasi_path_symlink("a.txt", 3, "ln"));
  P("set_size", __wasi_fd_filestat_set_size(fd, 0));
  P("fd_sync", __wasi_fd_sync(fd));
  P("close file", __wasi_fd_close(fd));
  P("close again", __wasi_fd_close(fd));
  P("read closed", __wasi_fd_read(fd, &iov, 1, &n));
  P("close sub", __wasi_fd_close(sub));
  P("fd_renumber", __wasi_fd_renumber(3, 20));
  return 0;
}
