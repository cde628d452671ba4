package io.vertable.chat;

import io.vertable.kit.NodeContext;
import io.vertable.kit.ServiceVerticle;
import io.vertable.kit.bus.Replies;
import io.vertable.kit.rooms.RoomOwnerClient;
import io.vertable.kit.rooms.RoomPost;
import io.vertable.kit.stores.CharactersClient;
import io.vertable.kit.stores.ChatStoreClient;
import io.vertable.security.RoomMember;
import io.vertable.shared.VerticleName;
import io.vertable.shared.WholeNumbers;
import io.vertable.shared.chat.Audience;
import io.vertable.shared.chat.ChatCommand;
import io.vertable.shared.chat.ChatCommands;
import io.vertable.shared.dice.InlineRolls;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.Deadlines;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.Failure;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.Message;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * Chat: reads what a member typed ({@link ChatCommands}), resolves whisper names against the room's
 * members, looks up sheet variables for rolls, and hands the finished message to the room's owner, which rolls its
 * dice and sequences it with everything else in the room. Edits, deletes, history and search are checked here and
 * filtered per user by the store.
 */
public final class ChatVerticle extends ServiceVerticle {

    private static final long ROOM_DEADLINE_MS = Deadlines.ROOM_POST_MS;
    /** What may be edited: words, not rolls (a roll's dice are history). */
    private static final Set<String> EDITABLE = Set.of("say", "emote", "ooc", "whisper", "desc", "as");

    private RoomOwnerClient owners;
    private ChatStoreClient chatStore;
    private CharactersClient characters;

    public ChatVerticle(NodeContext node) {
        super(VerticleName.CHAT, node);
    }

    @Override
    protected Future<?> startService() {
        owners = new RoomOwnerClient(vertx, node.nodeId());
        chatStore = new ChatStoreClient(vertx.eventBus());
        characters = new CharactersClient(vertx.eventBus());
        return consume(Addresses.CHAT_COMMAND, this::command);
    }

    private void command(Message<JsonObject> message) {
        RoomMember member = RoomMember.of(message);
        JsonObject body = message.body();
        if (member == null || body == null) {
            Replies.fail(message, Failure.of(ErrorCode.FORBIDDEN, "chat commands come through the bridge"));
            return;
        }
        Future<JsonObject> answer =
                switch (body.getValue("op") instanceof String op ? op : "") {
                    case "send" -> send(body, member);
                    case "edit" -> edit(body, member);
                    case "delete" -> delete(body, member);
                    case "history" -> read(ChatStoreClient.Op.HISTORY, body, member);
                    case "search" -> read(ChatStoreClient.Op.SEARCH, body, member);
                    default -> refused(ErrorCode.BAD_REQUEST, "chat ops are send, edit, delete, history, search");
                };
        answer.onSuccess(message::reply).onFailure(e -> Replies.fail(message, e));
    }

    // ---- sending ----

    private Future<JsonObject> send(JsonObject body, RoomMember member) {
        if (!(body.getValue("text") instanceof String text)) return refused(ErrorCode.BAD_REQUEST, "text is required");
        ChatCommands.Parsed parsed = ChatCommands.parse(text);
        if (!parsed.ok())
            return Future.failedFuture(new FailureException(
                    parsed.failure().code(), parsed.failure().message()));
        ChatCommand command = parsed.command();
        List<String> picked;
        try {
            picked = Whispers.picked(body.getValue("whisperTo"));
        } catch (FailureException e) {
            return Future.failedFuture(e);
        }
        if (picked != null) {
            // Chosen in the page's picker, by id: no names to type or quote. The text itself is a plain line.
            if (command.kind() != ChatCommand.Kind.SAY)
                return refused(ErrorCode.BAD_REQUEST, "a message to chosen people is plain text, not a /command");
            command = new ChatCommand(ChatCommand.Kind.WHISPER, command.text(), null, List.of(), null, null);
        }
        if (command.kind().gmOnly() && !member.gm())
            return refused(
                    ErrorCode.GM_ONLY, "only a GM may use /" + command.kind().wireName());
        List<String> expressions = command.kind() == ChatCommand.Kind.ROLL
                ? List.of(command.text())
                : InlineRolls.find(command.text()).stream()
                        .map(InlineRolls.Span::expression)
                        .toList();
        Failure watching = expressions.isEmpty() ? null : member.role().refusalToAct("roll");
        if (watching != null) return Future.failedFuture(new FailureException(watching));
        String roomId = body.getString("room");
        JsonObject post = RoomPost.message(command.kind().wireName(), Replies.commandId(body));
        if (command.kind() == ChatCommand.Kind.ROLL) {
            post.put("mode", command.mode().wireName())
                    .put("audience", command.mode().audience(member.userId()));
            if (command.flavor() != null) post.put("flavor", command.flavor());
        } else {
            post.put("text", command.text()).put("audience", Audience.ALL);
            if (!expressions.isEmpty()) post.put("inline", true);
        }
        if (command.speaker() != null) post.put("speaker", command.speaker());
        Future<JsonObject> addressed = command.kind() == ChatCommand.Kind.WHISPER
                ? Whispers.resolve(vertx.eventBus(), roomId, member, command.recipients(), picked)
                        .map(whisper -> post.put("to", whisper.to()).put("audience", whisper.audience()))
                : Future.succeededFuture(post);
        String character = body.getValue("character") instanceof String name && name.length() <= 100 ? name : null;
        String clientSeed = body.getValue("clientSeed") instanceof String seed && seed.length() <= 64 ? seed : null;
        return addressed
                .compose(ready -> expressions.isEmpty() && character == null
                        ? Future.succeededFuture(ready)
                        : characters
                                .forRoll(roomId, member.userId(), member.gm(), character)
                                .map(sheet -> {
                                    // Speaking as a character: one of the speaker's own, shown by its sheet's name.
                                    if (character != null) ready.put("character", sheet.getString("name"));
                                    if (!expressions.isEmpty())
                                        ready.put(
                                                "rolls",
                                                rolls(
                                                        expressions,
                                                        sheet.getJsonObject("attributes", new JsonObject()),
                                                        clientSeed));
                                    return ready;
                                }))
                .compose(ready -> owners.post(roomId, ready, member.headers(), ROOM_DEADLINE_MS))
                .map(reply -> new JsonObject().put("ok", true).put("seq", reply.getLong("seq")));
    }

