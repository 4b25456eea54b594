#!/bin/bash
# Bad inputs to the cancelfuzz CLI: every one must give the exact exit code and
# exactly one stderr line that names the file and the problem, and nothing may
# crash, hang or leave half-written files behind.
#
# usage: cli_bad_input.sh PATH/TO/cancelfuzz
# Exit 0 when every check passes, 1 otherwise. Checks that execute programs
# are skipped (and say so) when io_uring is not usable here.
set -u

if [ $# -ne 1 ] || [ ! -x "$1" ]; then
	echo "usage: $0 PATH/TO/cancelfuzz" >&2
	exit 2
fi
CF=$(readlink -f "$1")
T=$(mktemp -d "${TMPDIR:-/tmp}/cf-cli-bad.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1 # relative names keep the expected messages exact

NL=$'\n'
failures=0
checks=0
RC=0

fail() {
	echo "FAIL: $*" >&2
	failures=$((failures + 1))
}

# run CMD...: exit code in RC, output in $T/out and $T/err. A hang is a failure
# (timeout gives 124); so is any sign of a crash or sanitizer report.
TMO=30
run() {
	timeout -k 5 "$TMO" "$@" >"$T/out" 2>"$T/err"
	RC=$?
	checks=$((checks + 1))
}

crashed() {
	[ "$RC" -ge 124 ] && return 0
	grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|runtime error:|Segmentation fault|Aborted' "$T/err"
}

# expect NAME CODE STDERR CMD...: exit code CODE and stderr exactly STDERR plus
# a newline (one line when STDERR has no newline in it); STDERR "" wants none.
expect() {
	local name=$1 code=$2 want=$3 got
	shift 3
	[ -n "$want" ] && want=$want$NL
	run "$@"
	got=$(cat "$T/err"; echo x)
	got=${got%x}
	if crashed; then
		fail "$name: crashed or hung (exit $RC): $(head -c 600 "$T/err")"
		return 1
	fi
	if [ "$RC" -ne "$code" ]; then
		fail "$name: exit $RC, expected $code; stderr: $(head -c 600 "$T/err")"
		return 1
	fi
	if [ "$got" != "$want" ]; then
		fail "$name: stderr is$NL---$NL$got---${NL}expected$NL---$NL$want---"
		return 1
	fi
	return 0
}

# expect_usage NAME MESSAGE CMD...: usage error: exit 2, MESSAGE then the usage text.
expect_usage() {
	local name=$1 msg=$2
	shift 2
	expect "$name" 2 "$msg$NL${USAGE%$NL}" "$@"
}

expect_stdout_empty() {
	[ -s "$T/out" ] && fail "$1: unexpected stdout: $(head -c 300 "$T/out")"
}

# ---- help, usage errors ----

run "$CF" help
USAGE=$(cat "$T/out"; echo x)
USAGE=${USAGE%x}
if [ "$RC" -ne 0 ] || [ -s "$T/err" ] || ! grep -q '^usage: cancelfuzz COMMAND' "$T/out"; then
	fail "help: exit $RC, stdout '$(head -c 200 "$T/out")', stderr '$(head -c 200 "$T/err")'"
fi
for h in --help -h; do
	run "$CF" "$h"
	[ "$RC" -eq 0 ] && [ "$(cat "$T/out"; echo x)" = "${USAGE}x" ] || fail "$h: exit $RC or different text"
done

expect "no command" 2 "${USAGE%$NL}" "$CF"
expect_usage "unknown command" "cancelfuzz: unknown command 'frobnicate'" "$CF" frobnicate
expect_usage "unknown option" "replay: unknown option --frob" "$CF" replay --frob x.cfp
expect_usage "unknown short option" "replay: unknown option -x" "$CF" replay -x
expect_usage "replay without args" "replay: no FILE or DIR given" "$CF" replay
expect_usage "replay -q only" "replay: no FILE or DIR given" "$CF" replay -q
expect "replay --history without name" 2 "replay: --history needs a file name" "$CF" replay --history
expect_usage "show without args" "show: needs exactly one FILE" "$CF" show
expect_usage "show with two files" "show: needs exactly one FILE" "$CF" show a b
expect "compile without -o" 2 "compile: usage: cancelfuzz compile TEXT -o OUT" "$CF" compile a.cfp
expect "compile with -x" 2 "compile: usage: cancelfuzz compile TEXT -o OUT" "$CF" compile a.cfp -x out
expect_usage "check without args" "check: needs at least one HISTORY file" "$CF" check
expect "probe with args" 2 "probe: takes no arguments" "$CF" probe extra

# ---- is io_uring here? ----

timeout 30 "$CF" probe >/dev/null 2>&1
case $? in
0) URING=1 ;;
77) URING=0; echo "note: io_uring is not usable here; checks that execute programs are skipped" ;;
*) fail "probe: unexpected exit code"; URING=0 ;;
esac

