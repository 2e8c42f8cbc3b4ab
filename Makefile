# The two commands of a fresh machine: `make demo` and `make test`.
# Both install missing system packages first (tools/deps.sh), then configure and build.
JOBS ?= $(shell nproc)
BUILD ?= build
CMAKE_FLAGS ?=

SAN_BUILD = build-fuzz

.PHONY: deps configure build demo test sanitize tidy clean

deps:
	@bash tools/deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) > $(BUILD).configure.log 2>&1 || (cat $(BUILD).configure.log; exit 1)

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The trained digits classifier end to end: accuracy, Verilog, Verilator, Yosys; RTL and
# reports in out/digits_mlp/.
demo: configure
	@cmake --build $(BUILD) -j $(JOBS) --target digits_mlp
	@$(BUILD)/samples/digits_mlp --out out

# CI builds with -Werror (FIXVAR_WERROR; the g++ build and the clang sanitizer build): a new warning fails `make test`.
test: CMAKE_FLAGS += -DFIXVAR_WERROR=ON
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)
	@$(MAKE) --no-print-directory sanitize

# The whole test suite built a second time, by clang-14 with ASan + UBSan and -Werror
# (CMakePresets.json's fuzz preset): a warning or error only clang sees fails here. The core, ir,
# io and fuzz tests then run under the sanitizers, where any out-of-bounds access, leak or undefined
# behaviour fails a test; then a bounded libFuzzer run of every parser's fuzz target
# (tests/fuzz/, FIXVAR_FUZZ_SECONDS each) and one summary line per target.
sanitize: deps
	@cmake --preset fuzz -DFIXVAR_WERROR=ON -DFIXVAR_BUILD_SAMPLES=OFF -DFIXVAR_BUILD_BENCH=OFF -DFIXVAR_BUILD_TOOLS=OFF > $(SAN_BUILD).configure.log 2>&1 || (cat $(SAN_BUILD).configure.log; exit 1)
	@cmake --build $(SAN_BUILD) -j $(JOBS)
	@cd $(SAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L '^(core|ir|io|fuzz)$$'
	@cat $(SAN_BUILD)/tests/fuzz/libfuzzer/*.summary

# clang-tidy-14 with the repository's .clang-tidy over the library's sources (not part of `make
# test`: several minutes). Uses $(BUILD)/compile_commands.json; warnings of GCC-only options off.
tidy: configure
	@run-clang-tidy-14 -quiet -p $(BUILD) -j $(JOBS) -extra-arg=-Wno-unknown-warning-option '$(CURDIR)/src/'

clean:
	rm -rf $(BUILD) $(BUILD).configure.log $(SAN_BUILD) $(SAN_BUILD).configure.log
