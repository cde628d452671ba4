package io.vertable.shared.wire;

/**
 * The whole timeout budget in one place. Failover is correct only if the inner waits end before the outer ones: a
 * browser's command goes bridge → router → room owner → store, and each layer must give up (and answer with a catalog
 * code) before the layer around it does, so the browser always hears why. {@code DeadlinesTest} checks the order.
 */
public final class Deadlines {

    /**
     * One call to a persistence store (membership, append, load…); the innermost wait. An append takes milliseconds;
     * one unanswered this long was most likely dropped by a stopping persistence instance, and the owner steps down so
     * the client's resend (same cid) reaches a fresh owner before the router gives up.
     */
    public static final long STORE_CALL_MS = 5_000;

    /** One try at a room's owner before asking for a claim and trying again; outlived by a store call on purpose. */
    public static final long OWNER_FORWARD_MS = 4_000;

    /** Asking any map instance to claim an ownerless room: it loads the room, so longer than one store call. */
    public static final long CLAIM_MS = 6_000;

    /**
     * How long a map instance tries for a room's lock. Short: a lock that is taken means the room has an owner or is
     * being claimed, and the caller does better to send to the owner address again than to wait here (a 2 s wait was
     * most of a room's pause in a rescale). A dead owner's lock frees only when its member leaves, seconds later, and
     * the callers keep claiming until their own deadline anyway.
     */
    public static final long ROOM_LOCK_MS = 250;

    /**
     * What a room claim may spend past {@link #ROOM_LOCK_MS}: the answer to its last lock attempt, then the record of
     * who holds the room (cluster-map calls that take milliseconds when the cluster is well). A claim ends by both
     * together, whatever Hazelcast does; an owner letting go waits this long for its record's erasure, then frees the
     * lock anyway.
     */
    public static final long ROOM_CLAIM_GRACE_MS = 500;

    /**
     * How long a room's owner waits for the cluster to take (or drop) its addresses. Each is a Hazelcast call made on
     * the worker pool, queued one after another per map instance: milliseconds when the cluster is well (at most 73 ms
     * in a rescale on a busy test machine), without end when a half-split cluster or a full worker pool holds them. An
     * owner not on its addresses by then drops them, lets the room go and its claim fails like a refused one; an owner
     * letting go stops waiting and carries on (its addresses are gone from this node at once, from the cluster when it
     * answers again). Generous, because a claim given up by mistake adds its removals to the same queue; so a claim
     * whose load also took a whole store call may outlast the asker's {@link #CLAIM_MS}, but still ends inside the
     * router's {@link #ROUTE_MS}, and the router's next claim finds the room free.
     */
    public static final long ROOM_ADDRESSES_MS = 1_000;

    /** Chat and dice handing a finished message to the room's owner, retries included. */
    public static final long ROOM_POST_MS = 7_000;

    /** The bridge node's router relaying a command (to the owner, or to chat and dice), retries included. */
    public static final long ROUTE_MS = 8_000;

    /** The bridge's wait for a reply to a browser's send; after the router has given up, so it never fires first. */
    public static final long BRIDGE_REPLY_MS = 10_000;

    /** The browser's own request timeout (webroot/src/table/bus.js REQUEST_TIMEOUT_MS): the outermost wait. */
    public static final long CLIENT_REQUEST_MS = 10_000;

    /** Readiness asks each service for a trivial answer; a probe must answer well inside the orchestrator's timeout. */
    public static final long READINESS_CHECK_MS = 2_000;

    /** An operator's status question to one node. */
    public static final long NODE_STATUS_MS = 3_000;

    /** An operator's rescale: undeploying and deploying verticles takes a while. */
    public static final long NODE_RESCALE_MS = 60_000;

    /** One Redis call on a request's path (rate limits, revocations); past it, the node decides locally. */
    public static final long REDIS_CALL_MS = 250;

    private Deadlines() {}
}
