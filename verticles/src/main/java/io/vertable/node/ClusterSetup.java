package io.vertable.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.FileNotFoundException;
import java.nio.file.Path;

/**
 * The Hazelcast configuration of a clustered node: Vert.x's defaults (the maps it needs) with TCP-IP join on the
 * configured interface and members, or a full Hazelcast file when {@code cluster.hazelcastConfig} names one (k8s).
 */
final class ClusterSetup {

    private ClusterSetup() {}

    static Config hazelcastConfig(NodeConfig config) {
        JsonObject cluster = config.section("cluster");
        Config hz = fromFileOrDefaults(cluster.getString("hazelcastConfig"));
        int graceSeconds = config.section("shutdown").getInteger("graceSeconds");
        // Our SIGTERM path closes Vert.x (which leaves the cluster); Hazelcast's own hook would leave first.
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        hz.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(Math.max(1, graceSeconds)));
        if (!cluster.getString("hazelcastConfig").isEmpty()) return hz;

        hz.setClusterName(cluster.getString("name"));
        hz.setProperty(
                "hazelcast.max.no.heartbeat.seconds",
                cluster.getInteger("heartbeatSeconds").toString());
        hz.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort(cluster.getInteger("port")).setPortAutoIncrement(true).setPortCount(20);
        network.getInterfaces().setEnabled(true).addInterface(cluster.getString("host"));
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).getMembers().clear();
        cluster.getJsonArray("members").forEach(member -> join.getTcpIpConfig().addMember((String) member));
        return hz;
    }

    private static Config fromFileOrDefaults(String file) {
        if (file.isEmpty()) return ConfigUtil.loadConfig();
        try {
            return Config.loadFromFile(Path.of(file).toFile());
        } catch (FileNotFoundException e) {
            throw new ConfigException("cluster.hazelcastConfig: no such file " + file);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "cluster.hazelcastConfig " + file + ": not a valid Hazelcast config (" + e.getMessage() + ")");
        }
    }
}
