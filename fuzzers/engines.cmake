# Engine options: fail clearly on the wrong compiler, then instrument every
# library for the chosen engine. Included before any target is defined.
if(CF_LIBFUZZER AND CF_AFL)
  message(FATAL_ERROR "CF_LIBFUZZER and CF_AFL are separate builds: use one build directory each")
endif()
if(CF_LIBFUZZER)
  if(NOT CMAKE_C_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CF_LIBFUZZER=ON needs clang, but the C compiler is "
      "${CMAKE_C_COMPILER_ID} (${CMAKE_C_COMPILER}). Configure a fresh build directory "
      "with CC=clang (Debian: apt-get install clang libclang-rt-14-dev).")
  endif()
  # Coverage of the harness and oracle too, on top of the behaviour counters.
  add_compile_options(-fsanitize=fuzzer-no-link)
  add_compile_definitions(CF_CHILD_BY_FORK) # harness/exec/resources.c
  add_link_options(-fsanitize=fuzzer-no-link)
endif()
if(CF_AFL)
  include(CheckCSourceCompiles)
  check_c_source_compiles("
#ifndef __AFL_COMPILER
#error not an AFL++ compiler
#endif
int main(void) { return 0; }" CF_COMPILER_IS_AFL)
  if(NOT CF_COMPILER_IS_AFL)
    message(FATAL_ERROR "CF_AFL=ON needs AFL++'s compiler, but the C compiler is "
      "${CMAKE_C_COMPILER}. Configure a fresh build directory with CC=afl-clang-fast "
      "(Debian: apt-get install afl++).")
  endif()
  add_compile_definitions(CF_CHILD_BY_FORK) # harness/exec/resources.c
  # No shared SQ thread (harness/exec/ring.c): in 45 s AFL++ runs it cut the
  # target from 591 to 137 exec/s (bisected to 4f8268e); without it, 914.
  add_compile_definitions(CF_NO_SQ_ANCHOR)
endif()
