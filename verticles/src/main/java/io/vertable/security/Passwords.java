package io.vertable.security;

import com.password4j.Password;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

/** Argon2id password hashes (password4j), computed on worker threads: a hash takes tens of milliseconds on purpose. */
public final class Passwords {

    private final Vertx vertx;

    public Passwords(Vertx vertx) {
        this.vertx = vertx;
    }

    public Future<String> hash(String password) {
        return vertx.executeBlocking(
                () -> Password.hash(password).addRandomSalt(16).withArgon2().getResult(), false);
    }

    public Future<Boolean> matches(String password, String hash) {
        return vertx.executeBlocking(() -> Password.check(password, hash).withArgon2(), false);
    }
}
