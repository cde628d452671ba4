package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertable.kit.PgUrl;
import io.vertable.node.Node;
import io.vertable.node.SigningKey;
import io.vertable.testing.Rest;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A node without a configured JWT key signs with its own random one, kept in its data folder. */
class SigningKeyTest {

    /** The development key earlier versions shipped in their source: public, so it must open nothing. */
    static final String PUBLISHED_KEY = "vertable-development-signing-key-never-in-production";

    static PgUrl database;
    static Node node;
    static Rest rest;

    @BeforeAll
    static void start() {
        database = TestStorage.freshDatabase("signing-key");
        node = startNode();
        rest = new Rest(node.httpPort());
    }

    @AfterAll
    static void stop() {
        node.shutdown();
    }

    private static Node startNode() {
        return Node.start(TestNodes.config(TestNodes.standalone("keyed", "http:1,persistence:1", database)));
    }

    private static JsonObject register() {
        Rest.Reply registered = rest.post(
                "/api/auth/register",
                null,
                new JsonObject()
                        .put("username", "op-" + UUID.randomUUID().toString().substring(0, 8))
                        .put("password", "a long enough secret")
                        .put("displayName", "Op"));
        assertThat(registered.status()).as(registered.body().encode()).isEqualTo(201);
        return registered.body();
    }

    @Test
    void aTokenSignedWithThePublishedDevelopmentKeyOpensNothing() {
        JsonObject admin = register().getJsonObject("user");
        JsonObject claims = new JsonObject()
                .put("sub", admin.getString("id"))
                .put("name", "Mallory")
                .put("guest", false)
                .put("admin", true)
                .put("sid", UUID.randomUUID().toString())
                .put("sst", System.currentTimeMillis() / 1000);
        Vertx vertx = Vertx.vertx();
        try {
            String forged = JWTAuth.create(
                            vertx,
                            new JWTAuthOptions()
                                    .addPubSecKey(new PubSecKeyOptions()
                                            .setAlgorithm("HS256")
                                            .setBuffer(PUBLISHED_KEY)))
                    .generateToken(claims, new JWTOptions().setExpiresInSeconds(600));
            assertThat(rest.get("/api/me", forged).code()).isEqualTo("UNAUTHENTICATED");
            assertThat(rest.get("/api/admin/cluster", forged).code()).isEqualTo("UNAUTHENTICATED");
        } finally {
            vertx.close();
        }
    }

    @Test
    void theKeyIsRandomOwnerOnlyAndSurvivesARestartWithTheSessionsItSigned() throws Exception {
        Path file = TestStorage.dataDirFor(database).resolve(SigningKey.FILE);
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        String key = Files.readString(file).strip();
        assertThat(key).hasSizeGreaterThanOrEqualTo(32).isNotEqualTo(PUBLISHED_KEY);
        assertThat(TestNodes.signingKey(node)).isEqualTo(key);

        String token = register().getString("token");
        assertThat(rest.get("/api/me", token).status()).isEqualTo(200);
        node.shutdown();
        node = startNode();
        rest = new Rest(node.httpPort());
        assertThat(rest.get("/api/me", token).status())
                .as("a session outlives a restart on the same data folder")
                .isEqualTo(200);
        assertThat(Files.readString(file).strip()).isEqualTo(key);
    }
}
