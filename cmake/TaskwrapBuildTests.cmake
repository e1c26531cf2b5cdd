# TW_BUILD_TESTS, read by the top-level CMakeLists.txt:
#   AUTO  the tests are built when every test tool is found (tests/tools.cmake);
#         otherwise one line says which are missing
#   ON    every test is built, and a missing tool fails the configure
#         (tools/test.sh says ON)
#   OFF   no test, no tool looked up
# CMake's other boolean spellings (TRUE/FALSE, YES/NO, 1/0, any case) are
# ON or OFF; anything else, the empty value included, fails the configure.
# The cache keeps the value as AUTO, ON or OFF. Only the top-level project has
# tests: add_subdirectory and FetchContent users get none whatever it says.

# A build directory configured when this was an option() (default ON) has a
# BOOL entry. A value given on the command line (-DTW_BUILD_TESTS=...) makes
# the entry untyped, so a BOOL here is the old cache's own: its ON cannot be
# told from that option's default, so it becomes the default now, AUTO; its
# OFF was chosen and stays.
if(DEFINED CACHE{TW_BUILD_TESTS})
  get_property(tw_type CACHE TW_BUILD_TESTS PROPERTY TYPE)
  if(tw_type STREQUAL "BOOL")
    if(TW_BUILD_TESTS)
      set(tw_value AUTO)
    else()
      set(tw_value OFF)
    endif()
    message(STATUS "wasm-taskwrap: TW_BUILD_TESTS was the boolean ${TW_BUILD_TESTS} in this "
      "build directory's cache (from an older version); it is now ${tw_value} "
      "(-DTW_BUILD_TESTS=ON to require every test tool)")
    set_property(CACHE TW_BUILD_TESTS PROPERTY TYPE STRING)
    set_property(CACHE TW_BUILD_TESTS PROPERTY VALUE ${tw_value})
  endif()
endif()
set(TW_BUILD_TESTS AUTO CACHE STRING "Build the tests: AUTO, ON (every test tool required) or OFF")
set_property(CACHE TW_BUILD_TESTS PROPERTY STRINGS AUTO ON OFF)

string(TOUPPER "${TW_BUILD_TESTS}" tw_value)
if(tw_value MATCHES "^(ON|TRUE|YES|Y|1)$")
  set(tw_value ON)
elseif(tw_value MATCHES "^(OFF|FALSE|NO|N|0)$")
  set(tw_value OFF)
elseif(NOT tw_value STREQUAL "AUTO")
  message(FATAL_ERROR "TW_BUILD_TESTS is \"${TW_BUILD_TESTS}\": "
    "it takes AUTO, ON or OFF (or TRUE/FALSE, YES/NO, 1/0)")
endif()
# The cache entry rewritten only when it is what the project reads (no
# normal variable of that name in front of it).
if(NOT TW_BUILD_TESTS STREQUAL tw_value)
  if("$CACHE{TW_BUILD_TESTS}" STREQUAL TW_BUILD_TESTS)
    set_property(CACHE TW_BUILD_TESTS PROPERTY VALUE ${tw_value})
  endif()
  set(TW_BUILD_TESTS ${tw_value})
endif()
