// libwabt behind the C interface of wabt_bridge.h. Exceptions never cross it:
// allocation failures become TW_WABT_NOMEM. Every call runs libwabt in a
// child process (see isolated()), because libwabt 1.0.32 aborts on assertions
// for some inputs, and that must not take wasm-taskwrap down with it.
#include "wabt_bridge.h"

#include "platform.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <vector>

#include "wabt/apply-names.h"
#include "wabt/binary-reader-ir.h"
#include "wabt/binary-reader.h"
#include "wabt/binary-writer.h"
#include "wabt/feature.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/validator.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"
#include "wabt/wat-writer.h"

namespace {

wabt::Features all_features() {
  wabt::Features f;
  f.EnableAll();
  return f;
}

// Every feature but two: wabt 1.0.32's function-references mode is the
// pre-standard draft (call_ref without a type index; ref.func typed so that
// plain MVP modules such as the spec's ref_func and table_grow fail), and it
// trips assertions inside libwabt on fuzzed input; its GC mode is a stub.
// Modules that need either are reported as "cannot verify fully".
wabt::Features stable_features() {
  wabt::Features f = all_features();
  f.disable_function_references();
  f.disable_gc();
  return f;
}

// Messages with which wabt 1.0.32 refuses valid modules of later proposals:
// these mean "cannot verify", not "invalid".
const char* known_gap(const std::string& message) {
  static const struct {
    const char* message;
    const char* feature;
  } gaps[] = {
      {"initializer expression can only reference an imported global",
       "constant expressions that read module-defined globals (GC proposal)"},
      // Opcodes of typed function references and GC, which libwabt 1.0.32
      // reads only in its pre-standard form, if at all.
      {"unexpected opcode: 0x14", "typed function references (call_ref)"},
      {"unexpected opcode: 0x15", "typed function references (return_call_ref)"},
      {"unexpected opcode: 0xd4", "typed function references (ref.as_non_null)"},
      {"unexpected opcode: 0xd5", "typed function references (br_on_null)"},
      {"unexpected opcode: 0xd6", "typed function references (br_on_non_null)"},
      {"unexpected opcode: 0xfb", "GC instructions"},
  };
  for (const auto& g : gaps)
    if (message.find(g.message) != std::string::npos) return g.feature;
  return nullptr;
}

// wabt's Location keeps line/column and offset in a union, and names a file
// for binary input too: the caller says which kind of source it read.
void set_diag(tw_wabt_diag* diag, const wabt::Errors& errors, bool binary, const char* fallback) {
  if (!diag) return;
  std::memset(diag, 0, sizeof *diag);
  if (errors.empty()) {
    std::snprintf(diag->message, sizeof diag->message, "%s", fallback);
    return;
  }
  const wabt::Error& e = errors.front();  // the first error wins
  std::snprintf(diag->message, sizeof diag->message, "%s", e.message.c_str());
  if (binary) {
    diag->offset = e.loc.offset;
  } else {
    diag->line = e.loc.line;
    diag->column = e.loc.first_column;
  }
}

// Read a binary module into IR. Custom-section errors are not module errors
// (the spec lets engines ignore custom sections), so they do not fail here.
wabt::Result read_binary(const wabt::Features& features, const uint8_t* data, size_t size,
                         bool names, wabt::Errors* errors, wabt::Module* module) {
  wabt::ReadBinaryOptions options(features, nullptr, names,
                                  /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  return wabt::ReadBinaryIr("module", data, size, options, errors, module);
}

template <typename F>
tw_wabt_status guarded(tw_wabt_diag* diag, F f) {
  try {
    return f();
  } catch (const std::bad_alloc&) {
    if (diag) std::snprintf(diag->message, sizeof diag->message, "out of memory in libwabt");
    return TW_WABT_NOMEM;
  }
}

}  // namespace

extern "C" int tw_wabt_available(void) { return 1; }

namespace {

tw_wabt_status validate_with(const wabt::Features& features, const uint8_t* data, size_t size,
                             tw_wabt_diag* diag) {
  wabt::Errors errors;
  wabt::Module module;
  if (wabt::Failed(read_binary(features, data, size, false, &errors, &module))) {
    set_diag(diag, errors, true, "libwabt could not read the module");
    if (const char* gap = errors.empty() ? nullptr : known_gap(errors.front().message)) {
      std::snprintf(diag->message, sizeof diag->message, "%s", gap);
      return TW_WABT_GAP;
    }
    return TW_WABT_UNREADABLE;
  }
  wabt::ValidateOptions validate(features);
  if (wabt::Succeeded(wabt::ValidateModule(&module, &errors, validate))) return TW_WABT_OK;
  // libwabt 1.0.32 can fail validation without reporting any error (a bare
  // call_ref, found by fuzzing): set_diag then says so generically.
  set_diag(diag, errors, true, "libwabt rejected the module without saying why");
  if (const char* gap = errors.empty() ? nullptr : known_gap(errors.front().message)) {
    std::snprintf(diag->message, sizeof diag->message, "%s", gap);
    return TW_WABT_GAP;
  }
  return TW_WABT_INVALID;
}

}  // namespace

namespace {

bool write_all(int fd, const void* p, size_t n) {
  const char* c = static_cast<const char*>(p);
  while (n > 0) {
    const ssize_t w = write(fd, c, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    c += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

using Work = tw_wabt_status (*)(const void* ctx, std::vector<uint8_t>* out, tw_wabt_diag* diag);

// The worker's first steps. It must not outlive its parent (a worker
// writing text for a parent killed by SIGKILL would run on, and write on):
// tw_plat_worker_start ends it when the parent dies (platform.h). A write
// past the file size limit is an error of the write (EFBIG), reported to
// the parent, not a death by SIGXFSZ that would read as a libwabt crash.
void become_worker(pid_t parent) { tw_plat_worker_start(static_cast<long>(parent)); }

// The signals a process raises itself: an assertion's abort, a fault. Any
// other came from outside (kill -9, the OOM killer) and says nothing of the
// module.
bool raised_by_worker(int sig) {
  return sig == SIGABRT || sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL ||
         sig == SIGTRAP || sig == SIGSYS;
}

// Run `work` in a forked child and bring its status, diagnostic and output
// back through a pipe. Found by fuzzing: libwabt 1.0.32 has assertions that
// fire on some modules (a bare call_ref, out-of-range local names, ...); in
// the child such an abort is a result (TW_WABT_CRASHED), not our crash. If
// the child cannot be made, the work runs here instead. The parent always
// reaps it.
tw_wabt_status isolated(Work work, const void* ctx, std::vector<uint8_t>* out,
                        tw_wabt_diag* diag, int (*stop)(void) = nullptr) {
  int fds[2];
  if (pipe(fds) != 0) return guarded(diag, [&] { return work(ctx, out, diag); });
  std::fflush(nullptr);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    return guarded(diag, [&] { return work(ctx, out, diag); });
  }
  if (pid == 0) {
    become_worker(parent);
    close(fds[0]);
    // libwabt's assertion text is not for our users: the parent reports it.
    const int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) dup2(devnull, STDERR_FILENO);
    tw_wabt_diag d = {};
    std::vector<uint8_t> bytes;
    const int32_t st = guarded(&d, [&] { return work(ctx, &bytes, &d); });
    const uint64_t n = bytes.size();
    const bool ok = write_all(fds[1], &st, sizeof st) && write_all(fds[1], &d, sizeof d) &&
                    write_all(fds[1], &n, sizeof n) && write_all(fds[1], bytes.data(), bytes.size());
    _exit(ok ? 0 : 1);
  }
  close(fds[1]);
  std::vector<uint8_t> msg;
  uint8_t buf[1 << 16];
  bool nomem = false;
  for (;;) {
    if (stop) {  // poll first: the worker may run for seconds
      pollfd pfd = {fds[0], POLLIN, 0};
      const int ready = poll(&pfd, 1, 100);
      if (ready == 0 && stop()) {
        kill(pid, SIGKILL);
        close(fds[0]);
        while (waitpid(pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        if (diag) std::snprintf(diag->message, sizeof diag->message, "stopped");
        return TW_WABT_STOPPED;
      }
      if (ready <= 0) continue;
    }
    const ssize_t r = read(fds[0], buf, sizeof buf);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    try {
      msg.insert(msg.end(), buf, buf + r);
    } catch (const std::bad_alloc&) {
      nomem = true;  // keep draining so the child can finish
    }
  }
  close(fds[0]);
  int wst = 0;
  while (waitpid(pid, &wst, 0) < 0 && errno == EINTR) {
  }
  const size_t header = sizeof(int32_t) + sizeof(tw_wabt_diag) + sizeof(uint64_t);
  if (nomem) {
    if (diag) std::snprintf(diag->message, sizeof diag->message, "out of memory in libwabt");
    return TW_WABT_NOMEM;
  }
  if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0 || msg.size() < header) {
    if (diag) {
      std::memset(diag, 0, sizeof *diag);
      if (WIFSIGNALED(wst) && raised_by_worker(WTERMSIG(wst)))
        std::snprintf(diag->message, sizeof diag->message,
                      "libwabt 1.0.32 aborted on this module (signal %d, a libwabt bug)",
                      WTERMSIG(wst));
      else if (WIFSIGNALED(wst))
        std::snprintf(diag->message, sizeof diag->message,
                      "libwabt's worker process was killed by signal %d (%s), not by the "
                      "module (out of memory, or a kill from outside)",
                      WTERMSIG(wst), tw_plat_signal_name(WTERMSIG(wst)));
      else
        std::snprintf(diag->message, sizeof diag->message, "libwabt's worker process failed");
    }
    return TW_WABT_CRASHED;
  }
  int32_t st = 0;
  uint64_t n = 0;
  std::memcpy(&st, msg.data(), sizeof st);
  if (diag) std::memcpy(diag, msg.data() + sizeof st, sizeof *diag);
  if (diag) diag->message[sizeof diag->message - 1] = 0;
  std::memcpy(&n, msg.data() + sizeof st + sizeof(tw_wabt_diag), sizeof n);
  if (n != msg.size() - header) return TW_WABT_CRASHED;
  if (out) out->assign(msg.begin() + static_cast<std::ptrdiff_t>(header), msg.end());
  return static_cast<tw_wabt_status>(st);
}

struct Bytes {
  const uint8_t* data;
  size_t size;
};

struct Text {
  const char* filename;
  const uint8_t* data;
  size_t size;
};

struct Names {
  const uint8_t* data;
  size_t size;
  bool names;
};

tw_wabt_status do_validate(const void* ctx, std::vector<uint8_t>*, tw_wabt_diag* diag) {
  const Bytes* b = static_cast<const Bytes*>(ctx);
  return validate_with(stable_features(), b->data, b->size, diag);
}

tw_wabt_status do_wat_to_wasm(const void* ctx, std::vector<uint8_t>* out, tw_wabt_diag* diag) {
  const Text* t = static_cast<const Text*>(ctx);
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer(t->filename, t->data, t->size, &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::WastParseOptions parse_options(all_features());
  wabt::Result r = wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options);
  if (wabt::Succeeded(r)) {
    wabt::ValidateOptions options(all_features());
    r = wabt::ValidateModule(module.get(), &errors, options);
  }
  if (wabt::Failed(r)) {
    set_diag(diag, errors, false, "libwabt could not parse the text");
    return TW_WABT_INVALID;
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options(all_features(), /*canonicalize_lebs=*/true,
                                         /*relocatable=*/false, /*write_debug_names=*/true);
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    set_diag(diag, errors, false, "libwabt could not encode the module");
    return TW_WABT_INVALID;
  }
  *out = stream.output_buffer().data;
  return TW_WABT_OK;
}

tw_wabt_status do_wasm_to_wat(const void* ctx, std::vector<uint8_t>* out, tw_wabt_diag* diag) {
  const Names* n = static_cast<const Names*>(ctx);
  wabt::Errors errors;
  wabt::Module module;
  if (wabt::Failed(read_binary(all_features(), n->data, n->size, n->names, &errors, &module))) {
    set_diag(diag, errors, true, "libwabt could not read the module");
    return TW_WABT_INVALID;
  }
  if (n->names) wabt::ApplyNames(&module);  // as wasm2wat does; failure only loses names
  wabt::MemoryStream stream;
  wabt::WriteWatOptions options;
  if (wabt::Failed(wabt::WriteWat(&stream, &module, options))) {
    set_diag(diag, errors, true, "libwabt could not write the text");
    return TW_WABT_INVALID;
  }
  *out = stream.output_buffer().data;
  return TW_WABT_OK;
}

struct NamesFd {
  const uint8_t* data;
  size_t size;
  bool names;
  int fd;
};

// In the worker: the text straight into the caller's descriptor.
tw_wabt_status do_wasm_to_wat_fd(const void* ctx, std::vector<uint8_t>*, tw_wabt_diag* diag) {
  const NamesFd* n = static_cast<const NamesFd*>(ctx);
  wabt::Errors errors;
  wabt::Module module;
  if (wabt::Failed(read_binary(all_features(), n->data, n->size, n->names, &errors, &module))) {
    set_diag(diag, errors, true, "libwabt could not read the module");
    return TW_WABT_INVALID;
  }
  if (n->names) wabt::ApplyNames(&module);
  const int fd = dup(n->fd);
  FILE* f = fd >= 0 ? fdopen(fd, "w") : nullptr;
  if (!f) {
    if (fd >= 0) close(fd);
    std::snprintf(diag->message, sizeof diag->message, "cannot write the text: %s",
                  std::strerror(errno));
    return TW_WABT_IO;
  }
  tw_wabt_status st = TW_WABT_OK;
  {
    wabt::FileStream stream(f);
    wabt::WriteWatOptions options;
    if (wabt::Failed(wabt::WriteWat(&stream, &module, options))) {
      set_diag(diag, errors, true, "libwabt could not write the text");
      st = TW_WABT_INVALID;
    }
  }
  if (std::fflush(f) != 0 || std::ferror(f)) {
    std::snprintf(diag->message, sizeof diag->message, "cannot write the text: %s",
                  std::strerror(errno));
    st = TW_WABT_IO;
  }
  std::fclose(f);
  return st;
}

// Hand a result to C: malloc'ed, with a NUL after it for text.
bool to_c(const std::vector<uint8_t>& v, void** out, size_t* out_size) {
  char* p = static_cast<char*>(std::malloc(v.size() + 1));
  if (!p) return false;
  if (!v.empty()) std::memcpy(p, v.data(), v.size());
  p[v.size()] = 0;
  *out = p;
  *out_size = v.size();
  return true;
}

}  // namespace

extern "C" tw_wabt_status tw_wabt_validate(const uint8_t* data, size_t size,
                                           tw_wabt_diag* diag) {
  const Bytes b = {data, size};
  return isolated(do_validate, &b, nullptr, diag);
}

extern "C" tw_wabt_status tw_wabt_wat_to_wasm(const char* filename, const uint8_t* text,
                                              size_t size, uint8_t** out, size_t* out_size,
                                              tw_wabt_diag* diag) {
  // A UTF-8 byte order mark is no part of the text, and libwabt's lexer
  // refuses it ("unexpected char"). Without it, the columns of line 1 count
  // from the first character, as an editor counts them.
  static const uint8_t bom[] = {0xef, 0xbb, 0xbf};
  if (size >= sizeof bom && std::memcmp(text, bom, sizeof bom) == 0) {
    text += sizeof bom;
    size -= sizeof bom;
  }
  const Text t = {filename, text, size};
  std::vector<uint8_t> bytes;
  const tw_wabt_status st = isolated(do_wat_to_wasm, &t, &bytes, diag);
  if (st != TW_WABT_OK) return st;
  void* p = nullptr;
  if (!to_c(bytes, &p, out_size)) return TW_WABT_NOMEM;
  *out = static_cast<uint8_t*>(p);
  return TW_WABT_OK;
}

extern "C" tw_wabt_status tw_wabt_wasm_to_wat(const uint8_t* data, size_t size, char** out,
                                              size_t* out_size, tw_wabt_diag* diag) {
  std::vector<uint8_t> text;
  Names n = {data, size, true};
  tw_wabt_status st = isolated(do_wasm_to_wat, &n, &text, diag);
  if (st == TW_WABT_CRASHED) {
    // The known aborts come from the name section (out-of-range local
    // names): the text without names is still worth having.
    n.names = false;
    st = isolated(do_wasm_to_wat, &n, &text, diag);
  }
  if (st != TW_WABT_OK) return st;
  void* p = nullptr;
  if (!to_c(text, &p, out_size)) return TW_WABT_NOMEM;
  *out = static_cast<char*>(p);
  return TW_WABT_OK;
}

extern "C" tw_wabt_status tw_wabt_wasm_to_wat_fd(const uint8_t* data, size_t size, int names,
                                                 int fd, int (*stop)(void), tw_wabt_diag* diag) {
  const NamesFd n = {data, size, names != 0, fd};
  return isolated(do_wasm_to_wat_fd, &n, nullptr, diag, stop);
}
