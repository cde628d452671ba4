package io.vertable.kit;

import io.vertable.shared.wire.Commands;
import io.vertx.core.json.JsonObject;

/** What an operator may ask one node on {@code Addresses.nodeAdmin(nodeId)}. */
public final class NodeAdminRequest {

    public static final String STATUS = "status";
    public static final String RESCALE = "rescale";

    private NodeAdminRequest() {}

    public static JsonObject status() {
        return Commands.named(STATUS);
    }

    public static JsonObject rescale(String verticle, int instances) {
        return Commands.named(RESCALE).put("verticle", verticle).put("instances", instances);
    }
}
