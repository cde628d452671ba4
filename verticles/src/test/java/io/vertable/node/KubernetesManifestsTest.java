package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressRule;
import io.fabric8.kubernetes.api.model.networking.v1.ServiceBackendPort;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.vertable.bridge.BridgeVerticle;
import io.vertable.http.HttpVerticle;
import io.vertable.kit.ConfigException;
import io.vertable.kit.DeploymentPlan;
import io.vertable.kit.NodeConfig;
import io.vertable.node.KubernetesManifests.Doc;
import io.vertable.node.KubernetesManifests.ManifestException;
import io.vertable.node.KubernetesManifests.Workload;
import io.vertable.shared.VerticleName;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The manifests under {@code k8s/} against each other and against the code they run: parsed strictly into the
 * Kubernetes model, then cross-checked with the launcher's configuration ({@code conf/config.json}, {@link
 * NodeConfig#ENVIRONMENT}, {@link DeploymentPlan}), the HTTP verticle's health routes, the Hazelcast file and the
 * {@code Dockerfile}. Every problem names the file and the field. Nothing is started.
 *
 * <p>The last test breaks the manifests one way at a time in a copy and shows that the matching check notices.
 */
class KubernetesManifestsTest {

    static final Path REPO = Path.of("..");

    static KubernetesManifests manifests;

    @BeforeAll
    static void parse() {
        manifests = KubernetesManifests.load(REPO);
    }

    private static void assertNoProblems(List<String> problems) {
        assertThat(problems).as(String.join("\n", problems)).isEmpty();
    }

    private static Checks checks() {
        return new Checks(manifests);
    }

    // ---- the repository's manifests ----

    @Test
    void everyDocumentIsAKnownKindParsedStrictly() {
        assertThat(manifests.docs).extracting(Doc::kind).contains("Deployment", "Service", "Ingress");
        assertThat(manifests.files).contains("edge.yaml", "core.yaml");
    }

    @Test
    void theKustomizationListsEveryFileOfTheFolderAndOnlyThose() {
        assertNoProblems(checks().kustomization());
    }

    @Test
    void everyObjectLivesInTheOneNamespaceAndIsNamedOnce() {
        assertNoProblems(checks().namespaces());
    }

    @Test
    void everySecretConfigMapVolumeAndVariableReferenceResolves() {
        assertNoProblems(checks().references());
    }

    @Test
    void nodeEnvironmentsUseOnlyLauncherVariablesAndPassItsConfigurationChecks() {
        assertNoProblems(checks().nodeEnvironments());
    }

    @Test
    void containerPortsAreThePortsTheNodeListensOnAndTheImageExposes() {
        assertNoProblems(checks().nodePorts());
    }

    @Test
    void probesHitTheHealthRoutesOfAnHttpVerticleTheNodeRuns() {
        assertNoProblems(checks().probes());
    }

    @Test
    void nodesStopGracefullyAndRollOneAtATime() {
        assertNoProblems(checks().gracefulRollout());
    }

    @Test
    void everyContainerHasRequestsAndLimitsAndRunsUnprivileged() {
        assertNoProblems(checks().resourcesAndSecurity());
    }

    @Test
    void nodesFormOneClusterThroughTheHeadlessServiceByDns() {
        assertNoProblems(checks().clustering());
    }

    @Test
    void storageUrlsPointAtTheBundledServersWithTheirCredentials() {
        assertNoProblems(checks().storage());
    }

    @Test
    void servicesSelectPodsThatHaveTheirTargetPorts() {
        assertNoProblems(checks().services());
    }

    @Test
    void theIngressRoutesTheSiteToHttpAndTheEventBusToTheBridge() {
        assertNoProblems(checks().ingress());
    }

    @Test
    void autoscalerAndDisruptionBudgetsTargetExistingWorkloads() {
        assertNoProblems(checks().scaling());
    }

    @Test
    void theSecretIsATemplateOfPlaceholders() {
        assertNoProblems(checks().secretTemplate());
    }

    @Test
    void theImageRunsTheJarItBuiltAsItsEntrypoint() {
        Image image = Checks.parseDockerfile(manifests.readRepositoryFile("Dockerfile"));
        int jar = image.entrypoint().indexOf("-jar");
        assertThat(image.entrypoint())
                .as("Dockerfile: ENTRYPOINT")
                .startsWith("java")
                .contains("-jar");
        assertThat(image.copies().get(image.entrypoint().get(jar + 1)))
                .as("Dockerfile: the ENTRYPOINT's jar is copied from the build stage")
                .isEqualTo("(build stage) /src/verticles/target/vertable.jar");
        assertThat(image.user()).as("Dockerfile: USER is numeric and not root").matches("[1-9]\\d*(:\\d+)?");
    }

    @Test
    void aTypoInAFieldNameIsRefusedWithTheFileAndTheField(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("typo.yaml");
        Files.writeString(
                file,
                """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: typo
                spec:
                  replicass: 2
                  selector:
                    matchLabels: {app: typo}
                  template:
                    metadata:
                      labels: {app: typo}
                    spec:
                      containers:
                        - name: c
                          image: x
                """);
        assertThatThrownBy(() -> KubernetesManifests.parseFile(file, "k8s/typo.yaml"))
                .isInstanceOf(ManifestException.class)
                .hasMessage("k8s/typo.yaml (document 1), Deployment typo: unknown field spec.replicass"
                        + " (Deployment has no such field)");
    }

