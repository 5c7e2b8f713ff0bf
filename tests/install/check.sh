#!/usr/bin/env bash
# tests/install/check.sh - what `make install` puts on a host, checked the
# way an operator would: install into a temporary DESTDIR with PREFIX=/usr,
# compare the file list with the expected one, run the installed binaries,
# check that the systemd units point at the installed daemon and the
# configuration directory, that the man pages render without a warning,
# and that `make uninstall` leaves nothing behind.
set -u
cd "$(dirname "$0")/../.." || exit 1
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

d=$(mktemp -d /tmp/xpmip-install.XXXXXX)
trap 'rm -rf "$d"' EXIT
make --no-print-directory -s install DESTDIR="$d" PREFIX=/usr >"$d.log" 2>&1 ||
	{ cat "$d.log"; fail "make install"; exit 1; }
rm -f "$d.log"

expected=$(
	printf '%s\n' usr/sbin/xpmipd usr/sbin/xpmipctl \
		usr/share/man/man8/xpmipd.8 usr/share/man/man8/xpmipctl.8 \
		usr/share/man/man5/xpmipd.conf.5 \
		usr/lib/systemd/system/xpmipd-lma@.service usr/lib/systemd/system/xpmipd-mag@.service \
		usr/share/xpmip/topology.sh usr/share/doc/xpmip/README.md
	for f in deploy/examples/*.conf deploy/examples/README.md; do
		echo "usr/share/doc/xpmip/examples/${f##*/}"
	done
	for f in docs/*.md; do echo "usr/share/doc/xpmip/${f##*/}"; done
)
seen=$(cd "$d" && find . -type f | sed 's|^\./||' | sort)
diffs=$(diff <(sort <<<"$expected") <(echo "$seen"))
if [[ -z $diffs ]]; then ok "installed file list ($(wc -l <<<"$seen") files)"; else
	fail "installed file list differs (< expected, > installed):"; echo "$diffs" >&2; fi

[[ -x $d/usr/sbin/xpmipd && -x $d/usr/sbin/xpmipctl ]] && ok "binaries executable" ||
	fail "binaries not executable"
v=$("$d/usr/sbin/xpmipd" --version 2>&1)
[[ $v =~ ^xpmipd\ [0-9] ]] && ok "installed xpmipd --version: $v" || fail "xpmipd --version: $v"
"$d/usr/sbin/xpmipctl" --help | grep -q '^  metrics' && ok "installed xpmipctl --help lists metrics" ||
	fail "installed xpmipctl --help"
for ex in "$d"/usr/share/doc/xpmip/examples/*.conf; do
	n=${ex##*/}; role=${n%%[0-9-.]*}
	out=$("$d/usr/sbin/xpmipd" --role "$role" --config "$ex" --check-config 2>&1) &&
		ok "example $n is a valid $role configuration" || fail "example $n: $out"
	# every example belongs to a scenario the README says how to run
	grep -q "\`$n\`" "$d/usr/share/doc/xpmip/examples/README.md" &&
		ok "example $n is in examples/README.md" || fail "example $n: not in examples/README.md"
done
perms=$(stat -c %a "$d/usr/lib/systemd/system/xpmipd-lma@.service")
[[ $perms == 644 ]] && ok "unit mode 644" || fail "unit mode $perms"

for role in lma mag; do
	u="$d/usr/lib/systemd/system/xpmipd-$role@.service"
	grep -q '@[A-Z]*@' "$u" && fail "$role unit has an unsubstituted @VAR@"
	grep -q "^ExecStart=/usr/sbin/xpmipd --role $role --config /etc/xpmip/%i.conf --instance %i --foreground$" "$u" &&
		ok "$role unit ExecStart" || fail "$role unit ExecStart: $(grep ^ExecStart= "$u")"
	grep -q '^Restart=on-failure$' "$u" && ok "$role unit Restart=on-failure" || fail "$role unit Restart"
	grep -q 'mount -t bpf bpf /sys/fs/bpf' "$u" && ok "$role unit mounts bpffs" || fail "$role unit bpffs"
	grep -E '^Exec.*--flush' "$u" && fail "$role unit flushes the pinned state"
	if command -v systemd-analyze >/dev/null; then
		# verify needs the ExecStart binary: point it at the installed one
		t=$(mktemp -d); sed "s|/usr/sbin/xpmipd|$d/usr/sbin/xpmipd|" "$u" >"$t/xpmipd-$role@x.service"
		out=$(systemd-analyze verify --man=no "$t/xpmipd-$role@x.service" 2>&1 | grep -v -e 'Cannot add dependency' -e 'ConditionPathExists' -e '^$')
		rm -rf "$t"
		[[ -z $out ]] && ok "systemd-analyze verify $role unit" || fail "systemd-analyze verify $role: $out"
	fi
done

for m in "$d"/usr/share/man/man*/*; do
	w=$(LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$m" 2>&1 >/dev/null)
	g=$(groff -man -ww -z "$m" 2>&1)
	[[ -z $w && -z $g ]] && ok "man page ${m##*/} renders without warnings" ||
		fail "man page ${m##*/}: $w $g"
	for name in NAME SYNOPSIS DESCRIPTION; do
		grep -q "^\.SH $name" "$m" || fail "man page ${m##*/} has no $name section"
	done
done

# every command xpmipctl lists is documented in xpmipctl(8)
for c in $("$d/usr/sbin/xpmipctl" --help | awk '/^  [a-z]/ {print $1}'); do
	grep -q "^\.B[IR]* $c\b\|^\.B[IR]* ${c//-/\\\\-}\b" "$d/usr/share/man/man8/xpmipctl.8" ||
		fail "xpmipctl $c is not in xpmipctl(8)"
done

make --no-print-directory -s uninstall DESTDIR="$d" PREFIX=/usr
left=$(cd "$d" && find . -type f)
[[ -z $left ]] && ok "make uninstall removes every file" || fail "left after uninstall: $left"

(( fails == 0 )) && echo "install: all checks passed" || echo "install: $fails check(s) failed"
exit $(( fails > 0 ))
