# End-to-end tests through the real consumer: npm @bytecodealliance/jco
# 1.35.0 (wit-component 0.259.0), pinned in tests/e2e/package-lock.json.
# e2e-setup installs it with `npm ci` into the build dir (needs the npm
# registry the first time; skipped while node_modules matches the lock).
# package-lock.json comes from `npm install --save-exact @bytecodealliance/jco@1.35.0`
# (npm 11.19). The registry this was made with returned 404 for 20 optional
# platform binaries of other systems (@rolldown/binding-*, componentize-qjs
# and jco-node-fs for darwin/win32/musl/...); npm then leaves them out of the
# lock and `npm ci` rejects it ("Missing: ... from lock file"). Their
# entries were added by hand: version, optional, os/cpu/libc, no integrity.
# Tools (TW_NODE, TW_NPM, TW_WAT2WASM, TW_BASH): tests/tools.cmake.

set(TW_E2E_DIR "${CMAKE_CURRENT_BINARY_DIR}/e2e")

add_test(NAME e2e-setup
  COMMAND ${TW_BASH} -c [[
    set -e
    src=$1 dir=$2 npm=$3
    mkdir -p "$dir"
    if cmp -s "$src/package.json" "$dir/package.json" &&
       cmp -s "$src/package-lock.json" "$dir/node_modules/.e2e-lock"; then
      echo "e2e: node_modules up to date"; exit 0
    fi
    cp "$src/package.json" "$src/package-lock.json" "$dir/"
    cd "$dir"
    "$npm" ci --no-audit --no-fund --ignore-scripts
    cp "$src/package-lock.json" node_modules/.e2e-lock
  ]] e2e-setup ${CMAKE_CURRENT_LIST_DIR} ${TW_E2E_DIR} ${TW_NPM})
set_tests_properties(e2e-setup PROPERTIES
  FIXTURES_SETUP tw_e2e_npm TIMEOUT 900 LABELS e2e)

foreach(scenario task-hook init-task)
  add_test(NAME e2e-${scenario}
    COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/run.mjs ${scenario}
            ${TW_CLI} ${TW_WAT2WASM} ${TW_E2E_DIR}/work-${scenario})
  set_tests_properties(e2e-${scenario} PROPERTIES
    FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS e2e)
endforeach()

# e2e-cm32p2: the standard name mangling, hooked as wit-component 0.259 hooks it.
add_test(NAME e2e-cm32p2
  COMMAND ${TW_NODE} ${CMAKE_CURRENT_LIST_DIR}/cm32p2.mjs ${TW_CLI} ${TW_WAT2WASM}
          ${TW_E2E_DIR}/work-cm32p2)
set_tests_properties(e2e-cm32p2 PROPERTIES FIXTURES_REQUIRED tw_e2e_npm TIMEOUT 300 LABELS e2e)
