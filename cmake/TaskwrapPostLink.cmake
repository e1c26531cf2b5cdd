# taskwrap_post_link(<target> [ABI task-hook|init-task|auto]
#                    [VERIFY fast|full] [KEEP_HOOK_EXPORT]
#                    [INIT_ONCE] [STUB_WASI] [STUB_WASI_OUTPUT module:name]
#                    [STRIP_DEBUG])
#
# INIT_ONCE, STUB_WASI, STUB_WASI_OUTPUT and STRIP_DEBUG are the options
# --init-once, --stub-wasi, --stub-wasi-output and --strip-debug (for hosts
# without the component model; README, "Running on any host").
#
# After <target> (a core module linked by wasm-ld) is built, rewrite it in
# place with wasm-taskwrap. The tool writes <file>.taskwrap (through its own
# temporary file), which is then renamed over the linked module: a failure
# fails the build and leaves the linked module as wasm-ld wrote it.
function(taskwrap_post_link target)
  cmake_parse_arguments(PARSE_ARGV 1 TW "KEEP_HOOK_EXPORT;INIT_ONCE;STUB_WASI;STRIP_DEBUG"
                        "ABI;VERIFY;STUB_WASI_OUTPUT" "")
  if(TW_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "taskwrap_post_link: unknown arguments: ${TW_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "taskwrap_post_link: no target named '${target}'")
  endif()
  if(NOT TARGET taskwrap::wasm-taskwrap)
    message(FATAL_ERROR "taskwrap_post_link: taskwrap::wasm-taskwrap is not defined; "
                        "use find_package(taskwrap) first")
  endif()
  set(args)
  if(DEFINED TW_ABI)
    if(NOT TW_ABI MATCHES "^(auto|task-hook|init-task)$")
      message(FATAL_ERROR "taskwrap_post_link: ABI must be auto, task-hook or init-task, not '${TW_ABI}'")
    endif()
    list(APPEND args --abi ${TW_ABI})
  endif()
  if(DEFINED TW_VERIFY)
    if(NOT TW_VERIFY MATCHES "^(fast|full)$")
      message(FATAL_ERROR "taskwrap_post_link: VERIFY must be fast or full, not '${TW_VERIFY}'")
    endif()
    list(APPEND args --verify ${TW_VERIFY})
  endif()
  if(TW_KEEP_HOOK_EXPORT)
    list(APPEND args --keep-hook-export)
  endif()
  if(TW_INIT_ONCE)
    list(APPEND args --init-once)
  endif()
  if(TW_STUB_WASI)
    list(APPEND args --stub-wasi)
  endif()
  if(DEFINED TW_STUB_WASI_OUTPUT)
    if(NOT TW_STUB_WASI)
      message(FATAL_ERROR "taskwrap_post_link: STUB_WASI_OUTPUT needs STUB_WASI")
    endif()
    list(APPEND args --stub-wasi-output ${TW_STUB_WASI_OUTPUT})
  endif()
  if(TW_STRIP_DEBUG)
    list(APPEND args --strip-debug)
  endif()
  set(module "$<TARGET_FILE:${target}>")
  add_custom_command(TARGET ${target} POST_BUILD
    COMMAND taskwrap::wasm-taskwrap ${args} "${module}" -o "${module}.taskwrap"
    COMMAND "${CMAKE_COMMAND}" -E rename "${module}.taskwrap" "${module}"
    COMMENT "wasm-taskwrap: task-init wrappers in ${target}"
    VERBATIM)
endfunction()
