# Oase — build, test and run the kiosk firmware.
#   make run    set up (make deps), build and open the kiosk in a window
#   make test   set up, build with warnings as errors, run unit tests and replay journeys headless
#   make asan   the same tests under AddressSanitizer + UndefinedBehaviorSanitizer
#   make bench  performance figures into docs/benchmarks.md

CC      ?= cc
BUILD   ?= build
PKGS     = sdl2 SDL2_ttf sqlite3 inih fribidi cairo libgpiod libmicrohttpd
TESTPKGS = cmocka
DEBS     = build-essential pkg-config libsdl2-dev libsdl2-ttf-dev libsqlite3-dev libinih-dev \
           libfribidi-dev libcairo2-dev libgpiod-dev libmicrohttpd-dev libcmocka-dev \
           fonts-noto-core sqlite3

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

# Objects are kept between builds (make would delete the fake's as an intermediate).
.SECONDARY:

.PHONY: all deps run test unit e2e asan bench format format-check clean check-config

all: $(BUILD)/oase $(TOOLS_BIN)

# Installs the Debian packages when pkg-config cannot find them (as root, or through sudo).
deps:
	@if ! pkg-config --exists $(PKGS) $(TESTPKGS) || ! command -v sqlite3 >/dev/null || \
	   ! test -f /usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf; then \
	  echo "make deps: installing Debian packages: $(DEBS)"; \
	  SUDO=; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $(DEBS); \
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

run: deps $(BUILD)/oase
	mkdir -p $(BUILD)/var
	$(BUILD)/oase --config config/oase.conf --db $(BUILD)/var/oase.db

check-config: $(BUILD)/oase
	$(BUILD)/oase --check-config config/oase.conf

unit: $(UNIT_BIN)
	@tests/run_unit.sh $(UNIT_BIN)

e2e: $(BUILD)/oase
	@tests/e2e/run.sh $(BUILD)/oase

test: deps
	$(MAKE) --no-print-directory all $(UNIT_BIN)
	$(MAKE) --no-print-directory unit e2e

asan: deps
	$(MAKE) --no-print-directory BUILD=build-asan \
	  EXTRA_CFLAGS="-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all" \
	  EXTRA_LDFLAGS="-fsanitize=address,undefined" unit e2e

bench: deps
	$(MAKE) --no-print-directory all $(BENCH_BIN)
	tests/bench/run.sh $(BUILD)

format:
	clang-format -i $$(find firmware tests tools -name '*.[ch]')

format-check:
	clang-format --dry-run --Werror $$(find firmware tests tools -name '*.[ch]')

clean:
	rm -rf build build-asan

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
