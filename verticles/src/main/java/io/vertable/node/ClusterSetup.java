package io.vertable.node;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.vertable.kit.ConfigException;
import io.vertable.kit.NodeConfig;
import io.vertable.kit.NodeContext;
import io.vertx.core.eventbus.EventBusOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Hazelcast configuration of a clustered node: Vert.x's defaults (the maps it needs) with TCP-IP join on the
 * configured interface and members, or a full Hazelcast file when {@code cluster.hazelcastConfig} names one (k8s).
 *
 * <p>A file may use {@code ${name}} placeholders. They are filled from the node's own settings ({@code
 * vtt.cluster.name}, {@code vtt.cluster.port}, {@code vtt.cluster.heartbeatSeconds}), then system properties, then environment variables (e.g. one set by a pod spec); a placeholder none of them fills
 * stops the node with its name rather than reaching Hazelcast as literal text.
 */
final class ClusterSetup {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}]+)}");
    private static final Pattern XML_COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);

    /**
     * How soon a split cluster (members that stopped hearing each other, e.g. under heavy CPU load) merges again.
     * Hazelcast's defaults (300 s before the first try, 120 s between tries) left a restarted node in a cluster of its
     * own for five minutes; a table notices seconds.
     */
    static final int MERGE_FIRST_RUN_DELAY_SECONDS = 10;

    static final int MERGE_NEXT_RUN_DELAY_SECONDS = 10;

    private ClusterSetup() {}

    static Config hazelcastConfig(NodeConfig config) {
        return hazelcastConfig(config, System.getenv());
    }

    private static void setIfAbsent(Config hz, String property, int value) {
        if (hz.getProperty(property) == null) hz.setProperty(property, Integer.toString(value));
    }

    /** As {@link #hazelcastConfig(NodeConfig)}, filling a file's placeholders from the given environment. */
    static Config hazelcastConfig(NodeConfig config, Map<String, String> env) {
        JsonObject cluster = config.section("cluster");
        String file = cluster.getString("hazelcastConfig");
        Config hz = file.isEmpty() ? ConfigUtil.loadConfig() : fromFile(file, placeholders(config, env));
        int graceSeconds = config.section("shutdown").getInteger("graceSeconds");
        // Our SIGTERM path closes Vert.x (which leaves the cluster); Hazelcast's own hook would leave first.
        hz.setProperty("hazelcast.shutdownhook.enabled", "false");
        hz.setProperty("hazelcast.phone.home.enabled", "false");
        hz.setProperty("hazelcast.logging.type", "slf4j");
        hz.setProperty("hazelcast.graceful.shutdown.max.wait", Integer.toString(Math.max(1, graceSeconds)));
        // An operator's file may choose its own merge delays; only Hazelcast's slow defaults are replaced.
        setIfAbsent(hz, "hazelcast.merge.first.run.delay.seconds", MERGE_FIRST_RUN_DELAY_SECONDS);
        setIfAbsent(hz, "hazelcast.merge.next.run.delay.seconds", MERGE_NEXT_RUN_DELAY_SECONDS);
        if (!file.isEmpty()) return hz;

        hz.setClusterName(cluster.getString("name"));
        hz.setProperty(
                "hazelcast.max.no.heartbeat.seconds",
                cluster.getInteger("heartbeatSeconds").toString());
        // Hazelcast sends a heartbeat every 5 s by default: with a 5 s limit one late heartbeat made a member
        // suspect another. Five heartbeats per limit.
        hz.setProperty(
                "hazelcast.heartbeat.interval.seconds",
                Integer.toString(Math.max(1, cluster.getInteger("heartbeatSeconds") / 5)));
        hz.setProperty("hazelcast.socket.bind.any", "false");
        NetworkConfig network = hz.getNetworkConfig();
        network.setPort(cluster.getInteger("port")).setPortAutoIncrement(true).setPortCount(20);
        network.getInterfaces().setEnabled(true).addInterface(cluster.getString("host"));
        if (!cluster.getString("publicHost").isEmpty()) network.setPublicAddress(cluster.getString("publicHost"));
        JoinConfig join = network.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).getMembers().clear();
        cluster.getJsonArray("members").forEach(member -> join.getTcpIpConfig().addMember((String) member));
        return hz;
    }

    /**
     * The clustered event bus listens on {@code cluster.host} (any free port) and tells other nodes {@code
     * cluster.publicHost}, else the same host: a pod listens on 0.0.0.0 and advertises its own IP. The node's id
     * travels in the member's metadata, so any node can list the others by id.
     */
    static EventBusOptions eventBusOptions(NodeConfig config) {
        JsonObject cluster = config.section("cluster");
        String host = cluster.getString("host");
        String publicHost = cluster.getString("publicHost");
        return new EventBusOptions()
                .setHost(host)
                .setClusterPublicHost(publicHost.isEmpty() ? host : publicHost)
                .setClusterNodeMetadata(new JsonObject().put(NodeContext.NODE_ID_METADATA, config.nodeId()))
                .setPort(0);
    }

    /** The values a Hazelcast file's placeholders may name: the node's settings win, then -D, then the environment. */
    static Properties placeholders(NodeConfig config, Map<String, String> env) {
        JsonObject cluster = config.section("cluster");
        var properties = new Properties();
        properties.putAll(env);
        properties.putAll(System.getProperties());
        properties.setProperty("vtt.cluster.name", cluster.getString("name"));
        properties.setProperty("vtt.cluster.port", cluster.getInteger("port").toString());
        properties.setProperty(
                "vtt.cluster.heartbeatSeconds",
                cluster.getInteger("heartbeatSeconds").toString());
        return properties;
    }

    /** The placeholders a Hazelcast file uses (outside comments), in name order. */
    static Set<String> placeholdersIn(String text) {
        String uncommented = XML_COMMENT.matcher(text).replaceAll("").replaceAll("(?m)^\\s*#.*$", "");
        Set<String> names = new TreeSet<>();
        Matcher matcher = PLACEHOLDER.matcher(uncommented);
        while (matcher.find()) names.add(matcher.group(1).trim());
        return names;
    }

    private static Config fromFile(String file, Properties properties) {
        Path path = Path.of(file);
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException("cluster.hazelcastConfig: no such file " + file);
        }
        Set<String> missing = new TreeSet<>(placeholdersIn(text));
        missing.removeIf(properties::containsKey);
        if (!missing.isEmpty()) {
            throw new ConfigException("cluster.hazelcastConfig " + file + ": nothing sets "
                    + String.join(
                            ", ", missing.stream().map(n -> "${" + n + "}").toList())
                    + " (an environment variable or system property of that name)");
        }
        try {
            return Config.loadFromFile(path.toFile(), properties);
        } catch (FileNotFoundException e) {
            throw new ConfigException("cluster.hazelcastConfig: no such file " + file);
        } catch (RuntimeException e) {
            throw new ConfigException(
                    "cluster.hazelcastConfig " + file + ": not a valid Hazelcast config (" + e.getMessage() + ")");
        }
    }
}
