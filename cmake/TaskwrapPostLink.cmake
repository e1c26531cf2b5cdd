# taskwrap_post_link(<target> [ABI task-hook|init-task|auto]
#                    [VERIFY fast|full] [KEEP_HOOK_EXPORT]
#                    [INIT_ONCE] [STUB_WASI] [STUB_WASI_OUTPUT module:name]
#                    [STRIP_DEBUG])
#
# INIT_ONCE, STUB_WASI, STUB_WASI_OUTPUT and STRIP_DEBUG are the options
# --init-once, --stub-wasi, --stub-wasi-output and --strip-debug (for hosts
# without the component model; docs/usage.md, "Running on any host").
#
# After <target> (a core module linked by wasm-ld) is built, rewrite it in
# place with wasm-taskwrap. The tool writes <file>.taskwrap (through its own
# temporary file), which is then renamed over the linked module: a failure
# fails the build and leaves the linked module as wasm-ld wrote it.
# What both functions check first: no unknown arguments, an existing target.
macro(_taskwrap_check_call fn target)
  if(TW_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "${fn}: unknown arguments: ${TW_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT TARGET ${target})
    message(FATAL_ERROR "${fn}: no target named '${target}'")
  endif()
endmacro()

function(taskwrap_post_link target)
  cmake_parse_arguments(PARSE_ARGV 1 TW "KEEP_HOOK_EXPORT;INIT_ONCE;STUB_WASI;STRIP_DEBUG"
                        "ABI;VERIFY;STUB_WASI_OUTPUT" "")
  _taskwrap_check_call(taskwrap_post_link ${target})
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

# taskwrap_use_linker_wrapper(<target> [WASM_LD <path>] [FLAGS <option>...])
#
# Link <target> through wasm-taskwrap-ld, as the linker wasm-component-ld
# runs: -Wl,--wasm-ld-path=<wasm-taskwrap-ld> goes on the link line (so the
# target must be linked by wasm-component-ld, as wasi-sdk's wasm32-wasip2/p3
# targets are, not by wasm-ld itself), and the link runs in the environment
#   TASKWRAP_FLAGS=<the FLAGS, joined by spaces>   wasm-taskwrap's options
#   TASKWRAP_WASM_LD=<path>                        the real wasm-ld
# FLAGS are wasm-taskwrap options (--init-once, --verify=full, --only=PATTERN
# ...); none may contain white space, at which the wrapper splits them.
# WASM_LD defaults to the wasm-ld beside the C (else C++) compiler, the one
# clang would run, where there is one; else wasm-taskwrap-ld looks on PATH.
#
# The environment comes from a linker launcher (<LANG>_LINKER_LAUNCHER, C and
# CXX, Makefile and Ninja generators): `cmake -E env VAR=VALUE ...` in front
# of the link command, each argument quoted by CMake. A launcher the target
# already has runs after it. A change of FLAGS or WASM_LD changes the link
# command, so the target is relinked. A failed rewrite fails the link.
function(taskwrap_use_linker_wrapper target)
  cmake_parse_arguments(PARSE_ARGV 1 TW "" "WASM_LD" "FLAGS")
  _taskwrap_check_call(taskwrap_use_linker_wrapper ${target})
  if(CMAKE_VERSION VERSION_LESS 3.21)
    message(FATAL_ERROR "taskwrap_use_linker_wrapper: needs CMake 3.21 or later (<LANG>_LINKER_LAUNCHER)")
  endif()
  if(TARGET taskwrap::wasm-taskwrap-ld)
    set(ld taskwrap::wasm-taskwrap-ld)
  elseif(TARGET wasm-taskwrap-ld)
    set(ld wasm-taskwrap-ld) # inside wasm-taskwrap's own build
  else()
    message(FATAL_ERROR "taskwrap_use_linker_wrapper: taskwrap::wasm-taskwrap-ld is not defined; "
                        "use find_package(taskwrap) first")
  endif()
  get_target_property(done ${target} TASKWRAP_LINKER_WRAPPER)
  if(done)
    message(FATAL_ERROR "taskwrap_use_linker_wrapper: called twice for '${target}'")
  endif()
  foreach(flag IN LISTS TW_FLAGS)
    if(flag MATCHES "[ \t\r\n]")
      message(FATAL_ERROR "taskwrap_use_linker_wrapper: FLAGS '${flag}' contains white space; "
                          "TASKWRAP_FLAGS is split at white space")
    endif()
  endforeach()
  get_target_property(imported ${ld} IMPORTED)
  if(imported)
    # clang splits -Wl, arguments at commas.
    get_target_property(ld_path ${ld} LOCATION)
    if(ld_path MATCHES ",")
      message(FATAL_ERROR "taskwrap_use_linker_wrapper: the path '${ld_path}' contains a comma")
    endif()
  else()
    add_dependencies(${target} ${ld})
  endif()
  if(NOT TW_WASM_LD)
    foreach(lang C CXX)
      if(CMAKE_${lang}_COMPILER)
        get_filename_component(dir "${CMAKE_${lang}_COMPILER}" DIRECTORY)
        if(EXISTS "${dir}/wasm-ld" AND NOT IS_DIRECTORY "${dir}/wasm-ld")
          set(TW_WASM_LD "${dir}/wasm-ld")
        endif()
        break()
      endif()
    endforeach()
  endif()
  list(JOIN TW_FLAGS " " flags)
  set(env "TASKWRAP_FLAGS=${flags}")
  if(TW_WASM_LD)
    list(APPEND env "TASKWRAP_WASM_LD=${TW_WASM_LD}")
  endif()
  target_link_options(${target} PRIVATE "-Wl,--wasm-ld-path=$<TARGET_FILE:${ld}>")
  foreach(lang C CXX)
    set(launcher "${CMAKE_COMMAND}" -E env ${env})
    get_target_property(old ${target} ${lang}_LINKER_LAUNCHER)
    if(old)
      list(APPEND launcher ${old})
    endif()
    set_property(TARGET ${target} PROPERTY ${lang}_LINKER_LAUNCHER "${launcher}")
  endforeach()
  set_property(TARGET ${target} PROPERTY TASKWRAP_LINKER_WRAPPER 1)
endfunction()
