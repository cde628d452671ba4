package io.vertable.bridge;

import io.vertable.security.Identity;
import io.vertable.security.Membership;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.handler.sockjs.SockJSSocket;
import java.util.LinkedHashSet;
import java.util.Set;

/** What the bridge knows about one open socket. Touched only on its verticle's event loop. */
final class SocketState {

    /** Reply addresses a socket may answer, newest kept; more than this in flight is abuse. */
    private static final int MAX_OWNED_REPLIES = 256;

    final SockJSSocket socket;
    final Identity identity;
    final String id;
    /** Most sockets hear a room and their user stream: a small table, not the default sixteen slots. */
    final Set<String> registered = new LinkedHashSet<>(4);
    /** The user's roles, looked up once per room (membership changes close the socket). */
    final Membership.Roles roles;

    /**
     * Streams whose registration is being looked up; an unregister meanwhile takes its address out, and the lookup's
     * end then registers nothing. Made on the first register.
     */
    private Set<String> registering;

    /** Made on the first request delivered to the socket: most never get one. */
    private Set<String> ownedReplies;
    /** The socket's SENDs being decided: each acts once those before it have (frames keep their order). */
    final InOrder<JsonObject> sends = new InOrder<>();
    /** Bytes written to the socket and not yet handed to the network: a reader that stops lets this grow. */
    long queuedBytes;

    SocketState(SockJSSocket socket, Identity identity, String id, Membership.Roles roles) {
        this.socket = socket;
        this.roles = roles;
        this.identity = identity;
        this.id = id;
    }

    void registering(String address) {
        if (registering == null) registering = new LinkedHashSet<>(4);
        registering.add(address);
    }

    /** Whether a registration looked up since is still wanted (no unregister came meanwhile); forgets it either way. */
    boolean stillRegistering(String address) {
        return registering != null && registering.remove(address);
    }

    void own(String replyAddress) {
        if (ownedReplies == null) ownedReplies = new LinkedHashSet<>(4);
        ownedReplies.add(replyAddress);
        if (ownedReplies.size() > MAX_OWNED_REPLIES) {
            ownedReplies.remove(ownedReplies.iterator().next());
        }
    }

    /** True once per reply address that was delivered to this socket. */
    boolean consume(String replyAddress) {
        return ownedReplies != null && ownedReplies.remove(replyAddress);
    }
}
