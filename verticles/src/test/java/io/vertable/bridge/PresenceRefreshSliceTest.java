package io.vertable.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The presence refresh goes a slice of the rooms at a time, and still reaches every entry once per period. */
class PresenceRefreshSliceTest {

    /** 150 rooms of six, as a bridge node in the W1 benchmark holds them. */
    private static List<String[]> entries() {
        List<String[]> entries = new ArrayList<>();
        for (int room = 0; room < 150; room++) {
            String roomId = UUID.nameUUIDFromBytes(("room-" + room).getBytes()).toString();
            for (int user = 0; user < 6; user++) {
                entries.add(new String[] {roomId, "user-" + room + "-" + user, "socket-" + room + "-" + user});
            }
        }
        return entries;
    }

    @Test
    void everyEntryIsRefreshedOncePerPeriodWithItsRoom() {
        List<String[]> all = entries();
        Map<String, Integer> refreshed = new HashMap<>();
        Map<String, Set<Long>> ticksOfRoom = new HashMap<>();
        long firstTick = 7; // the timer's count goes on; any run of consecutive ticks covers every slice
        for (long tick = firstTick; tick < firstTick + Presence.REFRESH_SLICES; tick++) {
            for (String[] entry : Presence.slice(all, tick)) {
                refreshed.merge(entry[2], 1, Integer::sum);
                ticksOfRoom.computeIfAbsent(entry[0], room -> new HashSet<>()).add(tick);
            }
        }
        assertThat(refreshed).hasSize(all.size());
        assertThat(refreshed.values()).allMatch(times -> times == 1);
        // A room's entries go together: its expired entries are dropped once, after its own are refreshed.
        assertThat(ticksOfRoom.values()).allMatch(ticks -> ticks.size() == 1);
    }

    @Test
    void noTickRefreshesMostOfTheRooms() {
        List<String[]> all = entries();
        for (long tick = 0; tick < Presence.REFRESH_SLICES; tick++) {
            // A tenth on average; before, every tick sent all of them (2,700 Redis commands for these 900 sockets).
            assertThat(Presence.slice(all, tick).size()).isLessThan(all.size() / 4);
        }
    }
}
