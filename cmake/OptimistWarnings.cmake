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
    set(flags -fsanitize=${OPTIMIST_SANITIZE})
    if(OPTIMIST_SANITIZE MATCHES "undefined")
      # UBSan's vptr check needs the type information of every polymorphic class it meets,
      # and SOCI's shared libraries do not export theirs: linking the SQL store fails.
      list(APPEND flags -fno-sanitize=vptr)
    endif()
    target_compile_options(${target} ${scope}
      ${flags} -fno-omit-frame-pointer -fno-sanitize-recover=all)
    target_link_options(${target} ${scope} ${flags})
  endif()
endfunction()
