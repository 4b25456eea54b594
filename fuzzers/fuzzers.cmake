# The fuzz target and the AFL++ mutator library (docs/fuzzing.md).
#   default build:      cancel_fuzzer is the standalone driver (replays files),
#                       cancel_fuzzer_afl_mutator.so is built
#   -DCF_LIBFUZZER=ON:  cancel_fuzzer is a libFuzzer binary
#   -DCF_AFL=ON:        cancel_fuzzer is an AFL++ persistent-mode binary
add_executable(cancel_fuzzer fuzzers/cancel_fuzzer.c)
target_link_libraries(cancel_fuzzer PRIVATE cffuzz)
if(CF_LIBFUZZER)
  target_compile_definitions(cancel_fuzzer PRIVATE CF_FUZZ_LIBFUZZER)
  target_link_options(cancel_fuzzer PRIVATE -fsanitize=fuzzer)
elseif(CF_AFL)
  target_compile_definitions(cancel_fuzzer PRIVATE CF_FUZZ_AFL_MAIN)
else()
  target_compile_definitions(cancel_fuzzer PRIVATE CF_FUZZ_STANDALONE)
endif()

# afl-fuzz dlopen()s this, so it must carry no instrumentation: plain builds only.
if(NOT CF_LIBFUZZER AND NOT CF_AFL)
  add_library(cancel_fuzzer_afl_mutator MODULE
    fuzzers/afl_mutator.c
    fuzzers/canonical_mutator.c
    fuzzers/mutate.c
    harness/program/program.c
    harness/program/codec.c
    harness/program/aio_model.c harness/program/actors.c)
  target_include_directories(cancel_fuzzer_afl_mutator PRIVATE harness/program fuzzers)
  target_compile_options(cancel_fuzzer_afl_mutator PRIVATE ${CF_WARNINGS})
  set_target_properties(cancel_fuzzer_afl_mutator PROPERTIES PREFIX "" C_VISIBILITY_PRESET hidden)
endif()
