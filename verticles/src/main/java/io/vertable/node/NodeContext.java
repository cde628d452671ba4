package io.vertable.node;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertable.node.bus.BalancedConsumers;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Instant;

/**
 * What every verticle of a node may know about the node it runs on. Handed to verticles through their constructors,
 * so tests can build one without a launcher.
 *
 * @param clusterManager null when the node runs standalone
 */
public record NodeContext(
        NodeConfig config,
        Instant startedAt,
        ClusterManager clusterManager,
        PrometheusMeterRegistry metrics,
        BalancedConsumers balanced) {

    /** Node-local shared map where verticles publish facts the launcher reports (e.g. the bound HTTP port). */
    public static final String LOCAL_FACTS = "vertable.node";

    public static final String HTTP_PORT = "http.port";

    public static final String BRIDGE_PORT = "bridge.port";

    public String nodeId() {
        return config.nodeId();
    }

    public DeploymentPlan plan() {
        return config.plan();
    }

    public boolean clustered() {
        return clusterManager != null;
    }

    /** Members of the cluster this node sees, itself included; 1 when standalone. */
    public int clusterMembers() {
        return clusterManager == null ? 1 : clusterManager.getNodes().size();
    }
}
