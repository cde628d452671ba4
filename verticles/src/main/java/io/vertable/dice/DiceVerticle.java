package io.vertable.dice;

import io.vertable.kit.NodeContext;
import io.vertable.kit.ServiceVerticle;
import io.vertable.kit.bus.Replies;
import io.vertable.kit.rooms.RoomOwnerClient;
import io.vertable.kit.rooms.RoomPost;
import io.vertable.kit.stores.CharactersClient;
import io.vertable.security.RoomMember;
import io.vertable.shared.VerticleName;
import io.vertable.shared.chat.RollMode;
import io.vertable.shared.dice.Dialect;
import io.vertable.shared.dice.DiceEngine;
import io.vertable.shared.dice.DiceException;
import io.vertable.shared.dice.DiceSource;
import io.vertable.shared.dice.Variables;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Dice: a room member's roll in one of the four modes — its sheet variables looked up here, its dice rolled
 * by the room's owner from the room's verifiable seed (ADR 10) — character sheets, and stateless rolls for the REST
 * API with fresh cryptographic randomness.
 */
public final class DiceVerticle extends ServiceVerticle {

    static final int MAX_NAME = 100;
    static final int MAX_SHEET_BYTES = 32 * 1024;
    private static final long ROOM_DEADLINE_MS = Deadlines.ROOM_POST_MS;

    private RoomOwnerClient owners;
    private CharactersClient characters;

    public DiceVerticle(NodeContext node) {
        super(VerticleName.DICE, node);
    }

    @Override
    protected Future<?> startService() {
        owners = new RoomOwnerClient(vertx, node.nodeId());
        characters = new CharactersClient(vertx.eventBus());
        return consume(Addresses.DICE_COMMAND, this::command)
                .compose(ok -> consume(Addresses.DICE_ROLL, this::rollAlone));
    }

    // ---- room commands ----

    private void command(Message<JsonObject> message) {
        RoomMember member = RoomMember.of(message);
        JsonObject body = message.body();
        if (member == null || body == null) {
            Replies.fail(message, Failure.of(ErrorCode.FORBIDDEN, "dice commands come through the bridge"));
            return;
        }
        Future<JsonObject> answer =
                switch (body.getValue("op") instanceof String op ? op : "") {
                    case "roll" -> roll(body, member);
                    case "character.create" -> characters(CharactersClient.Op.CREATE, body, member);
                    case "character.update" -> characters(CharactersClient.Op.UPDATE, body, member);
                    case "character.get" -> characters(CharactersClient.Op.GET, body, member);
                    case "character.list" -> characters(CharactersClient.Op.LIST, body, member);
                    default -> Future.failedFuture(new FailureException(
                            ErrorCode.BAD_REQUEST,
                            "dice ops are roll, character.create, character.update, character.get, character.list"));
                };
        answer.onSuccess(message::reply).onFailure(e -> Replies.fail(message, e));
    }

    /**
     * A roll in the room: {@code {expression, mode?, flavor?, clientSeed?, character?}}. The reply says only that it
     * was rolled; the result travels as a room event to exactly its audience — a blind roll's never to its roller.
     */
    private Future<JsonObject> roll(JsonObject body, RoomMember member) {
        Failure watching = member.role().refusalToAct("roll");
        if (watching != null) return Future.failedFuture(new FailureException(watching));
        if (!(body.getValue("expression") instanceof String expression))
            return Future.failedFuture(new FailureException(ErrorCode.BAD_REQUEST, "expression is required"));
        Object modeName = body.getValue("mode", RollMode.PUBLIC.wireName());
        RollMode mode =
                modeName instanceof String name ? RollMode.fromName(name).orElse(null) : null;
        if (mode == null)
            return Future.failedFuture(
                    new FailureException(ErrorCode.BAD_REQUEST, "mode must be public, gm, blind or self"));
        String flavor = optionalText(body, "flavor", 200);
        String character = optionalText(body, "character", MAX_NAME);
        String clientSeed = optionalText(body, "clientSeed", 64);
        String roomId = body.getString("room");
        return characters
                .forRoll(roomId, member.userId(), member.gm(), character)
                .compose(sheet -> {
                    JsonObject variables = sheet.getJsonObject("attributes", new JsonObject());
                    JsonObject roll =
                            new JsonObject().put("expression", expression).put("variables", variables);
                    if (clientSeed != null) roll.put("clientSeed", clientSeed);
                    JsonObject post = RoomPost.message("roll", Replies.commandId(body))
                            .put("mode", mode.wireName())
                            .put("rolls", new JsonArray().add(roll))
                            .put("audience", mode.audience(member.userId()));
                    if (flavor != null) post.put("flavor", flavor);
                    // The card names the sheet by its name, whether the roller named it or gave its id.
                    if (character != null) post.put("character", sheet.getString("name"));
                    return owners.post(roomId, post, member.headers(), ROOM_DEADLINE_MS);
                })
                .map(reply -> new JsonObject().put("ok", true).put("seq", reply.getLong("seq")));
    }

