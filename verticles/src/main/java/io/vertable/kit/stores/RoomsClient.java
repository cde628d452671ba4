package io.vertable.kit.stores;

import io.vertable.shared.RoomRole;
import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Rooms, members and invites ({@link Addresses#PERSIST_ROOMS}). */
public final class RoomsClient extends StoreClient {

    public enum Op implements StoreOp {
        CREATE("create"),
        LIST_FOR_USER("listForUser"),
        GET("get"),
        UPDATE("update"),
        DELETE("delete"),
        UNBAN("unban"),
        MEMBERSHIP("membership"),
        MEMBERS("members"),
        SET_ROLE("setRole"),
        REMOVE_MEMBER("removeMember"),
        CREATE_INVITE("createInvite"),
        LIST_INVITES("listInvites"),
        REVOKE_INVITE("revokeInvite"),
        PREVIEW_INVITE("previewInvite"),
        ACCEPT_INVITE("acceptInvite");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }

        @Override
        public boolean resendable() {
            return this == GET || this == MEMBERSHIP || this == MEMBERS || this == LIST_FOR_USER;
        }
    }

    public RoomsClient(EventBus bus) {
        super(bus, Addresses.PERSIST_ROOMS);
    }

    public Future<JsonObject> create(String name, String ownerId) {
        return ask(Op.CREATE, new JsonObject().put("name", name).put("ownerId", ownerId));
    }

    public Future<JsonObject> listForUser(String userId) {
        return ask(Op.LIST_FOR_USER, new JsonObject().put("userId", userId));
    }

    public Future<JsonObject> get(String roomId) {
        return ask(Op.GET, room(roomId));
    }

    /** @param change {@code {name?, archived?}} */
    public Future<JsonObject> update(String roomId, JsonObject change) {
        return ask(Op.UPDATE, change.copy().put("roomId", roomId));
    }

    public Future<JsonObject> delete(String roomId) {
        return ask(Op.DELETE, room(roomId));
    }

    public Future<JsonObject> unban(String roomId, String userId) {
        return ask(Op.UNBAN, room(roomId).put("userId", userId));
    }

    /** @return {@code {role, banned}}: role null for one who is not (or no longer) a member */
    public Future<JsonObject> membership(String roomId, String userId) {
        return ask(Op.MEMBERSHIP, room(roomId).put("userId", userId));
    }

    /** @return {@code {members: [{userId, displayName, role, banned, guest, …}]}} */
    public Future<JsonObject> members(String roomId) {
        return ask(Op.MEMBERS, room(roomId));
    }

    public Future<JsonObject> setRole(String roomId, String userId, RoomRole role) {
        return ask(Op.SET_ROLE, room(roomId).put("userId", userId).put("role", role.name()));
    }

    public Future<JsonObject> removeMember(String roomId, String userId, boolean ban) {
        return ask(Op.REMOVE_MEMBER, room(roomId).put("userId", userId).put("ban", ban));
    }

    /** @param invite {@code {role, createdBy, maxUses?, expiresInMinutes?}} */
    public Future<JsonObject> createInvite(String roomId, JsonObject invite) {
        return ask(Op.CREATE_INVITE, invite.copy().put("roomId", roomId));
    }

    public Future<JsonObject> listInvites(String roomId) {
        return ask(Op.LIST_INVITES, room(roomId));
    }

    public Future<JsonObject> revokeInvite(String roomId, String code) {
        return ask(Op.REVOKE_INVITE, room(roomId).put("code", code));
    }

    public Future<JsonObject> previewInvite(String code) {
        return ask(Op.PREVIEW_INVITE, new JsonObject().put("code", code));
    }

    /** A signed-in user joins ({@code userId}), or a new guest by {@code displayName}. */
    public Future<JsonObject> acceptInvite(String code, String userId, String displayName) {
        JsonObject request = new JsonObject().put("code", code);
        if (userId != null) request.put("userId", userId);
        else request.put("displayName", displayName);
        return ask(Op.ACCEPT_INVITE, request);
    }
}
