/* Does libwabt's worker die with the tool? For cli-files, without timing:
 *   reaper FIFO CLI ARGS...   (ARGS write text into FIFO: -t -o FIFO)
 * As a child subreaper (prctl(2)), it runs CLI, reads the FIFO until the
 * first bytes of text arrive (the worker is writing them), then reads no
 * more: the worker fills the pipe and blocks in a write that nothing will
 * ever end while the FIFO stays open here. It kills CLI with SIGKILL and
 * waits for the worker, which is reparented to it. Exit 0 when the worker
 * died by SIGKILL; 1 otherwise. Without the parent-death signal the worker
 * would stay blocked: a bound of 60 s for the whole run ends such a failing
 * run (it is never reached by a passing one), and leaving then closes the
 * FIFO, which ends the worker's write. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t tool = -1, stage;

static void timed_out(int sig) {
  (void)sig;
  static const char *const msgs[] = {
      "reaper: no text came from the tool within 60 s\n",
      "reaper: libwabt's worker still alive after the tool's death (60 s bound)\n"};
  const char *m = msgs[stage];
  if (tool > 0) kill(tool, SIGKILL);
  if (write(STDOUT_FILENO, m, strlen(m)) < 0) _exit(1);
  _exit(1);
}

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: reaper FIFO CLI ARGS...\n");
    return 2;
  }
  if (prctl(PR_SET_CHILD_SUBREAPER, 1) != 0) return perror("prctl"), 2;
  /* Read and write: the tool's open for writing does not wait, and a read
   * here waits for data (never an end of file before the tool opens it). */
  const int fifo = open(argv[1], O_RDWR);
  if (fifo < 0) return perror(argv[1]), 2;
  signal(SIGALRM, timed_out);
  alarm(60);
  const pid_t pid = fork();
  if (pid < 0) return perror("fork"), 2;
  if (pid == 0) {
    close(fifo);
    execv(argv[2], argv + 2);
    _exit(127);
  }
  tool = pid;
  char c;
  while (read(fifo, &c, 1) < 0 && errno == EINTR) {
  }
  stage = 1;
  kill(pid, SIGKILL);
  int st;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  tool = -1;
  const pid_t worker = waitpid(-1, &st, 0);
  if (worker < 0) {
    printf("reaper: no worker to wait for: %s\n", strerror(errno));
    return 1;
  }
  if (!WIFSIGNALED(st) || WTERMSIG(st) != SIGKILL) {
    printf("reaper: the worker (pid %d) ended, but not by SIGKILL\n", (int)worker);
    return 1;
  }
  printf("reaper: the worker (pid %d) died by SIGKILL with the tool\n", (int)worker);
  return 0;
}