    private Future<JsonObject> characters(CharactersClient.Op op, JsonObject body, RoomMember member) {
        JsonObject request = new JsonObject();
        boolean create = op == CharactersClient.Op.CREATE;
        boolean update = op == CharactersClient.Op.UPDATE;
        if (op != CharactersClient.Op.LIST && !create) {
            if (!(body.getValue("id") instanceof String id))
                return Future.failedFuture(new FailureException(ErrorCode.BAD_REQUEST, "id is required"));
            request.put("id", id);
        }
        if (create || update) {
            Failure invalid = CharacterInput.check(body, create);
            if (invalid != null) return Future.failedFuture(new FailureException(invalid.code(), invalid.message()));
            Failure watching = member.role().refusalToAct("keep characters");
            if (watching != null) return Future.failedFuture(new FailureException(watching));
            // A null name or sheet leaves it as it is (a sheet is never null in storage); a null owner means nobody.
            if (body.getValue("name") != null) request.put("name", body.getValue("name"));
            if (body.getValue("attributes") != null) request.put("attributes", body.getValue("attributes"));
            if (body.getValue("notes") != null) request.put("notes", body.getValue("notes"));
            if (body.containsKey("ownerId")) request.put("ownerId", body.getValue("ownerId"));
            // A portrait: one of the room's images by id; null takes it away.
            if (body.containsKey("portrait")) request.put("portrait", body.getValue("portrait"));
        }
        return characters
                .ask(op, body.getString("room"), member.userId(), member.gm(), request)
                .map(sheet -> sheet.put("ok", true))
                .onSuccess(sheet -> {
                    if (create || update) announce(sheet, member, body.getString("room"));
                });
    }

    /**
     * A sheet created or changed: the GMs' open tables and (when someone else changed it) its owner's hear of it and
     * reload it. Only the id travels, on streams only they receive: an NPC is never announced to players.
     */
    private void announce(JsonObject sheet, RoomMember member, String roomId) {
        JsonObject notice = new JsonObject()
                .put("type", "character.changed")
                .put("room", roomId)
                .put("characterId", sheet.getString("id"));
        vertx.eventBus().publish(Addresses.roomGm(roomId), notice);
        String owner = sheet.getString("ownerId");
        if (owner != null && !owner.equals(member.userId())) vertx.eventBus().publish(Addresses.user(owner), notice);
    }

    // ---- stateless rolls ----

    /** {@code {expression, dialect?}}: the whole breakdown, rolled with fresh cryptographic randomness. */
    private void rollAlone(Message<JsonObject> message) {
        JsonObject body = message.body();
        if (body == null || !(body.getValue("expression") instanceof String expression)) {
            Replies.fail(message, Failure.of(ErrorCode.BAD_REQUEST, "expression is required"));
            return;
        }
        Object dialectName = body.getValue("dialect", Dialect.ROLL20.wireName());
        Dialect dialect =
                dialectName instanceof String name ? Dialect.fromName(name).orElse(null) : null;
        if (dialect == null) {
            Replies.fail(message, Failure.of(ErrorCode.BAD_REQUEST, "dialect must be roll20 or foundry"));
            return;
        }
        try {
            message.reply(DiceEngine.roll(expression, dialect, Variables.NONE, DiceSource.secure())
                    .toJson());
        } catch (DiceException e) {
            Replies.fail(message, Failure.of(e.code(), e.getMessage()));
        }
    }

    // ---- helpers ----

    private static String optionalText(JsonObject body, String field, int max) {
        return body.getValue(field) instanceof String text && !text.isBlank() && text.length() <= max ? text : null;
    }
}
