# SPDX-License-Identifier: EUPL-1.2
# Oase — build, test and run the kiosk firmware.
#   make run    set up (make deps), build and open the kiosk in a window
#   make test   set up, build with warnings as errors, run unit tests and replay journeys headless
#   make asan   the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make reliability  200 power cuts (SIGKILL) mid-journey, a bad database, a full disk
#   make bench  performance figures into docs/benchmarks.md
#   make soak   one simulated month in one run: memory stays flat, every day folds right
#   make valgrind  a 1,000-journey replay under valgrind: no invalid access, no leak
#   make fuzz   libFuzzer targets (clang, ASan+UBSan), each for FUZZ_SECONDS (60); tests/fuzz/
#   make fresh-test  make deps, make test and make run (Xvfb) in a fresh minimal Debian 12 root
#               (mmdebstrap, cached in /var/cache/oase-ci; as root): tests/fresh/run.sh
#   make system-test  the .deb booted in a Debian 12 VM (qemu, KVM if it works) under real
#               systemd: readiness, KMS/DRM frame, touch, sound, watchdog, sandbox, purge
#               (image cached in /var/cache/oase-ci; as root): tests/system/run.sh

# The caller's desktop (an X display, a session bus) must not change a build's tests.
unexport DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS

CC      ?= cc
BUILD   ?= build
PKGS     = sdl2 SDL2_ttf sqlite3 inih fribidi cairo libgpiod libmicrohttpd gnutls
TESTPKGS = cmocka
# What `make deps` installs on a minimal Debian 12 (proven in CI by tests/fresh/run.sh):
# compiler and headers, tzdata (the kiosk and the DST tests need Europe/Amsterdam), the fonts
# the screens use, espeak-ng (spoken texts), sqlite3, jq and python3 (the tests read databases
# and JSON; the privacy tests script their attacks).
DEBS     = build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsqlite3-dev libinih-dev \
           libfribidi-dev libcairo2-dev libgpiod-dev libmicrohttpd-dev libgnutls28-dev \
           libcmocka-dev tzdata fonts-noto-core sqlite3 jq python3 espeak-ng python3-statsmodels \
           python3-scipy poppler-utils
# python3-statsmodels and python3-scipy are test-only: tests/tools/stats_oracle.py checks the
# report's statistics against them; the kiosk and the tools never need Python. poppler-utils
# (pdftotext) is test-only too: tests/tools/run.sh reads the report PDF's text.

CFLAGS_BASE = -std=c17 -D_GNU_SOURCE -Wall -Wextra -Werror -Wshadow -Wformat=2 -O2 -g \
              -Ifirmware -Itests
PKG_CFLAGS  = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS    = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
TEST_CFLAGS = $(shell pkg-config --cflags $(TESTPKGS) 2>/dev/null)
TEST_LIBS   = $(shell pkg-config --libs $(TESTPKGS) 2>/dev/null)
# Unit tests never touch a real GPIO chip: they link tests/fakes/fake_gpiod.c instead of -lgpiod.
TEST_PKG_LIBS = $(shell pkg-config --libs $(filter-out libgpiod,$(PKGS)) 2>/dev/null)
CFLAGS  += $(CFLAGS_BASE) $(PKG_CFLAGS) $(EXTRA_CFLAGS)
LDLIBS  += $(PKG_LIBS) -lm -lpthread $(EXTRA_LDFLAGS)

# libgpiod 1.6 (Bookworm) and 2.x (Trixie) have different APIs: one file each, chosen here.
GPIOD_V2 := $(shell pkg-config --atleast-version=2 libgpiod 2>/dev/null && echo 1)
ifeq ($(GPIOD_V2),1)
GPIOD_SKIP = %_gpiod1.c
else
GPIOD_SKIP = %_gpiod2.c
endif

