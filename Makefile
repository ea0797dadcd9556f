# Entry points for people and CI. Each target installs what it needs first (hack/setup.sh).
MVNW := ./mvnw -B -ntp

.PHONY: setup build test e2e cluster-up cluster-down demo demo-node bench bench-manager fmt clean helm chart-check operator image image-local-base image-test

setup:
	@hack/setup.sh

build: setup
	$(MVNW) -q package -DskipTests

## All tests: unit tests, property tests, integration tests on a real containerd, the chart
## checks (helm lint and template, asserted in ChartRenderTest), format check, then the
## end-to-end tests on the local cluster when this machine can start one.
test: setup
	$(MVNW) verify -Deraser.helm="$$(hack/local-cluster/build-binaries.sh helm)/helm"
	hack/e2e.sh --if-possible

## helm, built from its Go module into a cache outside the work tree when it is missing.
helm:
	@hack/local-cluster/build-binaries.sh helm

## The chart checks alone: lint for the defaults and every ci/ values file, then the render tests.
chart-check: setup
	@helm="$$(hack/local-cluster/build-binaries.sh helm)/helm"; \
	for f in "" charts/eraser/ci/*.yaml; do \
	  "$$helm" lint --strict charts/eraser $${f:+-f $$f} >/dev/null || exit 1; \
	done; echo "helm lint: defaults and $$(ls charts/eraser/ci/*.yaml | wc -l) values files pass"
	$(MVNW) -q test -Dtest=ChartRenderTest -Deraser.helm="$$(hack/local-cluster/build-binaries.sh helm)/helm"

## Regenerates what is derived from the chart and the API classes: crds/, the chart's copy of
## the CRDs, and operator/eraser.yaml. Tests fail when any of them is stale.
operator: setup
	$(MVNW) -q process-classes -Pupdate-crds
	cp crds/*.yml charts/eraser/files/crds/
	mkdir -p operator
	hack/render-operator.sh "$$(hack/local-cluster/build-binaries.sh helm)/helm" > operator/eraser.yaml

## The image: an OCI archive target/eraser-image.tar of ghcr.io/eraser-java/eraser:<version>,
## built by Jib without a Docker engine. IMAGE_BASE is any Java 17 image; `make
## image-local-base` uses a base built from Debian packages instead of a registry.
IMAGE_BASE ?= eclipse-temurin:17-jre
image: setup
	$(MVNW) -q package -DskipTests jib:buildTar -Djib.disableUpdateChecks=true -Dimage.base="$(IMAGE_BASE)"
	@ls -l target/eraser-image.tar

image-local-base:
	$(MAKE) image IMAGE_BASE="tar://$$(hack/build-base-image.sh)"

## The image's checks (ImageArchiveIT: config, user, version label, entry point run as the
## image's user) on the archive make image wrote; make test runs them too once it exists.
image-test:
	$(MVNW) -q verify -Dtest=NONE -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=ImageArchiveIT

## End-to-end tests on a real cluster: the local one of hack/local-cluster (started and stopped
## here), or the one ERASER_E2E_KUBECONFIG names.
e2e: setup
	hack/e2e.sh

## A local two-node cluster from upstream components (root; builds them on first use).
cluster-up: setup
	hack/setup.sh cluster
	hack/local-cluster/cluster.sh up

cluster-down:
	hack/local-cluster/cluster.sh down

## The main job as a cluster admin meets it: the local two-node cluster, the chart installed,
## demo images on the nodes, a sample ImageList applied, its status and per-node results shown.
## With SCANNER=1: the scheduled pipeline on a private containerd instead (collector, scanner
## against the small OSV database in hack/demo-osv, remover), with each image's verdict.
DEMO_MAIN := $(if $(filter 1 true yes,$(SCANNER)),sh.eraser.scanner.ScannerDemo,sh.eraser.demo.Demo)
demo: setup
ifneq ($(filter 1 true yes,$(SCANNER)),)
	$(MAKE) demo-node SCANNER=$(SCANNER)
else
	hack/demo-cluster.sh
endif

## The node worker alone on real input: a private containerd, real images, collector and remover
## (and with SCANNER=1 the scanner between them).
demo-node: setup build
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
