# The layer libraries of src/: one static library `resumate_<layer>` per line of src/layers.txt.

# One precompiled header (src/pch.hpp: Asio, Beast, JSON, spdlog and the standard library),
# compiled once in resumate_pch and reused by every target that calls resumate_use_pch().
option(RESUMATE_PCH "Use the precompiled header src/pch.hpp" ON)
if(RESUMATE_PCH)
  add_library(resumate_pch OBJECT ${CMAKE_CURRENT_LIST_DIR}/pch.cpp)
  target_link_libraries(resumate_pch PRIVATE resumate_base)
  target_precompile_headers(resumate_pch PRIVATE ${CMAKE_SOURCE_DIR}/src/pch.hpp)
endif()
function(resumate_use_pch target)
  if(RESUMATE_PCH)
    target_precompile_headers(${target} REUSE_FROM resumate_pch)
  endif()
endfunction()

# resumate_layer(<name> DEPS <layer>...): the library resumate_<name> from src/<name>/**/*.cpp,
# linking the libraries of the layers it may use. A folder without sources (not created yet, or
# headers only) becomes an INTERFACE library, so the layers that list it still link.
function(resumate_layer name)
  cmake_parse_arguments(PARSE_ARGV 1 LAYER "" "" "DEPS")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/src/${name}/*.cpp)
  set(deps resumate_base)
  foreach(dep IN LISTS LAYER_DEPS)
    list(APPEND deps resumate_${dep})
  endforeach()
  if(sources)
    add_library(resumate_${name} STATIC ${sources})
    target_link_libraries(resumate_${name} PUBLIC ${deps})
    resumate_use_pch(resumate_${name})
  else()
    add_library(resumate_${name} INTERFACE)
    target_link_libraries(resumate_${name} INTERFACE ${deps})
  endif()
endfunction()

# resumate_layers_from(<file>): one resumate_layer() per `<layer>: <deps>` line of the table;
# a layer may list only layers defined above it. Sets RESUMATE_LAYER_TARGETS in the caller.
function(resumate_layers_from table)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${table})
  file(STRINGS ${table} lines REGEX "^[a-z_]+:")
  set(known)
  set(targets)
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^([a-z_]+):(.*)$" matched "${line}")
    set(name ${CMAKE_MATCH_1})
    string(STRIP "${CMAKE_MATCH_2}" rest)
    separate_arguments(deps UNIX_COMMAND "${rest}")
    foreach(dep IN LISTS deps)
      if(NOT dep IN_LIST known)
        message(FATAL_ERROR "${table}: layer '${name}' lists '${dep}', which is not a layer above it")
      endif()
    endforeach()
    resumate_layer(${name} DEPS ${deps})
    list(APPEND known ${name})
    list(APPEND targets resumate_${name})
  endforeach()
  set(RESUMATE_LAYER_TARGETS ${targets} PARENT_SCOPE)
endfunction()