FW_SRC   := $(filter-out firmware/main.c $(GPIOD_SKIP),$(shell find firmware -name '*.c' | sort))
FW_OBJ   := $(FW_SRC:%.c=$(BUILD)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FAKE_OBJ := $(patsubst %.c,$(BUILD)/%.o,$(wildcard tests/fakes/*.c))
BENCH_SRC := $(sort $(wildcard tests/bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:tests/bench/%.c=$(BUILD)/bench/%)
TOOLS_SRC := $(wildcard tools/*.c)
TOOLS_BIN := $(TOOLS_SRC:tools/%.c=$(BUILD)/%)
SOAK_GEN  := $(BUILD)/soak/soak_gen

# Objects are kept between builds (make would delete the fake's as an intermediate).
.SECONDARY:

.PHONY: all deps run test unit e2e asan reliability bench format format-check lint clean check-config \
        soak soak-quick valgrind \
        fuzz fuzz-deps fuzz-build fresh-test system-test

all: $(BUILD)/oase $(TOOLS_BIN)

# Installs the packages of DEBS that dpkg does not list as installed (as root, or through
# sudo); does nothing when all are there.
deps:
	@missing=; for p in $(DEBS); do \
	  dpkg-query -W -f='$${db:Status-Status}\n' "$$p" 2>/dev/null | grep -qx installed || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing Debian packages:$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

$(BUILD)/%.o: %.c
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(BUILD)/libfirmware.a: $(FW_OBJ)
	@rm -f $@
	@ar rcs $@ $^

$(BUILD)/oase: $(BUILD)/firmware/main.o $(BUILD)/libfirmware.a
	@echo "  LINK    $@"
	@$(CC) $(CFLAGS) $^ -o $@ $(LDLIBS)

$(BUILD)/%: tools/%.c $(BUILD)/libfirmware.a
	@echo "  TOOL    $<"
	@$(CC) $(CFLAGS) $< $(BUILD)/libfirmware.a -o $@ $(LDLIBS)

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libfirmware.a $(FAKE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  TEST    $<"
	@$(CC) $(CFLAGS) $(TEST_CFLAGS) -MMD -MP $< $(BUILD)/libfirmware.a $(FAKE_OBJ) -o $@ \
	  $(TEST_PKG_LIBS) $(TEST_LIBS) -lm -lpthread $(EXTRA_LDFLAGS)

$(BUILD)/bench/%: tests/bench/%.c $(BUILD)/libfirmware.a $(FAKE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  BENCH   $<"
	@$(CC) $(CFLAGS) -MMD -MP $< $(BUILD)/libfirmware.a $(FAKE_OBJ) -o $@ \
	  $(TEST_PKG_LIBS) -lm -lpthread $(EXTRA_LDFLAGS)

# Writes the replay scripts of make soak and make valgrind (and the counts they must leave).
$(BUILD)/soak/%: tests/soak/%.c
	@mkdir -p $(dir $@)
	@echo "  SOAK    $<"
	@$(CC) $(CFLAGS) -MMD -MP $< -o $@ $(EXTRA_LDFLAGS)

# make run opens a window on the caller's desktop: the display the tests must not see (the
# unexport above) is handed back to this target alone, when there is one.
ifneq ($(DISPLAY),)
run: export DISPLAY := $(DISPLAY)
endif
ifneq ($(WAYLAND_DISPLAY),)
run: export WAYLAND_DISPLAY := $(WAYLAND_DISPLAY)
endif
ifneq ($(DBUS_SESSION_BUS_ADDRESS),)
run: export DBUS_SESSION_BUS_ADDRESS := $(DBUS_SESSION_BUS_ADDRESS)
endif
run: deps $(BUILD)/oase
	mkdir -p $(BUILD)/var
	$(BUILD)/oase --config config/oase.conf --db $(BUILD)/var/oase.db

check-config: $(BUILD)/oase
	$(BUILD)/oase --check-config config/oase.conf

unit: $(UNIT_BIN)
	@tests/run_unit.sh $(UNIT_BIN)

e2e: $(BUILD)/oase
	@tests/e2e/run.sh $(BUILD)/oase
	@tests/e2e/access.sh $(BUILD)/oase
	@tests/e2e/watchdog.sh $(BUILD)/oase
	@tests/e2e/field.sh $(BUILD)/oase

soak-quick: $(BUILD)/oase $(SOAK_GEN)
	@tests/soak/run.sh $(BUILD) --quick

test: deps
	$(MAKE) --no-print-directory all $(UNIT_BIN) $(BENCH_BIN) $(SOAK_GEN)
	$(MAKE) --no-print-directory unit e2e soak-quick
	tests/reliability/run.sh $(BUILD)/oase 20
	tests/privacy/run.sh $(BUILD)/oase
	tests/tools/run.sh $(BUILD)
	tests/pkg/test_install.sh
	tests/licences.sh $(BUILD)
	tests/bench/run.sh $(BUILD) --quick

# Leaks inside system libraries only (tests/asan/lsan.supp says which and why).
asan: export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/asan/lsan.supp:print_suppressions=0
asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" unit e2e soak-quick

# Power cuts (at least 200 SIGKILLs of the kiosk mid-journey), a bad database, a full disk.
reliability: deps
	$(MAKE) --no-print-directory all
	tests/reliability/run.sh $(BUILD)/oase 200

bench: deps
	$(MAKE) --no-print-directory all $(BENCH_BIN)
	tests/bench/run.sh $(BUILD)

# One simulated month (20-30 s): resident memory at the start, weekly and at the end must
# stay flat, and every day must be folded into exactly the counts the replay made.
soak: deps
	$(MAKE) --no-print-directory all $(SOAK_GEN)
	tests/soak/run.sh $(BUILD)

# 1,000 journeys of the real kiosk under valgrind memcheck (3-4 minutes); installs
# valgrind when it is missing.
valgrind: deps
	@command -v valgrind >/dev/null || { SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq valgrind; }
	$(MAKE) --no-print-directory all $(SOAK_GEN)
	tests/valgrind/run.sh $(BUILD)

# The newcomer's path on a bare machine, in a throw-away root: nothing of this
# machine's packages can hide a missing install step. 3-6 minutes; needs root.
fresh-test:
	tests/fresh/run.sh

system-test:
	tests/system/run.sh

# --- Fuzzing: tests/fuzz/README.md. Needs clang with its libFuzzer runtime, which
# `make fuzz-deps` installs when missing (the kiosk itself never needs clang).
FUZZ_BUILD   = build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_SRC    := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_NAMES  := $(FUZZ_SRC:tests/fuzz/%.c=%)
FUZZ_SAN     = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-deps:
	@if ! printf 'int LLVMFuzzerTestOneInput(const char *d, long n) { return d && n; }\n' | \
	   clang -x c - -fsanitize=fuzzer -o /dev/null 2>/dev/null; then \
	  echo "make fuzz-deps: installing clang (with its libFuzzer runtime)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang; \
	fi

fuzz: deps fuzz-deps
	$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang \
	  EXTRA_CFLAGS="-fsanitize=fuzzer-no-link $(FUZZ_SAN)" EXTRA_LDFLAGS="$(FUZZ_SAN)" fuzz-build
	tests/fuzz/run.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_NAMES)

fuzz-build: $(FUZZ_NAMES:%=$(BUILD)/fuzz/%)

$(BUILD)/fuzz/%: tests/fuzz/%.c $(BUILD)/libfirmware.a $(FAKE_OBJ)
	@mkdir -p $(dir $@)
	@echo "  FUZZ    $<"
	@$(CC) $(CFLAGS) -fsanitize=fuzzer -MMD -MP $< $(BUILD)/libfirmware.a $(FAKE_OBJ) -o $@ \
	  $(TEST_PKG_LIBS) -lm -lpthread $(EXTRA_LDFLAGS)

format:
	clang-format -i $$(find firmware tests tools -name '*.[ch]')

format-check:
	@tests/lint.sh format

# Formatting (format-check), banned functions (STYLE.md), SPDX licence lines and no issue
# numbers in comments, as CI checks them (.ci/run runs make lint).
lint: format-check
	@tests/lint.sh rules

clean:
	rm -rf build build-asan build-arm64 build-fuzz

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# --- Raspberry Pi: cross build, install, package
#   make cross        aarch64 build of oase, the tools and the unit tests into build-arm64/
#   make cross-test   the arm64 unit tests and a headless replay journey under qemu-aarch64
#   make install      PREFIX=/usr/local, DESTDIR: binary, tools, assets, config in /etc/oase,
#                     systemd unit, sysusers.d, tmpfiles.d and a udev rule for the backlight
#   make deb          a Debian package for this machine (ARCH=arm64: from the cross build)
# docs/deploy.md walks from a fresh Raspberry Pi OS Lite image to a running kiosk.

CROSS_BUILD     = build-arm64
CROSS_CC        = aarch64-linux-gnu-gcc
CROSS_PKGCONFIG = /usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
CROSS_DEBS      = crossbuild-essential-arm64 qemu-user $(patsubst %,%:arm64,$(filter lib%-dev,$(DEBS)))
# pkg-config answers for arm64 (its .pc files only) and the compiler is the cross compiler.
CROSS_MAKE      = PKG_CONFIG_LIBDIR=$(CROSS_PKGCONFIG) PKG_CONFIG_PATH= \
                  $(MAKE) --no-print-directory BUILD=$(CROSS_BUILD) CC=$(CROSS_CC)
CROSS_UNIT_BIN  = $(UNIT_SRC:tests/unit/%.c=$(CROSS_BUILD)/tests/%)

PREFIX      ?= /usr/local
DESTDIR     ?=
SYSCONFDIR  ?= /etc
BINDIR       = $(PREFIX)/bin
DATADIR      = $(PREFIX)/share/oase
DOCDIR       = $(PREFIX)/share/doc/oase
LIBDIR_SD    = $(PREFIX)/lib
OASE_VERSION = $(shell sed -n 's/^\#define OASE_VERSION "\(.*\)"/\1/p' firmware/main.c)
HOST_ARCH   := $(shell dpkg --print-architecture 2>/dev/null)
DEB_ARCH     = $(if $(ARCH),$(ARCH),$(HOST_ARCH))
DEB_VERSION ?= $(OASE_VERSION)
# The build a package of DEB_ARCH is made from: this machine's, or the arm64 cross build.
DEB_FROM     = $(if $(filter $(HOST_ARCH),$(DEB_ARCH)),$(BUILD),$(CROSS_BUILD))
DEB_MAKE     = $(if $(filter $(HOST_ARCH),$(DEB_ARCH)),$(MAKE) --no-print-directory,$(CROSS_MAKE))

.PHONY: cross-deps cross cross-test install install-files deb

# Adds the arm64 architecture and installs the cross compiler, qemu and the arm64 -dev
# packages, each only when missing (as root, or through sudo).
cross-deps:
	@missing=; for p in $(CROSS_DEBS); do \
	  dpkg-query -W -f='$${db:Status-Status}\n' "$$p" 2>/dev/null | grep -qx installed || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "make cross-deps: installing$$missing"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  dpkg --print-foreign-architectures | grep -qx arm64 || $$SUDO dpkg --add-architecture arm64; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

cross: cross-deps
	$(CROSS_MAKE) all $(CROSS_UNIT_BIN)

cross-test: cross
	@tests/cross/run.sh $(CROSS_BUILD)

# Everything a kiosk needs, under DESTDIR (empty: this machine). An existing
# /etc/oase/oase.conf is never overwritten: the new one goes beside it as oase.conf.new.
install: all
	@$(MAKE) --no-print-directory install-files
	@if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" = 0 ]; then \
	  packaging/setup-system.sh "$(LIBDIR_SD)" "$(SYSCONFDIR)"; \
	fi

install-files:
	@test -x $(BUILD)/oase || { echo "install: $(BUILD)/oase is missing: run make first"; exit 1; }
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(DATADIR) $(DESTDIR)$(DOCDIR) \
	  $(DESTDIR)$(SYSCONFDIR)/oase $(DESTDIR)$(LIBDIR_SD)/systemd/system \
	  $(DESTDIR)$(LIBDIR_SD)/sysusers.d $(DESTDIR)$(LIBDIR_SD)/tmpfiles.d \
	  $(DESTDIR)$(LIBDIR_SD)/udev/rules.d
	install -m 0755 $(BUILD)/oase $(DESTDIR)$(BINDIR)/oase
	@for tool in $(filter $(BUILD)/oase-%,$(TOOLS_BIN)); do \
	  echo "install -m 0755 $$tool $(DESTDIR)$(BINDIR)/"; \
	  install -m 0755 "$$tool" $(DESTDIR)$(BINDIR)/ || exit 1; \
	done
	@cd assets && find . -type f | sort | while read -r f; do \
	  install -D -m 0644 "$$f" "$(DESTDIR)$(DATADIR)/$$f" || exit 1; \
	done; echo "install assets/ -> $(DESTDIR)$(DATADIR)/"
	install -m 0644 $(wildcard docs/*.md) README.md LICENSE $(DESTDIR)$(DOCDIR)/
	install -m 0644 packaging/debian/copyright $(DESTDIR)$(DOCDIR)/copyright
	install -D -m 0644 config/oase-watchdog.conf $(DESTDIR)$(DOCDIR)/examples/oase-watchdog.conf
	@mkdir -p $(BUILD)/install
	@sed 's|^assets_dir = assets$$|assets_dir = $(DATADIR)|' config/oase.conf >$(BUILD)/install/oase.conf
	@grep -qx 'assets_dir = $(DATADIR)' $(BUILD)/install/oase.conf || \
	  { echo "install: config/oase.conf has no 'assets_dir = assets' line to point at $(DATADIR)"; exit 1; }
	@conf=$(DESTDIR)$(SYSCONFDIR)/oase/oase.conf; \
	if [ -e "$$conf" ]; then \
	  install -m 0640 $(BUILD)/install/oase.conf "$$conf.new"; \
	  echo "install: kept $$conf; the new documented config is $$conf.new"; \
	else install -m 0640 $(BUILD)/install/oase.conf "$$conf"; echo "install config -> $$conf"; fi
	@sed -e 's|/usr/bin/oase|$(BINDIR)/oase|g' -e 's|/usr/share/doc/oase|$(DOCDIR)|g' \
	  config/oase.service >$(BUILD)/install/oase.service
	install -m 0644 $(BUILD)/install/oase.service $(DESTDIR)$(LIBDIR_SD)/systemd/system/oase.service
	install -m 0644 config/oase.sysusers $(DESTDIR)$(LIBDIR_SD)/sysusers.d/oase.conf
	install -m 0644 config/oase.tmpfiles $(DESTDIR)$(LIBDIR_SD)/tmpfiles.d/oase.conf
	install -m 0644 config/oase-backlight.rules $(DESTDIR)$(LIBDIR_SD)/udev/rules.d/70-oase-backlight.rules
	install -m 0644 config/oase-gpio.rules $(DESTDIR)$(LIBDIR_SD)/udev/rules.d/70-oase-gpio.rules

# A .deb built with dpkg-deb from a DESTDIR staged with PREFIX=/usr.
# Staged in /tmp: folders named *.d (sysusers.d ...) under $(BUILD) would be taken for
# dependency files by the -include above.
deb: $(if $(filter $(HOST_ARCH),$(DEB_ARCH)),all,cross)
	@case "$(DEB_ARCH)" in $(HOST_ARCH)|arm64) ;; \
	  *) echo "make deb: ARCH=$(DEB_ARCH): accepted: $(HOST_ARCH) or arm64"; exit 1 ;; esac
	@stage=$$(mktemp -d /tmp/oase-deb.XXXXXX) && trap 'rm -rf "$$stage"' EXIT && \
	  $(DEB_MAKE) install-files DESTDIR=$$stage/root PREFIX=/usr >/dev/null && \
	  packaging/debian/build.sh "$$stage" $(DEB_ARCH) $(DEB_VERSION) $(DEB_FROM)
