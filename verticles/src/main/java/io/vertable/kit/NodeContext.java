package io.vertable.kit;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertable.kit.bus.BalancedConsumers;
import io.vertx.core.spi.cluster.ClusterManager;
import java.time.Instant;

/**
 * What every verticle of a node may know about the node it runs on. Handed to verticles through their constructors,
 * so tests can build one without a launcher.
 *
 * @param clusterManager null when the node runs standalone
 * @param meters the operator's meters on {@code metrics}
 * @param running the plan as live rescales left it
 */
public record NodeContext(
        NodeConfig config,
        Instant startedAt,
        ClusterManager clusterManager,
        PrometheusMeterRegistry metrics,
        BalancedConsumers balanced,
        NodeMeters meters,
        RunningPlan running) {

    /** Node-local shared map where verticles publish facts the launcher reports (e.g. the bound HTTP port). */
    public static final String LOCAL_FACTS = "vertable.node";

    public static final String HTTP_PORT = "http.port";

    public static final String BRIDGE_PORT = "bridge.port";

    /** Key of a node's Vertable id in its cluster member metadata: the cluster view maps members to node ids. */
    public static final String NODE_ID_METADATA = "vertableNode";

    public String nodeId() {
        return config.nodeId();
    }

    /** What the node runs now (the configured plan, changed by live rescales since). */
    public DeploymentPlan plan() {
        return running.current();
    }

    public boolean clustered() {
        return clusterManager != null;
    }

    /** Members of the cluster this node sees, itself included; 1 when standalone. */
    public int clusterMembers() {
        return clusterManager == null ? 1 : clusterManager.getNodes().size();
    }
}
