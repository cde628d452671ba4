package io.vertable.kit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A node's configuration: the defaults in {@code conf/config.json} (shipped in the jar), then a config file, then
 * {@code VTT_*} environment variables, then programmatic overrides (tests). Every key must exist in the defaults with
 * the same type, so a typo is an error rather than a silently ignored setting.
 */
public final class NodeConfig {

    public static final String DEFAULTS_RESOURCE = "conf/config.json";
    public static final Path WORKING_DIR_CONFIG = Path.of("conf", "config.json");

    /** An environment variable and the config key it sets. */
    public record EnvironmentVariable(String name, String key, String meaning) {}

    /** Every variable the launcher reads; the README's configuration table lists the same. */
    public static final List<EnvironmentVariable> ENVIRONMENT = List.of(
            new EnvironmentVariable("VTT_CONFIG", "", "path of a JSON file layered over the defaults"),
            new EnvironmentVariable("VTT_NODE_ID", "node.id", "this node's id in logs, health and the cluster view"),
            new EnvironmentVariable(
                    "VTT_PRODUCTION", "node.production", "require a configured JWT key of 32+ characters"),
            new EnvironmentVariable("VTT_DATA_DIR", "node.dataDir", "folder of the embedded PostgreSQL and Redis"),
            new EnvironmentVariable("VTT_DEPLOY", "deploy", "deployment plan, e.g. http:2,bridge:2"),
            new EnvironmentVariable("VTT_CLUSTER", "cluster.enabled", "join the Hazelcast cluster"),
            new EnvironmentVariable("VTT_CLUSTER_NAME", "cluster.name", "cluster name; nodes join only their own"),
            new EnvironmentVariable("VTT_CLUSTER_HOST", "cluster.host", "interface for Hazelcast and the event bus"),
            new EnvironmentVariable(
                    "VTT_CLUSTER_PUBLIC_HOST",
                    "cluster.publicHost",
                    "address other nodes reach this one at (a pod's IP); empty = cluster.host"),
            new EnvironmentVariable("VTT_CLUSTER_PORT", "cluster.port", "Hazelcast member port"),
            new EnvironmentVariable("VTT_CLUSTER_MEMBERS", "cluster.members", "TCP-IP members, host:port,..."),
            new EnvironmentVariable(
                    "VTT_HAZELCAST_CONFIG", "cluster.hazelcastConfig", "a full Hazelcast XML/YAML file instead"),
            new EnvironmentVariable("VTT_HTTP_HOST", "http.host", "HTTP listen address"),
            new EnvironmentVariable("VTT_HTTP_PORT", "http.port", "HTTP port (0 = any free port)"),
            new EnvironmentVariable("VTT_PUBLIC_URL", "http.publicUrl", "URL users reach the node at"),
            new EnvironmentVariable(
                    "VTT_HTTP_BODY_BUDGET_BYTES",
                    "http.bodyBudgetBytes",
                    "request-body bytes the node holds at once, over all requests"),
            new EnvironmentVariable(
                    "VTT_HTTP_BODY_READ_SECONDS",
                    "http.bodyReadSeconds",
                    "longest a request body may take to arrive once its route reads it"),
            new EnvironmentVariable(
                    "VTT_TRUSTED_PROXIES",
                    "http.trustedProxies",
                    "addresses or CIDR ranges of reverse proxies whose X-Forwarded-For names the client"),
            new EnvironmentVariable("VTT_BRIDGE_HOST", "bridge.host", "SockJS bridge listen address"),
            new EnvironmentVariable(
                    "VTT_PUBLIC_BRIDGE_URL",
                    "bridge.publicUrl",
                    "URL browsers open bridge sockets at; empty = /eventbus on VTT_PUBLIC_URL, else this node's bridge port"),
            new EnvironmentVariable("VTT_BRIDGE_PORT", "bridge.port", "SockJS bridge port"),
            new EnvironmentVariable(
                    "VTT_ALLOWED_ORIGINS", "bridge.allowedOrigins", "page origins allowed to open bridge sockets"),
            new EnvironmentVariable(
                    "VTT_PG_URL", "postgres.url", "postgresql://user:pass@host:port/db; empty = embedded"),
            new EnvironmentVariable("VTT_PG_POOL_SIZE", "postgres.poolSize", "connections per persistence instance"),
            new EnvironmentVariable("VTT_PG_EMBEDDED_PORT", "postgres.embeddedPort", "port of the embedded PostgreSQL"),
            new EnvironmentVariable(
                    "VTT_PG_EMBEDDED_LOSES_DATA_ON_CRASH",
                    "postgres.embeddedLosesDataOnCrash",
                    "run the embedded PostgreSQL without fsync (faster; a crash loses acknowledged events)"),
            new EnvironmentVariable("VTT_REDIS_URL", "redis.url", "redis://host:port; empty = embedded"),
            new EnvironmentVariable("VTT_REDIS_EMBEDDED_PORT", "redis.embeddedPort", "port of the embedded Redis"),
            new EnvironmentVariable(
                    "VTT_REDIS_POOL_SIZE", "redis.poolSize", "Redis connections per http or bridge instance"),
            new EnvironmentVariable(
                    "VTT_REDIS_POOL_WAITING", "redis.poolWaiting", "Redis calls that may wait for a connection"),
            new EnvironmentVariable(
                    "VTT_JWT_SECRET", "jwt.secret", "JWT signing key (required in production and in a cluster)"),
            new EnvironmentVariable(
                    "VTT_DICE_SECRET", "dice.secret", "secret the rooms' dice seeds derive from; set once"),
            new EnvironmentVariable("VTT_TOKEN_TTL_MINUTES", "auth.tokenTtlMinutes", "lifetime of a session token"),
            new EnvironmentVariable("VTT_ADMINS", "auth.admins", "usernames granted the server role ADMIN"),
            new EnvironmentVariable(
                    "VTT_UPLOAD_MAX_BYTES", "uploads.maxBytes", "largest image a GM may upload, in bytes"),
            new EnvironmentVariable(
                    "VTT_ARCHIVE_MAX_BYTES",
                    "archives.maxBytes",
                    "largest room archive (ZIP) an import reads, in bytes"),
            new EnvironmentVariable(
                    "VTT_ROOM_IDLE_UNLOAD_SECONDS",
                    "rooms.idleUnloadSeconds",
                    "seconds without a command after which a room's owner lets go of it (snapshot first)"),
            new EnvironmentVariable(
                    "VTT_BACKUP_ENABLED", "backup.enabled", "take scheduled backups on nodes that run persistence"),
            new EnvironmentVariable(
                    "VTT_BACKUP_DIR", "backup.dir", "folder of the backups; empty = backups/ in the data folder"),
            new EnvironmentVariable(
                    "VTT_BACKUP_INTERVAL_HOURS", "backup.intervalHours", "hours between two backups of the store"),
            new EnvironmentVariable(
                    "VTT_BACKUP_RETENTION_DAYS", "backup.retentionDays", "days a backup is kept (the newest always)"),
            new EnvironmentVariable(
                    "VTT_SHUTDOWN_GRACE_SECONDS", "shutdown.graceSeconds", "longest graceful shutdown before exit"));

