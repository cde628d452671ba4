package io.vertable.shared.room;

import java.util.ArrayList;
import java.util.List;

/**
 * Who gets a live message (a drag preview, ping, cursor or measurement) on a scene whose vision is on: the GMs, and
 * each player who sees its point now — the dragged token's new place, the pinged spot, the measurement's start. A
 * drag into the dark or a ping outside a player's sight never reaches them (docs/vision.md).
 */
public final class LiveSight {

    private LiveSight() {}

    /** The players (by user id) who see (x, y) now, the sender left out (their page drew it already). */
    public static List<String> players(Vision vision, String from, double x, double y) {
        List<String> audience = new ArrayList<>();
        for (String userId : vision.players())
            if (!userId.equals(from) && vision.of(userId).sees(x, y)) audience.add(userId);
        return audience;
    }
}
