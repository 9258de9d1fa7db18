#!/bin/sh
# Builds qtgen against Qt 5 and Qt 6 and writes the QDataStream vectors the Go
# tests use. Needs: g++ pkg-config qtbase5-dev qt6-base-dev tzdata (Debian).
#
#   datastream/internal/qtgen/gen.sh            # rewrite ../../testdata/qt{5,6}.txt
#   datastream/internal/qtgen/gen.sh OUTDIR     # write OUTDIR/qt{5,6}.txt instead
#
# TZ=UTC makes the local-time conversions of QDateTime (stream version
# Qt_5_0) the same on every machine.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../testdata}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for qt in 5 6; do
	# -fPIC: Qt 5 is built with reduced relocations and refuses non-PIC code.
	g++ -std=c++17 -O1 -fPIC $(pkg-config --cflags Qt${qt}Core Qt${qt}Network) \
		-o "$tmp/qtgen$qt" "$here/qtgen.cpp" $(pkg-config --libs Qt${qt}Core Qt${qt}Network)
	TZ=UTC QT_HASH_SEED=0 "$tmp/qtgen$qt" > "$tmp/qt$qt.txt"
	mv "$tmp/qt$qt.txt" "$out/qt$qt.txt"
done
