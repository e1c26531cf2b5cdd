/* ABI facts that planners, encoders and the verifier share (src/abi.c):
 * export roles by name alone
 * (docs/abi.md, "The name rules, without a world"),
 * hook codes per role (docs/abi.md, "Hook codes") and the names of export
 * kinds. The byte-string name helpers they are built on are in name.h. The
 * names of roles, reasons and ABIs are public (taskwrap.h). */
#ifndef TW_ABI_H
#define TW_ABI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "taskwrap.h"

/* The role an export has by its name alone: the hook names of both ABIs and
 * the other roles of docs/abi.md, "Export roles". Post-return needs the
 * other exports and is decided by the caller (taskhook.c). */
tw_role tw_classify_name(const uint8_t *name, size_t len);

/* Hook codes of a role under an ABI, in call order, as taskwrap.h numbers
 * them (TW_HOOK_*, TW_HOOK_CALLBACK_RESULT); returns how many (0: the role
 * is not wrapped). */
uint8_t tw_role_hook_codes(tw_role role, tw_abi abi, bool async_init, uint8_t codes[2]);

/* "func", "table", "memory", "global", "tag" (or "?"). */
const char *tw_kind_name(uint8_t kind);

#endif /* TW_ABI_H */
