# cmake -DPROGRAM=greeter [-DEMULATOR=qemu-aarch64-static] -DOUT=greeter.conf -P greeter_conf.cmake
# Writes the packaged /etc/greeter/greeter.conf: every setting from
# `greeter config --defaults`, commented out, so the compiled-in defaults
# apply until a line is uncommented (and a later default change is not
# pinned by an untouched conffile).
execute_process(COMMAND ${EMULATOR} ${PROGRAM} config --defaults
                OUTPUT_VARIABLE defaults RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} config --defaults failed: ${rc}")
endif()
string(REGEX REPLACE "\n([a-z_0-9]+ =)" "\n#\\1" body "\n${defaults}")
string(REGEX REPLACE "^\n" "" body "${body}")
file(WRITE "${OUT}.tmp"
"# /etc/greeter/greeter.conf - settings of the Greeter appliance (greeterd, greeter).
# Every line below shows a setting with its built-in default, commented out:
# remove the '#' in front of `key = value` and change the value to override it,
# then `systemctl restart greeterd`. The file is readable by root and the
# greeter group only: sync URLs and passwords go here.
# `greeter config --show` prints the values in effect. See docs/DEVICE.md.

${body}")
file(RENAME "${OUT}.tmp" "${OUT}")
