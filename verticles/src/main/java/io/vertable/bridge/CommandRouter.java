package io.vertable.bridge;

import io.vertable.kit.bus.Replies;
import io.vertable.kit.rooms.RoomOwnerClient;
import io.vertable.security.RoomMember;
import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Commands;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.StreamAddress;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Takes the browsers' commands on this node: room commands ({@code vtt.in.room}, {@code vtt.in.map}) go straight to
 * their room's owner (claimed first when the room has none); chat and dice ({@code vtt.in.chat}, {@code vtt.in.dice})
 * go to their services. Registered node-locally, so the bridge's
 * own hop never crosses the network (a bridge request to a node that just died is never answered). Live traffic
 * ({@code vtt.in.live}) is relayed from here at once and never stored.
 */
final class CommandRouter {

    /** Shorter than the bridge's reply timeout, so the client always hears back. */
    private static final long ROUTE_DEADLINE_MS = Deadlines.ROUTE_MS;

    private static final Set<String> LIVE_OPS = Set.of("drag", "ping", "cursor", "ruler", "template", "measured");
    /** Measurements carry a second point: the ruler's end, or where a template reaches. */
    private static final Set<String> MEASURES = Set.of("ruler", "template");

    private static final Set<String> TEMPLATE_SHAPES = Set.of("circle", "cone", "line");
    private static final DeliveryOptions SHARED = new DeliveryOptions().setCodecName(SharedJsonCodec.NAME);

    private final Vertx vertx;
    private final RoomOwnerClient owners;

    CommandRouter(Vertx vertx, String nodeId) {
        this.vertx = vertx;
        this.owners = new RoomOwnerClient(vertx, nodeId);
    }

    Future<List<MessageConsumer<JsonObject>>> register() {
        List<MessageConsumer<JsonObject>> consumers = List.of(
                vertx.eventBus().localConsumer(Addresses.IN_ROOM, this::route),
                vertx.eventBus().localConsumer(Addresses.IN_MAP, this::route),
                vertx.eventBus()
                        .localConsumer(Addresses.IN_CHAT, command -> relayToService(command, Addresses.CHAT_COMMAND)),
                vertx.eventBus()
                        .localConsumer(Addresses.IN_DICE, command -> relayToService(command, Addresses.DICE_COMMAND)),
                vertx.eventBus().localConsumer(Addresses.IN_LIVE, this::relayLive));
        return Future.all(consumers.stream().map(MessageConsumer::completion).toList())
                .map(done -> consumers);
    }

    // ---- room commands ----

    private void route(Message<JsonObject> command) {
        String roomId = command.body() == null ? null : command.body().getString("room");
        if (!StreamAddress.isId(roomId)) {
            Replies.fail(command, Failure.of(ErrorCode.ROOM_REQUIRED, null));
            return;
        }
        // Every command carries an id (the client's, or one made here): the owner applies it once, however often
        // it is sent, so a command whose answer was lost can be sent again.
        command.body().put("cid", Replies.commandId(command.body()));
        owners.command(roomId, command.body(), command.headers(), ROUTE_DEADLINE_MS)
                .onSuccess(command::reply)
                .onFailure(e -> Replies.fail(command, e));
    }

    /** Hands a browser's chat or dice command to its service anywhere in the cluster, with the trusted headers. */
    private void relayToService(Message<JsonObject> command, String serviceAddress) {
        String roomId = command.body() == null ? null : command.body().getString("room");
        if (!StreamAddress.isId(roomId)) {
            Replies.fail(command, Failure.of(ErrorCode.ROOM_REQUIRED, null));
            return;
        }
        var options = new DeliveryOptions().setHeaders(command.headers()).setSendTimeout(ROUTE_DEADLINE_MS);
        vertx.eventBus()
                .<JsonObject>request(serviceAddress, command.body(), options)
                .onSuccess(reply -> command.reply(reply.body()))
                .onFailure(e -> Replies.fail(command, e));
    }

    // ---- live traffic ----

    /**
     * Drag previews, pings and cursors go to the room through its owner, which passes on to each player only what
     * their vision shows. A GM's drags and cursor go to GMs only, so moving a hidden token or pointing at a secret
     * reveals nothing; pings are meant to be seen.
     */
    private void relayLive(Message<JsonObject> message) {
        JsonObject body = message.body();
        RoomMember member = RoomMember.of(message);
        String userId = member == null ? null : member.userId();
        RoomRole role = member == null ? null : member.role();
        String op = body != null && body.getValue("op") instanceof String text ? text : null;
        if (userId == null
                || role == null
                || op == null
                || !LIVE_OPS.contains(op)
                || !finite(body.getValue("x"))
                || !finite(body.getValue("y"))) {
            Replies.fail(
                    message,
                    Failure.of(
                            ErrorCode.BAD_REQUEST,
                            "live messages are drag, ping, cursor, ruler, template or measured with finite x and y"));
            return;
        }
        String measureProblem = measureProblem(op, body);
        if (measureProblem != null) {
            Replies.fail(message, Failure.of(ErrorCode.BAD_REQUEST, measureProblem));
            return;
        }
        Failure watching = op.equals("cursor") ? null : role.refusalToAct("play");
        if (watching != null) {
            Replies.fail(message, watching);
            return;
        }
        String roomId = body.getString("room");
        // Named by its room: with vision on it travels on players' own streams, which the fan-out gives only to
        // sockets of the room's members, and which a page open on another room must not draw.
        JsonObject live = new JsonObject()
                .put("type", "live")
                .put("room", roomId)
                .put(Commands.OP, op)
                .put("from", userId)
                .put("name", member.displayName())
                .put("x", ((Number) body.getValue("x")).doubleValue())
                .put("y", ((Number) body.getValue("y")).doubleValue());
        if (body.getValue("tokenId") instanceof String tokenId && StreamAddress.isId(tokenId))
            live.put("tokenId", tokenId);
        if (MEASURES.contains(op)) {
            live.put("x2", ((Number) body.getValue("x2")).doubleValue())
                    .put("y2", ((Number) body.getValue("y2")).doubleValue());
            if (op.equals("template")) live.put("shape", body.getString("shape"));
        }
        // A GM's measurement reaches the players only when the GM's page found all of it outside the fog (the
        // page that knows the fog decides; it guards the GM's own secrets): else it stays with the GMs.
        boolean shared =
                MEASURES.contains(op) || op.equals("measured") ? Boolean.TRUE.equals(body.getValue("shared")) : false;
        boolean gmOnly = role == RoomRole.GM && !op.equals("ping") && !shared;
        // Never changed after this point: every socket of the room gets the same object, not a copy each. What
        // players may see goes by the room's owner, which knows their vision (it drops a drag into their dark).
        if (gmOnly) vertx.eventBus().publish(Addresses.roomGm(roomId), live, SHARED);
        else vertx.eventBus().send(Addresses.roomLive(roomId), live);
        if (message.replyAddress() != null) message.reply(new JsonObject().put("ok", true));
    }

    /** What is wrong with a ruler or template preview, or null. */
    private static String measureProblem(String op, JsonObject body) {
        if (!MEASURES.contains(op)) return null;
        if (!finite(body.getValue("x2")) || !finite(body.getValue("y2")))
            return op + " needs a finite end point x2, y2";
        if (op.equals("template")
                && !(body.getValue("shape") instanceof String shape && TEMPLATE_SHAPES.contains(shape)))
            return "a template's shape is circle, cone or line";
        return null;
    }

    private static boolean finite(Object value) {
        return value instanceof Number n && Double.isFinite(n.doubleValue()) && Math.abs(n.doubleValue()) <= 1_000_000;
    }
}