    static final int MIN_PRODUCTION_SECRET = 32;

    /** Uploads travel whole over the event bus and sit in one bytea value: keep them well below the bus's comfort. */
    static final int MAX_UPLOAD_BYTES = 32 * 1024 * 1024;

    private final JsonObject json;
    private final DeploymentPlan plan;

    private NodeConfig(JsonObject json, DeploymentPlan plan) {
        this.json = json;
        this.plan = plan;
    }

    /** The configuration a launched node uses: defaults, the config file, the process environment. */
    public static NodeConfig fromEnvironment() {
        return load(System.getenv(), new JsonObject());
    }

    /**
     * Layers defaults, the config file ({@code VTT_CONFIG}, else {@code conf/config.json} if present), the given
     * environment and the overrides, then validates the result.
     *
     * @throws ConfigException naming the key and the problem
     */
    public static NodeConfig load(Map<String, String> env, JsonObject overrides) {
        JsonObject defaults = readDefaults();
        JsonObject merged = defaults.copy();
        Map<String, String> origins = new HashMap<>();
        configFile(env).ifPresent(file -> overlay(merged, readFile(file), file.toString(), defaults, origins, ""));
        applyEnvironment(merged, env, defaults, origins);
        overlay(merged, overrides, "overrides", defaults, origins, "");
        return validate(merged, origins);
    }

