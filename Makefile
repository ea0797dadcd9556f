# Entry points for people and CI. Each target installs what it needs first (hack/setup.sh).
MVNW := ./mvnw -B -ntp

.PHONY: setup build test demo bench bench-manager fmt clean

setup:
	@hack/setup.sh

build: setup
	$(MVNW) -q package -DskipTests

## All tests: unit tests, property tests, integration tests on a real containerd, format check.
test: setup
	$(MVNW) verify

## The main job on real input: a private containerd, real images, collector and remover.
## With SCANNER=1, the scheduled pod: collector, scanner (against hack/demo-osv) and remover.
DEMO_MAIN := $(if $(filter 1 true yes,$(SCANNER)),sh.eraser.scanner.ScannerDemo,sh.eraser.demo.Demo)
demo: setup build
	$(MVNW) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=$(DEMO_MAIN)

## Benchmarks on a real containerd, then the manager's; results go to docs/performance.md.
bench: setup build
	$(MVNW) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=sh.eraser.bench.Bench
	$(MVNW) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=sh.eraser.scanner.ScannerBench
	$(MAKE) bench-manager

## The manager's fan-out on the in-process mock API server: one JVM per node count, no root.
FANOUT_NODES := 1000 5000
FANOUT_JVM := -Xmx256m -XX:+ExitOnOutOfMemoryError
FANOUT = $(MVNW) -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test
bench-manager:
	$(MVNW) -q test-compile
	rm -rf target/bench-manager
	for n in $(FANOUT_NODES); do \
	  $(FANOUT) -Dexec.args="$(FANOUT_JVM) -Dfanout.nodes=$$n -classpath %classpath sh.eraser.manager.FanOutBench measure" || exit 1; \
	done
	$(FANOUT) -Dexec.args="-classpath %classpath sh.eraser.manager.FanOutBench report"

fmt:
	$(MVNW) -q spotless:apply

clean:
	$(MVNW) -q clean
