package io.vertable.security;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;

/**
 * Who a verified token speaks for.
 *
 * @param sessionId the session ({@code sid}) the token belongs to: refresh keeps it, logout revokes it
 * @param sessionStart epoch seconds of the login that began the session
 * @param expiresAt epoch seconds
 */
public record Identity(
        String userId,
        String displayName,
        boolean guest,
        boolean admin,
        String sessionId,
        long sessionStart,
        long expiresAt) {

    static Identity fromClaims(JsonObject claims) {
        return new Identity(
                claims.getString("sub"),
                claims.getString("name"),
                claims.getBoolean("guest", false),
                claims.getBoolean("admin", false),
                claims.getString("sid"),
                claims.getLong("sst", 0L),
                claims.getLong("exp", 0L));
    }

    /** The identity a bridge socket was opened with (see {@link #toUser()}), or null. */
    public static Identity fromUser(User user) {
        if (user == null || user.principal() == null) return null;
        JsonObject claims = user.principal().getJsonObject("vertable");
        return claims == null || claims.getString("sub") == null ? null : fromClaims(claims);
    }

    /**
     * A web user carrying this identity. The claims sit under their own key: {@code User.create} gives standard claim
     * names such as {@code exp} a meaning of its own.
     */
    public User toUser() {
        return User.create(new JsonObject()
                .put(
                        "vertable",
                        new JsonObject()
                                .put("sub", userId)
                                .put("name", displayName)
                                .put("guest", guest)
                                .put("admin", admin)
                                .put("sid", sessionId)
                                .put("sst", sessionStart)
                                .put("exp", expiresAt)));
    }

    /** The public face of the account: what the API returns as {@code user}. */
    public JsonObject toJson() {
        return new JsonObject()
                .put("id", userId)
                .put("displayName", displayName)
                .put("guest", guest)
                .put("admin", admin);
    }
}
