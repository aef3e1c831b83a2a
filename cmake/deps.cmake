# SPDX-License-Identifier: LGPL-2.1-or-later
# Host dependencies, found the standard way. A missing one stops the
# configuration and names the Debian package that provides it.
find_package(PkgConfig)

macro(espota_require found what debpkg)
  if(NOT ${found})
    message(FATAL_ERROR "${what} not found: install the Debian package '${debpkg}' "
                        "(or run scripts/install-deps.sh)")
  endif()
endmacro()

espota_require(PKG_CONFIG_FOUND "pkg-config" "pkg-config")
find_package(OpenSSL 3)
espota_require(OPENSSL_FOUND "OpenSSL libcrypto" "libssl-dev")
find_package(ZLIB)
espota_require(ZLIB_FOUND "zlib" "zlib1g-dev")
# The gzip the tools write (--compress): libdeflate's level 12 beats zlib -9.
pkg_check_modules(LIBDEFLATE IMPORTED_TARGET libdeflate)
espota_require(LIBDEFLATE_FOUND "libdeflate" "libdeflate-dev")
find_package(CURL)
espota_require(CURL_FOUND "libcurl" "libcurl4-openssl-dev")
pkg_check_modules(AVAHI IMPORTED_TARGET avahi-client)
espota_require(AVAHI_FOUND "avahi-client" "libavahi-client-dev")
pkg_check_modules(JANSSON IMPORTED_TARGET jansson)
espota_require(JANSSON_FOUND "jansson" "libjansson-dev")
pkg_check_modules(MHD IMPORTED_TARGET libmicrohttpd)
espota_require(MHD_FOUND "libmicrohttpd" "libmicrohttpd-dev")
if(BUILD_TESTING)
  pkg_check_modules(CMOCKA IMPORTED_TARGET cmocka)
  espota_require(CMOCKA_FOUND "cmocka" "libcmocka-dev")
endif()