# ---- files that cannot be read ----

for cmd in show replay; do
	expect "$cmd missing file" 2 "missing.bin: cannot open: No such file or directory" "$CF" $cmd missing.bin
	expect_stdout_empty "$cmd missing file"
	expect "$cmd missing text file" 2 "missing.cfp: cannot open: No such file or directory" "$CF" $cmd missing.cfp
done
expect "compile missing file" 2 "missing.cfp: cannot open: No such file or directory" "$CF" compile missing.cfp -o out.bin
[ -e out.bin ] && fail "compile missing file: left out.bin"
expect "compile of a binary name" 2 "prog.bin: program text must end in .cfp" "$CF" compile prog.bin -o out.bin
expect "check missing file" 2 "missing.history: cannot open: No such file or directory" "$CF" check missing.history

# We run as root, so chmod 000 would not stop reads: use things that are not
# regular files instead.
mkdir adir
expect "show a directory" 2 "adir: not a regular file" "$CF" show adir
mkdir adir.cfp
expect "show a directory (text name)" 2 "adir.cfp: not a regular file" "$CF" show adir.cfp
expect "show /dev/null" 2 "/dev/null: not a regular file" "$CF" show /dev/null
expect "compile /dev/null" 2 "/dev/null: program text must end in .cfp" "$CF" compile /dev/null -o out.bin
mkfifo fifo.cfp
# A FIFO with no writer: open(2) must not block waiting for one.
TMO=5
expect "show a FIFO" 2 "fifo.cfp: not a regular file" "$CF" show fifo.cfp
expect "replay a FIFO" 2 "fifo.cfp: not a regular file" "$CF" replay fifo.cfp
run "$CF" check fifo.cfp # (any one-line message naming the file will do)
if crashed || [ "$RC" -ne 2 ] || [ "$(wc -l <"$T/err")" -ne 1 ] || ! grep -q '^fifo.cfp: ' "$T/err"; then
	fail "check a FIFO: exit $RC, stderr: $(head -c 300 "$T/err")"
fi
TMO=30
expect "check a directory" 2 "adir: not a regular file" "$CF" check adir

# ---- empty and oversized ----

: >empty.bin
: >empty.cfp
expect "show empty text" 2 "empty.cfp: empty file" "$CF" show empty.cfp
# Empty bytes are the empty program (decoding is total): libFuzzer starts with
# the empty input, and a crash on it must replay like any other.
run "$CF" show empty.bin
[ "$RC" -eq 0 ] && [ ! -s "$T/err" ] && [ "$(sed -n 2p "$T/out")" = "ring mode=default entries=8" ] ||
	fail "show empty.bin: exit $RC, stdout $(head -c 300 "$T/out")"
expect "compile empty text" 2 "empty.cfp: empty file" "$CF" compile empty.cfp -o out.bin
head -c 4097 /dev/zero >big.bin
expect "show oversized binary" 2 "big.bin: oversized: 4097 bytes, limit 4096" "$CF" show big.bin
expect "replay oversized binary" 2 "big.bin: oversized: 4097 bytes, limit 4096" "$CF" replay big.bin
head -c 4096 /dev/zero >max.bin # exactly the limit: fine
expect "show 4096-byte binary" 0 "" "$CF" show max.bin
# Text: a valid program padded with comments to exactly 1 MiB, then one byte more.
{
	echo "cancelfuzz program 1"
	echo "end"
	head -c $((1048576 - 26)) /dev/zero | tr '\0' '#'
	echo
} >max.cfp
[ "$(stat -c %s max.cfp)" -eq 1048576 ] || fail "test bug: max.cfp is $(stat -c %s max.cfp) bytes"
expect "show 1 MiB text" 0 "" "$CF" show max.cfp
{ cat max.cfp; echo; } >big.cfp
expect "show oversized text" 2 "big.cfp: oversized: 1048577 bytes, limit 1048576" "$CF" show big.cfp
expect "compile oversized text" 2 "big.cfp: oversized: 1048577 bytes, limit 1048576" "$CF" compile big.cfp -o out.bin
[ -e out.bin ] && fail "compile oversized text: left out.bin"

