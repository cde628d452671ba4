package io.vertable.chat;

import io.vertable.kit.stores.RoomsClient;
import io.vertable.security.RoomMember;
import io.vertable.shared.chat.Audience;
import io.vertable.shared.chat.ChatCommands;
import io.vertable.shared.people.DisplayNames;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Whom a whisper goes to: each name matches the one member of the room whose display name looks like it (case and
 * confusable letters do not matter); a name that fits several members is refused rather than sent to all of them, so
 * nobody reads a whisper by taking another's name. {@code gm} means every GM. The sender always sees their own whisper; GMs see
 * whispers between players only when named, as on Roll20.
 */
final class Whispers {

    /** The recipients as shown on the message, and the event audience. */
    record Whisper(JsonArray to, JsonObject audience) {}

    private Whispers() {}

    /** At most this many people picked for one whisper. */
    static final int MAX_PICKED = 50;

    /**
     * {@code whisperTo} of a send: member ids and {@code "gm"}, as the page's picker sends them; null when absent.
     */
    static List<String> picked(Object whisperTo) {
        if (whisperTo == null) return null;
        if (!(whisperTo instanceof JsonArray ids) || ids.isEmpty() || ids.size() > MAX_PICKED)
            throw new FailureException(
                    ErrorCode.BAD_REQUEST, "whisperTo is a list of 1 to " + MAX_PICKED + " member ids or \"gm\"");
        List<String> picked = new ArrayList<>();
        for (Object id : ids) {
            if (!(id instanceof String text)
                    || !(text.equals(ChatCommands.GM_RECIPIENT) || io.vertable.shared.wire.StreamAddress.isId(text)))
                throw new FailureException(ErrorCode.BAD_REQUEST, "whisperTo holds member ids or \"gm\"");
            picked.add(text);
        }
        return picked;
    }

    /** By the typed names, or (when {@code picked} is not null) by the ids chosen in the picker. */
    static Future<Whisper> resolve(
            EventBus bus, String roomId, RoomMember sender, List<String> names, List<String> picked) {
        return new RoomsClient(bus)
                .members(roomId)
                .map(answer -> picked == null
                        ? addressed(answer.getJsonArray("members"), sender, names)
                        : addressedById(answer.getJsonArray("members"), sender, picked));
    }

    static Whisper addressedById(JsonArray members, RoomMember sender, List<String> ids) {
        boolean gms = false;
        Map<String, String> recipients = new LinkedHashMap<>();
        int unknown = 0;
        for (String id : ids) {
            if (id.equals(ChatCommands.GM_RECIPIENT)) {
                gms = true;
                continue;
            }
            JsonObject match = null;
            for (Object m : members) {
                JsonObject member = (JsonObject) m;
                if (!member.getBoolean("banned", false) && id.equals(member.getString("userId"))) match = member;
            }
            if (match == null) unknown++;
            else recipients.put(id, match.getString("displayName"));
        }
        if (unknown > 0)
            throw new FailureException(
                    ErrorCode.WHISPER_NO_RECIPIENT,
                    unknown == 1
                            ? "one of the people chosen is no longer in this room"
                            : unknown + " of the people chosen are no longer in this room");
        return whisper(sender, recipients, gms);
    }

    static Whisper addressed(JsonArray members, RoomMember sender, List<String> names) {
        boolean gms = false;
        Map<String, String> recipients = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (String name : names) {
            if (name.equalsIgnoreCase(ChatCommands.GM_RECIPIENT)) {
                gms = true;
                continue;
            }
            List<JsonObject> matches = new ArrayList<>();
            for (Object m : members) {
                JsonObject member = (JsonObject) m;
                if (member.getBoolean("banned", false)) continue;
                if (DisplayNames.lookAlike(member.getString("displayName", ""), name)) matches.add(member);
            }
            if (matches.size() > 1) {
                throw new FailureException(
                        ErrorCode.WHISPER_AMBIGUOUS,
                        matches.size() + " members of this room go by \"" + name
                                + "\" or a name like it; the whisper was not sent");
            }
            boolean found = !matches.isEmpty();
            if (found)
                recipients.put(
                        matches.get(0).getString("userId"), matches.get(0).getString("displayName"));
            if (!found) unknown.add(name);
        }
        if (!unknown.isEmpty())
            throw new FailureException(
                    ErrorCode.WHISPER_NO_RECIPIENT, "nobody in this room is called " + String.join(", ", unknown));
        return whisper(sender, recipients, gms);
    }

    private static Whisper whisper(RoomMember sender, Map<String, String> recipients, boolean gms) {
        JsonArray to = new JsonArray();
        recipients.forEach((id, name) -> to.add(new JsonObject().put("id", id).put("name", name)));
        if (gms) to.add(new JsonObject().put("gm", true).put("name", "GM"));
        JsonArray users = new JsonArray().add(sender.userId());
        recipients.keySet().stream().filter(id -> !id.equals(sender.userId())).forEach(users::add);
        return new Whisper(to, Audience.users(users, gms));
    }
}
