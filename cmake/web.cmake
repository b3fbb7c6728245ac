# The web app (web/: TypeScript, React, Vite) built with npm into web/dist, which
# `resumate serve` serves (http/static_site.hpp). Part of the default build:
#   1. `resumate openapi` writes the API description to <build>/openapi.json (rewritten only
#      when it changes, so a C++ change that leaves the API as it is rebuilds nothing here);
#   2. `npm ci` when web/package-lock.json is newer than web/node_modules;
#   3. `npm run build` (API types generated from openapi.json, type check, Vite, precompressed
#      .gz/.br) when a source, the lockfile or the description changed.
# An API change that breaks the app fails step 3, and so the build.
# RESUMATE_WEB=OFF (or no npm) leaves the app out: the server then answers the API only.
option(RESUMATE_WEB "Build the web app (needs node and npm)" ON)
find_program(RESUMATE_NPM npm)
if(NOT RESUMATE_WEB OR NOT RESUMATE_NPM OR NOT EXISTS ${CMAKE_SOURCE_DIR}/web/package.json)
  if(RESUMATE_WEB)
    message(STATUS "web app: not built (no npm, or no web/package.json)")
  endif()
  set(RESUMATE_WEB_BUILT OFF)
  add_custom_target(web COMMENT "web app: not built (RESUMATE_WEB=OFF, or no npm)")
  return()
endif()
set(RESUMATE_WEB_BUILT ON)

set(WEB_DIR ${CMAKE_SOURCE_DIR}/web)
set(RESUMATE_OPENAPI_JSON ${CMAKE_BINARY_DIR}/openapi.json)

add_custom_command(
  OUTPUT ${RESUMATE_OPENAPI_JSON}
  COMMAND $<TARGET_FILE:resumate> openapi -o ${RESUMATE_OPENAPI_JSON}.new
  COMMAND ${CMAKE_COMMAND} -E copy_if_different ${RESUMATE_OPENAPI_JSON}.new ${RESUMATE_OPENAPI_JSON}
  DEPENDS resumate
  COMMENT "API description (resumate openapi)"
  VERBATIM)

add_custom_command(
  OUTPUT ${WEB_DIR}/node_modules/.package-lock.json
  COMMAND ${RESUMATE_NPM} ci --no-audit --no-fund --loglevel=error
  DEPENDS ${WEB_DIR}/package.json ${WEB_DIR}/package-lock.json
  WORKING_DIRECTORY ${WEB_DIR}
  COMMENT "npm ci (web/)"
  VERBATIM)

file(GLOB_RECURSE WEB_SOURCES CONFIGURE_DEPENDS
  ${WEB_DIR}/src/* ${WEB_DIR}/public/* ${WEB_DIR}/scripts/*)
file(GLOB WEB_CONFIG CONFIGURE_DEPENDS
  ${WEB_DIR}/*.html ${WEB_DIR}/*.ts ${WEB_DIR}/*.json ${WEB_DIR}/*.mjs ${WEB_DIR}/*.js)
list(FILTER WEB_SOURCES EXCLUDE REGEX "/src/api/schema\\.gen\\.ts$")
add_custom_command(
  OUTPUT ${WEB_DIR}/dist/index.html
  COMMAND ${CMAKE_COMMAND} -E env RESUMATE_OPENAPI=${RESUMATE_OPENAPI_JSON}
          ${RESUMATE_NPM} run --silent build
  DEPENDS ${WEB_SOURCES} ${WEB_CONFIG} ${RESUMATE_OPENAPI_JSON}
          ${WEB_DIR}/node_modules/.package-lock.json
  WORKING_DIRECTORY ${WEB_DIR}
  COMMENT "web app (npm run build)"
  VERBATIM)
add_custom_target(web ALL DEPENDS ${WEB_DIR}/dist/index.html)

# The browser tests' own packages (tests/web: playwright-core, axe-core, the OpenAPI validator),
# installed by the build like the app's.
if(RESUMATE_TESTS AND EXISTS ${CMAKE_SOURCE_DIR}/tests/web/package.json)
  set(WEB_TESTS_DIR ${CMAKE_SOURCE_DIR}/tests/web)
  add_custom_command(
    OUTPUT ${WEB_TESTS_DIR}/node_modules/.package-lock.json
    COMMAND ${RESUMATE_NPM} ci --no-audit --no-fund --loglevel=error
    DEPENDS ${WEB_TESTS_DIR}/package.json ${WEB_TESTS_DIR}/package-lock.json
    WORKING_DIRECTORY ${WEB_TESTS_DIR}
    COMMENT "npm ci (tests/web/)"
    VERBATIM)
  add_custom_target(web_test_deps ALL DEPENDS ${WEB_TESTS_DIR}/node_modules/.package-lock.json)
endif()