# ---- text cut short: a missing end line and a missing final newline are fine;
# ---- a cut inside a word is an error only where the word stops being valid ----

textcase() { # NAME CODE STDERR TEXT (printf %s, so no newline unless given)
	printf '%s' "$4" >t.cfp
	expect "$1" "$2" "$3" "$CF" show t.cfp
}
M="cancelfuzz program 1"
textcase "cut: magic only, no newline" 0 "" "$M"
textcase "cut: after a whole op" 0 "" "$M${NL}queue read slot=pipe0.r"
textcase "cut: after a key" 0 "" "$M${NL}queue read slot=pipe0.r ud=2"
textcase "cut: after key=" 2 "t.cfp:2: missing value for 'slot'" "$M${NL}queue read slot="
textcase "cut: inside a key" 2 "t.cfp:2: expected key=value, got 'sl'" "$M${NL}queue read sl"
textcase "cut: inside a slot name" 2 "t.cfp:2: unknown slot 'pip'" "$M${NL}queue read slot=pip"
textcase "cut: inside a request name" 2 "t.cfp:2: unknown request 'rea'" "$M${NL}queue rea"
textcase "cut: after the keyword" 2 "t.cfp:2: missing request name" "$M${NL}queue"
textcase "cut: inside a ring mode" 2 "t.cfp:2: unknown mode 'de'" "$M${NL}ring mode=de"
textcase "cut: after a flag bar" 2 "t.cfp:2: empty sqe flag in 'link|'" "$M${NL}queue read flags=link|"
textcase "cut: inside a cancel flag" 2 "t.cfp:2: unknown cancel flag 'user'" "$M${NL}cancel sqe64 flags=user"
textcase "cut: inside a ud" 2 "t.cfp:2: bad ud '0xffff' (allowed: 1, 2, 3, 4, 5, 6, 0, 0xffffffffffffffff)" \
	"$M${NL}queue read ud=0xffff"
textcase "cut: inside the magic" 2 "t.cfp:1: missing magic line 'cancelfuzz program 1'" "cancelfuzz progr"
textcase "cut: before the version" 2 "t.cfp:1: missing program format version" "cancelfuzz program "
# (A cut inside a number can leave a valid, different program: len=25 -> len=2.
# The text form has no length or checksum, so that is not detectable.)
textcase "cut: inside a number" 0 "" "$M${NL}complete write slot=pipe0.w len=2"

# ---- malformed text ----

textcase "no magic" 2 "t.cfp:1: missing magic line 'cancelfuzz program 1'" "queue read$NL"
textcase "only comments" 2 "t.cfp:1: empty input, expected 'cancelfuzz program 1'" "# nothing$NL$NL"
textcase "version 4" 2 "t.cfp:1: unsupported program format version 4" "cancelfuzz program 4$NL"
textcase "remove in version 1" 2 "t.cfp:2: queue poll_remove needs 'cancelfuzz program 3'" "cancelfuzz program 1${NL}queue poll_remove target=1 ud=2$NL"
textcase "bad version" 2 "t.cfp:1: bad program format version 'one'" "cancelfuzz program one$NL"
textcase "magic twice" 2 "t.cfp:3: magic line repeated" "$M$NL# again$NL$M$NL"
textcase "unknown statement" 2 "t.cfp:2: unknown statement 'frob'" "$M${NL}frob slot=pipe0.r$NL"
textcase "unknown key" 2 "t.cfp:2: unknown key 'foo' for queue" "$M${NL}queue read foo=1$NL"
textcase "duplicate key" 2 "t.cfp:2: duplicate key 'slot'" "$M${NL}queue read slot=pipe0.r slot=pipe1.r$NL"
textcase "duplicate flag" 2 "t.cfp:2: duplicate sqe flag 'link'" "$M${NL}queue read flags=link|async|link$NL"
textcase "len out of range" 2 "t.cfp:3: len 256 out of range 0..255" \
	"$M${NL}ring mode=coop${NL}complete write slot=pipe0.w len=256$NL"
