#!/usr/bin/env bash
# Install the Debian packages xpmip's build, tests and demo need, only those
# that are missing (about a second on a ready machine). Operators can run it
# too; it needs root for apt-get.
set -euo pipefail

PKGS=(
	clang llvm              # BPF backend, llvm-objdump
	libbpf-dev bpftool      # loader library, skeleton generator
	libelf-dev zlib1g-dev   # libbpf's own dependencies
	libmnl-dev              # netlink (link/address events)
	libconfig-dev           # configuration file parser
	libcriterion-dev        # unit tests
	libclang-rt-14-dev      # libFuzzer, ASan/UBSan runtimes
	iproute2 iputils-ping ethtool   # namespaces, veth, ping
	tshark tcpdump          # independent decoder, captures
	iperf3 netsniff-ng socat        # traffic generators
	jq xxd procps psmisc    # test plumbing
	python3                 # the MN's per-flow uplink sender (selftests/lib/flow.sh)
	valgrind                # leak checks
)

missing=()
for p in "${PKGS[@]}"; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	[[ "$st" == "install ok installed" ]] || missing+=("$p")
done

if ((${#missing[@]})); then
	echo "install-deps: installing ${missing[*]}"
	export DEBIAN_FRONTEND=noninteractive
	# tshark asks whether non-root users may capture; answer for it.
	echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# bpffs is needed for pinned maps (the LMA/MAG state).
if ! mountpoint -q /sys/fs/bpf; then
	mount -t bpf bpf /sys/fs/bpf
fi