    private static JsonObject readDefaults() {
        try (InputStream in = NodeConfig.class.getClassLoader().getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) throw new IllegalStateException(DEFAULTS_RESOURCE + " is missing from the classpath");
            return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Optional<Path> configFile(Map<String, String> env) {
        String explicit = env.get("VTT_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            Path file = Path.of(explicit);
            if (!Files.isRegularFile(file)) throw new ConfigException("VTT_CONFIG: no such file " + file);
            return Optional.of(file);
        }
        return Files.isRegularFile(WORKING_DIR_CONFIG) ? Optional.of(WORKING_DIR_CONFIG) : Optional.empty();
    }

    static JsonObject readFile(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot be read (" + e.getMessage() + ")");
        }
        try {
            return new JsonObject(text);
        } catch (DecodeException e) {
            throw new ConfigException(file + ": not valid JSON (" + jsonProblem(e) + ")");
        } catch (ClassCastException e) {
            throw new ConfigException(file + ": must hold one JSON object");
        }
    }

    /** Jackson's message names the line and column; keep that and drop the source dump. */
    private static String jsonProblem(DecodeException e) {
        String message = String.valueOf(e.getMessage()).replaceFirst("^Failed to decode:\\s*", "");
        String position = "";
        var matcher =
                java.util.regex.Pattern.compile("line: (\\d+), column: (\\d+)").matcher(message);
        if (matcher.find()) position = "line " + matcher.group(1) + ", column " + matcher.group(2) + ": ";
        int cut = message.indexOf('\n');
        return position + (cut < 0 ? message : message.substring(0, cut)).trim();
    }

    private static void overlay(
            JsonObject target,
            JsonObject source,
            String origin,
            JsonObject defaults,
            Map<String, String> origins,
            String prefix) {
        for (String field : source.fieldNames()) {
            String key = prefix + field;
            Object value = source.getValue(field);
            if (key.equals("deploy")) {
                // The plan replaces the default plan: a node runs what its plan names, nothing more.
                if (!(value instanceof JsonObject plan))
                    throw new ConfigException(where(key, origin) + ": must be an object of verticle: instances");
                target.put(field, plan.copy());
                origins.put(key, origin);
                continue;
            }
            Object expected = defaults.getValue(field);
            if (expected == null) throw new ConfigException(where(key, origin) + ": unknown key");
            if (expected instanceof JsonObject defaultSection) {
                if (!(value instanceof JsonObject section)) {
                    throw new ConfigException(where(key, origin) + ": must be an object");
                }
                overlay(target.getJsonObject(field), section, origin, defaultSection, origins, key + ".");
                continue;
            }
            checkType(key, origin, expected, value);
            target.put(field, value);
            origins.put(key, origin);
        }
    }

    private static void checkType(String key, String origin, Object expected, Object value) {
        if (!sameType(expected, value)) {
            throw new ConfigException(
                    where(key, origin) + ": must be " + typeName(expected) + ", got " + describe(value));
        }
    }

