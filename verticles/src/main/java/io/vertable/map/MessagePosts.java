package io.vertable.map;

import io.vertable.kit.rooms.RoomPost;
import io.vertable.security.Ids;
import io.vertable.shared.RoomRole;
import io.vertable.shared.chat.Audience;
import io.vertable.shared.dice.Dialect;
import io.vertable.shared.dice.DiceEngine;
import io.vertable.shared.dice.DiceException;
import io.vertable.shared.dice.Roll;
import io.vertable.shared.dice.Variables;
import io.vertable.shared.dice.VerifiableDice;
import io.vertable.shared.room.RoomCommands.Actor;
import io.vertable.shared.room.RoomCommands.Change;
import io.vertable.shared.room.RoomCommands.Decision;
import io.vertable.shared.room.RoomReducer;
import io.vertable.shared.wire.Commands;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.EventType;
import io.vertable.shared.wire.Failure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * Turns the chat and dice services' finished posts into room events, rolling their dice on the way: every roll of a
 * room is verifiable, drawn from the seed of the room's current period and the next nonce (docs/dice-verification.md),
 * which only the room's one sequencer can hand out without gaps or repeats.
 */
final class MessagePosts {

    static final String ROTATE_SEED = "dice.seed.rotate";
    static final int MAX_ROLLS_PER_MESSAGE = 20;
    static final int MAX_CLIENT_SEED = 64;

    /** Fields of a post that become the message's data as they are; the services checked them. */
    private static final List<String> MESSAGE_FIELDS =
            List.of("kind", "text", "mode", "flavor", "speaker", "to", "character", "inline");

    private final String roomId;
    private final DiceSeeds seeds;

    MessagePosts(String roomId, DiceSeeds seeds) {
        this.roomId = roomId;
        this.seeds = seeds;
    }

    Decision decide(JsonObject state, JsonObject body, Actor actor, String displayName) {
        RoomPost.Op op = RoomPost.Op.of(body).orElse(null);
        if (op == null) return refuse(ErrorCode.BAD_REQUEST, "unknown post " + body.getValue(Commands.OP));
        return switch (op) {
            case MESSAGE -> message(state, body, actor, displayName);
            case EDIT -> new Decision(
                    List.of(new Change(
                            EventType.CHAT_EDITED,
                            new JsonObject()
                                    .put("id", body.getString("messageId"))
                                    .put("text", body.getString("text")))),
                    null);
            case DELETE -> new Decision(
                    List.of(new Change(
                            EventType.CHAT_DELETED,
                            new JsonObject()
                                    .put("id", body.getString("messageId"))
                                    .put("by", actor.userId()))),
                    null);
        };
    }

    private Decision message(JsonObject state, JsonObject body, Actor actor, String displayName) {
        JsonObject data = new JsonObject()
                .put("id", Ids.newId())
                .put("from", actor.userId())
                .put("name", displayName == null ? "" : displayName);
        for (String field : MESSAGE_FIELDS) {
            if (body.containsKey(field)) data.put(field, body.getValue(field));
        }
        JsonArray requested = body.getJsonArray("rolls", new JsonArray());
        if (requested.size() > MAX_ROLLS_PER_MESSAGE)
            return refuse(ErrorCode.DICE_LIMIT, "at most " + MAX_ROLLS_PER_MESSAGE + " rolls in one message");
        if (!requested.isEmpty()) {
            JsonObject dice = RoomReducer.diceOf(state);
            long period = dice.getLong("period");
            long nonce = dice.getLong("nonce");
            byte[] seed = seeds.seed(roomId, period);
            String commitment = VerifiableDice.commitment(seed);
            Dialect dialect = Dialect.fromName(RoomReducer.settingsOf(state).getString("dialect"))
                    .orElse(Dialect.ROLL20);
            boolean restricted = !Audience.ALL.equals(body.getValue("audience"));
            JsonArray rolled = new JsonArray();
            for (int i = 0; i < requested.size(); i++) {
                JsonObject request = requested.getJsonObject(i);
                String given = request.getString("clientSeed", "");
                if (given.length() > MAX_CLIENT_SEED)
                    return refuse(ErrorCode.BAD_REQUEST, "a client seed is at most " + MAX_CLIENT_SEED + " characters");
                // The roll's own verify block carries the salted seed: its audience can still recompute it.
                String clientSeed = restricted ? given + "#" + seeds.hiddenSalt(roomId, period, nonce + i) : given;
                try {
                    Roll roll = DiceEngine.roll(
                            request.getString("expression", ""),
                            dialect,
                            Variables.of(request.getJsonObject("variables", new JsonObject())),
                            new VerifiableDice(seed, clientSeed, nonce + i));
                    rolled.add(roll.toJson()
                            .put(
                                    "verify",
                                    new JsonObject()
                                            .put("period", period)
                                            .put("nonce", nonce + i)
                                            .put("clientSeed", clientSeed)
                                            .put("commitment", commitment)));
                } catch (DiceException e) {
                    String where = requested.size() > 1 ? "roll " + (i + 1) + ": " : "";
                    return refuse(e.code(), where + e.getMessage());
                }
            }
            data.put("rolls", rolled);
        }
        return new Decision(List.of(new Change(EventType.CHAT_MESSAGE, data)), null);
    }

    /**
     * Ends the current seed period: its seed is revealed (so anyone can recompute its rolls) and the next period's
     * commitment is published before any roll uses it.
     */
    Decision rotateSeed(JsonObject state, Actor actor) {
        if (actor.role() != RoomRole.GM) return refuse(ErrorCode.GM_ONLY, "only a GM rotates the dice seed");
        JsonObject dice = RoomReducer.diceOf(state);
        long period = dice.getLong("period");
        JsonObject revealed = new JsonObject()
                .put("period", period)
                .put("seed", VerifiableDice.hex(seeds.seed(roomId, period)))
                .put("commitment", seeds.commitment(roomId, period))
                .put("rolls", dice.getLong("nonce"));
        return new Decision(
                List.of(new Change(
                        EventType.DICE_SEED_ROTATED,
                        new JsonObject()
                                .put("period", period + 1)
                                .put("commitment", seeds.commitment(roomId, period + 1))
                                .put("revealed", revealed))),
                null);
    }

    /** The current period's public facts: what a client needs to verify the rolls it will see. */
    JsonObject seedPeriod(JsonObject state) {
        JsonObject dice = RoomReducer.diceOf(state);
        long period = dice.getLong("period");
        return new JsonObject()
                .put("period", period)
                .put("commitment", seeds.commitment(roomId, period))
                .put("nonce", dice.getLong("nonce"));
    }

    private static Decision refuse(ErrorCode code, String message) {
        return new Decision(List.of(), Failure.of(code, message));
    }
}
