package io.vertable.dice;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;

/**
 * Evaluates dice expressions and rolls for rooms and the REST API (DESIGN §3).
 *
 * <p>So far it joins the node's plan and answers on its status address; its own work arrives with its issue.
 */
public final class DiceVerticle extends ServiceVerticle {

    public DiceVerticle(NodeContext node) {
        super(VerticleName.DICE, node);
    }

    @Override
    protected Future<?> startService() {
        return Future.succeededFuture();
    }
}
