# SPDX-License-Identifier: MIT
# optimist_backend(<OPTION> <folder> LIBRARIES <targets>...): when <OPTION> is ON, compiles
# every .cpp file of src/<folder>/ into optimist, links <targets> and defines <OPTION> for
# the backend registry (src/backends.cpp), which lists the backend under the same #ifdef.
function(optimist_backend option folder)
  cmake_parse_arguments(PARSE_ARGV 2 backend "" "" "LIBRARIES")
  if(NOT ${option})
    return()
  endif()
  file(GLOB sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/${folder}/*.cpp)
  target_sources(optimist PRIVATE ${sources})
  target_link_libraries(optimist PRIVATE ${backend_LIBRARIES})
  target_compile_definitions(optimist PRIVATE ${option})
endfunction()
