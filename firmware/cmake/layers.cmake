# layers.cmake - the build's check of the library graph (docs/ARCHITECTURE.md).
# Run as a script: cmake -DROOT=<source dir> -DSTAMP=<file> -P layers.cmake
#
#   core <- formats <- ocr, vision, crm <- web <- greeterd, greeter
#
# Every #include "..." of a part's source must name a header of the part
# itself or of a part below it; crm may also include vision/store.h, the
# storage interface that vision declares and crm implements (types and
# function pointers only). A header named *internal.h is private to its part.
# tests/ may include anything. A violation fails the build, naming the file,
# the line and the rule.
cmake_minimum_required(VERSION 3.22)
set(parts firmware/core firmware/formats ocr vision crm web firmware/greeterd firmware/greeter)
set(allow_firmware/core      firmware/core)
set(allow_firmware/formats   firmware/core firmware/formats)
set(allow_ocr                firmware/core firmware/formats ocr)
set(allow_vision             firmware/core firmware/formats vision)
set(allow_crm                firmware/core firmware/formats crm)
set(allow_web                firmware/core firmware/formats ocr vision crm web)
set(allow_firmware/greeterd  firmware/core firmware/formats ocr vision crm web firmware/greeterd)
set(allow_firmware/greeter   firmware/core firmware/formats ocr vision crm web firmware/greeter)
set(extra_crm vision/store.h)

function(part_of path out)
  set(p "")
  foreach(cand IN LISTS parts)
    if(path MATCHES "^${cand}/")
      set(p ${cand})
    endif()
  endforeach()
  set(${out} "${p}" PARENT_SCOPE)
endfunction()

set(errors "")
foreach(part IN LISTS parts)
  file(GLOB_RECURSE srcs RELATIVE ${ROOT} ${ROOT}/${part}/*.c ${ROOT}/${part}/*.h ${ROOT}/${part}/*.cpp)
  foreach(f IN LISTS srcs)
    part_of(${f} own)
    if(NOT own STREQUAL part)
      continue()  # firmware/core/... is not also firmware/...
    endif()
    file(STRINGS ${ROOT}/${f} lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
    foreach(line IN LISTS lines)
      string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" inc "${line}")
      if(inc MATCHES "\\.def$" AND inc MATCHES "^firmware/core/")
        continue()
      endif()
      if(inc IN_LIST extra_${part})
        continue()
      endif()
      part_of(${inc} target)
      if(target STREQUAL "")
        list(APPEND errors "${f}: #include \"${inc}\": not a path from the repository root to a part's header")
        continue()
      endif()
      if(NOT target IN_LIST allow_${part})
        list(JOIN allow_${part} ", " allowed)
        list(APPEND errors "${f}: #include \"${inc}\": ${part} may not use ${target} (it may use: ${allowed})")
        continue()
      endif()
      if(NOT target STREQUAL part AND inc MATCHES "internal\\.h$")
        list(APPEND errors "${f}: #include \"${inc}\": private to ${target}")
      endif()
    endforeach()
  endforeach()
endforeach()
if(errors)
  list(JOIN errors "\n  " msg)
  message(FATAL_ERROR "library layers broken (docs/ARCHITECTURE.md):\n  ${msg}")
endif()
if(STAMP)
  file(TOUCH ${STAMP})
endif()
