# Compare wasm-taskwrap's in-module wrappers, instruction for instruction, with
# the wrapper functions of wit-component's auxiliary core modules in the golden
# component.wat files of ${TW_SHARED}/wit-component (see compare.mjs).
# Tools (TW_NODE, TW_WAT2WASM, TW_WASM2WAT): tests/tools.cmake.

set(TW_WITC_COMPARE ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/compare.mjs
    --cli ${TW_CLI} --wat2wasm ${TW_WAT2WASM} --wasm2wat ${TW_WASM2WAT})
set(TW_WITC ${TW_SHARED}/wit-component)

# Current ABI (wit-component 0.259.0): every wrapper must be equal.
add_test(NAME witc-v0.259-task-hook COMMAND ${TW_WITC_COMPARE}
         --fixture ${TW_WITC}/v0.259-task-hook --aux wit-component-fixup)
# Legacy init-task ABI; 0.254 also wraps _initialize, in $start-shim-module's start function.
add_test(NAME witc-v0.245-init-task COMMAND ${TW_WITC_COMPARE} --abi init-task
         --fixture ${TW_WITC}/v0.245-init-task --aux init-task-wrappers)
add_test(NAME witc-v0.254-init-task-initialize COMMAND ${TW_WITC_COMPARE} --abi init-task
         --fixture ${TW_WITC}/v0.254-init-task-initialize --aux init-task-wrappers --aux start-shim-module)

# wit-component 0.257 hooked post-return functions (codes 10/11) and kept H(1)
# after a sync export that has a cabi_post_<N>; 0.259 dropped that. Those two
# wrappers per fixture must differ (--known-diff); all others (realloc 12/13 on
# cabi_import_realloc / cabi_export_realloc / cabi_realloc, dtor, sync, async)
# must still be equal. The -async fixture has 88 imports, so it also checks
# that wrapper and hook indices are right past an import section.
add_test(NAME witc-v0.257-task-hook COMMAND ${TW_WITC_COMPARE}
         --fixture ${TW_WITC}/v0.257-task-hook --aux wit-component-fixup
         --known-diff sync --known-diff cabi_post_sync)
add_test(NAME witc-v0.257-realloc-task-hook COMMAND ${TW_WITC_COMPARE}
         --fixture ${TW_WITC}/v0.257-realloc-task-hook --aux wit-component-fixup
         --known-diff takes-and-returns --known-diff cabi_post_takes-and-returns)
add_test(NAME witc-v0.257-realloc-task-hook-async COMMAND ${TW_WITC_COMPARE}
         --fixture ${TW_WITC}/v0.257-realloc-task-hook-async --aux wit-component-fixup)

# Self-tests: corrupt our side on purpose (reorder the last two instructions,
# lose a wrapper, use another hook code / the other init function); each passes
# only if the comparison reports the corruption.
foreach(mutation swap drop hook)
  add_test(NAME witc-selftest-v0.259-${mutation} COMMAND ${TW_WITC_COMPARE} --mutate ${mutation}
           --fixture ${TW_WITC}/v0.259-task-hook --aux wit-component-fixup)
endforeach()
foreach(mutation drop hook)
  add_test(NAME witc-selftest-v0.245-${mutation} COMMAND ${TW_WITC_COMPARE} --mutate ${mutation} --abi init-task
           --fixture ${TW_WITC}/v0.245-init-task --aux init-task-wrappers)
endforeach()

# Tests against wit-component itself, each with its self-test: NAME's script
# runs as `SCRIPT ARGS... WORKDIR` and as `SCRIPT ARGS... WORKDIR --sabotage`,
# which corrupts our side on purpose and passes only if that is caught.
function(tw_witc_against name script)
  foreach(mode run sabotage)
    set(flag)
    if(mode STREQUAL sabotage)
      set(flag --sabotage)
    endif()
    add_test(NAME witc-${name}-${mode}
      COMMAND ${TW_NODE} ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/${script} ${ARGN}
              ${CMAKE_CURRENT_BINARY_DIR}/witc-${name}-${mode} ${flag})
    set_tests_properties(witc-${name}-${mode} PROPERTIES FIXTURES_REQUIRED tw_e2e_npm
                         TIMEOUT 300 LABELS witc)
  endforeach()
endfunction()

# The world-driven golden fixtures (fixtures/world-*.wat, embedded with
# wasm-tools) against wit-component 0.262 and 0.259: the same exports
# wrapped with the same hook codes, and none left for wit-component in the
# rewritten module (world-fixtures.mjs). Sabotage: one wrapped export dropped.
tw_witc_against(world-fixtures world-fixtures.mjs ${TW_CLI} ${TW_WAT2WASM} ${TW_WASM_TOOLS} ${TW_E2E_DIR})

# A real module with an embedded world: StarlingMonkey's embedding from
# componentize-js 0.22.0 (in jco's node_modules), hook export added:
# wit-component 0.259 and 0.262 wrap 4 of its 20 exports, and so must we
# (real-module.mjs). Sabotage: one unlifted export wrapped.
tw_witc_against(real-module real-module.mjs ${TW_CLI} ${TW_WASM_TOOLS} ${TW_E2E_DIR})
