# cmake --install: headers under include/fetch, libfetch.so/.a, libfetch.pc, and a CMake package
# so that find_package(fetch) gives fetch::fetch (shared) and fetch::fetch_static.
include(CMakePackageConfigHelpers)

install(DIRECTORY ${PROJECT_SOURCE_DIR}/api/include/fetch DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(TARGETS fetch fetch_static EXPORT fetchTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(EXPORT fetchTargets NAMESPACE fetch:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fetch)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/fetchConfig.cmake.in
  ${PROJECT_BINARY_DIR}/fetchConfig.cmake INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fetch)
write_basic_package_version_file(${PROJECT_BINARY_DIR}/fetchConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/fetchConfig.cmake ${PROJECT_BINARY_DIR}/fetchConfigVersion.cmake
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/fetch)

# pkg-config: the shared library needs nothing more; Libs.private serves --static users.
set(FETCH_PC_RPATH "${FETCH_RPATH}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/libfetch.pc.in ${PROJECT_BINARY_DIR}/libfetch.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/libfetch.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
