#!/bin/sh
# Re-records the expectations in ../velocity17.txt from Apache Velocity 1.7 itself.
# Needs a JDK and Debian's velocity package (apt-get install velocity), which brings
# velocity-1.7.jar, commons-lang 2 and commons-collections 3. Not run by CI: the recorded
# file is what the Go test reads.
set -eu
cd "$(dirname "$0")"
CP=/usr/share/java/velocity-1.7.jar:/usr/share/java/commons-lang.jar:/usr/share/java/commons-collections3.jar
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
javac -d "$tmp" -cp "$CP" Oracle.java
java -cp "$CP:$tmp" Oracle ../velocity17.txt > "$tmp/out.txt"
mv "$tmp/out.txt" ../velocity17.txt
