package io.vertable.shared.wire;

import io.vertx.core.json.JsonObject;

/**
 * The envelope of every command and request on the bus: a JSON object whose {@code op} names what to do. Browsers'
 * commands carry their room and a command id too ({@link RoomOp#ENVELOPE}).
 */
public final class Commands {

    public static final String OP = "op";

    private Commands() {}

    /** A new command or request named {@code op}; the caller adds its fields. */
    public static JsonObject named(String op) {
        return new JsonObject().put(OP, op);
    }

    /** The op a command names, or "" when it names none (or not as text). */
    public static String opOf(JsonObject command) {
        return command != null && command.getValue(OP) instanceof String op ? op : "";
    }
}
