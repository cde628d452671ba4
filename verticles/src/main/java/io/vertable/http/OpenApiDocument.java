package io.vertable.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The REST contract as shipped in the jar ({@code openapi.yaml}, copied from {@code docs/openapi.yaml}). */
final class OpenApiDocument {

    /** The classpath name of the document. */
    static final String RESOURCE = "openapi.yaml";

    private final Buffer document = read();

    void serve(RoutingContext ctx) {
        ctx.response()
                .putHeader("content-type", "application/yaml; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .end(document);
    }

    static Buffer read() {
        try (InputStream in = OpenApiDocument.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
