package io.vertable.chat;

import io.vertable.node.NodeContext;
import io.vertable.node.ServiceVerticle;
import io.vertable.shared.VerticleName;
import io.vertx.core.Future;

/**
 * Chat messages, whispers and chat commands (DESIGN §3).
 *
 * <p>So far it joins the node's plan and answers on its status address; its own work arrives with its issue.
 */
public final class ChatVerticle extends ServiceVerticle {

    public ChatVerticle(NodeContext node) {
        super(VerticleName.CHAT, node);
    }

    @Override
    protected Future<?> startService() {
        return Future.succeededFuture();
    }
}
