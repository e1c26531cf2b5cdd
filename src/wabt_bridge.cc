// libwabt behind the C interface of wabt_bridge.h. Exceptions never cross it:
// allocation failures become TW_WABT_NOMEM.
#include "wabt_bridge.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

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

// wabt 1.0.32's function-references mode types `ref.func` as (ref $t) and
// then refuses it where funcref is expected, in plain MVP modules (the spec
// suite's ref_func, table_grow); its GC mode is a stub. Validating first
// without those two, then with everything, accepts what either accepts.
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
wabt::Result read_binary(const uint8_t* data, size_t size, bool names, wabt::Errors* errors,
                         wabt::Module* module) {
  wabt::ReadBinaryOptions options(all_features(), nullptr, names,
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
  wabt::ReadBinaryOptions options(features, nullptr, false, /*stop_on_first_error=*/true,
                                  /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::ReadBinaryIr("module", data, size, options, &errors, &module))) {
    set_diag(diag, errors, true, "libwabt could not read the module");
    return TW_WABT_UNREADABLE;
  }
  wabt::ValidateOptions validate(features);
  if (wabt::Succeeded(wabt::ValidateModule(&module, &errors, validate))) return TW_WABT_OK;
  set_diag(diag, errors, true, "libwabt rejected the module");
  if (const char* gap = known_gap(errors.front().message)) {
    std::snprintf(diag->message, sizeof diag->message, "%s", gap);
    return TW_WABT_GAP;
  }
  return TW_WABT_INVALID;
}

}  // namespace

extern "C" tw_wabt_status tw_wabt_validate(const uint8_t* data, size_t size,
                                           tw_wabt_diag* diag) {
  return guarded(diag, [&] {
    tw_wabt_diag first = {};
    const tw_wabt_status st = validate_with(stable_features(), data, size, &first);
    if (st == TW_WABT_OK) return st;
    if (validate_with(all_features(), data, size, diag) == TW_WABT_OK) return TW_WABT_OK;
    if (diag) *diag = first;  // report the first attempt: the common features
    return st;
  });
}

extern "C" tw_wabt_status tw_wabt_wat_to_wasm(const char* filename, const uint8_t* text,
                                              size_t size, uint8_t** out, size_t* out_size,
                                              tw_wabt_diag* diag) {
  return guarded(diag, [&] {
    wabt::Errors errors;
    std::unique_ptr<wabt::WastLexer> lexer =
        wabt::WastLexer::CreateBufferLexer(filename, text, size, &errors);
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
    const std::vector<uint8_t>& bytes = stream.output_buffer().data;
    *out = static_cast<uint8_t*>(std::malloc(bytes.size() ? bytes.size() : 1));
    if (!*out) throw std::bad_alloc();
    if (!bytes.empty()) std::memcpy(*out, bytes.data(), bytes.size());
    *out_size = bytes.size();
    return TW_WABT_OK;
  });
}

extern "C" tw_wabt_status tw_wabt_wasm_to_wat(const uint8_t* data, size_t size, char** out,
                                              size_t* out_size, tw_wabt_diag* diag) {
  return guarded(diag, [&] {
    wabt::Errors errors;
    wabt::Module module;
    if (wabt::Failed(read_binary(data, size, true, &errors, &module))) {
      set_diag(diag, errors, true, "libwabt could not read the module");
      return TW_WABT_INVALID;
    }
    wabt::ApplyNames(&module);  // as wasm2wat does; failure only loses names
    wabt::MemoryStream stream;
    wabt::WriteWatOptions options;
    if (wabt::Failed(wabt::WriteWat(&stream, &module, options))) {
      set_diag(diag, errors, true, "libwabt could not write the text");
      return TW_WABT_INVALID;
    }
    const std::vector<uint8_t>& text = stream.output_buffer().data;
    *out = static_cast<char*>(std::malloc(text.size() + 1));
    if (!*out) throw std::bad_alloc();
    if (!text.empty()) std::memcpy(*out, text.data(), text.size());
    (*out)[text.size()] = 0;
    *out_size = text.size();
    return TW_WABT_OK;
  });
}