    private static boolean sameType(Object expected, Object value) {
        if (expected instanceof Boolean) return value instanceof Boolean;
        if (expected instanceof Integer) return value instanceof Integer || value instanceof Long;
        if (expected instanceof String) return value instanceof String;
        if (expected instanceof JsonArray) return value instanceof JsonArray;
        return expected.getClass().isInstance(value);
    }

    private static String typeName(Object expected) {
        if (expected instanceof Boolean) return "true or false";
        if (expected instanceof Integer) return "a whole number";
        if (expected instanceof String) return "a string";
        if (expected instanceof JsonArray) return "a list";
        return "a " + expected.getClass().getSimpleName();
    }

    private static void applyEnvironment(
            JsonObject merged, Map<String, String> env, JsonObject defaults, Map<String, String> origins) {
        for (EnvironmentVariable variable : ENVIRONMENT) {
            String text = env.get(variable.name());
            if (text == null || variable.key().isEmpty()) continue;
            String name = variable.name();
            if (variable.key().equals("deploy")) {
                merged.put("deploy", DeploymentPlan.parse(text, name).toJson());
                origins.put("deploy", name);
                continue;
            }
            String[] path = variable.key().split("\\.");
            Object expected = defaults.getJsonObject(path[0]).getValue(path[1]);
            Object value;
            if (expected instanceof Boolean) value = parseBoolean(name, text);
            else if (expected instanceof Integer) value = parseInteger(name, text);
            else if (expected instanceof JsonArray) value = parseList(text);
            else value = text;
            merged.getJsonObject(path[0]).put(path[1], value);
            origins.put(variable.key(), name);
        }
    }

    private static boolean parseBoolean(String name, String text) {
        return switch (text.trim().toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off", "" -> false;
            default -> throw new ConfigException(name + ": must be true or false, got '" + text + "'");
        };
    }

