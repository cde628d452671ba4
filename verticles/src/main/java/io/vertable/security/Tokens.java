package io.vertable.security;

import io.vertable.node.FailureException;
import io.vertable.shared.ErrorCode;
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

    /** Used only outside production mode, where the config refuses to start without a real key. */
    public static final String DEVELOPMENT_KEY = "vertable-development-signing-key-never-in-production";

    private final JWTAuth jwt;
    private final int ttlSeconds;
    private final Revocations revocations;

    public Tokens(Vertx vertx, JsonObject config, Revocations revocations) {
        String secret = config.getJsonObject("jwt").getString("secret");
        this.jwt = JWTAuth.create(
                vertx,
                new JWTAuthOptions()
                        .addPubSecKey(new PubSecKeyOptions()
                                .setAlgorithm("HS256")
                                .setBuffer(secret.isEmpty() ? DEVELOPMENT_KEY : secret)));
        this.ttlSeconds = config.getJsonObject("auth").getInteger("tokenTtlMinutes") * 60;
        this.revocations = revocations;
    }

    public static boolean usesDevelopmentKey(JsonObject config) {
        return config.getJsonObject("jwt").getString("secret").isEmpty();
    }

    public String issue(String userId, String displayName, boolean guest, boolean admin) {
        var claims = new JsonObject()
                .put("sub", userId)
                .put("name", displayName)
                .put("guest", guest)
                .put("admin", admin)
                .put("jti", Ids.newId());
        return jwt.generateToken(claims, new JWTOptions().setAlgorithm("HS256").setExpiresInSeconds(ttlSeconds));
    }

    /** A fresh token for the same person (refresh before expiry). */
    public String reissue(Identity identity) {
        return issue(identity.userId(), identity.displayName(), identity.guest(), identity.admin());
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
                .map(user -> Identity.fromClaims(user.principal()))
                .compose(identity -> identity.userId() == null || identity.tokenId() == null
                        ? Future.failedFuture(new FailureException(ErrorCode.UNAUTHENTICATED, "malformed token"))
                        : revocations
                                .isRevoked(identity.tokenId())
                                .compose(revoked -> revoked
                                        ? Future.failedFuture(new FailureException(ErrorCode.TOKEN_REVOKED, null))
                                        : Future.succeededFuture(identity)));
    }

    public Revocations revocations() {
        return revocations;
    }
}
