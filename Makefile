# xpmip - Proxy Mobile IPv6 LMA/MAG with an XDP/TC user plane.
#
#   make            build the BPF objects, skeletons, xpmipd and xpmipctl
#   make deps       install the Debian packages the build, tests and demo need
#   make check      run every test (unit, BPF_PROG_TEST_RUN, fuzz corpus,
#                   tshark cross-check, namespace selftests); non-zero on failure
#   make demo       the demo topology with real traffic and a flow moving between interfaces
#   make fuzz       run the libFuzzer targets for FUZZ_SECONDS each
#   make bench      benchmarks (not part of check), rewrites docs/PERFORMANCE.md
#
# Layout: bpf/*.bpf.c -> build/bpf/*.bpf.o + build/bpf/*.skel.h;
#         user/*.c (less the two mains) -> build/libxpmip.a;
#         tests/unit/test_*.c, tests/bpf/test_*.c -> Criterion binaries.

BUILD     ?= build
CC        ?= gcc
CLANG     ?= clang
BPFTOOL   ?= bpftool
PREFIX    ?= /usr/local
DESTDIR   ?=
FUZZ_SECONDS ?= 60

# vmlinux/vmlinux.h is a committed copy, generated once with
#   bpftool btf dump file /sys/kernel/btf/vmlinux format c
# (target `make vmlinux-refresh`). Why committed and not generated at build
# time: the build must work where the build host has no BTF (containers,
# chroots, CI images), and must not change with whatever kernel the build
# host happens to run. The programs only use UAPI-stable types (xdp_md,
# __sk_buff, bpf_fib_lookup, ethhdr, ipv6hdr ...), whose layouts are fixed by
# the kernel ABI, so objects built against it load on every kernel >= 6.1.
VMLINUX_H := vmlinux/vmlinux.h

# -mcpu=v3: 32-bit subregisters and jmp32 (kernel >= 5.1); fixed so that the
# instruction counts we report do not move with the clang default.
BPF_CFLAGS := -g -O2 -target bpf -mcpu=v3 -Wall -Werror \
	-Ivmlinux -Iinclude -Ibpf

CFLAGS   ?= -O2 -g
XP_CFLAGS := $(CFLAGS) -std=gnu11 -Wall -Wextra -Werror -Wno-missing-field-initializers \
	-Iinclude -Iuser -I$(BUILD)/bpf -D_GNU_SOURCE
LDLIBS   := -lbpf -lelf -lz -lmnl -lconfig -lm
SAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined

BPF_SRCS  := $(wildcard bpf/*.bpf.c)
BPF_OBJS  := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.bpf.o,$(BPF_SRCS))
BPF_SKELS := $(patsubst bpf/%.bpf.c,$(BUILD)/bpf/%.skel.h,$(BPF_SRCS))
BPF_HDRS  := $(wildcard bpf/*.h) $(wildcard include/*.h)

MAINS     := user/xpmipd.c user/xpmipctl.c
LIB_SRCS  := $(filter-out $(MAINS),$(wildcard user/*.c))
LIB_OBJS  := $(patsubst user/%.c,$(BUILD)/user/%.o,$(LIB_SRCS))
SAN_OBJS  := $(patsubst user/%.c,$(BUILD)/san/%.o,$(LIB_SRCS))
USER_HDRS := $(wildcard user/*.h) $(wildcard include/*.h)

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(BUILD)/tests/unit/%,$(UNIT_SRCS))
BPFT_SRCS := $(wildcard tests/bpf/test_*.c)
BPFT_BINS := $(patsubst tests/bpf/%.c,$(BUILD)/tests/bpf/%,$(BPFT_SRCS))
TEST_HELPERS := $(wildcard tests/lib/*.c)
# compiled once per flavour, not once per test binary (33 binaries link them)
TEST_HELPER_OBJS := $(patsubst tests/lib/%.c,$(BUILD)/tests/lib/%.o,$(TEST_HELPERS))
TEST_HELPER_SAN_OBJS := $(patsubst tests/lib/%.c,$(BUILD)/tests/lib-san/%.o,$(TEST_HELPERS))
TEST_HELPER_HDRS := $(wildcard tests/lib/*.h)
.SECONDARY: $(TEST_HELPER_OBJS) $(TEST_HELPER_SAN_OBJS)
FUZZ_SRCS := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BINS := $(patsubst tests/fuzz/%.c,$(BUILD)/fuzz/%,$(FUZZ_SRCS))
TOOL_SRCS := $(wildcard tests/tools/*.c)
TOOL_BINS := $(patsubst tests/tools/%.c,$(BUILD)/tools/%,$(TOOL_SRCS))
BENCH_SRCS := $(wildcard tests/bench/*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(BUILD)/bench/%,$(BENCH_SRCS))
# BPF objects of the benchmarks themselves (pktcost's probes), with skeletons
BENCH_BPF_SKELS := $(BUILD)/bench-bpf/pktcost_probe.skel.h

.PHONY: all deps check demo fuzz bench clean install uninstall vmlinux-refresh \
	test-unit test-bpf test-fuzz test-selftests verifier-stats

all: $(BUILD)/xpmipd $(BUILD)/xpmipctl $(BPF_OBJS)

# ---- BPF ----
$(BUILD)/bpf/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) $(VMLINUX_H) | $(BUILD)/bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bpf/%.skel.h: $(BUILD)/bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name xp_$(subst -,_,$*) > $@.tmp && mv $@.tmp $@

# ---- userspace ----
$(BUILD)/user/%.o: user/%.c $(USER_HDRS) $(BPF_SKELS) | $(BUILD)/user
	$(CC) $(XP_CFLAGS) -c $< -o $@

$(BUILD)/san/%.o: user/%.c $(USER_HDRS) $(BPF_SKELS) | $(BUILD)/san
	$(CC) $(XP_CFLAGS) $(SAN_FLAGS) -c $< -o $@

$(BUILD)/libxpmip.a: $(LIB_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/libxpmip-san.a: $(SAN_OBJS)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/xpmipd: user/xpmipd.c $(BUILD)/libxpmip.a
	$(CC) $(XP_CFLAGS) $< $(BUILD)/libxpmip.a $(LDLIBS) -o $@

# The daemon with AddressSanitizer, LeakSanitizer and UBSan, for the leak
# selftest (t_32_leaks): the same sources as the unit tests' library.
$(BUILD)/asan/xpmipd: user/xpmipd.c $(BUILD)/libxpmip-san.a | $(BUILD)/asan
	$(CC) $(XP_CFLAGS) $(SAN_FLAGS) $< $(BUILD)/libxpmip-san.a $(LDLIBS) -o $@

$(BUILD)/xpmipctl: user/xpmipctl.c $(BUILD)/libxpmip.a
	$(CC) $(XP_CFLAGS) $< $(BUILD)/libxpmip.a $(LDLIBS) -o $@

# ---- tests ----
$(BUILD)/tests/lib/%.o: tests/lib/%.c $(TEST_HELPER_HDRS) $(USER_HDRS) | $(BUILD)/tests/lib
	$(CC) $(XP_CFLAGS) -Itests/lib -c $< -o $@

$(BUILD)/tests/lib-san/%.o: tests/lib/%.c $(TEST_HELPER_HDRS) $(USER_HDRS) | $(BUILD)/tests/lib-san
	$(CC) $(XP_CFLAGS) $(SAN_FLAGS) -Itests/lib -c $< -o $@

# Unit tests run under AddressSanitizer and UndefinedBehaviorSanitizer.
$(BUILD)/tests/unit/%: tests/unit/%.c $(TEST_HELPER_SAN_OBJS) $(BUILD)/libxpmip-san.a | $(BUILD)/tests/unit
	$(CC) $(XP_CFLAGS) $(SAN_FLAGS) -Itests/lib $< $(TEST_HELPER_SAN_OBJS) $(BUILD)/libxpmip-san.a \
		-lcriterion $(LDLIBS) -o $@

# BPF_PROG_TEST_RUN tests load the real objects through their skeletons.
$(BUILD)/tests/bpf/%: tests/bpf/%.c $(TEST_HELPER_OBJS) $(BUILD)/libxpmip.a $(BPF_SKELS) | $(BUILD)/tests/bpf
	$(CC) $(XP_CFLAGS) -Itests/lib $< $(TEST_HELPER_OBJS) $(BUILD)/libxpmip.a \
		-lcriterion $(LDLIBS) -o $@

$(BUILD)/tools/%: tests/tools/%.c $(BUILD)/libxpmip.a | $(BUILD)/tools
	$(CC) $(XP_CFLAGS) $< $(BUILD)/libxpmip.a $(LDLIBS) -o $@

# Benchmarks: optimised, no sanitizers, with the test helpers and skeletons.
$(BUILD)/bench/%: tests/bench/%.c $(TEST_HELPER_OBJS) $(BUILD)/libxpmip.a $(BPF_SKELS) \
		$(BENCH_BPF_SKELS) | $(BUILD)/bench
	$(CC) $(XP_CFLAGS) -Itests/lib -I$(BUILD)/bench-bpf $< $(TEST_HELPER_OBJS) $(BUILD)/libxpmip.a \
		$(LDLIBS) -o $@

$(BUILD)/bench-bpf/%.bpf.o: tests/bench/bpf/%.bpf.c $(BPF_HDRS) $(VMLINUX_H) | $(BUILD)/bench-bpf
	$(CLANG) $(BPF_CFLAGS) -c $< -o $@

$(BUILD)/bench-bpf/%.skel.h: $(BUILD)/bench-bpf/%.bpf.o
	$(BPFTOOL) gen skeleton $< name xb_$(subst -,_,$*) > $@.tmp && mv $@.tmp $@

# libFuzzer targets: the decoder and the extension-header parsers, alone, with ASan and UBSan.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(USER_HDRS) | $(BUILD)/fuzz
	$(CLANG) -g -O1 -fsanitize=fuzzer,address,undefined -Iinclude -Iuser -I$(BUILD)/bpf \
		-D_GNU_SOURCE $< user/mh_codec.c user/ipv6_ext.c -o $@

$(BUILD)/bpf $(BUILD)/user $(BUILD)/san $(BUILD)/asan $(BUILD)/tests/lib $(BUILD)/tests/lib-san $(BUILD)/tests/unit $(BUILD)/tests/bpf $(BUILD)/fuzz $(BUILD)/tools $(BUILD)/bench $(BUILD)/bench-bpf:
	mkdir -p $@

deps:
	@deploy/install-deps.sh

test-unit: $(UNIT_BINS)
	@tests/run-stage.sh unit $(UNIT_BINS)

test-bpf: $(BPFT_BINS)
	@tests/run-stage.sh bpf $(BPFT_BINS)

test-fuzz: $(FUZZ_BINS)
	@tests/run-stage.sh fuzz-corpus $(FUZZ_BINS)

test-selftests: all $(TOOL_BINS) $(BUILD)/asan/xpmipd
	@tests/run-stage.sh selftests selftests/run.sh

# the build before the tests runs on every CPU (CI machines have two); the
# tests themselves run one stage at a time (tests/run-all.sh)
JOBS ?= $(shell nproc 2>/dev/null || echo 2)

check: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(UNIT_BINS) $(BPFT_BINS) $(FUZZ_BINS) $(TOOL_BINS) \
		$(BUILD)/asan/xpmipd
	@tests/run-all.sh

demo: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(TOOL_BINS)
	@selftests/demo.sh

fuzz: $(FUZZ_BINS)
	@for f in $(FUZZ_BINS); do \
		n=$$(basename $$f); mkdir -p $(BUILD)/fuzz/corpus-$$n; \
		$$f -max_total_time=$(FUZZ_SECONDS) -print_final_stats=1 \
			$(BUILD)/fuzz/corpus-$$n tests/fuzz/corpus/$$n || exit 1; \
	done

bench: deps
	@$(MAKE) --no-print-directory -j$(JOBS) all $(TOOL_BINS) $(BENCH_BINS)
	@tests/bench/run.sh

verifier-stats: $(BPF_OBJS)
	@tests/verifier-stats.sh $(BPF_OBJS)

vmlinux-refresh:
	$(BPFTOOL) btf dump file /sys/kernel/btf/vmlinux format c > $(VMLINUX_H)

# `make install [DESTDIR=...] [PREFIX=/usr/local] [SYSCONFDIR=/etc]`. The BPF
# objects are not installed: xpmipd carries them (skeletons embed the ELF).
# Configurations are not written to SYSCONFDIR/xpmip: the examples go to the
# doc directory; the units read SYSCONFDIR/xpmip/NAME.conf.
SYSCONFDIR ?= /etc
SBINDIR    ?= $(PREFIX)/sbin
MANDIR     ?= $(PREFIX)/share/man
DOCDIR     ?= $(PREFIX)/share/doc/xpmip
DATADIR    ?= $(PREFIX)/share/xpmip
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
MAN8 := deploy/man/xpmipd.8 deploy/man/xpmipctl.8
MAN5 := deploy/man/xpmipd.conf.5
UNITS := $(wildcard deploy/systemd/*.service)

install: all
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DATADIR)
	install -m 0755 $(BUILD)/xpmipd $(BUILD)/xpmipctl $(DESTDIR)$(SBINDIR)/
	install -m 0644 $(MAN8) $(DESTDIR)$(MANDIR)/man8/
	install -m 0644 $(MAN5) $(DESTDIR)$(MANDIR)/man5/
	for u in $(UNITS); do \
		sed -e 's|@SBINDIR@|$(SBINDIR)|g' -e 's|@SYSCONFDIR@|$(SYSCONFDIR)|g' $$u \
			> $(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $$u) && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$(basename $$u) || exit 1; \
	done
	install -m 0644 deploy/examples/*.conf deploy/examples/README.md $(DESTDIR)$(DOCDIR)/examples/
	install -m 0644 README.md docs/*.md $(DESTDIR)$(DOCDIR)/
	install -m 0755 deploy/topology.sh $(DESTDIR)$(DATADIR)/

uninstall:
	rm -f $(DESTDIR)$(SBINDIR)/xpmipd $(DESTDIR)$(SBINDIR)/xpmipctl
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man8/,$(notdir $(MAN8)))
	rm -f $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(MAN5)))
	rm -f $(addprefix $(DESTDIR)$(SYSTEMDUNITDIR)/,$(notdir $(UNITS)))
	rm -rf $(DESTDIR)$(DOCDIR) $(DESTDIR)$(DATADIR)

clean:
	rm -rf $(BUILD)