textcase "n out of range" 2 "t.cfp:2: n 8 out of range 0..7" "$M${NL}wait submit_wait n=8$NL"
textcase "bad number" 2 "t.cfp:2: bad number '1x' for len" "$M${NL}complete write len=1x$NL"
textcase "bad entries" 2 "t.cfp:2: bad entries '5' (allowed: 4, 8, 16, 32)" "$M${NL}ring entries=5$NL"
textcase "ring after an op" 2 "t.cfp:3: ring must directly follow the magic line" "$M${NL}close slot=file${NL}ring$NL"
textcase "ring after ring" 2 "t.cfp:3: ring must directly follow the magic line" "$M${NL}ring${NL}ring$NL"
textcase "statement after end" 2 "t.cfp:4: statement after end" "$M${NL}end$NL# fine$NL""close slot=file$NL"
textcase "word after end" 2 "t.cfp:2: unexpected 'now' after end" "$M${NL}end now$NL"
textcase "key without name" 2 "t.cfp:2: missing request name" "$M${NL}queue slot=pipe0.r$NL"
textcase "value without key" 2 "t.cfp:2: expected key=value, got '=x'" "$M${NL}queue read =x$NL"
textcase "control character" 2 "t.cfp:2: invalid character 0x01" "$M${NL}queue read"$'\x01'"$NL"
printf 'cancelfuzz program 1\nclose slot=file\nclose\000 slot=file\n' >t.cfp
expect "NUL byte" 2 "t.cfp:3: invalid character 0x00" "$CF" show t.cfp
printf '%s\n' "$M" >t.cfp
for i in $(seq 65); do echo "close slot=file" >>t.cfp; done
expect "65 ops" 2 "t.cfp:66: too many ops (limit 64)" "$CF" show t.cfp
# CRLF line ends and tabs are allowed.
printf 'cancelfuzz program 1\r\nqueue\tread slot=pipe0.r\r\nend\r\n' >t.cfp
expect "CRLF and tabs" 0 "" "$CF" show t.cfp
# Malformed text is refused by compile too, without creating the output.
printf '%s\nfrob\n' "$M" >t.cfp
expect "compile malformed" 2 "t.cfp:2: unknown statement 'frob'" "$CF" compile t.cfp -o out.bin
[ -e out.bin ] && fail "compile malformed: left out.bin"

# ---- compile: output ----

cat >good.cfp <<'EOF'
cancelfuzz program 1   # magic
ring mode=default entries=8
queue read slot=pipe0.r ud=1 flags=0
wait submit n=0
cancel sqe64 flags=0 ud=1 slot=pipe0.r op=nop odd=0
wait submit_wait n=2
queue poll slot=sock0.a ud=2 flags=link|async
wait submit n=0
complete write slot=pipe0.w len=3
end
EOF
expect "compile good" 0 "" "$CF" compile good.cfp -o good.bin
expect_stdout_empty "compile good"
printf '\x00\x01\x00\x00\x01\x00\x00\x00\x0a\x00\x00\x04\x00\x00\x00\x00\x00\x00\x0a\x01\x02\x00\x04\x04\x01\x05\x0a\x00\x00\x07\x00\x01\x03\x0f' >want.bin
cmp -s good.bin want.bin || fail "compile good: bytes $(od -An -tx1 good.bin | tr -d '\n') differ from the canonical ones"
"$CF" show good.cfp >show-text 2>&1
"$CF" show good.bin >show-bin 2>&1
cmp -s show-text show-bin || fail "compile good: show of the bytes differs from show of the text"
# Compiling the canonical text gives the same bytes, also over an old file.
cp show-text again.cfp
echo junk >good.bin
expect "compile over an old file" 0 "" "$CF" compile again.cfp -o good.bin
cmp -s good.bin want.bin || fail "compile over an old file: wrong bytes"

