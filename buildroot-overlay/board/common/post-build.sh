#!/bin/sh
# Buildroot post-build script: stamps the recorder's version and build time
# (shown in device info) and sets the image up for one board model.
#   post-build.sh TARGET_DIR BOARD       (BOARD: rds or rdt, from BR2_ROOTFS_POST_SCRIPT_ARGS)
# SOURCE_DATE_EPOCH, when set, is the build time (reproducible images).
set -eu

target="${1:?usage: post-build.sh TARGET_DIR BOARD}"
board="${2:?usage: post-build.sh TARGET_DIR BOARD}"
program_dir="$target/usr/lib/recorder"
board_file="$target/usr/share/recorder/board/$board.json"

[ -f "$board_file" ] || { echo "post-build: no board file $board_file" >&2; exit 1; }
[ -f "$program_dir/build-info.json" ] || { echo "post-build: the recorder is not installed in $program_dir" >&2; exit 1; }

# A field of a flat JSON object, e.g. json_field version < build-info.json.
json_field() {
	sed -n "s/.*\"$1\": *\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

version=$(json_field version <"$program_dir/build-info.json")
commit=$(json_field commit <"$program_dir/build-info.json")
if [ -n "${SOURCE_DATE_EPOCH:-}" ]; then
	built_at=$(date -u -d "@$SOURCE_DATE_EPOCH" '+%Y-%m-%dT%H:%M:%SZ')
else
	built_at=$(date -u '+%Y-%m-%dT%H:%M:%SZ')
fi
[ -n "$version" ] || { echo "post-build: no version in $program_dir/build-info.json" >&2; exit 1; }

printf '{\n  "version": "%s",\n  "commit": "%s",\n  "builtAt": "%s",\n  "board": "%s"\n}\n' \
	"$version" "$commit" "$built_at" "$board" >"$program_dir/build-info.json.tmp"
mv -f "$program_dir/build-info.json.tmp" "$program_dir/build-info.json"

# /etc/os-release names the recorder build too.
os_release="$target/usr/lib/os-release"
[ -f "$os_release" ] || os_release="$target/etc/os-release"
if [ -f "$os_release" ] && [ ! -L "$os_release" ]; then
	sed -i '/^RECORDER_/d; /^BUILD_ID=/d' "$os_release"
	printf 'BUILD_ID="%s"\nRECORDER_VERSION="%s"\nRECORDER_BOARD="%s"\n' "$built_at" "$version" "$board" >>"$os_release"
fi

# The board and its data disk (storage.device of the board file) for the init scripts.
storage=$(tr -d '\n' <"$board_file" | sed -n 's/.*"storage": *{\([^}]*\)}.*/\1/p')
device=$(printf '%s\n' "$storage" | json_field device)
read_ahead=$(printf '%s\n' "$storage" | sed -n 's/.*"readAheadKiB": *\([0-9]*\).*/\1/p')
defaults="$target/etc/default/recorder"
# The daemon's heap (heap.oldSpaceMiB, heap.semiSpaceMiB of the board file) as node options,
# and its malloc's mapping threshold (heap.mallocMmapThresholdKiB) in bytes.
heap=$(tr -d '\n' <"$board_file" | sed -n 's/.*"heap": *{\([^}]*\)}.*/\1/p')
old_space=$(printf '%s\n' "$heap" | sed -n 's/.*"oldSpaceMiB": *\([0-9]*\).*/\1/p')
semi_space=$(printf '%s\n' "$heap" | sed -n 's/.*"semiSpaceMiB": *\([0-9]*\).*/\1/p')
mmap_kib=$(printf '%s\n' "$heap" | sed -n 's/.*"mallocMmapThresholdKiB": *\([0-9]*\).*/\1/p')
mmap_threshold=""
[ -n "$mmap_kib" ] && mmap_threshold=$((mmap_kib * 1024))
node_flags=""
[ -n "$old_space" ] && node_flags="--max-old-space-size=$old_space"
[ -n "$semi_space" ] && node_flags="${node_flags:+$node_flags }--max-semi-space-size=$semi_space"
sed -i "s|^RECORDER_BOARD=.*|RECORDER_BOARD=$board|; s|^DATA_DEVICE=.*|DATA_DEVICE=$device|; s|^DATA_READ_AHEAD_KIB=.*|DATA_READ_AHEAD_KIB=$read_ahead|; s|^RECORDER_NODE_FLAGS=.*|RECORDER_NODE_FLAGS=\"$node_flags\"|; s|^RECORDER_MALLOC_MMAP_THRESHOLD=.*|RECORDER_MALLOC_MMAP_THRESHOLD=$mmap_threshold|" "$defaults"

# Factory DNS server (manual 2.5): 192.168.123.254.
rm -f "$target/etc/resolv.conf"
echo "nameserver 192.168.123.254" >"$target/etc/resolv.conf"

mkdir -p "$target/data"

# USB sticks are mounted read-only on /media/usb when plugged in (an upgrade
# package for the console's `upgrade`); mdev runs the script for sd*N partitions.
mdev_conf="$target/etc/mdev.conf"
usb_rule='sd[a-z]+[0-9]+ 0:0 660 */usr/libexec/recorder/usb-stick'
if ! grep -qF 'usr/libexec/recorder/usb-stick' "$mdev_conf" 2>/dev/null; then
	printf '%s\n' "$usb_rule" >>"$mdev_conf"
fi
echo "post-build: recorder $version ($built_at) for $board, data disk ${device:-none}${read_ahead:+ (read-ahead $read_ahead KiB)}, node ${node_flags:-defaults}${mmap_threshold:+, malloc mmap threshold $mmap_threshold}"
