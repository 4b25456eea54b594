# Benchmark programs, built on demand by the scripts beside them.

# Oracle cost (bench_oracle.sh): its own build of the layers up to the oracle,
# with room for 131,072 CQEs.
file(GLOB CF_BENCH_ORACLE_SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/harness/program/*.c
  ${CMAKE_CURRENT_SOURCE_DIR}/harness/history/*.c ${CMAKE_CURRENT_SOURCE_DIR}/oracles/*.c)
add_executable(bench_oracle_linear EXCLUDE_FROM_ALL scripts/bench/oracle_linear.c
  ${CF_BENCH_ORACLE_SOURCES})
target_include_directories(bench_oracle_linear PRIVATE harness/program harness/history oracles)
target_compile_definitions(bench_oracle_linear PRIVATE _GNU_SOURCE CF_MAX_CQES=131072)
target_compile_options(bench_oracle_linear PRIVATE ${CF_WARNINGS} -O2)

# Determinism (bench_determinism.sh).
add_executable(bench_determinism EXCLUDE_FROM_ALL scripts/bench/determinism.c)
target_link_libraries(bench_determinism PRIVATE cf_run)

# Speed against the syscall floor (bench_speed.sh).
add_executable(bench_speed EXCLUDE_FROM_ALL scripts/bench/speed.c)
target_link_libraries(bench_speed PRIVATE cffuzz)

# Per-class time shares and the event-driven floor (bench_classes.sh).
add_executable(bench_classes EXCLUDE_FROM_ALL scripts/bench/classes.c)
target_link_libraries(bench_classes PRIVATE cffuzz rt)

# Actor threads: pool hand-off and barrier against making threads anew (docs/benchmarks.md, race).
add_executable(bench_actor_cost EXCLUDE_FROM_ALL scripts/bench/actor_cost.c)
target_link_libraries(bench_actor_cost PRIVATE cf_exec)
target_compile_options(bench_actor_cost PRIVATE ${CF_WARNINGS})

# Where the stability workload's time goes (bench_random_pair.sh).
add_executable(bench_random_split EXCLUDE_FROM_ALL scripts/bench/random_split.c)
target_link_libraries(bench_random_split PRIVATE cffuzz)
target_compile_options(bench_random_split PRIVATE ${CF_WARNINGS})
