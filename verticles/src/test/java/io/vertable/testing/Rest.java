package io.vertable.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A JSON REST client for one node, as a browser's fetch would use it. */
public final class Rest {

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final int port;

    public Rest(int port) {
        this.port = port;
    }

    /** A response: status, parsed body (empty object when none), and the raw response. */
    public record Reply(int status, JsonObject body, HttpResponse<String> raw) {
        public String code() {
            return body.getString("code");
        }

        public String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    public Reply get(String path, String token) {
        return send("GET", path, token, null);
    }

    public Reply post(String path, String token, Object body) {
        return send("POST", path, token, body);
    }

    public Reply patch(String path, String token, Object body) {
        return send("PATCH", path, token, body);
    }

    public Reply delete(String path, String token) {
        return send("DELETE", path, token, null);
    }

    /** A POST with a Cookie header and no token, as a browser sends its HttpOnly cookie. */
    public Reply postWithCookie(String path, String cookie) {
        return withCookie("POST", path, cookie);
    }

    public Reply deleteWithCookie(String path, String cookie) {
        return withCookie("DELETE", path, cookie);
    }

    private Reply withCookie(String method, String path, String cookie) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (cookie != null) request.header("cookie", cookie);
        return exchange(request, method, path);
    }

    /** @param body a JsonObject, a raw String, or null */
    public Reply send(String method, String path, String token, Object body) {
        return send(method, path, token, body, Duration.ofSeconds(15));
    }

    /** The same with its own deadline, for calls that wait on long work (a rescale hands rooms over first). */
    public Reply send(String method, String path, String token, Object body, Duration timeout) {
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(timeout)
                .header("content-type", "application/json")
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString(
                                        body instanceof JsonObject json ? json.encode() : body.toString()));
        if (token != null) request.header("authorization", "Bearer " + token);
        return exchange(request, method, path);
    }

    /** Uploads an image to a room as a browser's FormData does (the GM's token); the stored asset's id. */
    public String uploadImage(String roomId, String token, String filename, byte[] content) {
        String boundary = "----vtt" + java.util.UUID.randomUUID().toString().replace("-", "");
        var body = new java.io.ByteArrayOutputStream();
        body.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                        + "\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        body.writeBytes(content);
        body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        String path = "/api/rooms/" + roomId + "/assets";
        var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(15))
                .header("authorization", "Bearer " + token)
                .header("content-type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()));
        Reply reply = exchange(request, "POST", path);
        if (reply.status() != 201)
            throw new IllegalStateException("upload refused: " + reply.body().encode());
        return reply.body().getString("id");
    }

    private Reply exchange(HttpRequest.Builder request, String method, String path) {
        try {
            HttpResponse<String> response = CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String text = response.body();
            JsonObject json =
                    text == null || text.isBlank() || !text.startsWith("{") ? new JsonObject() : new JsonObject(text);
            return new Reply(response.statusCode(), json, response);
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
