#!/usr/bin/env bash
# Regenerates the version-order fixtures of the scanner's tests from the real tools:
# dpkg --compare-versions (package dpkg) and rpm's own vercmp through `rpm --eval` (package rpm).
# Every pair of the versions listed below is compared; each output line reads "a < b", "a = b"
# or "a > b". Run on Debian: apt-get install dpkg rpm; hack/version-fixtures.sh
set -euo pipefail
out=src/test/resources/sh/eraser/scanner

dpkg_versions=(
  0 1 1.0 1.0.0 1.00 1.0~rc1 1.0~rc1~1 1.0~~ 1.0~ 1.0a 1.0+b1 1.0.1 1.0-1 1.0-1~deb12u1
  1.0-1+deb12u1 1.0-1.1 1.0-10 1.0-2 1:0.9 1:1.0 2:0 0:1.0 1.2.3-1~deb7u1 1.2.3-1
  1.2.13.dfsg-1 1:1.2.13.dfsg-1 1.2.13.dfsg-1+b1 3.0.11-1~deb12u2 3.0.11-1~deb12u1 3.0.13-1~deb12u1
  3.0.2-0ubuntu1.10 3.0.2-0ubuntu1.15 3.0.2-0ubuntu1 2.36-9+deb12u3 2.36-9+deb12u4 2.36-9
  5.2.15-2+b2 5.2.15-2 5.2.15-2+b10 9.9p1-1 9.9p1-1+b1 10.0p1-1 1.0.0a 1.0.0b 1.0-a 1.0-z
  2024a-0+deb12u1 2023c-5 7.88.1-10+deb12u5 7.88.1-10+deb12u12 252.22-1~deb12u1 252.30-1~deb12u2
  1.0+dfsg 1.0+dfsg1 1.0.dfsg 99999999999999999999.1 99999999999999999998.2
)

rpm_versions=(
  1.0 1.0-1 1.0-2 1.0-1.el9 1.0-1.el9_2 1.0-1.el8 1:1.0-1 0:1.0-1 2:0.1-1 1.0.1-1 1.01-1
  1.0a-1 1.0b-1 1.0~rc1-1 1.0^git1-1 1.0^-1 1.0^git2-1 1.0~~-1 1.0~-1 1.0_1-1 1.0.a-1
  3.0.7-24.el9 3.0.7-25.el9 3.0.7-27.el9_5 3.0.7-6.el9_2 1:3.0.7-24.el9 2.34-60.el9 2.34-100.el9
  2.34-60.el9_2.7 5.1.8-6.el9 5.1.8-9.el9 1.2.11-40.el9 1.2.11-41.el9 FC5-1 fc4-1 a-1 b-1
  1.0-1.fc38 1.0-1.fc39 1.0aa-1 1.0a1-1 10.0-1 9.0-1 0010-1 10-1 1.0-0.1.rc1 1.0-0.2.beta
)

dpkg_order() {
  if dpkg --compare-versions "$1" lt "$2"; then echo "<"
  elif dpkg --compare-versions "$1" eq "$2"; then echo "="
  else echo ">"; fi
}

{
  echo "# dpkg --compare-versions $(dpkg-query -W -f '${Version}' dpkg), by hack/version-fixtures.sh"
  for a in "${dpkg_versions[@]}"; do
    for b in "${dpkg_versions[@]}"; do
      echo "$a $(dpkg_order "$a" "$b") $b"
    done
  done
} > "$out/dpkg-versions.txt"

lua='local v = {'
for v in "${rpm_versions[@]}"; do lua+="\"$v\","; done
lua+='} local s = {[-1]="<", [0]="=", [1]=">"} for _, a in ipairs(v) do for _, b in ipairs(v) do print(a .. " " .. s[rpm.vercmp(a, b)] .. " " .. b .. "|") end end'
{
  echo "# rpm.vercmp of rpm $(rpm --version | awk '{print $3}'), by hack/version-fixtures.sh"
    # rpm's Lua print joins its lines; "|" marks where each ends.
  rpm --eval "%{lua: $lua}" | tr '|' '\n' | sed '/^$/d'
} > "$out/rpm-versions.txt"

wc -l "$out/dpkg-versions.txt" "$out/rpm-versions.txt"
