package io.vertable.bridge;

import io.vertable.security.Identity;
import io.vertable.shared.RoomRole;
import io.vertx.core.Future;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What the bridge knows about one open socket. Touched only on its verticle's event loop. */
final class SocketState {

    /** Reply addresses a socket may answer, newest kept; more than this in flight is abuse. */
    private static final int MAX_OWNED_REPLIES = 256;

    final SockJSSocket socket;
    final Identity identity;
    final String id;
    final Set<String> registered = new LinkedHashSet<>();
    final Map<String, Future<Optional<RoomRole>>> roles = new HashMap<>();
    private final Set<String> ownedReplies = new LinkedHashSet<>();
    /** Completes once the socket's latest SEND has been decided; the next one waits for it (frames keep their order). */
    Future<Void> sendsInOrder = Future.succeededFuture();

    SocketState(SockJSSocket socket, Identity identity, String id) {
        this.socket = socket;
        this.identity = identity;
        this.id = id;
    }

    void own(String replyAddress) {
        ownedReplies.add(replyAddress);
        if (ownedReplies.size() > MAX_OWNED_REPLIES) {
            ownedReplies.remove(ownedReplies.iterator().next());
        }
    }

    /** True once per reply address that was delivered to this socket. */
    boolean consume(String replyAddress) {
        return ownedReplies.remove(replyAddress);
    }
}