    private static JsonArray rolls(List<String> expressions, JsonObject variables, String clientSeed) {
        JsonArray rolls = new JsonArray();
        for (String expression : expressions) {
            JsonObject roll = new JsonObject().put("expression", expression).put("variables", variables);
            if (clientSeed != null) roll.put("clientSeed", clientSeed);
            rolls.add(roll);
        }
        return rolls;
    }

    // ---- edits and deletes ----

    /** Authors edit their own words; the edit reaches exactly the message's audience. */
    private Future<JsonObject> edit(JsonObject body, RoomMember member) {
        if (!(body.getValue("text") instanceof String text)) return refused(ErrorCode.BAD_REQUEST, "text is required");
        if (text.length() > ChatCommands.MAX_TEXT)
            return refused(
                    ErrorCode.PAYLOAD_TOO_LARGE, "a message is at most " + ChatCommands.MAX_TEXT + " characters");
        int control = ChatCommands.controlCharacter(text);
        if (control >= 0) return refused(ErrorCode.BAD_REQUEST, "control character at position " + control);
        if (text.isBlank()) return refused(ErrorCode.BAD_REQUEST, "the message is empty; delete it instead");
        return message(body, member).compose(found -> {
            if (!member.userId().equals(found.getString("author")))
                return refused(ErrorCode.MESSAGE_NOT_OWNED, "only the author may edit a message");
            if (!EDITABLE.contains(found.getString("kind")) || found.getBoolean("rolls", false))
                return refused(ErrorCode.BAD_REQUEST, "a roll cannot be edited (nor a line with inline rolls)");
            return changed(body, member, found, RoomPost.edit(text.strip()));
        });
    }

    /** The author, or any GM, removes a message for everyone who could see it. */
    private Future<JsonObject> delete(JsonObject body, RoomMember member) {
        return message(body, member).compose(found -> {
            if (!member.gm() && !member.userId().equals(found.getString("author")))
                return refused(ErrorCode.MESSAGE_NOT_OWNED, "only the author or a GM may delete a message");
            return changed(body, member, found, RoomPost.delete());
        });
    }

    private Future<JsonObject> changed(JsonObject body, RoomMember member, JsonObject found, JsonObject post) {
        post.put("messageId", found.getString("id"))
                .put("audience", found.getValue("audience"))
                .put("cid", Replies.commandId(body));
        return owners.post(body.getString("room"), post, member.headers(), ROOM_DEADLINE_MS)
                .map(reply -> new JsonObject().put("ok", true).put("seq", reply.getLong("seq")));
    }

    /** The message, if the member could see it at all; one they cannot see does not exist for them. */
    private Future<JsonObject> message(JsonObject body, RoomMember member) {
        if (!(body.getValue("messageId") instanceof String messageId) || messageId.length() > 64)
            return refused(ErrorCode.BAD_REQUEST, "messageId is required");
        return chatStore.get(body.getString("room"), messageId).map(found -> {
            if (!Audience.includes(found.getValue("audience"), member.userId(), member.gm())
                    && !member.userId().equals(found.getString("author")))
                throw new FailureException(ErrorCode.NOT_FOUND, "no such message");
            return found;
        });
    }

    // ---- reading ----

    private Future<JsonObject> read(ChatStoreClient.Op op, JsonObject body, RoomMember member) {
        JsonObject request = new JsonObject();
        if (body.getValue("limit") != null) {
            var limit = WholeNumbers.exact(body.getValue("limit"), 0, Integer.MAX_VALUE);
            if (limit.isEmpty()) return refused(ErrorCode.BAD_REQUEST, "limit must be a whole number from 0");
            request.put("limit", (int) limit.getAsLong());
        }
        if (body.getValue("before") != null) {
            var before = WholeNumbers.exact(body.getValue("before"), 0, Long.MAX_VALUE);
            if (before.isEmpty()) return refused(ErrorCode.BAD_REQUEST, "before must be a seq: a whole number from 0");
            request.put("before", before.getAsLong());
        }
        if (op == ChatStoreClient.Op.SEARCH) {
            if (!(body.getValue("q") instanceof String q)) return refused(ErrorCode.BAD_REQUEST, "q is required");
            request.put("q", q);
        }
        return chatStore
                .read(op, body.getString("room"), member.userId(), member.gm(), request)
                .map(page -> page.put("ok", true));
    }

    // ---- helpers ----

    private static <T> Future<T> refused(ErrorCode code, String message) {
        return Future.failedFuture(new FailureException(code, message));
    }
}
