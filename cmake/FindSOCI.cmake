# SPDX-License-Identifier: MIT
#[=======================================================================[.rst:
FindSOCI
--------

Finds SOCI (https://soci.sourceforge.net/), which ships neither a CMake package
configuration nor a pkg-config file on Debian.

Components: ``core`` (always searched; needed by every backend), ``sqlite3``,
``postgresql``. Without ``COMPONENTS``, only ``core`` is searched.

Imported targets (named like upstream's own)::

  SOCI::soci_core        libsoci_core
  SOCI::soci_sqlite3     libsoci_sqlite3, links SOCI::soci_core and SQLite::SQLite3
  SOCI::soci_postgresql  libsoci_postgresql, links SOCI::soci_core and PostgreSQL::PostgreSQL

Result variables::

  SOCI_FOUND, SOCI_VERSION (e.g. 4.0.3), SOCI_INCLUDE_DIRS, SOCI_LIBRARIES,
  SOCI_<component>_FOUND, SOCI_<component>_LIBRARY

Cache variables: ``SOCI_INCLUDE_DIR`` (the directory holding ``soci/soci.h``) and
``SOCI_<component>_LIBRARY``. Set ``SOCI_ROOT`` to search a non-system prefix first.

Headers are included as ``<soci/soci.h>``, ``<soci/sqlite3/soci-sqlite3.h>`` and
``<soci/postgresql/soci-postgresql.h>``; only the directory above ``soci/`` is needed.
``soci-postgresql.h`` includes ``<libpq-fe.h>`` (``/usr/include/postgresql`` on Debian)
and ``soci-sqlite3.h`` includes ``<sqlite3.h>``: both come through the backend targets.
#]=======================================================================]

include(FindPackageHandleStandardArgs)

find_path(SOCI_INCLUDE_DIR NAMES soci/soci.h)
mark_as_advanced(SOCI_INCLUDE_DIR)

unset(SOCI_VERSION)
if(SOCI_INCLUDE_DIR AND EXISTS "${SOCI_INCLUDE_DIR}/soci/version.h")
  file(STRINGS "${SOCI_INCLUDE_DIR}/soci/version.h" _soci_version_line
       REGEX "^#define[ \t]+SOCI_VERSION[ \t]+[0-9]+")
  if(_soci_version_line MATCHES "SOCI_VERSION[ \t]+([0-9]+)")
    # SOCI_VERSION is major * 100000 + minor * 100 + patch.
    set(_soci_version_number "${CMAKE_MATCH_1}")
    math(EXPR _soci_major "${_soci_version_number} / 100000")
    math(EXPR _soci_minor "${_soci_version_number} / 100 % 1000")
    math(EXPR _soci_patch "${_soci_version_number} % 100")
    set(SOCI_VERSION "${_soci_major}.${_soci_minor}.${_soci_patch}")
  endif()
  unset(_soci_version_line)
  unset(_soci_version_number)
  unset(_soci_major)
  unset(_soci_minor)
  unset(_soci_patch)
endif()

# Every backend needs core: search it even when only backends were requested.
set(_soci_components ${SOCI_FIND_COMPONENTS})
list(PREPEND _soci_components core)
list(REMOVE_DUPLICATES _soci_components)

set(_soci_quiet)
if(SOCI_FIND_QUIETLY)
  set(_soci_quiet QUIET)
endif()

set(SOCI_LIBRARIES)
set(_soci_include_dirs)
foreach(_soci_component IN LISTS _soci_components)
  if(NOT _soci_component MATCHES "^(core|sqlite3|postgresql)$")
    set(SOCI_${_soci_component}_FOUND FALSE)
    if(NOT SOCI_FIND_QUIETLY)
      message(STATUS "FindSOCI: unknown component '${_soci_component}' "
                     "(known: core, sqlite3, postgresql)")
    endif()
    continue()
  endif()

  find_library(SOCI_${_soci_component}_LIBRARY NAMES soci_${_soci_component})
  mark_as_advanced(SOCI_${_soci_component}_LIBRARY)

  set(SOCI_${_soci_component}_FOUND FALSE)
  if(NOT SOCI_INCLUDE_DIR OR NOT SOCI_${_soci_component}_LIBRARY)
    continue()
  endif()

  if(_soci_component STREQUAL "core")
    set(SOCI_core_FOUND TRUE)
    if(NOT TARGET SOCI::soci_core)
      add_library(SOCI::soci_core UNKNOWN IMPORTED)
      set_target_properties(SOCI::soci_core PROPERTIES
        IMPORTED_LOCATION "${SOCI_core_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}")
      # A static libsoci_core loads backends with dlopen and uses threads itself.
      if(SOCI_core_LIBRARY MATCHES "\\.a$")
        find_package(Threads ${_soci_quiet})
        if(Threads_FOUND)
          set_property(TARGET SOCI::soci_core APPEND PROPERTY
                       INTERFACE_LINK_LIBRARIES Threads::Threads)
        endif()
        set_property(TARGET SOCI::soci_core APPEND PROPERTY
                     INTERFACE_LINK_LIBRARIES ${CMAKE_DL_LIBS})
      endif()
    endif()
  else()
    if(NOT SOCI_core_FOUND
       OR NOT EXISTS "${SOCI_INCLUDE_DIR}/soci/${_soci_component}/soci-${_soci_component}.h")
      continue()
    endif()
    if(_soci_component STREQUAL "sqlite3")
      find_package(SQLite3 ${_soci_quiet})
      set(_soci_dependency SQLite::SQLite3)
      set(_soci_dependency_libraries ${SQLite3_LIBRARIES})
      set(_soci_dependency_include_dirs ${SQLite3_INCLUDE_DIRS})
    else()
      find_package(PostgreSQL ${_soci_quiet})
      set(_soci_dependency PostgreSQL::PostgreSQL)
      set(_soci_dependency_libraries ${PostgreSQL_LIBRARIES})
      set(_soci_dependency_include_dirs ${PostgreSQL_INCLUDE_DIRS})
    endif()
    if(NOT TARGET ${_soci_dependency})
      continue()
    endif()
    set(SOCI_${_soci_component}_FOUND TRUE)
    if(NOT TARGET SOCI::soci_${_soci_component})
      add_library(SOCI::soci_${_soci_component} UNKNOWN IMPORTED)
      set_target_properties(SOCI::soci_${_soci_component} PROPERTIES
        IMPORTED_LOCATION "${SOCI_${_soci_component}_LIBRARY}"
        INTERFACE_INCLUDE_DIRECTORIES "${SOCI_INCLUDE_DIR}"
        INTERFACE_LINK_LIBRARIES "SOCI::soci_core;${_soci_dependency}")
    endif()
    list(APPEND SOCI_LIBRARIES ${_soci_dependency_libraries})
    list(APPEND _soci_include_dirs ${_soci_dependency_include_dirs})
    unset(_soci_dependency)
    unset(_soci_dependency_libraries)
    unset(_soci_dependency_include_dirs)
  endif()
  list(PREPEND SOCI_LIBRARIES "${SOCI_${_soci_component}_LIBRARY}")
endforeach()
unset(_soci_component)
unset(_soci_components)
unset(_soci_quiet)

find_package_handle_standard_args(SOCI
  REQUIRED_VARS SOCI_INCLUDE_DIR SOCI_core_LIBRARY
  VERSION_VAR SOCI_VERSION
  HANDLE_COMPONENTS)

if(SOCI_FOUND)
  set(SOCI_INCLUDE_DIRS "${SOCI_INCLUDE_DIR}" ${_soci_include_dirs})
  list(REMOVE_DUPLICATES SOCI_INCLUDE_DIRS)
endif()
unset(_soci_include_dirs)
