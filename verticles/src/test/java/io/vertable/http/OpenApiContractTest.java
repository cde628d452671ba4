package io.vertable.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.vertable.kit.NodeContext;
import io.vertable.node.Node;
import io.vertable.shared.wire.Addresses;
import io.vertable.shared.wire.ErrorCode;
import io.vertable.testing.Player;
import io.vertable.testing.TestNodes;
import io.vertable.testing.TestStorage;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.RequestValidator;
import io.vertx.openapi.validation.ResponseValidator;
// The validator builds requests only from a server's HttpServerRequest; these build one from what the client sent.
import io.vertx.openapi.validation.ValidatableResponse;
import io.vertx.openapi.validation.impl.RequestParameterImpl;
import io.vertx.openapi.validation.impl.ValidatableRequestImpl;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The REST contract ({@code docs/openapi.yaml}, served at {@code /api/openapi.yaml}) against the node itself: the
 * router and the document name the same routes, and real answers of a running node — sessions, rooms, invites,
 * members, images, chat, sheets, dice, archives, the operator's routes and the errors in between — are checked against
 * the document's schemas by Vert.x's OpenAPI validator, and so is every request the node accepted.
 */
class OpenApiContractTest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final String ADMIN = "root-" + UUID.randomUUID().toString().substring(0, 6);

    static Node node;
    static Vertx vertx;
    static JsonObject document;
    static OpenAPIContract contract;
    static final List<Exchange> exchanges = new ArrayList<>();

    /** One request the scenario made and the answer it got. */
    record Exchange(
            String method,
            String path,
            String requestType,
            byte[] request,
            int status,
            String contentType,
            Map<String, String> headers,
            byte[] body) {
        String describe() {
            String text = new String(body, StandardCharsets.UTF_8);
            return method + " " + path + " -> " + status + " " + contentType + " "
                    + (text.length() > 300 ? text.substring(0, 300) + "…" : text);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        var database = TestStorage.freshDatabase("openapi");
        JsonObject overrides =
                TestNodes.standalone("openapi-node", "http:1,bridge:1,persistence:1,map:1,dice:1,chat:1", database);
        overrides.put("auth", new JsonObject().put("admins", new JsonArray().add(ADMIN)));
        node = Node.start(TestNodes.config(overrides));
        vertx = Vertx.vertx();
        document = yaml(Files.readString(documentFile()));
        contract = OpenAPIContract.from(vertx, forValidator(document.copy())).await(30, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) node.shutdown();
        if (vertx != null) vertx.close().await(10, TimeUnit.SECONDS);
    }

    // ---- the routes ----

    @Test
    void theRouterAndTheDocumentNameTheSameRoutes() {
        Set<String> served = servedRoutes();
        Set<String> documented = documentedRoutes();
        assertThat(served).as("routes the node serves").isNotEmpty();
        assertThat(new TreeSet<>(minus(served, documented)))
                .as("routes the router serves that docs/openapi.yaml does not document")
                .isEmpty();
        assertThat(new TreeSet<>(minus(documented, served)))
                .as("routes docs/openapi.yaml documents that the router does not serve")
                .isEmpty();
    }

    /** Every endpoint of the real router as {@code METHOD /path/{param}}; filters and catch-alls are not endpoints. */
    static Set<String> servedRoutes() {
        var mounted = (HttpVerticle.MountedRouter)
                node.vertx().sharedData().getLocalMap(NodeContext.LOCAL_FACTS).get(HttpVerticle.ROUTER_FACT);
        Set<String> routes = new TreeSet<>();
        for (Route route : mounted.router().getRoutes()) {
            if (route.methods() == null || route.methods().isEmpty()) continue; // every method: a filter
            if (route.getPath() == null) { // a regular expression: no template to compare, so it cannot pass unseen
                route.methods().forEach(method -> routes.add(method.name() + " <a route by regular expression>"));
                continue;
            }
            if (!route.isExactPath()) continue; // a prefix: a filter such as /api/rooms*; a path with :params is exact
            String template = route.getPath().replaceAll(":([A-Za-z0-9_]+)", "{$1}");
            route.methods().forEach(method -> routes.add(method.name() + " " + template));
        }
        return routes;
    }

    static Set<String> documentedRoutes() {
        Set<String> routes = new TreeSet<>();
        JsonObject paths = document.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            for (String key : paths.getJsonObject(path).fieldNames()) {
                if (HTTP_METHODS.contains(key)) routes.add(key.toUpperCase(Locale.ROOT) + " " + path);
            }
        }
        return routes;
    }

    private static final Set<String> HTTP_METHODS =
            Set.of("get", "put", "post", "delete", "patch", "head", "options", "trace");

    private static Set<String> minus(Set<String> a, Set<String> b) {
        return a.stream().filter(x -> !b.contains(x)).collect(Collectors.toSet());
    }

    // ---- the document ----

    @Test
    void theNodeServesTheDocumentWithTheEdgeHeaders() throws Exception {
        HttpResponse<String> served = send("GET", HttpVerticle.OPENAPI_PATH, null, null, null);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.headers().firstValue("content-type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/yaml"));
        assertThat(served.body()).isEqualTo(Files.readString(documentFile()));
        assertThat(served.headers().firstValue("Content-Security-Policy"))
                .hasValueSatisfying(policy -> assertThat(policy).contains("frame-ancestors 'none'"));
        assertThat(served.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(document.getString("openapi")).startsWith("3.1.");
        assertThat(contract.operations())
                .as("every documented route is an operation")
                .hasSize(documentedRoutes().size());
    }

    /** The image is built from the repository minus .dockerignore; without the document its node cannot start. */
    @Test
    void theImageIsBuiltWithTheDocument() throws IOException {
        boolean sent = true;
        for (String line : Files.readAllLines(Path.of("..", ".dockerignore"))) {
            String pattern = line.strip();
            if (pattern.isEmpty() || pattern.startsWith("#")) continue;
            boolean exception = pattern.startsWith("!");
            String path = exception ? pattern.substring(1) : pattern;
            // Plain paths only (a pattern with wildcards never names the document here); the last match wins.
            if (DOCUMENT.equals(path) || DOCUMENT.startsWith(path + "/")) sent = exception;
        }
        assertThat(sent)
                .as(".dockerignore keeps " + DOCUMENT + " in the build context")
                .isTrue();
    }

    private static final String DOCUMENT = "docs/openapi.yaml";

    @Test
    void theProblemCodesAreTheCatalogs() {
        JsonArray documented = document.getJsonObject("components")
                .getJsonObject("schemas")
                .getJsonObject("Problem")
                .getJsonObject("properties")
                .getJsonObject("code")
                .getJsonArray("enum");
        assertThat(documented.stream().map(String::valueOf).sorted().toList())
                .isEqualTo(Arrays.stream(ErrorCode.values())
                        .map(Enum::name)
                        .sorted()
                        .toList());
    }

    // ---- real answers ----

    @Test
    void realAnswersMatchTheDocumentedSchemas() throws Exception {
        playTheScenario();
        ResponseValidator validator = ResponseValidator.create(vertx, contract);
        RequestValidator requests = RequestValidator.create(vertx, contract);
        List<String> failures = new ArrayList<>();
        Set<String> exercised = new TreeSet<>();
        for (Exchange exchange : exchanges) {
            String path = exchange.path().replaceFirst("\\?.*", "");
            Operation operation = contract.findOperation(path, HttpMethod.valueOf(exchange.method()));
            if (operation == null) {
                if (!isNotFound(exchange)) failures.add("no documented operation for " + exchange.describe());
                continue;
            }
            exercised.add(exchange.method() + " " + operation.getOpenAPIPath());
            String problem = check(validator, operation, exchange);
            if (problem == null && exchange.status() < 300) problem = checkRequest(requests, operation, exchange);
            if (problem != null)
                failures.add(operation.getOperationId() + ": " + problem + "\n    " + exchange.describe());
        }
        assertThat(failures).as("answers that do not match docs/openapi.yaml").isEmpty();
        assertThat(new TreeSet<>(minus(documentedRoutes(), exercised)))
                .as("documented routes the scenario never called")
                .isEmpty();
    }

    /** What an undocumented path gets: the catalog's NOT_FOUND problem. */
    private static boolean isNotFound(Exchange exchange) {
        return exchange.status() == 404
                && "application/problem+json".equals(exchange.contentType())
                && "NOT_FOUND".equals(json(exchange).getString("code"));
    }

    /** Why the answer does not match its operation's documented response, or null when it does. */
    private static String check(ResponseValidator validator, Operation operation, Exchange exchange) {
        JsonObject responses = document.getJsonObject("paths")
                .getJsonObject(operation.getOpenAPIPath())
                .getJsonObject(exchange.method().toLowerCase(Locale.ROOT))
                .getJsonObject("responses");
        JsonObject response = resolve(responses.getJsonObject(String.valueOf(exchange.status())));
        if (response == null) return "status " + exchange.status() + " is not documented";
        JsonObject content = response.getJsonObject("content", new JsonObject());
        String type = exchange.contentType();
        boolean hasBody = exchange.body().length > 0;
        if (content.isEmpty() && hasBody) return "a body the document does not describe";
        if (!content.isEmpty()) {
            if (type == null) return "no content type";
            String base = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
            String documented = content.fieldNames().stream()
                    .filter(range -> matches(range, base))
                    .findFirst()
                    .orElse(null);
            if (documented == null) return "content type " + type + " is not one of " + content.fieldNames();
            type = validatorType(documented);
        }
        try {
            validator
                    .validate(
                            ValidatableResponse.create(
                                    exchange.status(),
                                    exchange.headers(),
                                    hasBody && type != null ? Buffer.buffer(exchange.body()) : null,
                                    hasBody ? type : null),
                            operation.getOperationId())
                    .await(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /**
     * Why a request the node accepted is not one the document accepts (its path and query parameters and its body),
     * or null. Refused requests are not checked: the scenario sends some bad ones on purpose.
     */
    private static String checkRequest(RequestValidator validator, Operation operation, Exchange exchange) {
        RequestParameter body =
                new RequestParameterImpl(exchange.request() == null ? null : Buffer.buffer(exchange.request()));
        var request = new ValidatableRequestImpl(
                Map.of(),
                Map.of(),
                pathParameters(operation, exchange),
                queryParameters(exchange),
                body,
                requestTypeForValidator(exchange.requestType()));
        try {
            validator.validate(request, operation.getOperationId()).await(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return "the request does not match: " + e.getMessage();
        }
    }

    /** A request's type as the validator knows it (see {@link #forValidator}); JSON and multipart as sent. */
    private static String requestTypeForValidator(String type) {
        if (type == null) return null;
        String base = type.split(";")[0].trim().toLowerCase(Locale.ROOT);
        return validatorType(base).equals("application/octet-stream") ? "application/octet-stream" : type;
    }

    /** The path's values by the names of the operation's template, e.g. {@code roomId}. */
    private static Map<String, RequestParameter> pathParameters(Operation operation, Exchange exchange) {
        String[] template = operation.getOpenAPIPath().split("/");
        String[] actual = exchange.path().replaceFirst("\\?.*", "").split("/");
        Map<String, RequestParameter> path = new java.util.HashMap<>();
        for (int i = 0; i < template.length; i++) {
            if (template[i].startsWith("{"))
                path.put(template[i].substring(1, template[i].length() - 1), parameter(actual[i]));
        }
        return path;
    }

    private static Map<String, RequestParameter> queryParameters(Exchange exchange) {
        Map<String, RequestParameter> query = new java.util.HashMap<>();
        int mark = exchange.path().indexOf('?');
        if (mark < 0) return query;
        for (String pair : exchange.path().substring(mark + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            String value = kv.length > 1 ? java.net.URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            query.put(kv[0], parameter(value));
        }
        return query;
    }

    private static RequestParameter parameter(String value) {
        return new RequestParameterImpl(value);
    }

    private static boolean matches(String range, String type) {
        if (range.endsWith("/*")) return type.startsWith(range.substring(0, range.length() - 1));
        return range.equalsIgnoreCase(type);
    }

    // ---- the validator's view of the document ----

    /**
     * The document as Vert.x's OpenAPI validator (5.0) reads it. It knows {@code application/json} but not its
     * {@code +json} relatives such as RFC 9457's {@code application/problem+json}, and no image, page or YAML types,
     * so those are shown to it as what they are to a validator: JSON with the same schema, or bytes without one.
     * The test checks the real content type against the document's own before it hands a body over.
     */
    static JsonObject forValidator(JsonObject openapi) {
        JsonObject paths = openapi.getJsonObject("paths");
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!HTTP_METHODS.contains(method)) continue;
                JsonObject operation = item.getJsonObject(method);
                JsonObject body = operation.getJsonObject("requestBody");
                if (body != null) adapt(body);
                operation.getJsonObject("responses").forEach(response -> adapt((JsonObject) response.getValue()));
            }
        }
        JsonObject shared = openapi.getJsonObject("components").getJsonObject("responses", new JsonObject());
        shared.forEach(response -> adapt((JsonObject) response.getValue()));
        return openapi;
    }

    /** A request body or response: its media types as above; header names in lower case, as the validator looks them up. */
    private static void adapt(JsonObject bodyOrResponse) {
        if (bodyOrResponse.containsKey("content"))
            bodyOrResponse.put("content", normalized(bodyOrResponse.getJsonObject("content")));
        JsonObject headers = bodyOrResponse.getJsonObject("headers");
        if (headers != null) {
            JsonObject lower = new JsonObject();
            headers.forEach(header -> lower.put(header.getKey().toLowerCase(Locale.ROOT), header.getValue()));
            bodyOrResponse.put("headers", lower);
        }
    }

    private static JsonObject normalized(JsonObject content) {
        JsonObject result = new JsonObject();
        content.forEach(
                entry -> result.put(validatorType(entry.getKey()), validatorMedia(entry.getKey(), entry.getValue())));
        return result;
    }

    private static String validatorType(String documented) {
        if (documented.equals("application/json") || documented.endsWith("+json")) return "application/json";
        if (documented.equals("multipart/form-data")) return documented;
        return "application/octet-stream";
    }

    private static Object validatorMedia(String documented, Object media) {
        return validatorType(documented).equals("application/octet-stream") ? new JsonObject() : media;
    }

    /** A response object, following a {@code $ref} to the shared responses. */
    private static JsonObject resolve(JsonObject response) {
        if (response == null || !response.containsKey("$ref")) return response;
        String name = response.getString("$ref").replaceFirst("^#/components/responses/", "");
        return document.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
    }

    // ---- the scenario ----

    /** A GM and guests play a room through the REST API, with the refusals one meets on the way. */
    private static void playTheScenario() throws Exception {
        call("GET", "/health/live", null, null);
        call("GET", "/health/ready", null, null);
        call("GET", "/metrics", null, null);
        call("GET", "/api/config", null, null);
        call("GET", HttpVerticle.OPENAPI_PATH, null, null);

        // Accounts and sessions.
        String gmName = "gm-" + UUID.randomUUID().toString().substring(0, 8);
        JsonObject gm = json(
                call("POST", "/api/auth/register", null, credentials(gmName).put("displayName", "Gail")));
        call("POST", "/api/auth/register", null, credentials(gmName).put("displayName", "Gail again"));
        call("POST", "/api/auth/register", null, new JsonObject().put("username", "x"));
        call("POST", "/api/auth/register", null, "not json");
        String loggedIn =
                json(call("POST", "/api/auth/login", null, credentials(gmName))).getString("token");
        call(
                "POST",
                "/api/auth/login",
                null,
                new JsonObject().put("username", gmName).put("password", "wrong one!"));
        call("GET", "/api/me", loggedIn, null);
        call("GET", "/api/me", null, null);
        call("GET", "/api/me", "not-a-token", null);
        String gmToken = json(call("POST", "/api/auth/refresh", loggedIn, null)).getString("token");
        String spare = json(call(
                        "POST",
                        "/api/auth/register",
                        null,
                        credentials("spare-" + gmName).put("displayName", "Spare")))
                .getString("token");
        call("POST", "/api/auth/logout", spare, null);
        call("GET", "/api/me", spare, null);
        String adminToken = json(call(
                        "POST", "/api/auth/register", null, credentials(ADMIN).put("displayName", "Root")))
                .getString("token");
        assertThat(gm.getJsonObject("user").getString("id")).isNotNull();

        // A room.
        JsonObject room = json(call("POST", "/api/rooms", gmToken, new JsonObject().put("name", "Crypt")));
        String roomId = room.getString("id");
        String rooms = "/api/rooms/" + roomId;
        call("POST", "/api/rooms", gmToken, new JsonObject());
        call("GET", "/api/rooms", gmToken, null);
        call("GET", "/api/rooms", null, null);
        call("GET", rooms, gmToken, null);
        call("GET", "/api/rooms/nope", gmToken, null);
        call("PATCH", rooms, gmToken, new JsonObject().put("name", "The Crypt"));
        call("PATCH", rooms, gmToken, new JsonObject());
        playAtTheTable(gm.getJsonObject("user").getString("id"), gmToken, roomId);
        await().atMost(Duration.ofSeconds(30)).until(() -> !json(call("GET", rooms + "/events?from=1", gmToken, null))
                .getJsonArray("events")
                .isEmpty());

        // Invites and members.
        JsonObject invite = json(call(
                "POST",
                rooms + "/invites",
                gmToken,
                new JsonObject().put("role", "PLAYER").put("maxUses", 5)));
        String code = invite.getString("code");
        call("POST", rooms + "/invites", gmToken, new JsonObject().put("role", "KING"));
        call("GET", rooms + "/invites", gmToken, null);
        call("GET", "/api/invites/" + code, null, null);
        call("GET", "/api/invites/NOSUCHCODE", null, null);
        HttpResponse<byte[]> joined = exchange(
                "POST",
                "/api/invites/" + code + "/accept",
                null,
                "application/json",
                new JsonObject().put("displayName", "Pip").encode().getBytes(StandardCharsets.UTF_8),
                null);
        JsonObject pip = new JsonObject(new String(joined.body(), StandardCharsets.UTF_8));
        String pipToken = pip.getString("token");
        String pipId = pip.getJsonObject("user").getString("id");
        String deviceCookie = joined.headers().allValues("set-cookie").stream()
                .map(cookie -> cookie.split(";")[0])
                .filter(cookie -> cookie.startsWith("vtt_device="))
                .findFirst()
                .orElseThrow();
        call("POST", "/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", ""));
        String neddToken = json(call(
                        "POST", "/api/invites/" + code + "/accept", null, new JsonObject().put("displayName", "Nedd")))
                .getString("token");
        String neddId = json(call("GET", "/api/me", neddToken, null)).getString("id");
        json(call("POST", "/api/invites/" + code + "/accept", gmToken, new JsonObject()));
        call("GET", rooms + "/roster", pipToken, null);
        call("GET", rooms + "/members", gmToken, null);
        call("GET", rooms + "/members", pipToken, null);
        call("PATCH", rooms + "/members/" + pipId, gmToken, new JsonObject().put("role", "OBSERVER"));
        call("PATCH", rooms + "/members/" + pipId, gmToken, new JsonObject().put("role", "PLAYER"));
        call("PATCH", rooms + "/members/" + pipId, pipToken, new JsonObject().put("role", "GM"));
        // A guest's way back (the device cookie), then the GM signs that guest's browsers out.
        String cookieAgain =
                exchange("POST", "/api/auth/device", null, null, null, deviceCookie)
                        .headers()
                        .allValues("set-cookie")
                        .stream()
                        .map(cookie -> cookie.split(";")[0])
                        .findFirst()
                        .orElseThrow();
        call("DELETE", rooms + "/members/" + pipId + "/devices", gmToken, null);
        exchange("POST", "/api/auth/device", null, null, null, cookieAgain);
        call("DELETE", rooms + "/members/" + neddId + "?ban=true", gmToken, null);
        call("GET", rooms, neddToken, null);
        call("DELETE", rooms + "/bans/" + neddId, gmToken, null);
        call("DELETE", rooms + "/invites/" + code, gmToken, null);

        // Guests' way back, and a guest who becomes an account.
        exchange("POST", "/api/auth/device", null, null, null, null);
        exchange("DELETE", "/api/auth/device", null, null, null, "vtt_device=unknown");
        String pipName = "pip-" + UUID.randomUUID().toString().substring(0, 8);
        call("POST", "/api/auth/claim", pipToken, credentials(pipName));
        call(
                "POST",
                "/api/auth/claim",
                pipToken,
                new JsonObject().put("username", "pip2").put("password", "short"));

        // Images.
        String assetId = json(upload(roomId, gmToken, png())).getString("id");
        upload(roomId, gmToken, "plain text, not an image".getBytes(StandardCharsets.UTF_8));
        upload(roomId, pipToken, png());
        call("GET", rooms + "/assets", gmToken, null);
        call("GET", "/api/assets/" + assetId, pipToken, null);
        call("GET", "/api/assets/" + UUID.randomUUID(), pipToken, null);
        String tiles = rooms + "/scenes/" + showMap(gm.getJsonObject("user").getString("id"), gmToken, roomId, assetId)
                + "/tiles/";
        call("GET", tiles + "0/0", gmToken, null);
        call("GET", tiles + "0/0", pipToken, null);
        call("GET", tiles + "40/0", pipToken, null);

        // Chat, sheets and dice.
        call("GET", rooms + "/chat", pipToken, null);
        call("GET", rooms + "/chat?limit=x", pipToken, null);
        call("GET", rooms + "/chat/search?q=hello", pipToken, null);
        JsonObject sheet = json(call(
                "POST",
                rooms + "/characters",
                gmToken,
                new JsonObject()
                        .put("name", "Warden")
                        .put("ownerId", pipId)
                        .put("attributes", new JsonObject().put("wis", 4))));
        String sheetId = sheet.getString(
                "id", sheet.getJsonObject("character", new JsonObject()).getString("id"));
        call("GET", rooms + "/characters", pipToken, null);
        call("GET", rooms + "/characters/" + sheetId, pipToken, null);
        call("PATCH", rooms + "/characters/" + sheetId, pipToken, new JsonObject().put("notes", "Guards the crypt."));
        call("POST", rooms + "/characters", gmToken, new JsonObject().put("name", ""));
        call("GET", rooms + "/dice/stats", gmToken, null);
        call("GET", rooms + "/dice/stats", pipToken, null);
        call("POST", "/api/dice/roll", null, new JsonObject().put("expression", "4d6k3"));
        call("POST", "/api/dice/roll", null, new JsonObject().put("expression", "4d"));

        // The log, replay and archives.
        call("GET", rooms + "/events?from=1", gmToken, null);
        call("GET", rooms + "/events?from=-1", gmToken, null);
        call("GET", rooms + "/state", gmToken, null);
        byte[] archive = call("GET", rooms + "/export", gmToken, null).body();
        exchange("POST", "/api/rooms/import", gmToken, "application/zip", archive, null);
        JsonObject exported = json(call("GET", rooms + "/export?format=json", gmToken, null));
        call("POST", "/api/rooms/import", gmToken, exported);
        call("POST", "/api/rooms/import", gmToken, new JsonObject().put("format", "nope"));
        call("DELETE", rooms + "/assets/" + assetId, gmToken, null);

        // The operator's routes.
        call("GET", "/api/admin/cluster", adminToken, null);
        call("GET", "/api/admin/cluster", pipToken, null);
        call("PUT", "/api/admin/nodes/openapi-node/verticles/chat", adminToken, new JsonObject().put("instances", 1));
        call("PUT", "/api/admin/nodes/openapi-node/verticles/nope", adminToken, new JsonObject().put("instances", 1));

        // Pages and unknown routes.
        call("GET", "/join/" + code, null, null);
        call("GET", "/api/nope", null, null);
        call("DELETE", rooms + "?name=wrong", gmToken, null);
        call("DELETE", rooms + "?name=The%20Crypt", gmToken, null);
    }

    /** The GM sets a scene with a token over the bridge and rolls in the chat, so the log and the chat hold something. */
    private static void playAtTheTable(String gmId, String gmToken, String roomId) {
        try (var gm = new Player(node.vertx(), node.bridgePort(), gmToken, gmId, roomId, true)) {
            gm.join();
            gm.ok(Addresses.IN_MAP, new JsonObject().put("op", "scene.create").put("name", "Crypt"));
            gm.createTokenOnActiveScene("Skeleton");
            gm.ok(Addresses.IN_CHAT, new JsonObject().put("op", "send").put("text", "hello, I hit [[1d20+4]]"));
        }
    }

    /** The GM shows a scene whose map is the room's image; its id. */
    private static String showMap(String gmId, String gmToken, String roomId, String assetId) {
        try (var gm = new Player(node.vertx(), node.bridgePort(), gmToken, gmId, roomId, true)) {
            gm.join();
            gm.ok(
                    Addresses.IN_MAP,
                    new JsonObject()
                            .put("op", "scene.create")
                            .put("name", "Map")
                            .put("image", assetId));
            return gm.ok(Addresses.IN_ROOM, new JsonObject().put("op", "join"))
                    .getJsonObject("view")
                    .getString("activeScene");
        }
    }

    private static JsonObject credentials(String username) {
        return new JsonObject().put("username", username).put("password", "a long enough secret");
    }

    private static JsonObject json(Exchange exchange) {
        return new JsonObject(new String(exchange.body(), StandardCharsets.UTF_8));
    }

    /** @param body a JsonObject, a raw string, or null */
    private static Exchange call(String method, String path, String token, Object body) throws Exception {
        byte[] bytes = body == null
                ? null
                : (body instanceof JsonObject json ? json.encode() : body.toString()).getBytes(StandardCharsets.UTF_8);
        exchange(method, path, token, bytes == null ? null : "application/json", bytes, null);
        return exchanges.get(exchanges.size() - 1);
    }

    /**
     * The image as a part of type application/octet-stream, as a browser sends a file it cannot type: the node types
     * it by its bytes, and Vert.x's validator reads octet-stream parts (not image ones).
     */
    private static Exchange upload(String roomId, String token, byte[] content) throws Exception {
        String boundary = "----vtt" + UUID.randomUUID().toString().replace("-", "");
        var body = new ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"map.png\"\r\n"
                        + "Content-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        exchange(
                "POST",
                "/api/rooms/" + roomId + "/assets",
                token,
                "multipart/form-data; boundary=" + boundary,
                body.toByteArray(),
                null);
        return exchanges.get(exchanges.size() - 1);
    }

    private static HttpResponse<byte[]> exchange(
            String method, String path, String token, String contentType, byte[] body, String cookie) throws Exception {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(30))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) request.header("content-type", contentType);
        if (token != null) request.header("authorization", "Bearer " + token);
        if (cookie != null) request.header("cookie", cookie);
        HttpResponse<byte[]> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, String> headers = new java.util.HashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
        exchanges.add(new Exchange(
                method,
                path,
                contentType,
                body,
                response.statusCode(),
                response.headers().firstValue("content-type").orElse(null),
                headers,
                response.body()));
        return response;
    }

    private static HttpResponse<String> send(String method, String path, String token, String type, String body)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.httpPort() + path))
                .timeout(Duration.ofSeconds(15))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (type != null) request.header("content-type", type);
        if (token != null) request.header("authorization", "Bearer " + token);
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] png() throws IOException {
        BufferedImage image = new BufferedImage(4, 3, BufferedImage.TYPE_INT_RGB);
        var out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
    }

    // ---- files ----

    /** The document as the repository holds it (tests run in the verticles module). */
    static Path documentFile() {
        Path file = Path.of("..", "docs", "openapi.yaml");
        assertThat(file).as("docs/openapi.yaml").exists();
        return file;
    }

    static JsonObject yaml(String text) throws IOException {
        Object tree = new ObjectMapper(new YAMLFactory()).readValue(text, Object.class);
        return JsonObject.mapFrom(tree);
    }
}
