package io.vertable.security;

import io.vertx.core.json.JsonObject;

/**
 * Who a verified token speaks for.
 *
 * @param tokenId the token's {@code jti}, what logout revokes
 * @param expiresAt epoch seconds
 */
public record Identity(
        String userId, String displayName, boolean guest, boolean admin, String tokenId, long expiresAt) {

    static Identity fromClaims(JsonObject claims) {
        return new Identity(
                claims.getString("sub"),
                claims.getString("name"),
                claims.getBoolean("guest", false),
                claims.getBoolean("admin", false),
                claims.getString("jti"),
                claims.getLong("exp", 0L));
    }

    /** The identity a bridge socket was opened with (see {@link #toUser()}), or null. */
    public static Identity fromUser(io.vertx.ext.auth.User user) {
        if (user == null || user.principal() == null || user.principal().getString("sub") == null) return null;
        return fromClaims(user.principal());
    }

    /** A web user carrying this identity's claims, for handlers that work with {@code User}. */
    public io.vertx.ext.auth.User toUser() {
        return io.vertx.ext.auth.User.create(new JsonObject()
                .put("sub", userId)
                .put("name", displayName)
                .put("guest", guest)
                .put("admin", admin)
                .put("jti", tokenId)
                .put("exp", expiresAt));
    }

    public JsonObject toJson() {
        return new JsonObject()
                .put("id", userId)
                .put("displayName", displayName)
                .put("guest", guest)
                .put("admin", admin);
    }
}
