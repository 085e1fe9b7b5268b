# Installs the build into a scratch prefix and builds a C program against it twice: with
# pkg-config and with find_package(fetch). Run by ctest (install_consumer).
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(prefix ${WORK_DIR}/prefix)
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${prefix}
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed")
endif()
# 1. pkg-config
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND pkg-config --cflags --libs libfetch
                OUTPUT_VARIABLE flags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "pkg-config libfetch failed")
endif()
separate_arguments(flag_list UNIX_COMMAND "${flags}")
execute_process(COMMAND cc -std=c99 -Wall -Werror ${SOURCE_DIR}/examples/connect_only_echo.c
                        -o ${WORK_DIR}/pc_example ${flag_list} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "compiling against pkg-config flags (${flags}) failed")
endif()
# The installed program must start without LD_LIBRARY_PATH (libfetch and BoringSSL found).
unset(ENV{LD_LIBRARY_PATH})
execute_process(COMMAND ${WORK_DIR}/pc_example http://127.0.0.1:1 RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_VARIABLE err)
if(NOT rc EQUAL 7)
  message(FATAL_ERROR "installed example should fail to connect with 7, got ${rc}: ${err}")
endif()
# 2. find_package(fetch)
file(WRITE ${WORK_DIR}/consumer/CMakeLists.txt
"cmake_minimum_required(VERSION 3.25)
project(consumer C)
find_package(fetch REQUIRED)
add_executable(example ${SOURCE_DIR}/examples/connect_only_echo.c)
target_link_libraries(example PRIVATE fetch::fetch)
add_executable(example_static ${SOURCE_DIR}/examples/connect_only_echo.c)
target_link_libraries(example_static PRIVATE fetch::fetch_static)
")
execute_process(COMMAND ${CMAKE_COMMAND} -S ${WORK_DIR}/consumer -B ${WORK_DIR}/consumer/build
                        -G Ninja -DCMAKE_PREFIX_PATH=${prefix} RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package(fetch) configure failed")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/consumer/build RESULT_VARIABLE rc
                OUTPUT_QUIET)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "find_package(fetch) build failed")
endif()
execute_process(COMMAND ${WORK_DIR}/consumer/build/example http://127.0.0.1:1 RESULT_VARIABLE rc
                OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 7)
  message(FATAL_ERROR "find_package example should fail to connect with 7, got ${rc}")
endif()
execute_process(COMMAND ${WORK_DIR}/consumer/build/example_static http://127.0.0.1:1
                RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
if(NOT rc EQUAL 7)
  message(FATAL_ERROR "static find_package example should fail to connect with 7, got ${rc}")
endif()
# 3. pkg-config --static: a C program linked against libfetch.a.
execute_process(COMMAND pkg-config --static --cflags --libs libfetch
                OUTPUT_VARIABLE sflags OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE rc)
separate_arguments(sflag_list UNIX_COMMAND "${sflags}")
execute_process(COMMAND cc -std=c99 -Wall -Werror ${SOURCE_DIR}/examples/connect_only_echo.c
                        -o ${WORK_DIR}/static_example ${prefix}/lib/libfetch.a ${sflag_list}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "linking libfetch.a with pkg-config --static flags (${sflags}) failed")
endif()
message(STATUS "install consumer: pkg-config and find_package(fetch) both work")
# BoringSSL's directory is in libfetch.so's run path, so once TLS links it, installed programs
# still need no LD_LIBRARY_PATH.
file(GLOB shared_lib ${prefix}/lib/libfetch.so)
execute_process(COMMAND readelf -d ${shared_lib} OUTPUT_VARIABLE dyn RESULT_VARIABLE rc)
if(NOT dyn MATCHES "android")
  message(FATAL_ERROR "libfetch.so has no RUNPATH to BoringSSL's directory:\n${dyn}")
endif()
