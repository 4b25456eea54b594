# Writes OUT (a C file with cf_version and cf_commit) from cmake/version.c.in.
# Run at every build (cmake -P), so the commit is that of the build, not of
# the last configure; configure_file rewrites OUT only when the text changes,
# so an unchanged commit recompiles nothing.
#   cmake -DSRC=SOURCE_DIR -DOUT=FILE -DCF_VERSION=X.Y.Z -P cmake/version.cmake
execute_process(COMMAND git -C "${SRC}" describe --always --dirty
  OUTPUT_VARIABLE CF_COMMIT OUTPUT_STRIP_TRAILING_WHITESPACE
  RESULT_VARIABLE rc ERROR_QUIET)
if(NOT rc EQUAL 0 OR CF_COMMIT STREQUAL "")
  set(CF_COMMIT "unknown")
endif()
configure_file("${SRC}/cmake/version.c.in" "${OUT}" @ONLY)
