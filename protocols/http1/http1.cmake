# The HTTP/1 codec's build pieces, included by api/CMakeLists.txt: its decoding libraries
# (deps.cmake) and the optional libFuzzer target. Its sources are part of the library's glob of
# protocols/*.cc (protocols/*/fuzz/ is excluded).
include(${CMAKE_CURRENT_LIST_DIR}/deps.cmake)

# Optional libFuzzer target (clang only): -DFETCH_FUZZ=ON with CC=clang CXX=clang++.
option(FETCH_FUZZ "Build libFuzzer targets (clang)" OFF)
if(FETCH_FUZZ)
  file(GLOB _fetch_h1_sources ${CMAKE_CURRENT_LIST_DIR}/*.cc)
  add_executable(http1_response_fuzzer ${CMAKE_CURRENT_LIST_DIR}/fuzz/response_fuzzer.cc
                 ${_fetch_h1_sources} $<TARGET_OBJECTS:llhttp>)
  target_include_directories(http1_response_fuzzer PRIVATE ${PROJECT_SOURCE_DIR}
                             ${PROJECT_SOURCE_DIR}/api/include
                             $<TARGET_PROPERTY:llhttp,INTERFACE_INCLUDE_DIRECTORIES>)
  target_compile_options(http1_response_fuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_options(http1_response_fuzzer PRIVATE -fsanitize=fuzzer,address,undefined)
  target_link_libraries(http1_response_fuzzer PRIVATE ${FETCH_HTTP1_DEPS})
endif()
