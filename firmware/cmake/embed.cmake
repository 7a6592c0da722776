# embed.cmake - turn files into a C table at build time (no HTML or SQL in C
# string literals). Run as a script:
#   cmake -DOUT=file.c -DSYMBOL=name -DBASE=dir -DFILES="a;b;c" -P embed.cmake
# It writes `const gr_embed_file_t SYMBOL[]` and `const size_t SYMBOL_count`,
# each entry {path relative to BASE, bytes (NUL-terminated), size}.
set(body "#include \"firmware/core/embed.h\"\n#include <stddef.h>\n")
set(table "")
set(i 0)
list(SORT FILES)
foreach(f IN LISTS FILES)
  file(READ "${f}" hex HEX)
  string(LENGTH "${hex}" hexlen)
  math(EXPR size "${hexlen} / 2")
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
  string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
  file(RELATIVE_PATH rel "${BASE}" "${f}")
  string(APPEND body "static const unsigned char ${SYMBOL}_${i}[] = {\n${bytes}0x00};\n")
  string(APPEND table "    {\"${rel}\", ${SYMBOL}_${i}, ${size}},\n")
  math(EXPR i "${i} + 1")
endforeach()
string(APPEND body "const gr_embed_file_t ${SYMBOL}[] = {\n${table}    {NULL, NULL, 0}\n};\n")
string(APPEND body "const size_t ${SYMBOL}_count = ${i};\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