expect "compile to an unwritable path" 3 "/proc/nonexistent/out: cannot create: No such file or directory" \
	"$CF" compile good.cfp -o /proc/nonexistent/out
expect "compile into a missing directory" 3 "nodir/out.bin: cannot create: No such file or directory" \
	"$CF" compile good.cfp -o nodir/out.bin
[ -e nodir ] && fail "compile into a missing directory: created something"
# Output that exists and is not a regular file (a FIFO here; /dev/null as root
# was once renamed over) is refused and left as it was.
mkfifo fifo-out
expect "compile onto a FIFO" 3 "fifo-out: exists and is not a regular file: not replaced" \
	"$CF" compile good.cfp -o fifo-out
[ -p fifo-out ] || fail "compile onto a FIFO: the FIFO was replaced"
# The temporary file can be made but not renamed over a directory: it must go.
mkdir outdir
expect "compile over a directory" 3 "outdir: cannot finish writing: Is a directory" \
	"$CF" compile good.cfp -o outdir
leftover=$(ls -A | grep -E '^outdir.' | tr '\n' ' ')
[ -z "$leftover" ] || fail "compile over a directory: left $leftover"
[ -z "$(ls -A outdir)" ] || fail "compile over a directory: wrote into it"

# ---- binary: cut inside an op; junk ----

printf '\x00\x01\x00\x00\x01' >cut.bin # queue read, then its slot/ud/flags bytes are missing
run "$CF" show cut.bin
[ "$RC" -eq 0 ] && [ ! -s "$T/err" ] &&
	[ "$(head -n 1 "$T/out")" = "# note: the input ends inside an op; missing bytes read as 0" ] &&
	[ "$(sed -n 4p "$T/out")" = "queue read slot=pipe0.r ud=1 flags=0" ] ||
	fail "show cut.bin: exit $RC, stdout $(head -c 300 "$T/out")"

# Binary junk is not bad input: decoding is total, so any byte string is a valid
# program (docs/program-format.md). These fixed junk files (a zip header and
# some hex words; first bytes 0x50 % 7 == 3 and 0, so sqpoll and default rings) must replay
# and pass. Only a *.cfp name makes a file text, and text junk is an error.
mkdir junk junkbin
printf 'PK\x03\x04\x14\x00\x00\x00\x08\x00\x9c\x5a\x21\x57\xaa\x10\xe3\x4c\x1f\x00\x00\x00\x00\x00\x00' >junk/a.zip
printf '\x00\x01\xde\xad\xbe\xef\x13\x37\xca\xfe\xba\xbe\x04\x05\x06\x07\x08\x09\x0a\x0b\x00' >junk/b.dat
printf 'PK\x03\x04\x14\x00\x00\x00\x08\x00junk' >junk/c.cfp
cp junk/a.zip junk/b.dat junkbin/
echo "sidecar, skipped" >junk/notes.txt
if [ "$URING" -eq 1 ]; then
	expect "replay binary junk dir" 0 "" "$CF" replay -q junkbin
	[ "$(tail -n 1 "$T/out")" = "replayed 2 programs: 2 pass, 0 violation, 0 unsupported, 0 error" ] ||
		fail "replay binary junk dir: stdout ends $(tail -n 1 "$T/out")"
	expect "replay cut.bin" 0 "note: cut.bin: input ends inside an op; missing bytes read as 0" \
		"$CF" replay -q cut.bin
	[ "$(sed 's/ ([0-9]* checks)$//' "$T/out")" = "PASS cut.bin" ] || fail "replay cut.bin: stdout $(head -c 300 "$T/out")"
	expect "replay junk dir with a .cfp" 2 "junk/c.cfp:1: invalid character 0x03" "$CF" replay -q junk
	[ "$(tail -n 1 "$T/out")" = "replayed 3 programs: 2 pass, 0 violation, 0 unsupported, 1 error" ] ||
		fail "replay junk dir with a .cfp: stdout ends $(tail -n 1 "$T/out")"
