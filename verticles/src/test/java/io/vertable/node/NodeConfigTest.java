package io.vertable.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertable.kit.ConfigException;
import io.vertable.kit.NodeConfig;
import io.vertable.shared.VerticleName;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigTest {

    @TempDir
    Path dir;

    private Path file(String json) throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return file;
    }

    private static NodeConfig load(Map<String, String> env) {
        return NodeConfig.load(env, new JsonObject());
    }

    @Test
    void defaultsDeployEveryVerticleOnceStandaloneWithEmbeddedStorage() {
        NodeConfig config = load(Map.of());
        for (VerticleName v : VerticleName.values())
            assertThat(config.plan().instancesOf(v)).isEqualTo(1);
        assertThat(config.clustered()).isFalse();
        assertThat(config.section("postgres").getString("url")).isEmpty();
        assertThat(config.section("http").getInteger("port")).isEqualTo(8080);
        assertThat(config.nodeId()).matches("[A-Za-z0-9-]+-[0-9a-f]{4}");
    }

    @Test
    void fileOverridesDefaultsAndEnvironmentOverridesFileAndOverridesWinLast() throws IOException {
        Path file = file("{\"http\": {\"port\": 9000, \"host\": \"127.0.0.1\"}, \"node\": {\"id\": \"from-file\"}}");
        NodeConfig fromFile = load(Map.of("VTT_CONFIG", file.toString()));
        assertThat(fromFile.section("http").getInteger("port")).isEqualTo(9000);
        assertThat(fromFile.section("http").getString("host")).isEqualTo("127.0.0.1");
        assertThat(fromFile.nodeId()).isEqualTo("from-file");
        assertThat(fromFile.section("bridge").getInteger("port")).isEqualTo(8081); // untouched default

        NodeConfig fromEnv = load(Map.of("VTT_CONFIG", file.toString(), "VTT_HTTP_PORT", "9100", "VTT_NODE_ID", "env"));
        assertThat(fromEnv.section("http").getInteger("port")).isEqualTo(9100);
        assertThat(fromEnv.nodeId()).isEqualTo("env");

        NodeConfig overridden = NodeConfig.load(
                Map.of("VTT_HTTP_PORT", "9100"), new JsonObject().put("http", new JsonObject().put("port", 0)));
        assertThat(overridden.section("http").getInteger("port")).isZero();
    }

    @Test
    void environmentConvertsBooleansListsAndThePlan() {
        NodeConfig config = load(Map.of(
                "VTT_CLUSTER", "true",
                "VTT_JWT_SECRET", "a-key-the-cluster-shares",
                "VTT_CLUSTER_MEMBERS", "10.0.0.1:5701, 10.0.0.2:5701",
                "VTT_DEPLOY", "http:2,bridge:3",
                "VTT_PG_URL", "postgresql://vtt:secret@db:5432/vtt"));
        assertThat(config.clustered()).isTrue();
        assertThat(config.section("cluster").getJsonArray("members").getList())
                .containsExactly("10.0.0.1:5701", "10.0.0.2:5701");
        // The plan replaces the defaults: an edge node runs only what it names.
        assertThat(config.plan().toString()).isEqualTo("http:2,bridge:3");
        assertThat(config.plan().runs(VerticleName.PERSISTENCE)).isFalse();
        assertThat(config.section("postgres").getString("url")).isEqualTo("postgresql://vtt:secret@db:5432/vtt");
    }

    @Test
    void aPlanInTheFileAlsoReplacesTheDefaultPlan() throws IOException {
        Path file = file("{\"deploy\": {\"dice\": 2, \"map\": 1}}");
        assertThat(load(Map.of("VTT_CONFIG", file.toString())).plan().toString())
                .isEqualTo("dice:2,map:1");
    }

    @Test
    void malformedFileNamesTheFileAndThePosition() throws IOException {
        Path file = file("{\n  \"http\": {\"port\": 8080,}\n}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(file + ": not valid JSON (line 2")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void aFileThatIsNotAnObjectIsRefused() throws IOException {
        Path file = file("[1, 2]");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", file.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(file.toString());
    }

    @Test
    void missingConfigFileIsNamed() {
        assertThatThrownBy(
                        () -> load(Map.of("VTT_CONFIG", dir.resolve("nope.json").toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("VTT_CONFIG: no such file " + dir.resolve("nope.json"));
    }

    @Test
    void unknownKeysAndWrongTypesAreRefusedWithTheirOrigin() throws IOException {
        Path typo = file("{\"htpp\": {\"port\": 1}}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", typo.toString())))
                .hasMessage("htpp (from " + typo + "): unknown key");
        Path nested = file("{\"http\": {\"prot\": 1}}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", nested.toString())))
                .hasMessage("http.prot (from " + nested + "): unknown key");
        Path wrongType = file("{\"http\": {\"port\": \"eighty\"}}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", wrongType.toString())))
                .hasMessage("http.port (from " + wrongType + "): must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> load(Map.of("VTT_HTTP_PORT", "eighty")))
                .hasMessage("VTT_HTTP_PORT: must be a whole number, got 'eighty'");
        assertThatThrownBy(() -> load(Map.of("VTT_CLUSTER", "maybe")))
                .hasMessage("VTT_CLUSTER: must be true or false, got 'maybe'");
    }

    @Test
    void unknownVerticleIsRefusedFromEnvironmentAndFile() throws IOException {
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:1,dicee:2")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("VTT_DEPLOY: unknown verticle 'dicee' (known: http, bridge, dice, map, chat, persistence)");
        Path file = file("{\"deploy\": {\"htp\": 1}}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", file.toString())))
                .hasMessageContaining("unknown verticle 'htp'");
    }

    @Test
    void negativeAbsurdAndNonNumericInstanceCountsAreRefused() throws IOException {
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:-1")))
                .hasMessage("VTT_DEPLOY: http: instances must not be negative, got -1");
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:1000")))
                .hasMessage("VTT_DEPLOY: http: instances must be at most 64, got 1000");
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:two")))
                .hasMessage("VTT_DEPLOY: http: instances must be a whole number, got 'two'");
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:1,http:2")))
                .hasMessage("VTT_DEPLOY: verticle 'http' is named twice");
        assertThatThrownBy(() -> load(Map.of("VTT_DEPLOY", "http:0")))
                .hasMessage("deploy (from VTT_DEPLOY): the plan deploys no verticle");
        Path file = file("{\"deploy\": {\"map\": -3}}");
        assertThatThrownBy(() -> load(Map.of("VTT_CONFIG", file.toString())))
                .hasMessageContaining("map: instances must not be negative, got -3");
    }

    @Test
    void rangesAndUrlsAreChecked() {
        assertThatThrownBy(() -> load(Map.of("VTT_HTTP_PORT", "70000")))
                .hasMessage("http.port (from VTT_HTTP_PORT): must be between 0 and 65535, got 70000");
        assertThatThrownBy(() -> load(Map.of("VTT_PG_URL", "mysql://db/x")))
                .hasMessage("postgres.url (from VTT_PG_URL): must be a postgresql or postgres://host... URL");
        assertThatThrownBy(() -> load(Map.of("VTT_REDIS_URL", "localhost:6379")))
                .hasMessageStartingWith("redis.url (from VTT_REDIS_URL): must be a redis or rediss");
        assertThatThrownBy(() -> load(Map.of("VTT_CLUSTER_MEMBERS", "10.0.0.1")))
                .hasMessage(
                        "cluster.members (from VTT_CLUSTER_MEMBERS): each member must be host:port, got '10.0.0.1'");
        assertThatThrownBy(() -> load(Map.of("VTT_NODE_ID", "bad id!")))
                .hasMessageStartingWith("node.id (from VTT_NODE_ID): use 1-64 letters");
        assertThatThrownBy(() -> load(Map.of("VTT_TRUSTED_PROXIES", "10.0.0.0/8,ingress.internal")))
                .hasMessage("http.trustedProxies (from VTT_TRUSTED_PROXIES): 'ingress.internal' is not an IP address"
                        + " or a CIDR range such as 10.0.0.0/8");
        assertThatThrownBy(() -> load(Map.of("VTT_TRUSTED_PROXIES", "10.0.0.0/40")))
                .hasMessageContaining("the prefix length must be a whole number from 0 to 32");
        assertThat(load(Map.of("VTT_TRUSTED_PROXIES", "10.0.0.0/8,fd00::/8,192.0.2.7"))
                        .section("http")
                        .getJsonArray("trustedProxies"))
                .containsExactly("10.0.0.0/8", "fd00::/8", "192.0.2.7");
    }

    @Test
    void withoutAKeyANodeServesAnyInterfaceButACannotCluster() {
        NodeConfig served = load(Map.of("VTT_HTTP_HOST", "0.0.0.0", "VTT_BRIDGE_HOST", "0.0.0.0"));
        assertThat(served.section("http").getString("host")).isEqualTo("0.0.0.0");
        assertThatThrownBy(() -> load(Map.of("VTT_CLUSTER", "true")))
                .hasMessage("jwt.secret: a cluster's nodes must share one signing key: set VTT_JWT_SECRET on every "
                        + "node (a node alone makes its own key in its data folder)");
        assertThat(load(Map.of("VTT_CLUSTER", "true", "VTT_JWT_SECRET", "shared"))
                        .clustered())
                .isTrue();
    }

    @Test
    void aClusteredNodeOnEveryInterfaceMustAdvertiseAReachableAddress() {
        assertThatThrownBy(() -> load(Map.of("VTT_CLUSTER", "true", "VTT_CLUSTER_HOST", "0.0.0.0")))
                .hasMessage(
                        "cluster.host (from VTT_CLUSTER_HOST): listening on every interface, the node must "
                                + "advertise an address other nodes can reach: set cluster.publicHost (VTT_CLUSTER_PUBLIC_HOST)");
        assertThatThrownBy(() -> load(Map.of("VTT_CLUSTER_PUBLIC_HOST", "0.0.0.0")))
                .hasMessage("cluster.publicHost (from VTT_CLUSTER_PUBLIC_HOST): must be an address other nodes can "
                        + "reach, got '0.0.0.0'");
        NodeConfig pod = load(Map.of(
                "VTT_CLUSTER",
                "true",
                "VTT_CLUSTER_HOST",
                "0.0.0.0",
                "VTT_CLUSTER_PUBLIC_HOST",
                "10.1.2.3",
                "VTT_JWT_SECRET",
                "shared"));
        assertThat(pod.section("cluster").getString("publicHost")).isEqualTo("10.1.2.3");
        // Standalone, the cluster address is never used.
        assertThat(load(Map.of("VTT_CLUSTER_HOST", "0.0.0.0")).clustered()).isFalse();
    }

    @Test
    void productionRequiresAConfiguredKey() {
        assertThatThrownBy(() -> load(Map.of("VTT_PRODUCTION", "true")))
                .hasMessageStartingWith("jwt.secret: production mode needs a signing key of at least 32 characters");
        assertThatThrownBy(() -> load(Map.of("VTT_PRODUCTION", "true", "VTT_JWT_SECRET", "short")))
                .hasMessageStartingWith("jwt.secret (from VTT_JWT_SECRET): production mode");
        NodeConfig ok = load(Map.of("VTT_PRODUCTION", "true", "VTT_JWT_SECRET", "x".repeat(32)));
        assertThat(ok.production()).isTrue();
    }

    @Test
    void theEmbeddedDatabaseIsDurableUnlessASettingSaysItLosesData() {
        assertThat(load(Map.of()).section("postgres").getBoolean("embeddedLosesDataOnCrash"))
                .isFalse();
        assertThat(load(Map.of("VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH", "true"))
                        .section("postgres")
                        .getBoolean("embeddedLosesDataOnCrash"))
                .isTrue();
        String key = "x".repeat(32);
        assertThatThrownBy(() -> load(Map.of(
                        "VTT_PRODUCTION",
                        "true",
                        "VTT_JWT_SECRET",
                        key,
                        "VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH",
                        "true")))
                .hasMessage("postgres.embeddedLosesDataOnCrash (from VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH): production "
                        + "mode keeps the embedded PostgreSQL durable (fsync and synchronous commit on)");
    }

    @Test
    void everyEnvironmentVariableSetsAKeyThatExistsAndIsDocumentedInTheReadme() throws IOException {
        String readme = Files.readString(Path.of("..", "README.md"));
        JsonObject defaults = load(Map.of()).json();
        for (NodeConfig.EnvironmentVariable variable : NodeConfig.ENVIRONMENT) {
            assertThat(readme).as("README documents " + variable.name()).contains("`" + variable.name() + "`");
            if (variable.key().isEmpty()) continue;
            String[] path = variable.key().split("\\.");
            Object value = path.length == 1
                    ? defaults.getValue(path[0])
                    : defaults.getJsonObject(path[0]).getValue(path[1]);
            assertThat(value).as(variable.name() + " → " + variable.key()).isNotNull();
        }
    }
}
