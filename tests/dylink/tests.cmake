# dylink: shared libraries (dylink.0), each rewritten by wasm-taskwrap and
# linked by `wasm-tools component link` (wit-component 0.262), run in
# wasmtime 49 against the same libraries linked as they were.
# Tools (TW_NODE, TW_WASM_TOOLS, TW_WASMTIME, TW_CLANG, TW_WASM_LD):
# tests/tools.cmake.
#
# dylink-fixtures           wit-component's two link fixtures and runnable
#                           variants of them (fixtures.mjs)
# dylink-fixtures-selfcheck broken library sets must fail there
# dylink-diff-*             random sets of 2..4 libraries (diff.mjs, gen.mjs)
# dylink-diff-sabotage-*    sabotaged rewrites must be caught
# dylink-c                  C shared libraries built by clang 14 (c.mjs)
set(TW_DYLINK_WORK "${CMAKE_CURRENT_BINARY_DIR}/dylink")
set(TW_DYLINK_TOOLS ${TW_CLI} ${TW_WASM_TOOLS} ${TW_WASMTIME})

foreach(mode run selfcheck)
  set(name dylink-fixtures)
  if(mode STREQUAL "selfcheck")
    set(name dylink-fixtures-selfcheck)
  endif()
  add_test(NAME ${name}
    COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/fixtures.mjs ${mode} ${TW_DYLINK_TOOLS}
            ${TW_SHARED}/wit-component ${TW_DYLINK_WORK}/${name})
  set_tests_properties(${name} PROPERTIES TIMEOUT 300 LABELS dylink)
endforeach()

# The random differential: 36 seeds in two parts (run in parallel), and
# each sabotage on 6 seeds (every seed it applies to must be caught).
set(TW_DYLINK_DIFF ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/diff.mjs --taskwrap ${TW_CLI}
    --wasm-tools ${TW_WASM_TOOLS} --wasmtime ${TW_WASMTIME})
foreach(range "1..18" "19..36")
  string(REPLACE ".." "-" name "${range}")
  add_test(NAME dylink-diff-${name}
    COMMAND ${TW_DYLINK_DIFF} --seeds ${range} --work ${TW_DYLINK_WORK}/diff-${name})
  set_tests_properties(dylink-diff-${name} PROPERTIES TIMEOUT 300 LABELS dylink)
endforeach()
foreach(kind hook-code not-rewritten hook-public)
  add_test(NAME dylink-diff-sabotage-${kind}
    COMMAND ${TW_DYLINK_DIFF} --seeds 1..6 --sabotage ${kind} --work ${TW_DYLINK_WORK}/sabotage-${kind})
  set_tests_properties(dylink-diff-sabotage-${kind} PROPERTIES TIMEOUT 300 LABELS dylink)
endforeach()

add_test(NAME dylink-c
  COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/c.mjs ${TW_CLI} $<TARGET_FILE:wasm-taskwrap-ld>
          ${TW_CLANG} ${TW_WASM_LD} ${TW_WASM_TOOLS} ${TW_WASMTIME} ${TW_DYLINK_WORK}/c)
set_tests_properties(dylink-c PROPERTIES TIMEOUT 300 LABELS dylink)
