package io.vertable.http;

import io.vertable.kit.HttpReplies;
import io.vertable.security.Identity;
import io.vertable.security.Passwords;
import io.vertable.security.RateLimiter.Limit;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.shared.wire.FailureException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Register, log in, log out, refresh, who am I. */
final class AuthRoutes {

    private static final Logger LOG = LoggerFactory.getLogger(AuthRoutes.class);

    private final Api api;
    private final Passwords passwords;
    private final JsonArray admins;
    private final int minPasswordLength;
    private final Limit loginPerIp;
    private final Limit loginPerUsername;
    private final Limit registerPerIp;
    private final Limit refreshPerUser;
    private final DeviceCookies devices;
    private final Limit devicePerIp;

    AuthRoutes(Api api, Passwords passwords, JsonObject config) {
        this.api = api;
        this.passwords = passwords;
        JsonObject auth = config.getJsonObject("auth");
        this.admins = auth.getJsonArray("admins");
        this.minPasswordLength = auth.getInteger("minPasswordLength");
        JsonObject limits = config.getJsonObject("rateLimits");
        this.loginPerIp = Limit.perMinute("login-ip", limits.getInteger("loginPerMinute") * 3);
        this.loginPerUsername = Limit.perMinute("login-user", limits.getInteger("loginPerMinute"));
        this.registerPerIp = Limit.perHour("register-ip", limits.getInteger("registerPerHour"));
        this.refreshPerUser = Limit.perMinute("refresh-user", 10);
        this.devices = new DeviceCookies(config.getJsonObject("http").getString("publicUrl"));
        this.devicePerIp = Limit.perMinute("device-ip", limits.getInteger("loginPerMinute") * 3);
    }

    void mount(Router router) {
        router.post("/api/auth/register")
                .handler(api.limited(registerPerIp, Api::clientIp))
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(ctx -> api.respond(ctx, 201, () -> register(ctx)));
        router.post("/api/auth/login")
                .handler(api.limited(loginPerIp, Api::clientIp))
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(api.limited(loginPerUsername, AuthRoutes::usernameKey))
                .handler(ctx -> api.respond(ctx, 200, () -> login(ctx)));
        router.post("/api/auth/logout")
                .handler(api::authenticate)
                .handler(ctx -> api.respond(ctx, 204, () -> logout(ctx)));
        router.post("/api/auth/refresh")
                .handler(api::authenticate)
                .handler(ctx -> api.respond(ctx, 200, () -> refresh(ctx)));
        router.post(io.vertable.shared.people.GuestDevice.PATH)
                .handler(api.limited(devicePerIp, Api::clientIp))
                .handler(ctx -> api.respond(ctx, 200, () -> device(ctx)));
        router.delete(io.vertable.shared.people.GuestDevice.PATH)
                .handler(ctx -> api.respond(ctx, 204, () -> forgetDevice(ctx)));
        router.post("/api/auth/claim")
                .handler(api::authenticate)
                .handler(api.bodies.read(Bodies.SMALL))
                .handler(ctx -> api.respond(ctx, 200, () -> claim(ctx)));
        router.get("/api/me")
                .handler(api::authenticate)
                .handler(ctx -> HttpReplies.json(ctx, 200, Api.identity(ctx).toJson()));
    }

    private Future<JsonObject> register(RoutingContext ctx) {
        JsonObject body = Api.body(ctx);
        String username = username(body);
        String password = password(body);
        String displayName = Api.displayName(body);
        return passwords
                .hash(password)
                .compose(hash -> api.stores.accounts().register(username, hash, displayName))
                .map(reply -> {
                    JsonObject user = withConfiguredAdmin(reply.getJsonObject("user"));
                    LOG.info(
                            "account registered node={} user={} admin={}",
                            api.nodeId,
                            user.getString("id"),
                            user.getBoolean("admin"));
                    return session(user);
                });
    }

    private Future<JsonObject> login(RoutingContext ctx) {
        JsonObject body = Api.body(ctx);
        String username = Api.text(body, "username", 1, 64).toLowerCase(Locale.ROOT);
        String password = body.getValue("password") instanceof String p && p.length() <= 200 ? p : "";
        return api.stores.accounts().findForLogin(username).compose(found -> passwords
                .matches(password, found.getString("passwordHash"))
                .map(ok -> {
                    if (!ok) throw new FailureException(ErrorCode.INVALID_CREDENTIALS, null);
                    return session(withConfiguredAdmin(found.getJsonObject("user")));
                }));
    }

