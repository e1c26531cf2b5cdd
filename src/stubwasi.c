/* The --stub-wasi planner: every wasi_snapshot_preview1 function import
 * becomes an in-module stub (stubs.c), appended after the defined
 * functions; with --stub-wasi-output, fd_write to fd 1 and 2 also calls one
 * added import. Removing imports renumbers the function space: the edit's
 * one numbering (edit.c) and the emitter's patching (renumber.c) take care
 * of every index. */
#include <string.h>

#include "cursor.h"
#include "edit.h"
#include "err.h"
#include "module.h"
#include "name.h"
#include "opcodes.h"
#include "plan.h"
#include "section.h"
#include "stubs.h"
#include "taskwrap.h"
#include "wasifs.h"

static const char wasi_module[] = TW_WASI_MODULE;

static bool check_memory(const tw_module *m, const char *needs, tw_err *err) {
  if (!m->has_memory0) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi: the %s stub writes to memory 0, and the module has no memory", needs);
    return false;
  }
  if (m->memory0_is64) {
    tw_err_set(err, TW_ERR_UNSUPPORTED, 0,
               "--stub-wasi: memory 0 is a 64-bit memory; WASI preview 1 uses 32-bit pointers");
    return false;
  }
  return true;
}

static bool refuse_exit_export(const tw_module *m, tw_err *err) {
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    if (tw_name_is(m->data + x->name, x->name_len, TW_EXIT_CODE_GLOBAL)) {
      tw_err_set(err, TW_ERR_UNSUPPORTED, x->start,
                 "--stub-wasi: the module already exports \"%s\"", TW_EXIT_CODE_GLOBAL);
      return false;
    }
  }
  return true;
}

/* A command's _start that returns has exited with code 0: its export is
 * re-pointed at a function that calls it and then stores 0, so a host can
 * tell "returned" from "never ran" (-1) without knowing the convention. */
static bool plan_exit_on_return(tw_edit *e, tw_err *err) {
  const tw_module *m = e->m;
  for (uint32_t i = 0; i < m->nexports; i++) {
    const tw_export *x = &m->exports[i];
    tw_export_edit *xe = &e->exports[i];
    if (x->kind != TW_KIND_FUNC || xe->removed || xe->target == TW_NONE ||
        !tw_name_is(m->data + x->name, x->name_len, "_start"))
      continue;
    const tw_functype *t = tw_module_func_type(m, x->index);
    if (!t || t->nparams || t->nresults) continue; /* not WASI's _start: left alone */
    const tw_fn f = {.kind = TW_FN_EXIT, .type = tw_edit_fn_type(e, xe->target), .export_i = i,
                     .target = xe->target, .init = TW_NONE, .import_i = TW_NONE,
                     .import_func = TW_NONE};
    const uint32_t id = tw_edit_add_fn(e, &f, err);
    if (id == TW_NONE) return false;
    xe->exit = xe->target = id;
  }
  return true;
}

/* The input's data segment count: the data section's, or the data count
 * section's when there is no data section (0 without either). */
static bool input_data_count(const tw_module *m, uint32_t *n, tw_err *err) {
  *n = 0;
  for (int pass = 0; pass < 2; pass++)
    for (size_t i = 0; i < m->nsections; i++) {
      const tw_section *s = &m->sections[i];
      if (s->id != (pass == 0 ? TW_SEC_DATA : TW_SEC_DATACOUNT)) continue;
      tw_module_need(m, s->body, s->end - s->body < 5 ? s->end - s->body : 5);
      tw_cursor c = tw_cursor_make(m->data, s->body, s->end, err);
      return tw_read_u32(&c, n, "data segment count");
    }
  return true;
}

/* The options' embedded data, read and laid out; the segment the stubs
 * copy from is appended after the input's. */
static bool plan_embedded(tw_edit *e, const tw_options *o, unsigned *embedded, tw_err *err) {
  *embedded = 0;
  if (!o->stub_args_count && !o->stub_env_count && !o->stub_dirs_count) return true;
  e->wasi = tw_wasi_image_build(o, err);
  if (!e->wasi) return false;
  if (e->wasi->args.count) *embedded |= TW_EMBED_ARGS;
  if (e->wasi->env.count) *embedded |= TW_EMBED_ENV;
  if (e->wasi->npreopens) *embedded |= TW_EMBED_FILES;
  return input_data_count(e->m, &e->data_segment, err);
}

/* The stubs over embedded files: the table lookup function and the
 * descriptor slots, last of the globals (docs/abi.md, "Embedded WASI data"). */
