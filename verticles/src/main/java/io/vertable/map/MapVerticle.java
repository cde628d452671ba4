package io.vertable.map;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;

/**
 * Owns the authoritative state of the rooms assigned to it (DESIGN §5).
 *
 * <p>So far it joins the node's plan and answers on its status address; its own work arrives with its issue.
 */
public final class MapVerticle extends ServiceVerticle {

    public MapVerticle(NodeContext node) {
        super(VerticleName.MAP, node);
    }

    @Override
    protected Future<?> startService() {
        return Future.succeededFuture();
    }
}