    private Future<JsonObject> logout(RoutingContext ctx) {
        Identity identity = Api.identity(ctx);
        return api.tokens.revocations().revoke(identity).map(done -> {
            LOG.info("session ended node={} user={}", api.nodeId, identity.userId());
            return new JsonObject();
        });
    }

    /** A new token in the same session, with the account's current name and server role read again. */
    private Future<JsonObject> refresh(RoutingContext ctx) {
        Identity identity = Api.identity(ctx);
        return api.stores.accounts().get(identity.userId()).map(found -> {
            JsonObject user = withConfiguredAdmin(found.getJsonObject("user"));
            String token = api.tokens.reissue(identity, user.getString("displayName"), user.getBoolean("admin"));
            return new JsonObject().put("user", user).put("token", token).put("expiresIn", api.tokens.ttlSeconds());
        });
    }

    /**
     * A guest coming back on the browser they joined from: its device credential (cookie) is exchanged for a session
     * and a new credential; a refused one is cleared from the browser.
     */
    private Future<JsonObject> device(RoutingContext ctx) {
        String credential = DeviceCookies.read(ctx);
        if (credential == null || credential.isEmpty())
            return Future.failedFuture(new FailureException(ErrorCode.UNAUTHENTICATED, "no device credential"));
        return api.stores
                .accounts()
                .useDevice(credential)
                .map(used -> {
                    devices.set(ctx, used.getString("credential"));
                    JsonObject user = used.getJsonObject("user");
                    LOG.info("guest came back node={} user={}", api.nodeId, user.getString("id"));
                    return session(user);
                })
                .onFailure(e -> {
                    devices.clear(ctx);
                    LOG.info(
                            "device credential refused node={} code={}",
                            api.nodeId,
                            FailureException.from(e).code());
                });
    }

    /** Logging out on a guest's browser also ends its way back: the credential is revoked and the cookie cleared. */
    private Future<JsonObject> forgetDevice(RoutingContext ctx) {
        String credential = DeviceCookies.read(ctx);
        devices.clear(ctx);
        if (credential == null || credential.isEmpty()) return Future.succeededFuture(new JsonObject());
        return api.stores.accounts().forgetDevice(credential);
    }

    /** A guest keeps their identity (rooms, tokens, sheets) and becomes an account with a username and password. */
    private Future<JsonObject> claim(RoutingContext ctx) {
        JsonObject body = Api.body(ctx);
        String username = username(body);
        String password = password(body);
        Identity identity = Api.identity(ctx);
        return passwords
                .hash(password)
                .compose(hash -> api.stores.accounts().claim(identity.userId(), username, hash))
                .map(reply -> {
                    LOG.info("guest became an account node={} user={}", api.nodeId, identity.userId());
                    return session(withConfiguredAdmin(reply.getJsonObject("user")));
                });
    }

    private JsonObject withConfiguredAdmin(JsonObject user) {
        if (admins.contains(user.getString("username"))) user.put("admin", true);
        return user;
    }

    private JsonObject session(JsonObject user) {
        String token = api.tokens.issue(
                user.getString("id"),
                user.getString("displayName"),
                user.getBoolean("guest"),
                user.getBoolean("admin"));
        return new JsonObject().put("user", user).put("token", token).put("expiresIn", api.tokens.ttlSeconds());
    }

    private static String username(JsonObject body) {
        String username = Api.text(body, "username", 3, 32).toLowerCase(Locale.ROOT);
        if (!username.matches("[a-z0-9_.-]+")) {
            throw new FailureException(ErrorCode.BAD_REQUEST, "username may use letters, digits, '.', '_' and '-'");
        }
        return username;
    }

    private String password(JsonObject body) {
        if (!(body.getValue("password") instanceof String password)) {
            throw new FailureException(ErrorCode.BAD_REQUEST, "password is required");
        }
        if (password.length() < minPasswordLength || password.length() > 200 || password.isBlank()) {
            throw new FailureException(
                    ErrorCode.WEAK_PASSWORD, "use " + minPasswordLength + " to 200 characters for the password");
        }
        return password;
    }

    /** Limits by the username tried, so one account cannot be guessed at from many addresses. */
    private static String usernameKey(RoutingContext ctx) {
        try {
            Object username = Api.body(ctx).getValue("username");
            if (!(username instanceof String u)) return "-";
            String key = u.strip().toLowerCase(Locale.ROOT);
            return key.length() > 64 ? key.substring(0, 64) : key;
        } catch (RuntimeException e) {
            return "-";
        }
    }
}
