# The two commands of a fresh machine: `make demo` and `make test`.
# Both install missing system packages first (tools/deps.sh), then configure and build.
JOBS ?= $(shell nproc)
BUILD ?= build
CMAKE_FLAGS ?=

.PHONY: deps configure build demo test clean

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

test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS) $(CTEST_ARGS)

clean:
	rm -rf $(BUILD) $(BUILD).configure.log
