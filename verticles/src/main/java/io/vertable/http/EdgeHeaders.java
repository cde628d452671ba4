package io.vertable.http;

import io.vertable.kit.AddressRanges;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.HostAndPort;
import io.vertx.ext.web.RoutingContext;
import java.net.URI;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * What every HTTP answer of the node carries, and who is asking: the first handler of the router.
 *
 * <ul>
 *   <li>Security headers: a Content-Security-Policy that allows only this node's own scripts (no inline script, no
 *       eval), the bridge as the one other place the page may connect to, no framing; no referrer (invite links carry
 *       their code in the path); no type sniffing; HSTS when the public URL is https. Routes with stricter needs (an
 *       uploaded image) set their own policy after this.
 *   <li>The client's address: the socket's peer, or — only when that peer is a listed reverse proxy (an address or a
 *       CIDR range) — the nearest
 *       address in {@code X-Forwarded-For} that is not one of the proxies. A header from anyone else is ignored, so
 *       per-IP limits cannot be dodged by forging it.
 * </ul>
 */
final class EdgeHeaders {

    /** Where the client's address is kept in the routing context; read it through {@link Api#clientIp}. */
    static final String CLIENT_IP = "vertable.clientIp";

    private final AddressRanges trustedProxies;
    private final String bridgeUrl;
    private final boolean https;
    private final IntSupplier bridgePort;

    /**
     * @param bridgeUrl where browsers open bridge sockets when it is fixed by configuration, else null
     * @param bridgePort the port of this node's bridge, when browsers reach it directly on the page's host
     */
    EdgeHeaders(JsonObject http, String bridgeUrl, IntSupplier bridgePort) {
        this.trustedProxies = AddressRanges.of(http.getJsonArray("trustedProxies").stream()
                .map(String.class::cast)
                .toList());
        this.bridgeUrl = bridgeUrl;
        this.https = http.getString("publicUrl").startsWith("https:");
        this.bridgePort = bridgePort;
    }

    void handle(RoutingContext ctx) {
        ctx.put(CLIENT_IP, clientAddress(ctx));
        var headers = ctx.response().headers();
        headers.set("Content-Security-Policy", policy(ctx));
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("X-Frame-Options", "DENY");
        headers.set("Cross-Origin-Opener-Policy", "same-origin");
        if (https) headers.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
        ctx.next();
    }

    private String policy(RoutingContext ctx) {
        return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' blob: data:; "
                + "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self' " + String.join(" ", bridge(ctx))
                + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
    }

    /** The bridge's origins as CSP sources: its HTTP origin (SockJS fallbacks) and the WebSocket one. */
    private List<String> bridge(RoutingContext ctx) {
        if (bridgeUrl != null) {
            URI uri = URI.create(bridgeUrl);
            String authority = uri.getRawAuthority();
            boolean secure = "https".equals(uri.getScheme());
            return List.of(uri.getScheme() + "://" + authority, (secure ? "wss://" : "ws://") + authority);
        }
        HostAndPort asked = ctx.request().authority();
        String host = asked == null ? "127.0.0.1" : asked.host();
        if (host.contains(":") && !host.startsWith("[")) host = "[" + host + "]";
        boolean secure = ctx.request().isSSL();
        String authority = host + ":" + bridgePort.getAsInt();
        return List.of((secure ? "https://" : "http://") + authority, (secure ? "wss://" : "ws://") + authority);
    }

    private String clientAddress(RoutingContext ctx) {
        var peer = ctx.request().remoteAddress();
        String address = peer == null ? "unknown" : peer.host();
        if (!trustedProxies.contains(address)) return address;
        List<String> forwarded = ctx.request().headers().getAll("X-Forwarded-For");
        // Right to left: the nearest hop first; each trusted proxy vouches for the one before it.
        List<String> hops = forwarded.stream()
                .flatMap(value -> java.util.Arrays.stream(value.split(",")))
                .map(String::trim)
                .filter(hop -> !hop.isEmpty())
                .toList();
        for (int i = hops.size() - 1; i >= 0; i--) {
            String hop = hops.get(i);
            if (!trustedProxies.contains(hop)) return hop.length() > 64 ? hop.substring(0, 64) : hop;
        }
        return address;
    }
}
