# SPDX-License-Identifier: MIT
# optimist_warnings(target): the project's warnings, as errors, on one target; plus the
# sanitizers named by OPTIMIST_SANITIZE (e.g. "address,undefined" or "thread"), if any.
set(OPTIMIST_SANITIZE "" CACHE STRING "Sanitizers for optimist's own targets (-fsanitize=...)")

function(optimist_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
  if(OPTIMIST_SANITIZE)
    get_target_property(type ${target} TYPE)
    set(scope PRIVATE)
    if(type STREQUAL "INTERFACE_LIBRARY")
      set(scope INTERFACE)
    endif()
    # vptr checks need the typeinfo of every polymorphic class they meet, and Debian's SOCI
    # libraries do not export theirs: the link would fail.
    target_compile_options(${target} ${scope}
      -fsanitize=${OPTIMIST_SANITIZE} -fno-sanitize=vptr -fno-omit-frame-pointer
      -fno-sanitize-recover=all)
    target_link_options(${target} ${scope} -fsanitize=${OPTIMIST_SANITIZE} -fno-sanitize=vptr)
  endif()
endfunction()
