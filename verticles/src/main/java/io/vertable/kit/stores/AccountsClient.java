package io.vertable.kit.stores;

import io.vertable.shared.wire.Addresses;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

/** Accounts and guests' device credentials ({@link Addresses#PERSIST_ACCOUNTS}). */
public final class AccountsClient extends StoreClient {

    public enum Op implements StoreOp {
        REGISTER("register"),
        FIND_FOR_LOGIN("findForLogin"),
        GET("get"),
        DEVICE_ISSUE("device.issue"),
        DEVICE_USE("device.use"),
        DEVICE_REVOKE("device.revoke"),
        DEVICE_FORGET("device.forget"),
        CLAIM("claim");

        private final String wire;

        Op(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }
    }

    public AccountsClient(EventBus bus) {
        super(bus, Addresses.PERSIST_ACCOUNTS);
    }

    /** @return {@code {user}} */
    public Future<JsonObject> register(String username, String passwordHash, String displayName) {
        return ask(
                Op.REGISTER,
                new JsonObject()
                        .put("username", username)
                        .put("passwordHash", passwordHash)
                        .put("displayName", displayName));
    }

    /** @return {@code {user, passwordHash}} */
    public Future<JsonObject> findForLogin(String username) {
        return ask(Op.FIND_FOR_LOGIN, new JsonObject().put("username", username));
    }

    /** @return {@code {user}} */
    public Future<JsonObject> get(String userId) {
        return ask(Op.GET, new JsonObject().put("userId", userId));
    }

    /** @return {@code {credential}} */
    public Future<JsonObject> issueDevice(String userId) {
        return ask(Op.DEVICE_ISSUE, new JsonObject().put("userId", userId));
    }

    /** @return {@code {credential, user}}: the credential is replaced on every use */
    public Future<JsonObject> useDevice(String credential) {
        return ask(Op.DEVICE_USE, new JsonObject().put("credential", credential));
    }

    /** @return {@code {revoked}} */
    public Future<JsonObject> revokeDevices(String userId) {
        return ask(Op.DEVICE_REVOKE, new JsonObject().put("userId", userId));
    }

    public Future<JsonObject> forgetDevice(String credential) {
        return ask(Op.DEVICE_FORGET, new JsonObject().put("credential", credential));
    }

    /** A guest becomes an account. @return {@code {user}} */
    public Future<JsonObject> claim(String userId, String username, String passwordHash) {
        return ask(
                Op.CLAIM,
                new JsonObject().put("userId", userId).put("username", username).put("passwordHash", passwordHash));
    }
}
