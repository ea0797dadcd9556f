package sh.eraser.manager;

import static sh.eraser.manager.WorkerNames.COLLECTOR;
import static sh.eraser.manager.WorkerNames.REMOVER;
import static sh.eraser.manager.WorkerNames.SCANNER;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.List;
import sh.eraser.config.EraserConfig;
import sh.eraser.config.EraserConfig.Component;

/**
 * Builds the worker pod of one job for one node: bound to the node, tolerating every taint, with
 * the node's CRI socket and the exclusion lists mounted into every container. Pure: the same
 * configuration and job give the same pod.
 */
public final class WorkerPodBuilder {

  private final EraserConfig config;
  private final WorkerJob job;
  private final WorkerVolumes volumes;

  public WorkerPodBuilder(EraserConfig config, WorkerJob job) {
    this.config = config;
    this.job = job;
    this.volumes = new WorkerVolumes(config, job);
  }

  /** The worker pod for {@code nodeName}, named by the API server from its generateName. */
  public Pod podFor(String nodeName) {
    return new PodBuilder().withMetadata(metadata(nodeName)).withSpec(spec(nodeName)).build();
  }

  private ObjectMeta metadata(String nodeName) {
    return new ObjectMetaBuilder()
        .withGenerateName(WorkerNames.podGenerateName(nodeName))
        .withNamespace(job.namespace())
        .withLabels(Labels.workerPod(config, job.mode(), job.jobName()))
        .withOwnerReferences(new OwnerReferenceBuilder(job.owner()).build())
        .build();
  }

  private PodSpec spec(String nodeName) {
    EraserConfig.Manager manager = config.manager();
    return new PodSpecBuilder()
        // Bound by name, bypassing the scheduler; tolerating every taint keeps the kubelet and
        // the taint manager from refusing or evicting the pod for one.
        .withNodeName(nodeName)
        .withTolerations(new TolerationBuilder().withOperator("Exists").build())
        .withRestartPolicy("Never")
        .withServiceAccountName(WorkerNames.SERVICE_ACCOUNT)
        // Workers talk to the node's runtime only, never to the API server.
        .withAutomountServiceAccountToken(false)
        // Limitation: workers run as root. The image's user is non-root, for the manager, but
        // the node's CRI socket belongs to root (the remover still drops every capability).
        .withNewSecurityContext()
        .withRunAsUser(0L)
        .withRunAsGroup(0L)
        .endSecurityContext()
        .withPriorityClassName(
            manager.priorityClassName().isEmpty() ? null : manager.priorityClassName())
        .withImagePullSecrets(
            manager.pullSecrets().stream().map(LocalObjectReference::new).toList())
        .withContainers(containers())
        .withVolumes(volumes.podVolumes())
        .build();
  }

  private List<Container> containers() {
    if (job.mode() instanceof WorkerMode.Manual) {
      return List.of(remover(List.of("--imagelist=" + WorkerNames.imageListFile())));
    }
    List<Container> containers = new ArrayList<>();
    containers.add(collector());
    containers.add(remover(List.of()));
    if (config.components().scanner().enabled()) {
      containers.add(scanner());
    }
    return containers;
  }

  private Container collector() {
    List<String> args = new ArrayList<>(List.of(COLLECTOR));
    if (!config.components().scanner().enabled()) {
      args.add("--scan-disabled");
    }
    args.add(logLevel());
    return container(
            COLLECTOR,
            config.components().collector(),
            args,
            List.of(),
            List.of(volumes.sharedData()))
        .build();
  }

  private Container remover(List<String> modeArgs) {
    List<String> args = new ArrayList<>(List.of(REMOVER));
    args.addAll(modeArgs);
    args.add(logLevel());
    return container(
            REMOVER,
            config.components().remover(),
            args,
            telemetry(REMOVER),
            volumes.removerMounts())
        .withSecurityContext(restricted())
        .build();
  }

  private Container scanner() {
    List<EnvVar> env = new ArrayList<>(telemetry(SCANNER));
    env.add(env("ERASER_RUNTIME_NAME", config.manager().runtime().name().configName()));
    // The CRI plugin keeps Kubernetes' images in this containerd namespace.
    env.add(env("CONTAINERD_NAMESPACE", "k8s.io"));
    // Limitation: a custom scanner image also receives "scanner" as its first argument, so it
    // must accept it; upstream's scanner images stop reading flags there and miss --config.
    List<String> args =
        List.of(WorkerNames.SCANNER_COMMAND, "--config=" + WorkerNames.managerConfigFile());
    return container(SCANNER, config.components().scanner(), args, env, volumes.scannerMounts())
        .build();
  }

  /**
   * What every worker container has, after its own environment and mounts: the node's name, the
   * runtime socket, the exclusion lists, resources and the termination message that carries the
   * worker's summary. The first argument picks the component in the one image.
   */
  private ContainerBuilder container(
      String name,
      Component component,
      List<String> args,
      List<EnvVar> env,
      List<VolumeMount> ownMounts) {
    List<EnvVar> allEnv = new ArrayList<>(env);
    allEnv.add(nodeName());
    List<VolumeMount> mounts = new ArrayList<>(ownMounts);
    mounts.add(
        new VolumeMountBuilder()
            .withName(WorkerNames.RUNTIME_SOCKET_VOLUME)
            .withMountPath(WorkerNames.RUNTIME_SOCKET_PATH)
            .build());
    mounts.addAll(volumes.exclusionMounts());
    return new ContainerBuilder()
        .withName(name)
        .withImage(component.image().reference())
        .withImagePullPolicy("IfNotPresent")
        .withArgs(args)
        .withEnv(allEnv)
        .withVolumeMounts(mounts)
        .withResources(ContainerResources.of(component))
        .withTerminationMessagePath(WorkerNames.TERMINATION_MESSAGE_PATH)
        .withTerminationMessagePolicy("File");
  }

  private String logLevel() {
    return "--log-level=" + config.manager().logLevel();
  }

  private List<EnvVar> telemetry(String serviceName) {
    return List.of(
        env("OTEL_EXPORTER_OTLP_ENDPOINT", config.manager().otlpEndpoint()),
        env("OTEL_SERVICE_NAME", serviceName));
  }

  private static EnvVar nodeName() {
    return new EnvVarBuilder()
        .withName("NODE_NAME")
        .withNewValueFrom()
        .withNewFieldRef()
        .withFieldPath("spec.nodeName")
        .endFieldRef()
        .endValueFrom()
        .build();
  }

  private static EnvVar env(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }

  /** The remover deletes images and nothing else: no capabilities, no writes outside volumes. */
  private static SecurityContext restricted() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withNewCapabilities()
        .withDrop("ALL")
        .endCapabilities()
        .withNewSeccompProfile()
        .withType("RuntimeDefault")
        .endSeccompProfile()
        .build();
  }
}