static bool plan_files(tw_edit *e, tw_err *err) {
  const tw_fn rom = {.kind = TW_FN_ROM, .type = tw_edit_type(e, TW_TYPE_ROM),
                     .export_i = TW_NONE, .target = TW_NONE, .init = TW_NONE,
                     .import_i = TW_NONE, .import_func = TW_NONE};
  e->rom_fn = tw_edit_add_fn(e, &rom, err);
  if (e->rom_fn == TW_NONE) return false;
  int64_t init[TW_WASI_SLOTS];
  tw_wasi_slot_init(e->wasi, init);
  tw_edit_add_slots(e, init);
  return true;
}

bool tw_plan_stub_wasi(tw_edit *e, const tw_options *o, tw_err *err) {
  const char *out_module = o->stub_output_module, *out_name = o->stub_output_name;
  const tw_module *m = e->m;
  unsigned embedded = 0;
  if (!plan_embedded(e, o, &embedded, err)) return false;
  const char *needs = NULL;
  bool fd_write = false, clock = false, random = false, fs = false;
  uint32_t func = 0;
  for (uint32_t i = 0; i < m->nimports; i++) {
    const tw_import *im = &m->imports[i];
    if (im->kind != TW_KIND_FUNC) continue;
    const uint32_t f = func++;
    if (!tw_name_is(m->data + im->mod, im->mod_len, wasi_module)) continue;
    tw_fn s = {.kind = TW_FN_STUB, .type = im->type, .export_i = TW_NONE, .target = TW_NONE,
               .init = TW_NONE, .import_i = i, .import_func = f};
    s.stub = tw_stub_classify(m, m->data + im->name, im->name_len, tw_module_func_type(m, f),
                              embedded, &s.signature_mismatch);
    e->add_data |= tw_stub_uses_data(s.stub);
    if (tw_stub_needs_memory(s.stub) && !needs) needs = tw_stub_kind_name(s.stub);
    fd_write |= s.stub == TW_STUB_FD_WRITE;
    clock |= s.stub == TW_STUB_CLOCK_TIME_GET;
    random |= s.stub == TW_STUB_RANDOM_GET;
    fs |= tw_stub_is_fs(s.stub);
    if (tw_edit_add_fn(e, &s, err) == TW_NONE) return false;
    e->import_removed[i] = true;
    e->nimports_removed++;
  }
  if (e->nstubs == 0) return true;
  if (needs && !check_memory(m, needs, err)) return false;
  if (!refuse_exit_export(m, err)) return false;
  if (out_module && out_name && fd_write) {
    const tw_fn imp = {.kind = TW_FN_IMPORT, .type = tw_edit_type(e, TW_TYPE_OUTPUT),
                       .export_i = TW_NONE, .target = TW_NONE, .init = TW_NONE,
                       .import_i = TW_NONE, .import_func = TW_NONE, .imp_module = out_module,
                       .imp_name = out_name};
    if (tw_edit_add_fn(e, &imp, err) == TW_NONE) return false;
  }
  /* Always there, so hosts can rely on it; then the stubs' state. */
  tw_edit_add_global(e, TW_GLOBAL_EXIT, VT_I32, -1);
  if (clock) tw_edit_add_global(e, TW_GLOBAL_CLOCK, VT_I64, TW_STUB_CLOCK_START - TW_STUB_CLOCK_STEP);
  if (random) tw_edit_add_global(e, TW_GLOBAL_RANDOM, VT_I64, TW_STUB_RANDOM_SEED);
  e->add_exit_export = true;
  if (fs && !plan_files(e, err)) return false;
  return plan_exit_on_return(e, err);
}

bool tw_plan_refuse_relocatable(const tw_module *m, tw_err *err) {
  for (size_t i = 0; i < m->nsections; i++) {
    const tw_section *s = &m->sections[i];
    if (tw_section_named(m, s, "linking", true) || tw_section_named(m, s, "reloc.", false)) {
      char name[64];
      tw_name_describe(m->data + s->name_start, s->name_len, name, sizeof name);
      tw_err_set(err, TW_ERR_UNSUPPORTED, s->start,
                 "a relocatable object file (custom section \"%s\"): run wasm-taskwrap on "
                 "wasm-ld's output", name);
      return false;
    }
  }
  return true;
}

void tw_plan_strip_debug(tw_edit *e) {
  const tw_module *m = e->m;
  for (size_t i = 0; i < m->nsections; i++) {
    if (!tw_section_named(m, &m->sections[i], ".debug_", false)) continue;
    e->drop_section[i] = true;
    e->dropped_debug = e->changes = true;
  }
}
