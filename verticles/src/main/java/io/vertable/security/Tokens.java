package io.vertable.security;

import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;

/** Short-lived HS256 session tokens (vertx-auth-jwt), checked against revocations on every use. */
public final class Tokens {

    private final JWTAuth jwt;
    private final int ttlSeconds;
    private final Revocations revocations;

    /** @param config with {@code jwt.secret} set: configured, or the node's own key from its data folder */
    public Tokens(Vertx vertx, JsonObject config, Revocations revocations) {
        String secret = config.getJsonObject("jwt").getString("secret");
        if (secret.isEmpty()) throw new IllegalStateException("no JWT signing key: the launcher resolves one first");
        this.jwt = JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                        .addPubSecKey(
                                new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(secret)));
        this.ttlSeconds = config.getJsonObject("auth").getInteger("tokenTtlMinutes") * 60;
        this.revocations = revocations;
    }

    /** Longest a session lives through refreshes before its owner must sign in again. */
    public static final long MAX_SESSION_SECONDS = 30L * 24 * 3600;

    /** The first token of a new session (a login, a registration, a guest joining). */
    public String issue(String userId, String displayName, boolean guest, boolean admin) {
        return token(userId, displayName, guest, admin, Ids.newId(), System.currentTimeMillis() / 1000);
    }

    /**
     * A fresh token in the same session, with the account's current name and role (refresh before expiry).
     *
     * @throws FailureException UNAUTHENTICATED when the session is older than {@link #MAX_SESSION_SECONDS}
     */
    public String reissue(Identity identity, String displayName, boolean admin) {
        if (System.currentTimeMillis() / 1000 - identity.sessionStart() > MAX_SESSION_SECONDS) {
            throw new FailureException(ErrorCode.UNAUTHENTICATED, "this session is too old; sign in again");
        }
        return token(
                identity.userId(), displayName, identity.guest(), admin, identity.sessionId(), identity.sessionStart());
    }

    private String token(
            String userId, String displayName, boolean guest, boolean admin, String sessionId, long start) {
        var claims = new JsonObject()
                .put("sub", userId)
                .put("name", displayName)
                .put("guest", guest)
                .put("admin", admin)
                .put("sid", sessionId)
                .put("sst", start)
                .put("jti", Ids.newId());
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds));
    }

    public int ttlSeconds() {
        return ttlSeconds;
    }

    /** Verifies signature, expiry and revocation; fails with UNAUTHENTICATED or TOKEN_REVOKED. */
    public Future<Identity> verify(String token) {
        if (token == null || token.isBlank() || token.length() > 4096) {
            return Future.failedFuture(new FailureException(ErrorCode.UNAUTHENTICATED, "no session token"));
        }
        return jwt.authenticate(new TokenCredentials(token))
                .recover(e -> Future.failedFuture(
                        new FailureException(ErrorCode.UNAUTHENTICATED, "the session token is invalid or has expired")))
                .map(user -> Identity.fromClaims(claimsOf(user)))
                .compose(identity -> identity.userId() == null || identity.sessionId() == null
                        ? Future.failedFuture(new FailureException(ErrorCode.UNAUTHENTICATED, "malformed token"))
                        : revocations
                                .isRevoked(identity)
                                .compose(revoked -> revoked
                                        ? Future.failedFuture(new FailureException(ErrorCode.TOKEN_REVOKED, null))
                                        : Future.succeededFuture(identity)));
    }

    public Revocations revocations() {
        return revocations;
    }

    /** vertx-auth-jwt keeps {@code exp} in the user's attributes, the other claims in its principal. */
    private static JsonObject claimsOf(io.vertx.ext.auth.User user) {
        return user.principal().copy().put("exp", user.attributes().getLong("exp", 0L));
    }
}
