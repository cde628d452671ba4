package io.vertable.bench.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LedgerTest {

    private static Ledger twoMembers(int moves) {
        Ledger ledger = new Ledger(5);
        ledger.expect(1, 2);
        ledger.expect(2, 2);
        for (int i = 0; i < moves; i++) ledger.sent(2);
        return ledger;
    }

    @Test
    void everyMoveOnceInOrderIsClean() {
        Ledger ledger = twoMembers(3);
        for (int receiver : new int[] {1, 2}) {
            for (int seq = 0; seq < 3; seq++) ledger.delivered(receiver, 2, seq, 5, 100);
        }
        assertEquals(6, ledger.expected());
        assertEquals(6, ledger.delivered);
        assertEquals(0, ledger.lost());
        assertTrue(ledger.clean());
        assertEquals(6, ledger.latencyUs.getTotalCount());
    }

    @Test
    void lostDuplicatedAndReorderedAreCounted() {
        Ledger ledger = twoMembers(4);
        ledger.delivered(1, 2, 0, 5, 10);
        ledger.delivered(1, 2, 2, 5, 10);
        ledger.delivered(1, 2, 1, 5, 10); // older than the newest: reordered
        ledger.delivered(1, 2, 1, 5, 10); // again: duplicate
        ledger.delivered(2, 2, 0, 5, 10); // receiver 2 misses 1, 2, 3; receiver 1 misses 3
        assertEquals(1, ledger.reordered);
        assertEquals(1, ledger.duplicates);
        assertEquals(4, ledger.lost());
        assertFalse(ledger.clean());
    }

    @Test
    void earlierPhasesAndStrangersAreNotCountedAsDeliveries() {
        Ledger ledger = twoMembers(1);
        ledger.delivered(1, 2, 0, 4, 10); // a move from the previous phase
        ledger.delivered(3, 2, 0, 5, 10); // a receiver outside the room
        ledger.delivered(1, 9, 0, 5, 10); // a sender outside the room
        assertEquals(1, ledger.stale);
        assertEquals(2, ledger.unexpected);
        assertEquals(0, ledger.delivered);
        assertEquals(2, ledger.lost());
    }

    @Test
    void crossNodeReceiversAreMeasuredApart() {
        Ledger ledger = twoMembers(1);
        ledger.crossNode(2);
        ledger.delivered(1, 2, 0, 5, 100);
        ledger.delivered(2, 2, 0, 5, 900);
        assertEquals(2, ledger.latencyUs.getTotalCount());
        assertEquals(1, ledger.sameNodeUs.getTotalCount());
        assertEquals(1, ledger.crossNodeUs.getTotalCount());
        assertTrue(ledger.sameNodeUs.getMaxValue() < 200);
        assertTrue(ledger.crossNodeUs.getMinValue() > 800);
    }
}
