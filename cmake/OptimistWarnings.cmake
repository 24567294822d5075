# SPDX-License-Identifier: MIT
# optimist_warnings(target): the project's warnings, as errors, on one target.
function(optimist_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Werror)
endfunction()
