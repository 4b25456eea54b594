# One Debian kernel (6.1 cloud) booted under QEMU by scripts/kernels, a few
# seeds replayed in it with exact verdicts. Skips (77) without QEMU or the
# image (bash scripts/setup.sh fetches it). The full matrix is docs/kernels.md.
add_test(NAME kernels_boot_6.1 COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/tests/kernels_boot.sh ${CMAKE_BINARY_DIR})
set_tests_properties(kernels_boot_6.1 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 180 LABELS kernels)
