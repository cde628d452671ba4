package io.vertable.shared.wire;

import io.vertable.shared.VerticleName;

/**
 * Every event-bus address Vertable uses. Browsers may only reach the {@code vtt.in.*} commands and the
 * {@code vtt.room.*} / {@code vtt.user.*} streams; {@code vtt.svc.*} is internal and never bridged.
 */
public final class Addresses {

    /** Prefix of inbound commands a browser may send through the bridge. */
    public static final String INBOUND_PREFIX = "vtt.in.";

    public static final String IN_ROOM = "vtt.in.room";
    public static final String IN_MAP = "vtt.in.map";
    public static final String IN_DICE = "vtt.in.dice";
    public static final String IN_CHAT = "vtt.in.chat";
    public static final String IN_LIVE = "vtt.in.live";

    /** Prefix of internal service addresses; the bridge never lets a browser near them. */
    public static final String INTERNAL_PREFIX = "vtt.svc.";

    /**
     * Published by a service that stops answering some addresses (a room owner that handed its room over, a
     * persistence instance that stopped): {@code {"node": id, "addresses": [...]}}. Senders still waiting on one of
     * them send again at once instead of waiting out their timeout.
     */
    public static final String DEPARTURES = "vtt.svc.departures";

    /** Persistence answers with a trivial database round trip; readiness uses it. */
    public static final String PERSIST_PING = "vtt.svc.persist.ping";

    /** Accounts: register, find for login, get (body {@code {"op": …}}). */
    public static final String PERSIST_ACCOUNTS = "vtt.svc.persist.accounts";

    /** The room event log: load, append (fenced), snapshot, range (body {@code {"op": …}}). */
    public static final String PERSIST_EVENTS = "vtt.svc.persist.events";

    /** Rooms, members and invites (body {@code {"op": …}}). */
    public static final String PERSIST_ROOMS = "vtt.svc.persist.rooms";

    /** Chat history, search and single messages, each filtered for the asking user (body {@code {"op": …}}). */
    public static final String PERSIST_CHAT = "vtt.svc.persist.chat";

    /** Room assets (images): create, list, delete, and get for a member (body {@code {"op": …}}). */
    public static final String PERSIST_ASSETS = "vtt.svc.persist.assets";

    /** Character sheets (body {@code {"op": …}}). */
    public static final String PERSIST_CHARACTERS = "vtt.svc.persist.characters";

    /** Chat commands from browsers, relayed by the bridge node's router with trusted headers. */
    public static final String CHAT_COMMAND = "vtt.svc.chat.command";

    /** Dice commands and character sheets from browsers, relayed like chat. */
    public static final String DICE_COMMAND = "vtt.svc.dice.command";

    /** A stateless roll with its breakdown ({@code {expression, dialect}}), for the REST API. */
    public static final String DICE_ROLL = "vtt.svc.dice.roll";

    /** Published to every bridge instance in the cluster; the message is a {@link BridgeControl}. */
    public static final String BRIDGE_CONTROL = "vtt.svc.bridge.control";

    /** Prefix of the addresses Vert.x uses for replies; browsers may only answer ones delivered to them. */
    public static final String REPLY_PREFIX = "__vertx.reply.";

    private static final String ROOM_PREFIX = "vtt.room.";
    private static final String USER_PREFIX = "vtt.user.";

    private Addresses() {}

    /** Stream every member of the room receives. */
    public static String room(String roomId) {
        return ROOM_PREFIX + roomId;
    }

    /** Stream only the room's GMs receive. */
    public static String roomGm(String roomId) {
        return ROOM_PREFIX + roomId + ".gm";
    }

    /** Stream one user receives. */
    public static String user(String userId) {
        return USER_PREFIX + userId;
    }

    /** Where a verticle kind answers "who are you and where do you run" — used by readiness and the cluster view. */
    public static String status(VerticleName verticle) {
        return INTERNAL_PREFIX + verticle.configName() + ".status";
    }

    /** Asks any map instance to become the owner of a room that has none: {@code {"room": id}}. */
    public static final String MAP_CLAIM = "vtt.svc.map.claim";

    /** The one consumer of a room: its owning map instance (one sequencer per room). */
    public static String roomOwner(String roomId) {
        return INTERNAL_PREFIX + "map.room." + roomId;
    }

    /**
     * Where chat and dice hand finished messages to a room's owner, which rolls their dice, sequences and stores them.
     * Internal, so a browser can never post a message in someone else's name.
     */
    public static String roomPost(String roomId) {
        return roomOwner(roomId) + ".post";
    }

    /**
     * Where the HTTP verticle asks a room's owner what a member may fetch of the room (a map tile); internal, so its
     * answers (asset ids) never reach a browser.
     */
    public static String roomQuery(String roomId) {
        return roomOwner(roomId) + ".query";
    }

    /**
     * Where the bridge hands a room's owner live traffic (drag previews, pings, cursors, rulers) to pass on to those who
     * may see it; internal, so the sender's name and id are the bridge's, never a browser's.
     */
    public static String roomLive(String roomId) {
        return roomOwner(roomId) + ".live";
    }

    /**
     * Where one node answers for itself to operators: {@code {"op":"status"}} (its verticles, sockets, rooms, uptime)
     * and {@code {"op":"rescale","verticle","instances"}}. One consumer per node, so the address names the node.
     */
    public static String nodeAdmin(String nodeId) {
        return INTERNAL_PREFIX + "node." + nodeId + ".admin";
    }

    public static boolean isInternal(String address) {
        return address.startsWith(INTERNAL_PREFIX);
    }
}
