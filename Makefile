# Entry points for people and CI. Each target installs what it needs first (hack/setup.sh).
MVNW := ./mvnw -B -ntp

.PHONY: setup build test demo bench fmt clean

setup:
	@hack/setup.sh

build: setup
	$(MVNW) -q package -DskipTests

## All tests: unit tests, property tests, integration tests on a real containerd, format check.
test: setup
	$(MVNW) verify

## The main job on real input: a private containerd, real images, collector and remover.
demo: setup build
	$(MVNW) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=sh.eraser.demo.Demo

## Benchmarks on a real containerd; results go to docs/performance.md.
bench: setup build
	$(MVNW) -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=sh.eraser.bench.Bench

fmt:
	$(MVNW) -q spotless:apply

clean:
	$(MVNW) -q clean
