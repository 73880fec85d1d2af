#!/bin/sh
# Generates ./configure from configure.ac and Makefile.am.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --install --force
# automake does not install its TAP driver by itself; the unit tests use it.
for dir in /usr/share/automake-*; do
	if [ -f "$dir/tap-driver.sh" ]; then
		cp -f "$dir/tap-driver.sh" build-aux/tap-driver.sh
		break
	fi
done
test -f build-aux/tap-driver.sh || {
	echo "autogen.sh: automake's tap-driver.sh not found" >&2
	exit 1
}