    @Test
    void wrongScalarTypesAndDuplicateKeysAreRefusedAsTheApiServerWould(@TempDir Path dir) throws IOException {
        Path quoted = Files.writeString(
                dir.resolve("quoted.yaml"),
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  VTT_CLUSTER: true\n");
        assertThatThrownBy(() -> KubernetesManifests.parseFile(quoted, "k8s/quoted.yaml"))
                .hasMessageStartingWith("k8s/quoted.yaml (document 1), ConfigMap c: data.VTT_CLUSTER: ");
        Path twice = Files.writeString(
                dir.resolve("twice.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n");
        assertThatThrownBy(() -> KubernetesManifests.parseFile(twice, "k8s/twice.yaml"))
                .hasMessageStartingWith("k8s/twice.yaml: not valid YAML (Duplicate field 'name'");
    }

    // ---- every kind of check can fail ----

    static Stream<Arguments> mutations() {
        return Stream.of(
                mutation(
                        "typo'd field",
                        "core.yaml",
                        "  replicas: 2",
                        "  replicass: 2",
                        "k8s/core.yaml (document 1), Deployment vertable-core: unknown field spec.replicass"),
                mutation(
                        "no trusted proxy behind the Ingress",
                        "configmap.yaml",
                        "  VTT_TRUSTED_PROXIES: \"10.0.0.0/8\"\n",
                        "",
                        "serves http behind the Ingress (VTT_PUBLIC_URL) but VTT_TRUSTED_PROXIES is empty"),
                mutation(
                        "backups with no volume",
                        "core.yaml",
                        "            - name: VTT_BACKUP_DIR\n              value: \"/backups\"\n",
                        "",
                        "the plan runs persistence with scheduled backups but VTT_BACKUP_DIR is not an absolute path"),
                mutation(
                        "backups on the pod's scratch space",
                        "core.yaml",
                        "value: \"/backups\"",
                        "value: \"/tmp/backups\"",
                        "VTT_BACKUP_DIR /tmp/backups is not on a persistentVolumeClaim volume"),
                mutation(
                        "backup claim one replica at a time",
                        "backups.yaml",
                        "[\"ReadWriteMany\"]",
                        "[\"ReadWriteOnce\"]",
                        "the claim must be ReadWriteMany"),
                mutation(
                        "volume naming a missing claim",
                        "core.yaml",
                        "claimName: vertable-backups",
                        "claimName: vertable-backup",
                        ".volumes[backups].persistentVolumeClaim: no PersistentVolumeClaim vertable-backup"),
                mutation(
                        "typo'd field deep in a container",
                        "edge.yaml",
                        "          readinessProbe:",
                        "          readinesProbe:",
                        "k8s/edge.yaml (document 1), Deployment vertable-edge: unknown field"
                                + " spec.template.spec.containers[0].readinesProbe"),
                mutation(
                        "number written as a string",
                        "core.yaml",
                        "  replicas: 2",
                        "  replicas: \"2\"",
                        "Deployment vertable-core: spec.replicas: "),
                mutation(
                        "unknown apiVersion",
                        "edge-hpa.yaml",
                        "autoscaling/v2\n",
                        "autoscaling/v2beta2\n",
                        "k8s/edge-hpa.yaml (document 1): apiVersion 'autoscaling/v2beta2'"),
                mutation(
                        "file left out of the kustomization",
                        "kustomization.yaml",
                        "  - redis.yaml\n",
                        "",
                        "k8s/kustomization.yaml: resources: does not list redis.yaml"),
                mutation(
                        "kustomization lists a missing file",
                        "kustomization.yaml",
                        "  - redis.yaml\n",
                        "  - redis.yaml\n  - valkey.yaml\n",
                        "k8s/kustomization.yaml: resources: lists valkey.yaml"),
                mutation(
                        "object in another namespace",
                        "bridge-service.yaml",
                        "namespace: vertable",
                        "namespace: default",
                        "k8s/bridge-service.yaml: Service vertable-bridge: metadata.namespace: 'default'"),
                mutation(
                        "secretKeyRef to a missing key",
                        "edge.yaml",
                        "key: VTT_REDIS_URL",
                        "key: VTT_REDIS_URI",
                        "k8s/edge.yaml: Deployment vertable-edge: spec.template.spec.containers[vertable]"
                                + ".env[VTT_REDIS_URL].valueFrom.secretKeyRef: Secret vertable-secrets has no key"
                                + " VTT_REDIS_URI"),
                mutation(
                        "variable used before it is defined",
                        "edge.yaml",
                        "vertable-hazelcast.$(POD_NAMESPACE)",
                        "vertable-hazelcast.$(POD_NS)",
                        ".env[HAZELCAST_SERVICE_DNS].value: $(POD_NS) names no variable defined before it"),
                mutation(
                        "variable the launcher does not read",
                        "configmap.yaml",
                        "  VTT_HTTP_HOST: \"0.0.0.0\"",
                        "  VTT_HTTP_HOST: \"0.0.0.0\"\n  VTT_HTTP_HOSTS: \"0.0.0.0\"",
                        "k8s/configmap.yaml: ConfigMap vertable-config: data.VTT_HTTP_HOSTS: not a variable the"
                                + " launcher reads"),
                mutation(
                        "plan naming an unknown verticle",
                        "edge.yaml",
                        "\"http:2,bridge:2\"",
                        "\"http:2,bridges:2\"",
                        ".env[VTT_DEPLOY].value: VTT_DEPLOY: unknown verticle 'bridges'"),
                mutation(
                        "value the launcher refuses",
                        "configmap.yaml",
                        "VTT_SHUTDOWN_GRACE_SECONDS: \"20\"",
                        "VTT_SHUTDOWN_GRACE_SECONDS: \"twenty\"",
                        "the launcher refuses this environment: VTT_SHUTDOWN_GRACE_SECONDS: must be a whole number"),
                mutation(
                        "container port not the configured one",
                        "edge.yaml",
                        "containerPort: 8081",
                        "containerPort: 8082",
                        "spec.template.spec.containers[vertable].ports[bridge].containerPort: 8082, but the node"
                                + " listens on bridge.port 8081"),
                mutation(
                        "port overridden by environment only",
                        "configmap.yaml",
                        "  VTT_HTTP_HOST: \"0.0.0.0\"",
                        "  VTT_HTTP_HOST: \"0.0.0.0\"\n  VTT_HTTP_PORT: \"9090\"",
                        "ports[http].containerPort: 8080, but the node listens on http.port 9090"),
                mutation(
                        "port the image does not expose",
                        "../Dockerfile",
                        "EXPOSE 8080 8081 5701",
                        "EXPOSE 8080 5701",
                        "Dockerfile: EXPOSE: does not list 8081, which k8s/edge.yaml: Deployment vertable-edge"
                                + " declares (ports[bridge])"),
                mutation(
                        "probe on a path nothing serves",
                        "edge.yaml",
                        "path: /health/ready",
                        "path: /healthz",
                        "containers[vertable].readinessProbe.httpGet.path: '/healthz' is not /health/ready"),
                mutation(
                        "probe on a node without http",
                        "core.yaml",
                        "\"http:1,dice:2,",
                        "\"dice:2,",
                        "containers[vertable].livenessProbe.httpGet: the plan runs no http verticle"),
                mutation(
                        "grace period shorter than the node's stop",
                        "edge.yaml",
                        "terminationGracePeriodSeconds: 40",
                        "terminationGracePeriodSeconds: 20",
                        "spec.template.spec.terminationGracePeriodSeconds: 20 s does not cover preStop 5 s +"
                                + " shutdown.graceSeconds 20 s"),
                mutation(
                        "rollout that stops a pod first",
                        "core.yaml",
                        "maxUnavailable: 0",
                        "maxUnavailable: 1",
                        "k8s/core.yaml: Deployment vertable-core: spec.strategy.rollingUpdate.maxUnavailable: 1"),
                mutation(
                        "request above its limit",
                        "redis.yaml",
                        "memory: 512Mi",
                        "memory: 64Mi",
                        "containers[redis].resources: requests memory 128Mi above its limit 64Mi"),
                mutation(
                        "writable root filesystem",
                        "edge.yaml",
                        "readOnlyRootFilesystem: true",
                        "readOnlyRootFilesystem: false",
                        "containers[vertable].securityContext.readOnlyRootFilesystem: must be true"),
                mutation(
                        "image user not the pod's",
                        "../Dockerfile",
                        "USER 10001:10001",
                        "USER 10002:10002",
                        "spec.template.spec.securityContext.runAsUser: 10001, but the Dockerfile's USER is 10002"),
                mutation(
                        "Hazelcast file not in the image",
                        "configmap.yaml",
                        "/app/conf/hazelcast-kubernetes.yaml",
                        "/app/conf/hazelcast.yaml",
                        "env VTT_HAZELCAST_CONFIG: the image has no file /app/conf/hazelcast.yaml"),
                mutation(
                        "DNS discovery of a Service that does not exist",
                        "edge.yaml",
                        "vertable-hazelcast.$(POD_NAMESPACE)",
                        "vertable-hz.$(POD_NAMESPACE)",
                        "service-dns 'vertable-hz.vertable.svc.cluster.local' names no Service vertable-hz"),
                mutation(
                        "discovery Service hiding pods that are not ready",
                        "hazelcast-service.yaml",
                        "publishNotReadyAddresses: true",
                        "publishNotReadyAddresses: false",
                        "k8s/hazelcast-service.yaml: Service vertable-hazelcast: spec.publishNotReadyAddresses: must"
                                + " be true"),
                mutation(
                        "event bus advertising the host, not the pod",
                        "edge.yaml",
                        "fieldPath: status.podIP",
                        "fieldPath: status.hostIP",
                        ".env[VTT_CLUSTER_PUBLIC_HOST]: must come from the pod's IP (fieldRef status.podIP)"),
                mutation(
                        "persistence without a database URL",
                        "core.yaml",
                        "- name: VTT_PG_URL",
                        "- name: PG_URL",
                        "k8s/core.yaml: Deployment vertable-core: spec.template.spec.containers[vertable].env:"
                                + " the plan runs persistence but VTT_PG_URL is not set"),
                mutation(
                        "database password out of step",
                        "secret.yaml",
                        "POSTGRES_PASSWORD: \"CHANGE-ME-postgres-password\"",
                        "POSTGRES_PASSWORD: \"CHANGE-ME-another-password\"",
                        "the password in VTT_PG_URL is not the POSTGRES_PASSWORD of k8s/postgres.yaml"),
                mutation(
                        "Service selecting no pod",
                        "http-service.yaml",
                        "  selector:\n    app.kubernetes.io/name: vertable\n    app.kubernetes.io/component: edge",
                        "  selector:\n    app.kubernetes.io/name: vertable\n    app.kubernetes.io/component: egde",
                        "k8s/http-service.yaml: Service vertable-http: spec.selector: selects no pod"),
                mutation(
                        "Ingress backend naming a missing Service",
                        "ingress.yaml",
                        "name: vertable-bridge\n",
                        "name: vertable-bridges\n",
                        "spec.rules[vertable.example.com].http.paths[/eventbus].backend.service: no Service"
                                + " vertable-bridges"),
                mutation(
                        "Ingress backend naming a missing port",
                        "ingress.yaml",
                        "                  name: bridge",
                        "                  name: sockjs",
                        "backend.service.port: Service vertable-bridge has no port sockjs"),
                mutation(
                        "event bus routed to the HTTP port",
                        "ingress.yaml",
                        "name: vertable-bridge\n                port:\n                  name: bridge",
                        "name: vertable-http\n                port:\n                  name: http",
                        "http.paths[/eventbus]: reaches port 8080 of k8s/edge.yaml: Deployment vertable-edge, not"
                                + " its bridge.port 8081"),
                mutation(
                        "public URL not the Ingress host",
                        "configmap.yaml",
                        "https://vertable.example.com",
                        "https://play.example.com",
                        "env VTT_PUBLIC_URL: host play.example.com is not a host of any Ingress"),
                mutation(
                        "SockJS fallbacks without sticky sessions",
                        "ingress.yaml",
                        "    nginx.ingress.kubernetes.io/affinity: \"cookie\"\n",
                        "",
                        "k8s/ingress.yaml: Ingress vertable-eventbus: metadata.annotations: routes /eventbus without"
                                + " nginx.ingress.kubernetes.io/affinity: cookie"),
                mutation(
                        "autoscaler of a missing Deployment",
                        "edge-hpa.yaml",
                        "    name: vertable-edge",
                        "    name: vertable-egde",
                        "k8s/edge-hpa.yaml: HorizontalPodAutoscaler vertable-edge: spec.scaleTargetRef: no Deployment"
                                + " vertable-egde"),
                mutation(
                        "disruption budget selecting no pod",
                        "core-pdb.yaml",
                        "      app.kubernetes.io/component: core",
                        "      app.kubernetes.io/component: cor",
                        "k8s/core-pdb.yaml: PodDisruptionBudget vertable-core: spec.selector: selects no pod"),
                mutation(
                        "real secret committed",
                        "secret.yaml",
                        "CHANGE-ME-to-a-random-key-of-at-least-32-characters",
                        "k3Jx9vQp2LmN8rTz5WcY7bHd4FgA6sEu",
                        "k8s/secret.yaml: Secret vertable-secrets: stringData.VTT_JWT_SECRET: not a placeholder"));
    }

    private static Arguments mutation(String what, String file, String from, String to, String expected) {
        return Arguments.of(what, file, from, to, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void eachBreakageIsCaughtAndNamed(
            String what, String file, String from, String to, String expected, @TempDir Path dir) throws IOException {
        copy(REPO.resolve(KubernetesManifests.FOLDER), dir.resolve(KubernetesManifests.FOLDER));
        copy(REPO.resolve("conf"), dir.resolve("conf"));
        Files.copy(REPO.resolve("Dockerfile"), dir.resolve("Dockerfile"));
        Path target = dir.resolve(KubernetesManifests.FOLDER).resolve(file).normalize();
        String text = Files.readString(target);
        assertThat(text.split(Pattern.quote(from), -1))
                .as("the mutation's text occurs once in " + file)
                .hasSize(2);
        Files.writeString(target, text.replace(from, to));

        List<String> problems = Checks.problems(dir);

        assertThat(problems)
                .as(what + " must be reported; got:\n" + String.join("\n", problems))
                .anySatisfy(problem -> assertThat(problem).contains(expected));
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.copy(file, to.resolve(file.getFileName().toString()));
            }
        }
    }

    // ---- the checks ----

    /** A value in a container's environment and where it was set. */
    record EnvValue(String value, String origin, String fieldPath) {}

    /** A container running the Vertable image, its resolved environment and the configuration it starts with. */
    record NodeContainer(Workload workload, Container container, Map<String, EnvValue> env, NodeConfig config) {

        String where() {
            return workload.doc().where() + ": spec.template.spec.containers[" + container.getName() + "]";
        }

        Map<String, String> values() {
            Map<String, String> values = new LinkedHashMap<>();
            env.forEach((name, value) -> values.put(name, value.value()));
            return values;
        }

        int port(String section) {
            return config.section(section).getInteger("port");
        }
    }

    /** The last stage of the Dockerfile: what the image is. */
    record Image(List<Integer> exposed, String user, Map<String, String> copies, List<String> entrypoint) {}

    static final class Checks {

        static final String IMAGE_NAME = "vertable";
        static final String PLACEHOLDER = "CHANGE-ME";
        static final String POD_IP = "10.1.2.3";
        private static final Pattern VARIABLE = Pattern.compile("\\$\\(([A-Za-z_][A-Za-z0-9_]*)\\)");

        final KubernetesManifests m;
        /** Problems found while resolving the node containers' environments: references, and the launcher's refusals. */
        final List<String> referenceProblems = new ArrayList<>();

        final List<String> configurationProblems = new ArrayList<>();
        final List<NodeContainer> nodes = new ArrayList<>();
        final Image image;

        Checks(KubernetesManifests manifests) {
            this.m = manifests;
            this.image = parseDockerfile(m.readRepositoryFile("Dockerfile"));
            for (Workload workload : m.workloads()) {
                for (Container container : containers(workload)) {
                    if (!isNodeImage(container.getImage())) continue;
                    Map<String, EnvValue> env = resolveEnv(workload, container, referenceProblems);
                    NodeConfig config = nodeConfig(workload, container, env, configurationProblems);
                    if (config != null) nodes.add(new NodeContainer(workload, container, env, config));
                }
            }
        }

        /** Every problem the checks find under {@code root}; a manifest that does not even parse is the only one. */
        static List<String> problems(Path root) {
            KubernetesManifests manifests;
            try {
                manifests = KubernetesManifests.load(root);
            } catch (ManifestException e) {
                return List.of(e.getMessage());
            }
            var checks = new Checks(manifests);
            List<String> problems = new ArrayList<>();
            problems.addAll(checks.kustomization());
            problems.addAll(checks.namespaces());
            problems.addAll(checks.references());
            problems.addAll(checks.nodeEnvironments());
            problems.addAll(checks.nodePorts());
            problems.addAll(checks.probes());
            problems.addAll(checks.gracefulRollout());
            problems.addAll(checks.resourcesAndSecurity());
            problems.addAll(checks.clustering());
            problems.addAll(checks.storage());
            problems.addAll(checks.services());
            problems.addAll(checks.ingress());
            problems.addAll(checks.scaling());
            problems.addAll(checks.secretTemplate());
            return problems;
        }

        // -- kustomization and namespaces --

        List<String> kustomization() {
            List<String> problems = new ArrayList<>();
            String where = KubernetesManifests.FOLDER + "/" + KubernetesManifests.KUSTOMIZATION;
            if (!"kustomize.config.k8s.io/v1beta1".equals(m.kustomization.get("apiVersion"))
                    || !"Kustomization".equals(m.kustomization.get("kind"))) {
                problems.add(where + ": apiVersion/kind: must be kustomize.config.k8s.io/v1beta1 Kustomization");
            }
            if (!(m.kustomization.get("resources") instanceof List<?> resources)) {
                problems.add(where + ": resources: must be a list of the files in " + KubernetesManifests.FOLDER);
                return problems;
            }
            List<String> listed = resources.stream().map(String::valueOf).toList();
            for (String file : m.files) {
                if (!listed.contains(file)) problems.add(where + ": resources: does not list " + file);
            }
            Set<String> seen = new LinkedHashSet<>();
            for (String entry : listed) {
                if (!m.files.contains(entry)) {
                    problems.add(where + ": resources: lists " + entry + ", which is not a YAML file of "
                            + KubernetesManifests.FOLDER + "/");
                }
                if (!seen.add(entry)) problems.add(where + ": resources: lists " + entry + " twice");
            }
            return problems;
        }

        List<String> namespaces() {
            List<String> problems = new ArrayList<>();
            List<Doc> namespaces = m.all(Namespace.class);
            if (namespaces.size() != 1) {
                problems.add(
                        KubernetesManifests.FOLDER + ": must hold exactly one Namespace, holds " + namespaces.size());
                return problems;
            }
            String namespace = namespaces.get(0).name();
            Set<String> names = new LinkedHashSet<>();
            for (Doc doc : m.docs) {
                if (!names.add(doc.kind() + "/" + doc.name())) {
                    problems.add(doc.where() + ": metadata.name: another " + doc.kind() + " has the same name");
                }
                if (doc.object() instanceof Namespace) continue;
                if (!namespace.equals(doc.namespace())) {
                    problems.add(doc.where() + ": metadata.namespace: '" + doc.namespace() + "', not the namespace "
                            + namespace + " of " + namespaces.get(0).file());
                }
            }
            return problems;
        }

        // -- references --

        List<String> references() {
            List<String> problems = new ArrayList<>(referenceProblems);
            for (Workload workload : m.workloads()) {
                String base = workload.doc().where() + ": spec.template.spec";
                PodSpec pod = workload.template().getSpec();
                Set<String> volumes = new LinkedHashSet<>();
                for (Volume volume : list(pod.getVolumes())) {
                    volumes.add(volume.getName());
                    String ns = workload.doc().namespace();
                    if (volume.getConfigMap() != null
                            && m.find(ConfigMap.class, ns, volume.getConfigMap().getName())
                                    .isEmpty()) {
                        problems.add(base + ".volumes[" + volume.getName() + "].configMap: no ConfigMap "
                                + volume.getConfigMap().getName());
                    }
                    if (volume.getSecret() != null
                            && m.find(Secret.class, ns, volume.getSecret().getSecretName())
                                    .isEmpty()) {
                        problems.add(base + ".volumes[" + volume.getName() + "].secret: no Secret "
                                + volume.getSecret().getSecretName());
                    }
                    if (volume.getPersistentVolumeClaim() != null
                            && m.find(PersistentVolumeClaim.class, ns, claimName(volume))
                                    .isEmpty()) {
                        problems.add(base + ".volumes[" + volume.getName() + "].persistentVolumeClaim: no"
                                + " PersistentVolumeClaim " + claimName(volume));
                    }
                }
                if (workload.doc().object() instanceof StatefulSet set) {
                    list(set.getSpec().getVolumeClaimTemplates())
                            .forEach(claim -> volumes.add(claim.getMetadata().getName()));
                    problems.addAll(governingService(workload, set));
                }
                for (Container container : containers(workload)) {
                    for (VolumeMount mount : list(container.getVolumeMounts())) {
                        if (!volumes.contains(mount.getName())) {
                            problems.add(base + ".containers[" + container.getName() + "].volumeMounts["
                                    + mount.getMountPath() + "]: no volume or volumeClaimTemplate " + mount.getName());
                        }
                    }
                    // Secrets and ConfigMaps of every container, not only the node's (the set-up checked those).
                    if (!isNodeImage(container.getImage())) resolveEnv(workload, container, problems);
                }
            }
            return problems;
        }

        private List<String> governingService(Workload workload, StatefulSet set) {
            String where = workload.doc().where() + ": spec.serviceName";
            Optional<Doc> service = m.find(
                    Service.class, workload.doc().namespace(), set.getSpec().getServiceName());
            if (service.isEmpty())
                return List.of(where + ": no Service " + set.getSpec().getServiceName());
            Service svc = KubernetesManifests.as(service.get(), Service.class);
            List<String> problems = new ArrayList<>();
            if (!"None".equals(svc.getSpec().getClusterIP())) {
                problems.add(
                        where + ": Service " + svc.getMetadata().getName() + " must be headless (clusterIP: None)");
            }
            if (!selects(svc.getSpec().getSelector(), workload.podLabels())) {
                problems.add(where + ": Service " + svc.getMetadata().getName() + " does not select its pods");
            }
            return problems;
        }

        // -- node environments --

        List<String> nodeEnvironments() {
            List<String> problems = new ArrayList<>(configurationProblems);
            Set<String> known = NodeConfig.ENVIRONMENT.stream()
                    .map(NodeConfig.EnvironmentVariable::name)
                    .collect(Collectors.toSet());
            Set<String> reported = new LinkedHashSet<>();
            for (NodeContainer node : nodes) {
                node.env().forEach((name, value) -> {
                    if (name.startsWith("VTT_") && !known.contains(name)) {
                        String problem = value.origin() + ": not a variable the launcher reads"
                                + " (NodeConfig.ENVIRONMENT, README)";
                        if (reported.add(problem)) problems.add(problem);
                    }
                });
                boolean servesHttp = node.config().plan().runs(VerticleName.HTTP);
                boolean behindProxy =
                        !node.config().section("http").getString("publicUrl").isEmpty();
                if (servesHttp
                        && behindProxy
                        && node.config()
                                .section("http")
                                .getJsonArray("trustedProxies")
                                .isEmpty()) {
                    String problem = node.where() + ".env: serves http behind the Ingress (VTT_PUBLIC_URL) but"
                            + " VTT_TRUSTED_PROXIES is empty: per-IP limits would count the Ingress controller";
                    if (reported.add(problem)) problems.add(problem);
                }
                EnvValue plan = node.env().get("VTT_DEPLOY");
                if (plan == null) {
                    problems.add(node.where() + ".env: VTT_DEPLOY is not set; a node in Kubernetes runs a named plan");
                }
            }
            return problems;
        }

        // -- ports --

        List<String> nodePorts() {
            List<String> problems = new ArrayList<>();
            for (NodeContainer node : nodes) {
                Map<String, Integer> expected = listeningPorts(node);
                Map<String, ContainerPort> declared = new LinkedHashMap<>();
                for (ContainerPort port : list(node.container().getPorts())) {
                    String name = port.getName() == null ? String.valueOf(port.getContainerPort()) : port.getName();
                    declared.put(name, port);
                    if (!expected.containsKey(name)) {
                        problems.add(node.where() + ".ports[" + name + "]: the node does not listen on a port named "
                                + name + " (it listens on " + expected.keySet() + ")");
                    }
                }
                expected.forEach((name, number) -> {
                    ContainerPort port = declared.get(name);
                    String key =
                            switch (name) {
                                case "http" -> "http.port";
                                case "bridge" -> "bridge.port";
                                default -> "cluster.port";
                            };
                    if (port == null) {
                        problems.add(node.where() + ".ports: no port named " + name + " for " + key + " " + number);
                    } else if (port.getContainerPort() != number.intValue()) {
                        problems.add(node.where() + ".ports[" + name + "].containerPort: " + port.getContainerPort()
                                + ", but the node listens on " + key + " " + number);
                    }
                });
                for (ContainerPort port : list(node.container().getPorts())) {
                    if (!image.exposed().contains(port.getContainerPort())) {
                        problems.add("Dockerfile: EXPOSE: does not list " + port.getContainerPort() + ", which "
                                + node.workload().doc().where() + " declares (ports[" + port.getName() + "])");
                    }
                }
            }
            return problems;
        }

        /** Port name → number for what the node's plan listens on. */
        static Map<String, Integer> listeningPorts(NodeContainer node) {
            Map<String, Integer> ports = new LinkedHashMap<>();
            DeploymentPlan plan = node.config().plan();
            if (plan.runs(VerticleName.HTTP)) ports.put("http", node.port("http"));
            if (plan.runs(VerticleName.BRIDGE)) ports.put("bridge", node.port("bridge"));
            if (node.config().clustered()) ports.put("hazelcast", node.port("cluster"));
            return ports;
        }

        // -- probes --

        List<String> probes() {
            List<String> problems = new ArrayList<>();
            for (NodeContainer node : nodes) {
                Container c = node.container();
                problems.addAll(httpProbe(node, "startupProbe", c.getStartupProbe(), HttpVerticle.LIVE_PATH));
                problems.addAll(httpProbe(node, "livenessProbe", c.getLivenessProbe(), HttpVerticle.LIVE_PATH));
                problems.addAll(httpProbe(node, "readinessProbe", c.getReadinessProbe(), HttpVerticle.READY_PATH));
            }
            for (Workload workload : m.workloads()) {
                for (Container c : containers(workload)) {
                    String where = workload.doc().where() + ": spec.template.spec.containers[" + c.getName() + "]";
                    if (c.getReadinessProbe() == null) problems.add(where + ".readinessProbe: missing");
                    if (c.getLivenessProbe() == null) problems.add(where + ".livenessProbe: missing");
                    for (Probe probe : Stream.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())
                            .filter(Objects::nonNull)
                            .toList()) {
                        IntOrString port = probe.getHttpGet() != null
                                ? probe.getHttpGet().getPort()
                                : probe.getTcpSocket() != null
                                        ? probe.getTcpSocket().getPort()
                                        : null;
                        if (port != null && containerPort(c, port).isEmpty()) {
                            problems.add(where + ": a probe names port " + text(port) + ", which the container"
                                    + " does not declare");
                        }
                    }
                }
            }
            return problems;
        }

        private List<String> httpProbe(NodeContainer node, String kind, Probe probe, String path) {
            String where = node.where() + "." + kind;
            if (probe == null) return List.of(where + ": missing (the node serves " + path + ")");
            if (probe.getHttpGet() == null) return List.of(where + ".httpGet: must probe " + path + " over HTTP");
            List<String> problems = new ArrayList<>();
            if (!node.config().plan().runs(VerticleName.HTTP)) {
                problems.add(where + ".httpGet: the plan runs no http verticle, so nothing serves " + path + " (plan "
                        + node.config().plan() + ")");
            }
            if (!path.equals(probe.getHttpGet().getPath())) {
                problems.add(where + ".httpGet.path: '" + probe.getHttpGet().getPath() + "' is not " + path
                        + " (HttpVerticle serves " + HttpVerticle.LIVE_PATH + " and " + HttpVerticle.READY_PATH
                        + ")");
            }
            Optional<Integer> port =
                    containerPort(node.container(), probe.getHttpGet().getPort());
            if (port.isPresent() && port.get() != node.port("http")) {
                problems.add(where + ".httpGet.port: " + text(probe.getHttpGet().getPort()) + " is port " + port.get()
                        + ", not http.port " + node.port("http"));
            }
            return problems;
        }

        // -- graceful stop and rollout --

        List<String> gracefulRollout() {
            List<String> problems = new ArrayList<>();
            Set<Workload> seen = new LinkedHashSet<>();
            for (NodeContainer node : nodes) {
                String base = node.workload().doc().where() + ": spec.template.spec";
                var lifecycle = node.container().getLifecycle();
                int preStop = 0;
                if (lifecycle == null
                        || lifecycle.getPreStop() == null
                        || lifecycle.getPreStop().getExec() == null) {
                    problems.add(node.where() + ".lifecycle.preStop.exec: missing; the endpoint removal needs time to"
                            + " spread before SIGTERM");
                } else {
                    List<String> command = lifecycle.getPreStop().getExec().getCommand();
                    if (command.size() == 2
                            && command.get(0).equals("sleep")
                            && command.get(1).matches("\\d+")) {
                        preStop = Integer.parseInt(command.get(1));
                    } else {
                        problems.add(node.where() + ".lifecycle.preStop.exec.command: expected [sleep, <seconds>]");
                    }
                }
                int grace = node.config().section("shutdown").getInteger("graceSeconds");
                Long period = node.workload().template().getSpec().getTerminationGracePeriodSeconds();
                long effective = period == null ? 30 : period;
                if (effective <= preStop + grace) {
                    problems.add(base + ".terminationGracePeriodSeconds: " + effective + " s does not cover preStop "
                            + preStop + " s + shutdown.graceSeconds " + grace + " s");
                }
                if (seen.add(node.workload()) && node.workload().doc().object() instanceof Deployment deployment) {
                    problems.addAll(rollingUpdate(
                            node.workload().doc(), deployment.getSpec().getStrategy()));
                }
            }
            return problems;
        }

        private static List<String> rollingUpdate(Doc doc, DeploymentStrategy strategy) {
            String where = doc.where() + ": spec.strategy";
            if (strategy == null || !"RollingUpdate".equals(strategy.getType())) {
                return List.of(where + ".type: must be RollingUpdate");
            }
            List<String> problems = new ArrayList<>();
            var rolling = strategy.getRollingUpdate();
            IntOrString unavailable = rolling == null ? null : rolling.getMaxUnavailable();
            IntOrString surge = rolling == null ? null : rolling.getMaxSurge();
            if (unavailable == null || !Integer.valueOf(0).equals(unavailable.getIntVal())) {
                problems.add(where + ".rollingUpdate.maxUnavailable: " + text(unavailable)
                        + "; must be 0 (no old pod leaves before a new one is ready)");
            }
            if (surge == null || !Integer.valueOf(1).equals(surge.getIntVal())) {
                problems.add(where + ".rollingUpdate.maxSurge: " + text(surge) + "; must be 1 (one new pod at a time)");
            }
            return problems;
        }

        // -- resources and security --

        List<String> resourcesAndSecurity() {
            List<String> problems = new ArrayList<>();
            for (Workload workload : m.workloads()) {
                String base = workload.doc().where() + ": spec.template.spec";
                PodSpec pod = workload.template().getSpec();
                boolean podNonRoot = pod.getSecurityContext() != null
                        && Boolean.TRUE.equals(pod.getSecurityContext().getRunAsNonRoot());
                for (Container c : containers(workload)) {
                    String where = base + ".containers[" + c.getName() + "]";
                    var resources = c.getResources();
                    for (String resource : List.of("cpu", "memory")) {
                        Quantity request = resources == null || resources.getRequests() == null
                                ? null
                                : resources.getRequests().get(resource);
                        Quantity limit = resources == null || resources.getLimits() == null
                                ? null
                                : resources.getLimits().get(resource);
                        if (request == null) problems.add(where + ".resources.requests." + resource + ": missing");
                        if (limit == null) problems.add(where + ".resources.limits." + resource + ": missing");
                        if (request != null && limit != null && request.compareTo(limit) > 0) {
                            problems.add(where + ".resources: requests " + resource + " " + request
                                    + " above its limit " + limit);
                        }
                    }
                    SecurityContext security = c.getSecurityContext();
                    boolean nonRoot =
                            podNonRoot || (security != null && Boolean.TRUE.equals(security.getRunAsNonRoot()));
                    if (!nonRoot) problems.add(where + ": runAsNonRoot must be true (pod or container)");
                    if (security == null || !Boolean.TRUE.equals(security.getReadOnlyRootFilesystem())) {
                        problems.add(where + ".securityContext.readOnlyRootFilesystem: must be true");
                    }
                    if (security == null || !Boolean.FALSE.equals(security.getAllowPrivilegeEscalation())) {
                        problems.add(where + ".securityContext.allowPrivilegeEscalation: must be false");
                    }
                }
            }
            for (NodeContainer node : nodes) {
                PodSpec pod = node.workload().template().getSpec();
                String base = node.workload().doc().where() + ": spec.template.spec";
                Long user = pod.getSecurityContext() == null
                        ? null
                        : pod.getSecurityContext().getRunAsUser();
                String imageUser =
                        image.user() == null ? "(none)" : image.user().split(":")[0];
                if (user == null || !String.valueOf(user).equals(imageUser)) {
                    problems.add(base + ".securityContext.runAsUser: " + user + ", but the Dockerfile's USER is "
                            + imageUser);
                }
                boolean tmp = list(node.container().getVolumeMounts()).stream()
                        .filter(mount -> mount.getMountPath().equals("/tmp"))
                        .anyMatch(mount -> list(pod.getVolumes()).stream()
                                .anyMatch(v -> v.getName().equals(mount.getName()) && v.getEmptyDir() != null));
                if (!tmp) {
                    problems.add(node.where() + ".volumeMounts: no emptyDir on /tmp; with a read-only root the JVM"
                            + " and Vert.x have nowhere to write");
                }
            }
            return problems;
        }

        // -- clustering --

        List<String> clustering() {
            List<String> problems = new ArrayList<>();
            Set<String> images = new LinkedHashSet<>();
            Set<String> clusterNames = new LinkedHashSet<>();
            Set<String> jwtSecrets = new LinkedHashSet<>();
            for (NodeContainer node : nodes) {
                images.add(node.container().getImage());
                jwtSecrets.add(node.config().section("jwt").getString("secret"));
                if (!node.config().clustered()) {
                    problems.add(node.where() + ".env: VTT_CLUSTER is not true; nodes in Kubernetes form one cluster");
                    continue;
                }
                clusterNames.add(node.config().section("cluster").getString("name"));
                EnvValue publicHost = node.env().get("VTT_CLUSTER_PUBLIC_HOST");
                if (publicHost == null || !"status.podIP".equals(publicHost.fieldPath())) {
                    problems.add(node.where() + ".env[VTT_CLUSTER_PUBLIC_HOST]: must come from the pod's IP (fieldRef"
                            + " status.podIP): the event bus tells other nodes this address");
                }
                problems.addAll(hazelcast(node));
            }
            if (images.size() > 1)
                problems.add("node workloads run different images " + images + "; one jar serves every role");
            if (clusterNames.size() > 1) problems.add("node workloads name different clusters " + clusterNames);
            if (jwtSecrets.size() > 1) {
                problems.add("node workloads sign tokens with different keys (VTT_JWT_SECRET): a token from one would"
                        + " not verify on another");
            }
            return problems.stream().distinct().toList();
        }

        private List<String> hazelcast(NodeContainer node) {
            String file = node.config().section("cluster").getString("hazelcastConfig");
            EnvValue origin = node.env().get("VTT_HAZELCAST_CONFIG");
            String where = origin == null ? node.where() + ".env" : origin.origin();
            if (file.isEmpty()) {
                return List.of(where + ": VTT_HAZELCAST_CONFIG is not set; in pods the nodes join by Kubernetes DNS"
                        + " discovery, not by the TCP-IP member list");
            }
            String source = image.copies().get(file);
            if (source == null) {
                return List.of(node.where() + ": env VTT_HAZELCAST_CONFIG: the image has no file " + file
                        + " (no COPY in the Dockerfile puts one there)");
            }
            Map<String, String> env = new HashMap<>(node.values());
            env.put("VTT_HAZELCAST_CONFIG", m.root.resolve(source).toString());
            Config hz;
            try {
                hz = ClusterSetup.hazelcastConfig(NodeConfig.load(env, new JsonObject()), env);
            } catch (ConfigException e) {
                return List.of(
                        node.where() + ": the Hazelcast file " + source + " with this environment: " + e.getMessage());
            }
            var kubernetes = hz.getNetworkConfig().getJoin().getKubernetesConfig();
            if (!kubernetes.isEnabled()) return List.of(source + ": network.join.kubernetes: must be enabled");
            List<String> problems = new ArrayList<>();
            int clusterPort = node.port("cluster");
            if (hz.getNetworkConfig().getPort() != clusterPort) {
                problems.add(source + ": network.port: " + hz.getNetworkConfig().getPort() + ", not cluster.port "
                        + clusterPort);
            }
            String dns = kubernetes.getProperty("service-dns");
            if (dns == null)
                return List.of(source + ": network.join.kubernetes.service-dns: missing (DNS lookup mode)");
            String[] labels = dns.split("\\.");
            String namespace =
                    labels.length > 1 ? labels[1] : node.workload().doc().namespace();
            String dnsWhere = node.where() + ": " + source + " service-dns '" + dns + "'";
            if (!namespace.equals(node.workload().doc().namespace())) {
                problems.add(dnsWhere + ": namespace " + namespace + " is not the pod's "
                        + node.workload().doc().namespace());
            }
            Optional<Doc> service = m.find(Service.class, node.workload().doc().namespace(), labels[0]);
            if (service.isEmpty()) {
                problems.add(dnsWhere + " names no Service " + labels[0]);
                return problems;
            }
            Service svc = KubernetesManifests.as(service.get(), Service.class);
            String svcWhere = service.get().where() + ": spec";
            if (!"None".equals(svc.getSpec().getClusterIP())) {
                problems.add(svcWhere + ".clusterIP: must be None (headless: DNS returns every pod)");
            }
            if (!Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses())) {
                problems.add(svcWhere + ".publishNotReadyAddresses: must be true (pods become ready only after"
                        + " joining)");
            }
            if (!selects(svc.getSpec().getSelector(), node.workload().podLabels())) {
                problems.add(svcWhere + ".selector: does not select the pods of "
                        + node.workload().doc().where());
            }
            String servicePort = kubernetes.getProperty("service-port");
            boolean portOk = list(svc.getSpec().getPorts()).stream()
                    .anyMatch(p -> p.getPort() == clusterPort
                            && containerPort(node.container(), target(p)).orElse(-1) == clusterPort);
            if (!portOk) {
                problems.add(svcWhere + ".ports: no port " + clusterPort + " reaching the node's cluster.port");
            }
            if (servicePort != null && !servicePort.equals(String.valueOf(clusterPort))) {
                problems.add(source + ": network.join.kubernetes.service-port: " + servicePort + ", not cluster.port "
                        + clusterPort);
            }
            return problems;
        }

        // -- storage --

        List<String> storage() {
            List<String> problems = new ArrayList<>();
            for (NodeContainer node : nodes) {
                DeploymentPlan plan = node.config().plan();
                boolean persistence = plan.runs(VerticleName.PERSISTENCE);
                boolean redis = plan.runs(VerticleName.HTTP) || plan.runs(VerticleName.BRIDGE);
                if (persistence
                        && node.config().section("postgres").getString("url").isEmpty()) {
                    problems.add(node.where() + ".env: the plan runs persistence but VTT_PG_URL is not set: the node"
                            + " would start an embedded PostgreSQL in the pod");
                }
                if (redis && node.config().section("redis").getString("url").isEmpty()) {
                    problems.add(node.where() + ".env: the plan runs http or bridge but VTT_REDIS_URL is not set: the"
                            + " node would start an embedded Redis in the pod");
                }
                if (persistence && node.config().section("backup").getBoolean("enabled")) {
                    problems.addAll(backupVolume(node));
                }
                problems.addAll(storageUrl(node, "VTT_PG_URL", "POSTGRES_PASSWORD", "POSTGRES_USER", "POSTGRES_DB"));
                problems.addAll(storageUrl(node, "VTT_REDIS_URL", "REDIS_PASSWORD", null, null));
            }
            return problems.stream().distinct().toList();
        }

        /**
         * A node that takes scheduled backups writes them to a volume claim that outlives the pod (the root filesystem
         * is read-only, {@code /tmp} is an emptyDir), shared by every replica when there are several.
         */
        private List<String> backupVolume(NodeContainer node) {
            String where = node.where();
            Path dir = Path.of(node.config().section("backup").getString("dir"));
            if (!dir.isAbsolute()) {
                return List.of(
                        where + ".env: the plan runs persistence with scheduled backups but VTT_BACKUP_DIR is not"
                                + " an absolute path on a mounted volume (got '" + dir + "')");
            }
            PodSpec pod = node.workload().template().getSpec();
            Optional<VolumeMount> mount = list(node.container().getVolumeMounts()).stream()
                    .filter(m -> dir.startsWith(Path.of(m.getMountPath())))
                    .max(java.util.Comparator.comparingInt(m -> m.getMountPath().length()));
            Optional<Volume> volume = mount.flatMap(m -> list(pod.getVolumes()).stream()
                    .filter(v -> v.getName().equals(m.getName()))
                    .findFirst());
            if (volume.isEmpty() || volume.get().getPersistentVolumeClaim() == null) {
                return List.of(where + ": VTT_BACKUP_DIR " + dir + " is not on a persistentVolumeClaim volume: backups"
                        + " would be lost with the pod, or fail on the read-only root filesystem");
            }
            Optional<Doc> claim =
                    m.find(PersistentVolumeClaim.class, node.workload().doc().namespace(), claimName(volume.get()));
            if (claim.isEmpty()) return List.of(); // references() names the missing claim
            List<String> modes = KubernetesManifests.as(claim.get(), PersistentVolumeClaim.class)
                    .getSpec()
                    .getAccessModes();
            boolean replicated = !(node.workload().doc().object() instanceof Deployment deployment)
                    || deployment.getSpec().getReplicas() == null
                    || deployment.getSpec().getReplicas() > 1;
            if (replicated && !modes.contains("ReadWriteMany")) {
                return List.of(claim.get().where() + ": spec.accessModes " + modes + ": every replica of "
                        + node.workload().doc().where() + " may take a backup, so the claim must be ReadWriteMany");
            }
            return List.of();
        }

        private static String claimName(Volume volume) {
            return volume.getPersistentVolumeClaim().getClaimName();
        }

        /** A URL naming a Service of this folder must reach its port, with the credentials its server is given. */
        private List<String> storageUrl(NodeContainer node, String variable, String password, String user, String db) {
            EnvValue value = node.env().get(variable);
            if (value == null || value.value().isEmpty()) return List.of();
            URI uri = URI.create(value.value());
            String[] host = uri.getHost().split("\\.");
            boolean inCluster = host.length == 1 || (host.length >= 3 && host[2].equals("svc"));
            if (!inCluster) return List.of();
            String namespace = host.length == 1 ? node.workload().doc().namespace() : host[1];
            String where = value.origin();
            Optional<Doc> service = m.find(Service.class, namespace, host[0]);
            if (service.isEmpty())
                return List.of(where + ": names host " + uri.getHost() + ", but there is no Service " + host[0]);
            Service svc = KubernetesManifests.as(service.get(), Service.class);
            Optional<ServicePort> port = list(svc.getSpec().getPorts()).stream()
                    .filter(p -> p.getPort() == uri.getPort())
                    .findFirst();
            if (port.isEmpty())
                return List.of(where + ": port " + uri.getPort() + " is not a port of "
                        + service.get().where());
            List<String> problems = new ArrayList<>();
            for (Workload server : m.workloads()) {
                if (!selects(svc.getSpec().getSelector(), server.podLabels())) continue;
                for (Container c : containers(server)) {
                    Map<String, EnvValue> env = resolveEnv(server, c, new ArrayList<>());
                    String[] userInfo = uri.getUserInfo() == null
                            ? new String[] {"", ""}
                            : uri.getUserInfo().split(":", 2);
                    String urlPassword = userInfo.length > 1 ? userInfo[1] : "";
                    String serverWhere = server.doc().file();
                    if (env.containsKey(password) && !env.get(password).value().equals(urlPassword)) {
                        problems.add(where + ": the password in " + variable + " is not the " + password + " of "
                                + serverWhere);
                    }
                    if (user != null
                            && env.containsKey(user)
                            && !env.get(user).value().equals(userInfo[0])) {
                        problems.add(
                                where + ": the user in " + variable + " is not the " + user + " of " + serverWhere);
                    }
                    if (db != null && env.containsKey(db) && !("/" + env.get(db).value()).equals(uri.getPath())) {
                        problems.add(
                                where + ": the database in " + variable + " is not the " + db + " of " + serverWhere);
                    }
                }
            }
            return problems;
        }

        // -- services --

        List<String> services() {
            List<String> problems = new ArrayList<>();
            for (Doc doc : m.all(Service.class)) {
                Service svc = KubernetesManifests.as(doc, Service.class);
                Map<String, String> selector = svc.getSpec().getSelector();
                if (selector == null || selector.isEmpty()) {
                    problems.add(doc.where() + ": spec.selector: missing; every Service here selects pods");
                    continue;
                }
                List<Workload> selected = selected(doc.namespace(), selector);
                if (selected.isEmpty()) {
                    problems.add(doc.where() + ": spec.selector: selects no pod (" + selector + ")");
                    continue;
                }
                for (ServicePort port : list(svc.getSpec().getPorts())) {
                    for (Workload workload : selected) {
                        boolean found = containers(workload).stream()
                                .anyMatch(c -> containerPort(c, target(port)).isPresent());
                        if (!found) {
                            problems.add(doc.where() + ": spec.ports[" + port.getName() + "].targetPort: "
                                    + text(target(port)) + " is no container port of "
                                    + workload.doc().where());
                        }
                    }
                }
            }
            return problems;
        }

        // -- ingress --

        List<String> ingress() {
            List<String> problems = new ArrayList<>();
            Set<String> hosts = new LinkedHashSet<>();
            Set<String> routed = new LinkedHashSet<>();
            for (Doc doc : m.all(Ingress.class)) {
                Ingress ingress = KubernetesManifests.as(doc, Ingress.class);
                if (ingress.getSpec().getDefaultBackend() != null) {
                    problems.add(doc.where() + ": spec.defaultBackend: route paths explicitly");
                }
                boolean routesBridge = false;
                for (IngressRule rule : list(ingress.getSpec().getRules())) {
                    hosts.add(rule.getHost());
                    if (rule.getHttp() == null) continue;
                    for (HTTPIngressPath path : list(rule.getHttp().getPaths())) {
                        String where =
                                doc.where() + ": spec.rules[" + rule.getHost() + "].http.paths[" + path.getPath() + "]";
                        routed.add(path.getPath());
                        boolean bridge = path.getPath().startsWith(BridgeVerticle.PATH);
                        routesBridge |= bridge;
                        problems.addAll(backend(doc, where, path, bridge ? "bridge" : "http"));
                    }
                }
                if (routesBridge) problems.addAll(bridgeAnnotations(doc, ingress));
            }
            for (String path : List.of("/", BridgeVerticle.PATH)) {
                if (!routed.contains(path)) problems.add(KubernetesManifests.FOLDER + ": no Ingress routes " + path);
            }
            for (NodeContainer node : nodes) {
                String url = node.config().section("http").getString("publicUrl");
                if (url.isEmpty()) continue;
                String host = URI.create(url).getHost();
                if (!hosts.contains(host)) {
                    EnvValue origin = node.env().get("VTT_PUBLIC_URL");
                    problems.add((origin == null ? node.where() : origin.origin()) + ": env VTT_PUBLIC_URL: host "
                            + host + " is not a host of any Ingress " + hosts);
                }
            }
            return problems.stream().distinct().toList();
        }

        private List<String> backend(Doc doc, String where, HTTPIngressPath path, String expectedPort) {
            var backend = path.getBackend() == null ? null : path.getBackend().getService();
            if (backend == null) return List.of(where + ".backend.service: missing");
            Optional<Doc> service = m.find(Service.class, doc.namespace(), backend.getName());
            if (service.isEmpty()) return List.of(where + ".backend.service: no Service " + backend.getName());
            Service svc = KubernetesManifests.as(service.get(), Service.class);
            ServiceBackendPort wanted = backend.getPort();
            Optional<ServicePort> port = list(svc.getSpec().getPorts()).stream()
                    .filter(p -> wanted != null
                            && (wanted.getName() != null
                                    ? wanted.getName().equals(p.getName())
                                    : Objects.equals(wanted.getNumber(), p.getPort())))
                    .findFirst();
            if (port.isEmpty()) {
                String name = wanted == null
                        ? "(none)"
                        : wanted.getName() != null ? wanted.getName() : String.valueOf(wanted.getNumber());
                return List.of(where + ".backend.service.port: Service " + backend.getName() + " has no port " + name);
            }
            List<String> problems = new ArrayList<>();
            for (NodeContainer node : nodes) {
                if (!selects(svc.getSpec().getSelector(), node.workload().podLabels())) continue;
                Optional<Integer> reached = containerPort(node.container(), target(port.get()));
                Integer expected = listeningPorts(node).get(expectedPort);
                if (reached.isPresent() && !reached.get().equals(expected)) {
                    problems.add(where + ": reaches port " + reached.get() + " of "
                            + node.workload().doc().where() + ", not its " + expectedPort + ".port "
                            + (expected == null ? "(not running)" : expected));
                }
            }
            return problems;
        }

        private static List<String> bridgeAnnotations(Doc doc, Ingress ingress) {
            Map<String, String> annotations = ingress.getMetadata().getAnnotations() == null
                    ? Map.of()
                    : ingress.getMetadata().getAnnotations();
            String where = doc.where() + ": metadata.annotations: routes " + BridgeVerticle.PATH + " without ";
            List<String> problems = new ArrayList<>();
            if (!"cookie".equals(annotations.get("nginx.ingress.kubernetes.io/affinity"))) {
                problems.add(where + "nginx.ingress.kubernetes.io/affinity: cookie (SockJS fallbacks need one pod per"
                        + " session)");
            }
            String timeout = annotations.getOrDefault("nginx.ingress.kubernetes.io/proxy-read-timeout", "60");
            if (!timeout.matches("\\d+") || Integer.parseInt(timeout) <= 60) {
                problems.add(where + "a nginx.ingress.kubernetes.io/proxy-read-timeout above 60 s (WebSockets idle"
                        + " between heartbeats)");
            }
            return problems;
        }

        // -- autoscaler and disruption budgets --

        List<String> scaling() {
            List<String> problems = new ArrayList<>();
            for (Doc doc : m.all(HorizontalPodAutoscaler.class)) {
                var spec = KubernetesManifests.as(doc, HorizontalPodAutoscaler.class)
                        .getSpec();
                var target = spec.getScaleTargetRef();
                String where = doc.where() + ": spec.scaleTargetRef";
                Optional<Workload> workload = m.workloads().stream()
                        .filter(w -> w.doc().kind().equals(target.getKind())
                                && w.doc().name().equals(target.getName())
                                && Objects.equals(w.doc().namespace(), doc.namespace())
                                && w.doc().object().getApiVersion().equals(target.getApiVersion()))
                        .findFirst();
                if (workload.isEmpty()) {
                    problems.add(where + ": no " + target.getKind() + " " + target.getName() + " ("
                            + target.getApiVersion() + ") in " + doc.namespace());
                    continue;
                }
                int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
                if (min > spec.getMaxReplicas()) {
                    problems.add(
                            doc.where() + ": spec.minReplicas: " + min + " above maxReplicas " + spec.getMaxReplicas());
                }
                if (workload.get().replicas() != null) {
                    problems.add(workload.get().doc().where() + ": spec.replicas: set, but " + doc.where() + " owns the"
                            + " count (every apply would reset it)");
                }
                for (MetricSpec metric : list(spec.getMetrics())) {
                    if (metric.getResource() == null) continue;
                    String resource = metric.getResource().getName();
                    for (Container c : containers(workload.get())) {
                        boolean requested = c.getResources() != null
                                && c.getResources().getRequests() != null
                                && c.getResources().getRequests().containsKey(resource);
                        if (!requested) {
                            problems.add(doc.where() + ": spec.metrics[" + resource + "]: container " + c.getName()
                                    + " of " + workload.get().doc().where() + " requests no " + resource);
                        }
                    }
                }
            }
            Map<Workload, List<Doc>> budgets = new LinkedHashMap<>();
            for (Doc doc : m.all(PodDisruptionBudget.class)) {
                var spec =
                        KubernetesManifests.as(doc, PodDisruptionBudget.class).getSpec();
                List<Workload> selected = selected(doc.namespace(), spec.getSelector());
                if (selected.isEmpty()) {
                    problems.add(doc.where() + ": spec.selector: selects no pod");
                    continue;
                }
                selected.forEach(
                        w -> budgets.computeIfAbsent(w, k -> new ArrayList<>()).add(doc));
                if (spec.getMaxUnavailable() != null
                        && Integer.valueOf(0).equals(spec.getMaxUnavailable().getIntVal())) {
                    problems.add(doc.where() + ": spec.maxUnavailable: 0 blocks every drain");
                }
                if (spec.getMinAvailable() != null && spec.getMinAvailable().getIntVal() != null) {
                    for (Workload w : selected) {
                        int replicas = w.replicas() == null ? 1 : w.replicas();
                        if (spec.getMinAvailable().getIntVal() >= replicas && w.replicas() != null) {
                            problems.add(doc.where() + ": spec.minAvailable: "
                                    + spec.getMinAvailable().getIntVal() + " leaves no pod of "
                                    + w.doc().where() + " to evict");
                        }
                    }
                }
            }
            for (Workload w : m.workloads()) {
                List<Doc> docs = budgets.getOrDefault(w, List.of());
                if (docs.size() > 1) {
                    problems.add(w.doc().where() + ": its pods are selected by " + docs.size() + " budgets ("
                            + docs.stream().map(Doc::where).toList() + "); the eviction API refuses such pods");
                }
                if (docs.isEmpty() && isNodeWorkload(w)) {
                    problems.add(w.doc().where() + ": no PodDisruptionBudget selects its pods");
                }
            }
            return problems;
        }

        // -- the Secret template --

        List<String> secretTemplate() {
            List<String> problems = new ArrayList<>();
            for (Doc doc : m.all(Secret.class)) {
                Secret secret = KubernetesManifests.as(doc, Secret.class);
                if (secret.getData() != null && !secret.getData().isEmpty()) {
                    problems.add(doc.where() + ": data: use stringData so the placeholders stay readable");
                }
                KubernetesManifests.secretValues(secret).forEach((key, value) -> {
                    if (!value.contains(PLACEHOLDER)) {
                        problems.add(doc.where() + ": stringData." + key + ": not a placeholder (must contain "
                                + PLACEHOLDER + "); real secrets do not belong in the repository");
                    }
                });
            }
            return problems;
        }

        // ---- helpers ----

        private boolean isNodeWorkload(Workload workload) {
            return containers(workload).stream().anyMatch(c -> isNodeImage(c.getImage()));
        }

        static boolean isNodeImage(String image) {
            if (image == null) return false;
            String name = image.split("@")[0];
            int slash = name.lastIndexOf('/');
            int colon = name.lastIndexOf(':');
            if (colon > slash) name = name.substring(0, colon);
            return name.substring(slash + 1).equals(IMAGE_NAME);
        }

        static List<Container> containers(Workload workload) {
            return list(workload.template().getSpec().getContainers());
        }

        private List<Workload> selected(String namespace, Map<String, String> selector) {
            return m.workloads().stream()
                    .filter(w -> Objects.equals(w.doc().namespace(), namespace))
                    .filter(w -> selects(selector, w.podLabels()))
                    .toList();
        }

        private List<Workload> selected(String namespace, LabelSelector selector) {
            if (selector == null
                    || (selector.getMatchExpressions() != null
                            && !selector.getMatchExpressions().isEmpty())) {
                return List.of(); // matchExpressions are not used here; a selector must be plain labels
            }
            return selected(namespace, selector.getMatchLabels());
        }

        static boolean selects(Map<String, String> selector, Map<String, String> labels) {
            if (selector == null || selector.isEmpty()) return false;
            return selector.entrySet().stream().allMatch(e -> e.getValue().equals(labels.get(e.getKey())));
        }

        static IntOrString target(ServicePort port) {
            return port.getTargetPort() == null ? new IntOrString(port.getPort()) : port.getTargetPort();
        }

        /** The number of a container port named or numbered by {@code port}; empty when the container has none. */
        static Optional<Integer> containerPort(Container container, IntOrString port) {
            if (port == null) return Optional.empty();
            return list(container.getPorts()).stream()
                    .filter(p -> port.getStrVal() != null
                            ? port.getStrVal().equals(p.getName())
                            : Objects.equals(port.getIntVal(), p.getContainerPort()))
                    .map(ContainerPort::getContainerPort)
                    .findFirst();
        }

        static String text(IntOrString value) {
            if (value == null) return "(unset)";
            return value.getStrVal() != null ? value.getStrVal() : String.valueOf(value.getIntVal());
        }

        static <T> List<T> list(List<T> list) {
            return list == null ? List.of() : list;
        }

        /**
         * A container's environment as Kubernetes builds it: envFrom sources in order, then env entries, each value's
         * $(VAR) references expanded from what is defined before it; downward-API fields take stand-in values.
         */
        private Map<String, EnvValue> resolveEnv(Workload workload, Container container, List<String> problems) {
            Map<String, EnvValue> env = new LinkedHashMap<>();
            String namespace = workload.doc().namespace();
            String base = workload.doc().where() + ": spec.template.spec.containers[" + container.getName() + "]";
            int index = 0;
            for (EnvFromSource from : list(container.getEnvFrom())) {
                String where = base + ".envFrom[" + index++ + "]";
                String prefix = from.getPrefix() == null ? "" : from.getPrefix();
                if (from.getConfigMapRef() != null) {
                    String name = from.getConfigMapRef().getName();
                    Optional<Doc> doc = m.find(ConfigMap.class, namespace, name);
                    if (doc.isEmpty()) {
                        if (!Boolean.TRUE.equals(from.getConfigMapRef().getOptional())) {
                            problems.add(where + ".configMapRef: no ConfigMap " + name + " in " + namespace);
                        }
                        continue;
                    }
                    Map<String, String> data =
                            KubernetesManifests.as(doc.get(), ConfigMap.class).getData();
                    if (data != null) {
                        data.forEach((key, value) -> env.put(
                                prefix + key, new EnvValue(value, doc.get().where() + ": data." + key, null)));
                    }
                }
                if (from.getSecretRef() != null) {
                    String name = from.getSecretRef().getName();
                    Optional<Doc> doc = m.find(Secret.class, namespace, name);
                    if (doc.isEmpty()) {
                        if (!Boolean.TRUE.equals(from.getSecretRef().getOptional())) {
                            problems.add(where + ".secretRef: no Secret " + name + " in " + namespace);
                        }
                        continue;
                    }
                    KubernetesManifests.secretValues(KubernetesManifests.as(doc.get(), Secret.class))
                            .forEach((key, value) -> env.put(
                                    prefix + key,
                                    new EnvValue(value, doc.get().where() + ": stringData." + key, null)));
                }
            }
            for (EnvVar variable : list(container.getEnv())) {
                String where = base + ".env[" + variable.getName() + "]";
                EnvVarSource source = variable.getValueFrom();
                if (source == null) {
                    String value = expand(variable.getValue() == null ? "" : variable.getValue(), env, where, problems);
                    env.put(variable.getName(), new EnvValue(value, where, null));
                } else if (source.getSecretKeyRef() != null) {
                    var ref = source.getSecretKeyRef();
                    Optional<Doc> doc = m.find(Secret.class, namespace, ref.getName());
                    Optional<String> value = doc.flatMap(d ->
                            KubernetesManifests.secretValue(KubernetesManifests.as(d, Secret.class), ref.getKey()));
                    if (doc.isEmpty()) {
                        problems.add(
                                where + ".valueFrom.secretKeyRef: no Secret " + ref.getName() + " in " + namespace);
                    } else if (value.isEmpty()) {
                        problems.add(where + ".valueFrom.secretKeyRef: Secret " + ref.getName() + " has no key "
                                + ref.getKey() + " (" + doc.get().file() + ")");
                    }
                    value.ifPresent(v -> env.put(variable.getName(), new EnvValue(v, where, null)));
                } else if (source.getConfigMapKeyRef() != null) {
                    var ref = source.getConfigMapKeyRef();
                    Optional<Doc> doc = m.find(ConfigMap.class, namespace, ref.getName());
                    Map<String, String> data = doc.map(d ->
                                    KubernetesManifests.as(d, ConfigMap.class).getData())
                            .orElse(null);
                    if (doc.isEmpty()) {
                        problems.add(where + ".valueFrom.configMapKeyRef: no ConfigMap " + ref.getName());
                    } else if (data == null || !data.containsKey(ref.getKey())) {
                        problems.add(where + ".valueFrom.configMapKeyRef: ConfigMap " + ref.getName() + " has no key "
                                + ref.getKey());
                    } else {
                        env.put(variable.getName(), new EnvValue(data.get(ref.getKey()), where, null));
                    }
                } else if (source.getFieldRef() != null) {
                    String path = source.getFieldRef().getFieldPath();
                    String value =
                            switch (path) {
                                case "metadata.name" -> podName(workload);
                                case "metadata.namespace" -> namespace;
                                case "metadata.uid" -> "6f1c3f4e-0d57-4b7b-9a57-3c2f1f8b8b1a";
                                case "status.podIP" -> POD_IP;
                                case "status.hostIP" -> "10.9.8.7";
                                case "spec.nodeName" -> "node-1";
                                case "spec.serviceAccountName" -> "default";
                                default -> null;
                            };
                    if (value == null) {
                        problems.add(where + ".valueFrom.fieldRef.fieldPath: " + path + " is not a field these checks"
                                + " know the downward API to offer");
                    } else {
                        env.put(variable.getName(), new EnvValue(value, where, path));
                    }
                } else if (source.getResourceFieldRef() != null) {
                    env.put(variable.getName(), new EnvValue("1", where, null));
                }
            }
            return env;
        }

        private static String expand(String value, Map<String, EnvValue> env, String where, List<String> problems) {
            Matcher matcher = VARIABLE.matcher(value);
            var expanded = new StringBuilder();
            while (matcher.find()) {
                boolean escaped = matcher.start() > 0 && value.charAt(matcher.start() - 1) == '$';
                EnvValue defined = env.get(matcher.group(1));
                if (escaped) {
                    matcher.appendReplacement(expanded, Matcher.quoteReplacement(matcher.group()));
                } else if (defined == null) {
                    problems.add(where + ".value: " + matcher.group() + " names no variable defined before it");
                    matcher.appendReplacement(expanded, Matcher.quoteReplacement(matcher.group()));
                } else {
                    matcher.appendReplacement(expanded, Matcher.quoteReplacement(defined.value()));
                }
            }
            matcher.appendTail(expanded);
            return expanded.toString();
        }

        private static String podName(Workload workload) {
            return workload.doc().object() instanceof StatefulSet
                    ? workload.doc().name() + "-0"
                    : workload.doc().name() + "-6d9f8c7b5-x2k9p";
        }

        /** The node's configuration from this environment, as the launcher would load it; null when it refuses. */
        private static NodeConfig nodeConfig(
                Workload workload, Container container, Map<String, EnvValue> env, List<String> problems) {
            String where = workload.doc().where() + ": spec.template.spec.containers[" + container.getName() + "]";
            Map<String, String> values = new LinkedHashMap<>();
            env.forEach((name, value) -> values.put(name, value.value()));
            EnvValue plan = env.get("VTT_DEPLOY");
            if (plan != null) {
                try {
                    DeploymentPlan.parse(plan.value(), "VTT_DEPLOY");
                } catch (ConfigException e) {
                    problems.add(
                            plan.origin() + ".value: " + e.getMessage() + " — the launcher refuses this environment");
                    return null;
                }
            }
            try {
                return NodeConfig.load(values, new JsonObject());
            } catch (ConfigException e) {
                Matcher from = Pattern.compile("^(VTT_[A-Z_]+)|\\(from (VTT_[A-Z_]+)\\)")
                        .matcher(e.getMessage());
                String origin = "";
                if (from.find()) {
                    String name = from.group(1) != null ? from.group(1) : from.group(2);
                    if (env.containsKey(name))
                        origin = " [set at " + env.get(name).origin() + "]";
                }
                problems.add(where + ": the launcher refuses this environment: " + e.getMessage() + origin);
                return null;
            }
        }

        /** The final stage of the Dockerfile. */
        static Image parseDockerfile(String text) {
            List<Integer> exposed = new ArrayList<>();
            String user = null;
            Map<String, String> copies = new LinkedHashMap<>();
            List<String> entrypoint = List.of();
            for (String line : text.replace("\\\n", " ").split("\n")) {
                String trimmed = line.trim();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) continue;
                String[] words = trimmed.split("\\s+");
                String instruction = words[0].toUpperCase();
                switch (instruction) {
                    case "FROM" -> {
                        exposed.clear();
                        copies.clear();
                        user = null;
                        entrypoint = List.of();
                    }
                    case "EXPOSE" -> {
                        for (int i = 1; i < words.length; i++) exposed.add(Integer.parseInt(words[i].split("/")[0]));
                    }
                    case "USER" -> user = words[1];
                    case "COPY" -> {
                        List<String> args = Stream.of(words).skip(1).toList();
                        boolean fromStage = args.stream().anyMatch(a -> a.startsWith("--from"));
                        List<String> paths =
                                args.stream().filter(a -> !a.startsWith("--")).toList();
                        String destination = paths.get(paths.size() - 1);
                        for (String source : paths.subList(0, paths.size() - 1)) {
                            String target = destination.endsWith("/")
                                    ? destination + Path.of(source).getFileName()
                                    : destination;
                            copies.put(target, fromStage ? "(build stage) " + source : source);
                        }
                    }
                    case "ENTRYPOINT" -> entrypoint = new JsonArray(
                                    trimmed.substring("ENTRYPOINT".length()).trim())
                            .stream().map(String::valueOf).toList();
                    default -> {}
                }
            }
            return new Image(List.copyOf(exposed), user, copies, entrypoint);
        }
    }
}
