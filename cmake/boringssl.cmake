# BoringSSL from Debian's android-libboringssl-dev. Its headers and libraries live apart from
# OpenSSL's (/usr/include/android, /usr/lib/<triplet>/android) and must never be mixed with them
# in one target. The library directory is not on the loader's path, so every binary linking it
# carries it in its RPATH (build and install).
set(BORINGSSL_INCLUDE_DIR /usr/include/android CACHE PATH "BoringSSL headers")
set(BORINGSSL_LIBRARY_DIR /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/android
    CACHE PATH "BoringSSL libraries")
if(NOT EXISTS ${BORINGSSL_INCLUDE_DIR}/openssl/ssl.h OR NOT EXISTS ${BORINGSSL_LIBRARY_DIR}/libssl.so)
  message(FATAL_ERROR "BoringSSL not found: install android-libboringssl-dev (tools/install-deps.sh)")
endif()
if(NOT TARGET boringssl::crypto)
  add_library(boringssl::crypto SHARED IMPORTED)
  set_target_properties(boringssl::crypto PROPERTIES
    IMPORTED_LOCATION ${BORINGSSL_LIBRARY_DIR}/libcrypto.so
    IMPORTED_NO_SONAME OFF
    INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR})
  add_library(boringssl::ssl SHARED IMPORTED)
  set_target_properties(boringssl::ssl PROPERTIES
    IMPORTED_LOCATION ${BORINGSSL_LIBRARY_DIR}/libssl.so
    INTERFACE_INCLUDE_DIRECTORIES ${BORINGSSL_INCLUDE_DIR}
    INTERFACE_LINK_LIBRARIES boringssl::crypto)
endif()
