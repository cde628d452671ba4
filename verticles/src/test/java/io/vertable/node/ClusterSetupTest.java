package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MultiMapConfig;
import io.vertable.kit.ConfigException;
import io.vertable.kit.NodeConfig;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hazelcast and event-bus settings a clustered node starts with; nothing is started here. */
class ClusterSetupTest {

    static final String KUBERNETES_FILE = "../conf/hazelcast-kubernetes.yaml";

    @TempDir
    Path dir;

    private static NodeConfig config(Map<String, String> env) {
        var all = new HashMap<>(env);
        all.put("VTT_CLUSTER", "true");
        all.put("VTT_JWT_SECRET", "a key the cluster shares");
        return NodeConfig.load(all, new JsonObject());
    }

    @Test
    void withoutAFileNodesJoinByTcpIpOnTheConfiguredInterfaceAndMembers() {
        Config hz = ClusterSetup.hazelcastConfig(config(Map.of("VTT_CLUSTER_NAME", "blue")), Map.of());
        assertThat(hz.getClusterName()).isEqualTo("blue");
        assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5701);
        assertThat(hz.getNetworkConfig().getInterfaces().getInterfaces()).containsExactly("127.0.0.1");
        assertThat(hz.getNetworkConfig().getPublicAddress()).isNull();
        JoinConfig join = hz.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isTrue();
        assertThat(join.getTcpIpConfig().getMembers())
                .containsExactly("127.0.0.1:5701", "127.0.0.1:5702", "127.0.0.1:5703");
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isFalse();
        assertThat(hz.getMultiMapConfig("__vertx.subs").getBackupCount()).isEqualTo(1);
        assertThat(hz.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        // Several heartbeats within the limit, so one late heartbeat does not make a member suspect another.
        assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
        assertThat(hz.getProperty("hazelcast.heartbeat.interval.seconds")).isEqualTo("1");
    }

    @Test
    void theEventBusAdvertisesThePublicHostElseTheHostItListensOn() {
        EventBusOptions loopback = ClusterSetup.eventBusOptions(config(Map.of()));
        assertThat(loopback.getHost()).isEqualTo("127.0.0.1");
        assertThat(loopback.getClusterPublicHost()).isEqualTo("127.0.0.1");

        NodeConfig pod = config(Map.of("VTT_CLUSTER_HOST", "0.0.0.0", "VTT_CLUSTER_PUBLIC_HOST", "10.1.2.3"));
        EventBusOptions inPod = ClusterSetup.eventBusOptions(pod);
        assertThat(inPod.getHost()).isEqualTo("0.0.0.0");
        assertThat(inPod.getClusterPublicHost()).isEqualTo("10.1.2.3");
        assertThat(inPod.getPort()).isZero();
        assertThat(ClusterSetup.hazelcastConfig(config(Map.of("VTT_CLUSTER_PUBLIC_HOST", "10.1.2.3")), Map.of())
                        .getNetworkConfig()
                        .getPublicAddress())
                .isEqualTo("10.1.2.3");
    }

    @Test
    void theKubernetesFileJoinsByDnsWithItsPlaceholdersFilled() {
        NodeConfig node = config(Map.of(
                "VTT_HAZELCAST_CONFIG", KUBERNETES_FILE,
                "VTT_CLUSTER_NAME", "green",
                "VTT_CLUSTER_PORT", "5801"));
        Config hz = ClusterSetup.hazelcastConfig(
                node, Map.of("HAZELCAST_SERVICE_DNS", "vertable-hazelcast.games.svc.cluster.local"));

        assertThat(hz.getClusterName()).isEqualTo("green");
        assertThat(hz.getNetworkConfig().getPort()).isEqualTo(5801);
        assertThat(hz.getNetworkConfig().isPortAutoIncrement()).isFalse();
        JoinConfig join = hz.getNetworkConfig().getJoin();
        assertThat(join.getTcpIpConfig().isEnabled()).isFalse();
        assertThat(join.getMulticastConfig().isEnabled()).isFalse();
        assertThat(join.getAutoDetectionConfig().isEnabled()).isFalse();
        assertThat(join.getKubernetesConfig().isEnabled()).isTrue();
        assertThat(join.getKubernetesConfig().getProperty("service-dns"))
                .isEqualTo("vertable-hazelcast.games.svc.cluster.local");
        assertThat(join.getKubernetesConfig().getProperty("service-port")).isEqualTo("5801");
        assertThat(hz.getProperty("hazelcast.max.no.heartbeat.seconds")).isEqualTo("5");
        MultiMapConfig subs = hz.getMultiMapConfig("__vertx.subs");
        assertThat(subs.getBackupCount()).isEqualTo(1);
        assertThat(subs.getValueCollectionType()).isEqualTo(MultiMapConfig.ValueCollectionType.SET);
        assertThat(hz.getMapConfig("__vertx.haInfo").getBackupCount()).isEqualTo(1);
        // The launcher's own properties apply to a file too.
        assertThat(hz.getProperty("hazelcast.shutdownhook.enabled")).isEqualTo("false");
        assertThat(hz.getProperty("hazelcast.graceful.shutdown.max.wait")).isEqualTo("10");
        // A split heals within seconds, not Hazelcast's default five minutes; the file's own first delay is kept.
        assertThat(hz.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("30");
        assertThat(hz.getProperty("hazelcast.merge.next.run.delay.seconds")).isEqualTo("10");
    }

    @Test
    void mergeDelaysAnOperatorsFileChoosesAreKept() throws IOException {
        Path file = dir.resolve("hazelcast.yaml");
        Files.writeString(
                file,
                """
                hazelcast:
                  properties:
                    hazelcast.merge.first.run.delay.seconds: 45
                """);
        Config hz = ClusterSetup.hazelcastConfig(config(Map.of("VTT_HAZELCAST_CONFIG", file.toString())), Map.of());
        assertThat(hz.getProperty("hazelcast.merge.first.run.delay.seconds")).isEqualTo("45");
        assertThat(hz.getProperty("hazelcast.merge.next.run.delay.seconds"))
                .as("what the file leaves out")
                .isEqualTo("10");
    }

    @Test
    void aPlaceholderNothingSetsIsNamedAtStartUp() {
        NodeConfig node = config(Map.of("VTT_HAZELCAST_CONFIG", KUBERNETES_FILE));
        assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(node, Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("cluster.hazelcastConfig " + KUBERNETES_FILE
                        + ": nothing sets ${HAZELCAST_SERVICE_DNS} (an environment variable or system property of"
                        + " that name)");
    }

    @Test
    void placeholdersInCommentsDoNotCount() {
        assertThat(ClusterSetup.placeholdersIn(
                        "# uses ${NOT_THIS}\n  # nor ${this}\na: ${one}\n<!-- ${nor.this} -->\n<b>${two}</b>\n"))
                .containsExactly("one", "two");
    }

    @Test
    void aMissingOrBrokenFileIsNamed() throws IOException {
        assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(
                        config(Map.of(
                                "VTT_HAZELCAST_CONFIG", dir.resolve("none.yaml").toString())),
                        Map.of()))
                .hasMessageStartingWith("cluster.hazelcastConfig: no such file ");
        Path broken = Files.writeString(dir.resolve("broken.yaml"), "hazelcast:\n  network:\n    prot: 1\n");
        assertThatThrownBy(() -> ClusterSetup.hazelcastConfig(
                        config(Map.of("VTT_HAZELCAST_CONFIG", broken.toString())), Map.of()))
                .hasMessageStartingWith("cluster.hazelcastConfig " + broken + ": not a valid Hazelcast config");
    }
}
