# One Debian kernel (6.1 cloud) booted under QEMU by scripts/kernels, a few
# seeds replayed in it with exact verdicts. Skips (77) without QEMU or the
# image (bash scripts/setup.sh fetches it). The full matrix is docs/kernels.md.
add_test(NAME kernels_boot_6.1 COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/kernels_boot.sh ${CMAKE_BINARY_DIR})
set_tests_properties(kernels_boot_6.1 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180 LABELS kernels)

# Bad input gives one line and exit 2 (77 without QEMU); a guest that never
# ends is killed by the watchdog and the run exits 3. No kernel is booted.
add_test(NAME kernels_cli COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/kernels_cli.sh ${CMAKE_BINARY_DIR})
set_tests_properties(kernels_cli PROPERTIES TIMEOUT 120 LABELS kernels)
# Both build the static harness in BUILD/kernels-static: never at once.
set_tests_properties(kernels_boot_6.1 kernels_cli PROPERTIES RESOURCE_LOCK kernels_static)

# IOPOLL: no device here polls, so scripts/iopoll_qemu.sh boots the 6.1
# cloud kernel with an NVMe poll queue and checks IOPOLL reads and their
# cancels against exact values (docs/coverage-liburing.md, "IOPOLL").
# Skips (77) without QEMU or the image.
add_test(NAME kernels_iopoll_6.1 COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/scripts/iopoll_qemu.sh)
set_tests_properties(kernels_iopoll_6.1 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 360 LABELS kernels)