    private static int parseInteger(String name, String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new ConfigException(name + ": must be a whole number, got '" + text + "'");
        }
    }

    private static JsonArray parseList(String text) {
        var list = new JsonArray();
        for (String item : text.split(",")) if (!item.isBlank()) list.add(item.trim());
        return list;
    }

    private static NodeConfig validate(JsonObject merged, Map<String, String> origins) {
        var check = new Checker(merged, origins);
        DeploymentPlan plan = DeploymentPlan.fromJson(merged.getJsonObject("deploy"), check.where("deploy"));
        if (plan.isEmpty()) throw new ConfigException(check.where("deploy") + ": the plan deploys no verticle");
        check.range("cluster.port", 1, 65535);
        check.range("cluster.heartbeatSeconds", 1, 600);
        check.members("cluster.members");
        check.advertisedHost("cluster.host", "cluster.publicHost", merged.getJsonObject("cluster"));
        check.range("http.port", 0, 65535);
        check.range("http.bodyBudgetBytes", 64 * 1024, Integer.MAX_VALUE);
        check.range("http.bodyReadSeconds", 1, 3600);
        check.range("bridge.port", 0, 65535);
        check.range("postgres.poolSize", 1, 100);
        check.range("postgres.idleInTransactionSeconds", 1, 3600);
        check.range("postgres.embeddedPort", 0, 65535);
        check.range("redis.embeddedPort", 0, 65535);
        check.range("redis.poolSize", 1, 128);
        check.range("redis.poolWaiting", 16, 1_000_000);
        check.range("shutdown.graceSeconds", 0, 600);
        check.range("backup.intervalHours", 1, 24 * 30);
        check.range("rooms.idleUnloadSeconds", 5, 7 * 24 * 3600);
        check.range("backup.retentionDays", 1, 3650);
        check.range("bridge.maxMessageBytes", 1024, 1 << 20);
        check.range("bridge.maxAddressLength", 16, 1024);
        check.range("bridge.maxHandlersPerSocket", 1, 1000);
        check.range("bridge.maxQueuedBytes", 16 * 1024, 256 * 1024 * 1024);
        check.range("bridge.socketRatePerSecond", 1, 10_000);
        check.range("bridge.socketBurst", 1, 10_000);
        check.range("bridge.userRatePerSecond", 1, 10_000);
        check.range("bridge.userBurst", 1, 10_000);
        check.range("auth.tokenTtlMinutes", 1, 7 * 24 * 60);
        check.range("auth.minPasswordLength", 6, 128);
        check.range("rateLimits.loginPerMinute", 1, 100_000);
        check.range("rateLimits.registerPerHour", 1, 100_000);
        check.range("rateLimits.restWritesPerMinute", 1, 100_000);
        check.range("presence.ttlSeconds", 2, 3600);
        check.range("uploads.maxBytes", 1024, MAX_UPLOAD_BYTES);
        check.range("archives.maxBytes", 1024, Integer.MAX_VALUE);
        check.range("archives.maxEntries", 1, 1_000_000);
        check.range("archives.maxEntryBytes", 1024, Integer.MAX_VALUE);
        check.range("archives.maxUncompressedBytes", 1024, Integer.MAX_VALUE);
        check.range("archives.maxRatio", 1, 10_000);
        check.range("archives.maxEvents", 1, 100_000_000);
        check.origins("bridge.allowedOrigins");
        check.url("postgres.url", "postgresql", "postgres");
        check.url("redis.url", "redis", "rediss");
        check.url("http.publicUrl", "http", "https");
        check.url("bridge.publicUrl", "http", "https");
        check.addresses("http.trustedProxies");
        boolean production = merged.getJsonObject("node").getBoolean("production");
        String secret = merged.getJsonObject("jwt").getString("secret");
        if (production && merged.getJsonObject("postgres").getBoolean("embeddedLosesDataOnCrash")) {
            throw new ConfigException(check.where("postgres.embeddedLosesDataOnCrash")
                    + ": production mode keeps the embedded PostgreSQL durable (fsync and synchronous commit on)");
        }
        if (production && secret.length() < MIN_PRODUCTION_SECRET) {
            throw new ConfigException(check.where("jwt.secret") + ": production mode needs a signing key of at least "
                    + MIN_PRODUCTION_SECRET + " characters (set VTT_JWT_SECRET)");
        }
        if (secret.isEmpty() && merged.getJsonObject("cluster").getBoolean("enabled")) {
            // A generated key lives in one node's data folder; the others would refuse its tokens.
            throw new ConfigException(check.where("jwt.secret") + ": a cluster's nodes must share one signing key: "
                    + "set VTT_JWT_SECRET on every node (a node alone makes its own key in its data folder)");
        }
        JsonObject node = merged.getJsonObject("node");
        if (node.getString("id").isBlank()) node.put("id", generatedNodeId());
        if (!node.getString("id").matches("[A-Za-z0-9._-]{1,64}")) {
            throw new ConfigException(check.where("node.id") + ": use 1-64 letters, digits, '.', '_' or '-'");
        }
        merged.put("deploy", plan.toJson());
        return new NodeConfig(merged, plan);
    }

    private static String generatedNodeId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "node";
        }
        host = host.replaceAll("[^A-Za-z0-9-]", "-");
        if (host.length() > 40) host = host.substring(0, 40);
        return host + "-"
                + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
    }

    private static String where(String key, String origin) {
        return origin == null ? key : key + " (from " + origin + ")";
    }

    private static String describe(Object value) {
        return value instanceof String s ? "'" + s + "'" : String.valueOf(value);
    }

    /** Range and format checks that name the key and where its value came from. */
    private record Checker(JsonObject json, Map<String, String> origins) {

        String where(String key) {
            return NodeConfig.where(key, origins.get(key));
        }

        Object value(String key) {
            String[] path = key.split("\\.");
            return json.getJsonObject(path[0]).getValue(path[1]);
        }

        void range(String key, int min, int max) {
            long value = ((Number) value(key)).longValue();
            if (value < min || value > max) {
                throw new ConfigException(where(key) + ": must be between " + min + " and " + max + ", got " + value);
            }
        }

        void members(String key) {
            for (Object member : (JsonArray) value(key)) {
                if (!(member instanceof String text) || !text.matches("[^:\\s]+:\\d{1,5}")) {
                    throw new ConfigException(where(key) + ": each member must be host:port, got " + describe(member));
                }
            }
        }

        /**
         * Other nodes must be told an address they can reach: a clustered node listening on every interface (a pod)
         * needs its public host, and a wildcard is never one.
         */
        void advertisedHost(String hostKey, String publicKey, JsonObject cluster) {
            String publicHost = (String) value(publicKey);
            if (wildcard(publicHost)) {
                throw new ConfigException(
                        where(publicKey) + ": must be an address other nodes can reach, got '" + publicHost + "'");
            }
            if (cluster.getBoolean("enabled") && wildcard((String) value(hostKey)) && publicHost.isEmpty()) {
                throw new ConfigException(where(hostKey) + ": listening on every interface, the node must advertise "
                        + "an address other nodes can reach: set " + publicKey + " (VTT_CLUSTER_PUBLIC_HOST)");
            }
        }

        private static boolean wildcard(String host) {
            return host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]");
        }

        void origins(String key) {
            for (Object origin : (JsonArray) value(key)) {
                if (!(origin instanceof String text) || !text.matches("https?://[^/\\s]+")) {
                    throw new ConfigException(where(key)
                            + ": each origin must be scheme://host[:port] with no path, got " + describe(origin));
                }
            }
        }

        /** IP addresses as written (no host names: a proxy list that needs DNS would change under the node). */
        void addresses(String key) {
            for (Object address : (JsonArray) value(key)) {
                if (!(address instanceof String text)) {
                    throw new ConfigException(where(key) + ": each entry must be an IP address or a CIDR range, got "
                            + describe(address));
                }
                try {
                    AddressRanges.of(List.of(text));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(where(key) + ": " + e.getMessage());
                }
            }
        }

        void url(String key, String... schemes) {
            String text = (String) value(key);
            if (text.isEmpty()) return;
            URI uri;
            try {
                uri = URI.create(text);
            } catch (IllegalArgumentException e) {
                throw new ConfigException(where(key) + ": not a URL");
            }
            if (uri.getScheme() == null || !List.of(schemes).contains(uri.getScheme()) || uri.getHost() == null) {
                throw new ConfigException(
                        where(key) + ": must be a " + String.join(" or ", schemes) + "://host... URL");
            }
        }
    }

    // ---- typed view ----

    public JsonObject json() {
        return json.copy();
    }

    public DeploymentPlan plan() {
        return plan;
    }

    public String nodeId() {
        return section("node").getString("id");
    }

    /** Where backups go: {@code backup.dir}, else {@code backups/} in the data folder. */
    public Path backupDir() {
        String dir = section("backup").getString("dir");
        return dir.isEmpty() ? dataDir().resolve("backups") : Path.of(dir);
    }

    public boolean production() {
        return section("node").getBoolean("production");
    }

    public Path dataDir() {
        return Path.of(section("node").getString("dataDir"));
    }

    public boolean clustered() {
        return section("cluster").getBoolean("enabled");
    }

    public JsonObject section(String name) {
        return json.getJsonObject(name);
    }

    /** A copy with one section's fields replaced; used by the launcher to record the resolved storage URLs. */
    public NodeConfig with(String section, String field, Object value) {
        JsonObject copy = json.copy();
        copy.getJsonObject(section).put(field, value);
        return new NodeConfig(copy, plan);
    }

    /** A copy running another plan (live rescale, tests). */
    public NodeConfig withPlan(DeploymentPlan newPlan) {
        JsonObject copy = json.copy();
        copy.put("deploy", newPlan.toJson());
        return new NodeConfig(copy, newPlan);
    }
}
