package io.vertable.bridge;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;

/**
 * The SockJS event-bus bridge: the browsers' door to the bus (DESIGN §6).
 *
 * <p>So far it joins the node's plan and answers on its status address; its own work arrives with its issue.
 */
public final class BridgeVerticle extends ServiceVerticle {

    public BridgeVerticle(NodeContext node) {
        super(VerticleName.BRIDGE, node);
    }

    @Override
    protected Future<?> startService() {
        return Future.succeededFuture();
    }
}
