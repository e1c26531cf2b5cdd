# Robustness against the spec testsuite's refused modules (items 1
# and 2): every assert_malformed binary module is refused (by --verify=fast,
# or, where wasm-taskwrap copies the malformed part as bytes, by
# --verify=full), every assert_invalid module is refused by --verify=full, and
# nothing crashes (in the TW_SANITIZE build a sanitizer report is a crash).
# The modules are converted at test time by build-lists.sh (the approach of
# tests/corpus/build-corpus.sh). --verify=full needs libwabt.
if(TW_WITH_WABT)
  # Tools (TW_BASH, TW_WAST2JSON): tests/tools.cmake.

  # The driver uses only the public header; with TW_SANITIZE it gets the
  # sanitizer flags from the global compile and link options.
  add_executable(tw_robust_reject ${CMAKE_CURRENT_LIST_DIR}/reject.c)
  target_link_libraries(tw_robust_reject PRIVATE taskwrap)
  target_include_directories(tw_robust_reject PRIVATE ${PROJECT_SOURCE_DIR}/tests/common)

  set(TW_ROBUST_DIR ${CMAKE_CURRENT_BINARY_DIR}/robust)
  # Refusals the spec testsuite makes that a later standard lifted, and
  # invalid modules libwabt 1.0.32 accepts: listed by name, with reasons.
  set(TW_ROBUST_KNOWN --known ${CMAKE_CURRENT_LIST_DIR}/superseded.txt
                      --known ${CMAKE_CURRENT_LIST_DIR}/libwabt-gaps.txt)

  add_test(NAME robust-build-lists
    COMMAND ${CMAKE_COMMAND} -E env TW_SHARED=${TW_SHARED} WAST2JSON=${TW_WAST2JSON}
            ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/build-lists.sh ${TW_ROBUST_DIR})
  set_tests_properties(robust-build-lists PROPERTIES FIXTURES_SETUP tw_robust)

  # Item 1: the top-level spec's binary assert_malformed modules.
  add_test(NAME robust-malformed
    COMMAND tw_robust_reject --malformed ${TW_ROBUST_KNOWN} ${TW_ROBUST_DIR}/spec-malformed.list)
  # Hand-made malformed modules for decoded parts the spec leaves out
  # (probes.txt). Reader bugs show in the "decoded-but-accepted" list.
  add_test(NAME robust-malformed-probes
    COMMAND tw_robust_reject --malformed ${TW_ROBUST_DIR}/probes-malformed.list)
  # Item 2: the top-level spec's assert_invalid modules.
  add_test(NAME robust-invalid
    COMMAND tw_robust_reject --invalid ${TW_ROBUST_KNOWN} ${TW_ROBUST_DIR}/spec-invalid.list)
  # Item 1 at the CLI: every malformed module (and every 10th invalid one).
  add_test(NAME robust-cli-sample
    COMMAND ${TW_BASH} ${CMAKE_CURRENT_LIST_DIR}/cli-sample.sh ${TW_CLI}
            ${CMAKE_CURRENT_BINARY_DIR}/robust-cli-work
            ${TW_ROBUST_DIR}/spec-malformed.list ${TW_ROBUST_DIR}/spec-invalid.list
            ${CMAKE_CURRENT_LIST_DIR}/superseded.txt ${CMAKE_CURRENT_LIST_DIR}/libwabt-gaps.txt)
  # Secondary: the quoted text modules of assert_malformed, which the library
  # hands to libwabt's text parser (its judgement; crashes and broken errors
  # fail the test).
  add_test(NAME robust-malformed-text
    COMMAND tw_robust_reject --malformed-text ${TW_ROBUST_DIR}/spec-malformed-text.list)
  # The proposal suites that wast2json 1.0.32 converts, reported apart:
  # libwabt 1.0.32 is no judge of every proposal (see the "cannot verify
  # fully" lists), and wast2json encodes typed references in a pre-standard way.
  add_test(NAME robust-proposals-malformed
    COMMAND tw_robust_reject --malformed --allow-unverifiable ${TW_ROBUST_KNOWN}
            ${TW_ROBUST_DIR}/proposals-malformed.list)
  add_test(NAME robust-proposals-invalid
    COMMAND tw_robust_reject --invalid ${TW_ROBUST_KNOWN} ${TW_ROBUST_DIR}/proposals-invalid.list)
  add_test(NAME robust-proposals-text
    COMMAND tw_robust_reject --malformed-text ${TW_ROBUST_DIR}/proposals-malformed-text.list
            ${TW_ROBUST_DIR}/proposals-invalid-text.list)
  set_tests_properties(robust-malformed robust-malformed-probes robust-invalid robust-cli-sample
                       robust-malformed-text
                       robust-proposals-malformed robust-proposals-invalid robust-proposals-text
    PROPERTIES FIXTURES_REQUIRED tw_robust)
endif()
