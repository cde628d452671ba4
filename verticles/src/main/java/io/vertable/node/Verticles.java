package io.vertable.node;

import io.vertable.bridge.BridgeVerticle;
import io.vertable.chat.ChatVerticle;
import io.vertable.dice.DiceVerticle;
import io.vertable.http.HttpVerticle;
import io.vertable.kit.NodeContext;
import io.vertable.map.MapVerticle;
import io.vertable.persistence.PersistenceVerticle;
import io.vertable.shared.VerticleName;
import io.vertx.core.Deployable;
import java.util.List;
import java.util.function.Supplier;

/** Which class runs each verticle name, and the order a node starts them in (the services before the doors). */
final class Verticles {

    /** Start order; shutdown runs it backwards, so the doors (http, bridge) close first. */
    static final List<VerticleName> START_ORDER = List.of(
            VerticleName.PERSISTENCE,
            VerticleName.MAP,
            VerticleName.DICE,
            VerticleName.CHAT,
            VerticleName.BRIDGE,
            VerticleName.HTTP);

    private Verticles() {}

    static Supplier<Deployable> factory(VerticleName name, NodeContext node) {
        return switch (name) {
            case HTTP -> () -> new HttpVerticle(node);
            case BRIDGE -> () -> new BridgeVerticle(node);
            case DICE -> () -> new DiceVerticle(node);
            case MAP -> () -> new MapVerticle(node);
            case CHAT -> () -> new ChatVerticle(node);
            case PERSISTENCE -> () -> new PersistenceVerticle(node);
        };
    }
}
