# board/toolchain-aarch64.cmake - cross-compile for arm64 (Raspberry Pi 4/5).
#
# Compiler: Debian's cross toolchain (crossbuild-essential-arm64).
# Libraries and headers: an arm64 Debian root unpacked by mmdebstrap
# (board/cross-deps.sh makes it in build/cross/sysroot-arm64), used as the
# sysroot. Installing the :arm64 -dev packages on the build machine itself is
# not possible next to the amd64 ones (OpenCV's and Tesseract's -dev packages
# are not co-installable), so nothing arm64 is installed outside that folder.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

if(NOT GREETER_SYSROOT)
  if(DEFINED ENV{GREETER_SYSROOT})
    set(GREETER_SYSROOT $ENV{GREETER_SYSROOT})
  else()
    get_filename_component(GREETER_SYSROOT "${CMAKE_CURRENT_LIST_DIR}/../build/cross/sysroot-arm64" ABSOLUTE)
  endif()
endif()
set(GREETER_SYSROOT "${GREETER_SYSROOT}" CACHE PATH "arm64 Debian root used as sysroot")
if(NOT EXISTS "${GREETER_SYSROOT}/usr/include/aarch64-linux-gnu")
  message(FATAL_ERROR "no arm64 sysroot at ${GREETER_SYSROOT}: run board/cross-deps.sh")
endif()
set(CMAKE_SYSROOT "${GREETER_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH "${GREETER_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
# Shared libraries pulled in by others' (rpath-link), from the sysroot.
set(CMAKE_EXE_LINKER_FLAGS_INIT
    "-Wl,-rpath-link,${GREETER_SYSROOT}/usr/lib/aarch64-linux-gnu -Wl,-rpath-link,${GREETER_SYSROOT}/lib/aarch64-linux-gnu -Wl,-rpath-link,${GREETER_SYSROOT}/usr/lib/aarch64-linux-gnu/openblas-pthread")
# pkg-config: the sysroot's .pc files, paths prefixed with the sysroot.
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${GREETER_SYSROOT}")
set(ENV{PKG_CONFIG_LIBDIR} "${GREETER_SYSROOT}/usr/lib/aarch64-linux-gnu/pkgconfig:${GREETER_SYSROOT}/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
# Build steps that run a program made here (the default greeter.conf) go
# through qemu-user with the sysroot's loader and libraries.
find_program(GR_QEMU_AARCH64 qemu-aarch64-static)
if(GR_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${GR_QEMU_AARCH64};-L;${GREETER_SYSROOT}")
endif()