else
	echo "skip: replay of binary junk (io_uring not usable)"
fi
expect "show junk .cfp" 2 "junk/c.cfp:1: invalid character 0x03" "$CF" show junk/c.cfp
expect "replay junk .cfp" 2 "junk/c.cfp:1: invalid character 0x03" "$CF" replay junk/c.cfp
# Two bad files: one line each, in order.
expect "replay two missing files" 2 "missing.bin: cannot open: No such file or directory${NL}missing.cfp: cannot open: No such file or directory" \
	"$CF" replay -q missing.bin missing.cfp

# ---- histories: replay --history, then check ----

write_history_cases() { # from a good history $1, write the malformed ones
	{ head -n 6 "$1"; sed -n 7p "$1" | head -c 10; } >h-cut-midline.history
	head -n 10 "$1" >h-cut-lines.history
	{ head -n 6 "$1"; echo "bogus 1 2"; tail -n +7 "$1"; } >h-bogus.history
	sed '1s/.*/cancelfuzz-history 4/' "$1" >h-version.history
	{ cat "$1"; echo "act 99 end_drain res=0 ovf=0"; } >h-after-end.history
}
if [ "$URING" -eq 1 ]; then
	# Without -q the history goes to stdout too, and must be the saved one.
	# (Compare within one run: teardown timing may differ between runs.)
	expect "replay --history" 0 "" "$CF" replay --history good.history good.cfp
	[ "$(tail -n 1 "$T/out" | sed 's/ ([0-9]* checks)$//')" = "PASS good.cfp" ] || fail "replay --history: stdout ends $(tail -n 1 "$T/out")"
	head -n -1 "$T/out" >printed.history
	cmp -s printed.history good.history ||
		fail "replay: printed history differs from --history file: $(diff printed.history good.history)"
	ls -A | grep -q '^good.history.tmp' && fail "replay --history: left a temporary file"
	expect "check a recorded history" 0 "" "$CF" check good.history
	[ "$(sed 's/ ([0-9]* checks)$//' "$T/out")" = "PASS good.history" ] || fail "check: stdout $(head -c 300 "$T/out")"
	expect "replay --history to an unwritable path" 3 \
		"/proc/nonexistent/h: cannot create: No such file or directory" \
		"$CF" replay -q --history /proc/nonexistent/h good.cfp
	write_history_cases good.history
	n=$(wc -l <good.history)
	expect "check truncated mid-line" 2 "h-cut-midline.history: line 7: truncated: last line has no newline" \
		"$CF" check h-cut-midline.history
	expect "check truncated at a line" 2 "h-cut-lines.history: line 11: truncated: no 'end' line" \
		"$CF" check h-cut-lines.history
	expect "check bad line" 2 "h-bogus.history: line 7: unknown line 'bogus'" "$CF" check h-bogus.history
	expect "check bad version" 2 "h-version.history: line 1: unsupported history version 4" \
		"$CF" check h-version.history
	expect "check text after end" 2 "h-after-end.history: line $((n + 1)): text after the end line" \
		"$CF" check h-after-end.history
	# One bad history among good ones: still exit 2, good ones still judged.
	expect "check good and bad" 2 "h-bogus.history: line 7: unknown line 'bogus'" \
		"$CF" check good.history h-bogus.history good.history
	[ "$(sed 's/ ([0-9]* checks)$//' "$T/out")" = "PASS good.history${NL}PASS good.history" ] || fail "check good and bad: stdout $(head -c 300 "$T/out")"
else
	echo "skip: replay --history (io_uring not usable)"
fi
printf 'cancelfuzz-history 1\nkernel 6.18\n' >h-header.history
expect "check cut in the header" 2 "h-header.history: line 3: incomplete header: no 'end' line" \
	"$CF" check h-header.history
expect "check empty history" 2 "empty.bin: line 1: incomplete header: no 'end' line" "$CF" check empty.bin
expect "check a program instead" 2 "good.cfp: line 1: not a cancelfuzz history (expected 'cancelfuzz-history 1')" \
	"$CF" check good.cfp

echo "$checks commands run, $failures failure(s)"
[ "$failures" -eq 0 ]
