#!/bin/sh
# Builds the Qt console datagram peer used by the UDP interop tests:
#   sh build.sh OUTPUT
# Needs g++, pkg-config and Qt 5's development files (Debian: qtbase5-dev).
set -eu
out=${1:?usage: build.sh OUTPUT}
here=$(dirname "$0")
# shellcheck disable=SC2046
exec g++ -std=c++17 -O1 -fPIC -o "$out" "$here/qtudppeer.cpp" \
	$(pkg-config --cflags --libs Qt5Network Qt5Core)
